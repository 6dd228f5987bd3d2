package opendata

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// Source is a module that produces datasets from its own data. A module
// registers one with Register; the catalogue then keeps its datasets'
// descriptions and data current, on a schedule (Every) and whenever the
// module reports a change (Changed).
type Source interface {
	// Key names the source; the app's job queue and Changed use it.
	Key() string
	// Every is the longest the data may go without a regeneration.
	Every() time.Duration
	// Datasets lists the datasets the source yields now (one, or one per
	// agency, year …).
	Datasets(ctx context.Context) ([]Spec, error)
	// Rows writes the data of one of them, row by row, in a stable order.
	Rows(ctx context.Context, spec Spec, emit func(row []string) error) error
}

// Spec describes a generated dataset.
type Spec struct {
	Part         string // distinguishes the source's datasets ("" when it has one)
	Name         string // catalogue name, unique in the deployment
	Title        string
	Description  string
	PublisherID  int64 // 0 = the platform's publisher (the top-level government)
	Theme        string
	Keywords     []string
	Frequency    string
	Spatial      string
	TemporalFrom calendar.Date
	TemporalTo   calendar.Date
	Columns      []Column
	Tier         Tier // TierOpen when empty
	TierReason   string
	Contact      string
}

func (sp Spec) key(src Source) string {
	if sp.Part == "" {
		return src.Key()
	}
	return src.Key() + ":" + sp.Part
}

// Register adds a source. Call it while the app is built, before serving.
func (s *Service) Register(src Source) { s.sources = append(s.sources, src) }

// Sources lists the registered source keys.
func (s *Service) Sources() []string {
	out := make([]string, len(s.sources))
	for i, src := range s.sources {
		out[i] = src.Key()
	}
	return out
}

// Changed tells the catalogue that a source's data changed: a regeneration
// of that source is put on the job queue in the caller's transaction.
func (s *Service) Changed(ctx context.Context, source string) error {
	if s.d.Queue == nil {
		return nil
	}
	return s.d.Queue.EnqueueRegenerate(ctx, source)
}

// RegenerateResult counts what a regeneration did.
type RegenerateResult struct {
	Checked, Versions, Withdrawn int
}

// Regenerate runs the sources: all of them when source is "", else the one
// named. A source is run when forced or when its datasets were last checked
// longer ago than its Every. A dataset gets a new version only when its data
// changed.
func (s *Service) Regenerate(ctx context.Context, source string, force bool) (RegenerateResult, error) {
	var res RegenerateResult
	var errs []error
	for _, src := range s.sources {
		if source != "" && src.Key() != source {
			continue
		}
		if err := s.runSource(ctx, src, force, &res); err != nil {
			errs = append(errs, fmt.Errorf("opendata source %s: %w", src.Key(), err))
		}
	}
	return res, errors.Join(errs...)
}

func (s *Service) runSource(ctx context.Context, src Source, force bool, res *RegenerateResult) error {
	specs, err := src.Datasets(ctx)
	if err != nil {
		return err
	}
	keys := map[string]bool{}
	for _, sp := range specs {
		keys[sp.key(src)] = true
		if err := s.runSpec(ctx, src, sp, force, res); err != nil {
			return fmt.Errorf("%s: %w", sp.Name, err)
		}
	}
	return s.withdrawGone(ctx, src, keys, res)
}

func (s *Service) runSpec(ctx context.Context, src Source, sp Spec, force bool, res *RegenerateResult) error {
	d, err := s.d.Store.FindDatasetByGenerator(ctx, sp.key(src))
	if err != nil && !isNotFound(err) {
		return err
	}
	if d != nil && !force && s.now().Sub(d.CheckedAt) < src.Every() {
		return nil
	}
	var rows [][]string
	if err := src.Rows(ctx, sp, func(r []string) error { rows = append(rows, append([]string(nil), r...)); return nil }); err != nil {
		return err
	}
	res.Checked++
	ag, err := s.specPublisher(ctx, sp)
	if isNotFound(err) {
		return nil // no publisher yet (a new deployment without agencies)
	}
	if err != nil {
		return err
	}
	var added bool
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.d.Store.FindDatasetByGenerator(ctx, sp.key(src))
		if err != nil && !isNotFound(err) {
			return err
		}
		added, err = s.applySpec(ctx, ag, src, sp, d, rows)
		return err
	})
	if err == nil && added {
		res.Versions++
	}
	if err != nil && d == nil && s.createdMeanwhile(ctx, src, sp) {
		// Another run (the job on change, another node) created the
		// dataset between our look and our insert; it holds the data, and
		// the next regeneration compares against it.
		return nil
	}
	return err
}

// createdMeanwhile reports whether the dataset of sp exists now, after its
// creation failed.
func (s *Service) createdMeanwhile(ctx context.Context, src Source, sp Spec) bool {
	d, err := s.d.Store.FindDatasetByGenerator(ctx, sp.key(src))
	return err == nil && d != nil
}

func isNotFound(err error) bool { return apperr.Is(err, apperr.NotFound) }

// applySpec creates or updates the generated dataset and adds a version
// when its data changed; it runs inside the transaction.
func (s *Service) applySpec(ctx context.Context, ag *disclosure.Agency, src Source, sp Spec, d *Dataset, rows [][]string) (bool, error) {
	now := s.now()
	if d == nil {
		d = &Dataset{Source: SourceGenerated, Generator: sp.key(src), CreatedAt: now}
	}
	describe(d, sp, ag)
	s.markStatus(d, StatusPublished)
	d.CheckedAt, d.UpdatedAt = now, now
	if d.ID == 0 {
		if err := s.d.Store.CreateDataset(ctx, d); err != nil {
			return false, err
		}
	}
	v, err := s.addVersion(ctx, d, rows, "平台自动生成", 0)
	if err != nil {
		return false, err
	}
	if err := s.d.Store.UpdateDataset(ctx, d); err != nil {
		return false, err
	}
	if v == nil {
		return false, nil
	}
	return true, s.record(ctx, identity.SystemActor(), ag, "opendata.dataset.regenerate", "opendata_dataset", d.ID,
		map[string]any{"name": d.Name, "version": v.Number, "rows": v.RowCount, "sha256": v.SHA256})
}

// describe copies a spec onto a dataset; the description is the source's.
func describe(d *Dataset, sp Spec, ag *disclosure.Agency) {
	d.Name, d.Title, d.Description, d.PublisherID, d.Theme = sp.Name, sp.Title, sp.Description, ag.ID, sp.Theme
	d.Keywords, d.Frequency, d.Spatial, d.TemporalFrom, d.TemporalTo = sp.Keywords, sp.Frequency, sp.Spatial, sp.TemporalFrom, sp.TemporalTo
	d.Columns, d.Tier, d.TierReason, d.License = sp.Columns, sp.Tier, sp.TierReason, "cc-by-4.0"
	if d.Tier == "" {
		d.Tier = TierOpen
	}
	d.ContactName, d.ContactPhone = ag.Name+"政务公开办公室", ag.Phone
	if sp.Contact != "" {
		d.ContactName = sp.Contact
	}
	if d.ContactPhone == "" || !phoneRe.MatchString(d.ContactPhone) {
		d.ContactPhone = "12345"
	}
	d.PublisherName, d.RegionPath = ag.Name, ag.RegionPath
}

// specPublisher resolves a spec's publisher; 0 is the platform's own, the
// government agency highest in the region tree.
func (s *Service) specPublisher(ctx context.Context, sp Spec) (*disclosure.Agency, error) {
	if sp.PublisherID != 0 {
		return s.publisher(ctx, "", sp.PublisherID)
	}
	return s.PlatformPublisher(ctx)
}

// PlatformPublisher is the agency that publishes the platform's
// deployment-wide datasets: the people's government highest in the region
// tree (ties broken by id).
func (s *Service) PlatformPublisher(ctx context.Context) (*disclosure.Agency, error) {
	ags, err := s.d.Agencies.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	var govs []*disclosure.Agency
	for _, ag := range ags {
		if ag.DepartmentID == nil {
			govs = append(govs, ag)
		}
	}
	if len(govs) == 0 {
		return nil, apperr.New(apperr.NotFound, "尚未设立人民政府作为公开主体，平台数据集暂无发布单位")
	}
	sort.Slice(govs, func(i, j int) bool {
		di, dj := strings.Count(govs[i].RegionPath, "/"), strings.Count(govs[j].RegionPath, "/")
		return di < dj || (di == dj && govs[i].ID < govs[j].ID)
	})
	return govs[0], nil
}

// withdrawGone withdraws the source's datasets it no longer yields.
func (s *Service) withdrawGone(ctx context.Context, src Source, keys map[string]bool, res *RegenerateResult) error {
	all, _, err := s.d.Store.FindDatasets(ctx, DatasetFilter{Status: StatusPublished, Limit: 1 << 30})
	if err != nil {
		return err
	}
	for _, d := range all {
		if d.Source != SourceGenerated || keys[d.Generator] || !strings.HasPrefix(d.Generator+":", src.Key()+":") {
			continue
		}
		if err := s.withdrawGenerated(ctx, d.ID); err != nil {
			return err
		}
		res.Withdrawn++
	}
	return nil
}

func (s *Service) withdrawGenerated(ctx context.Context, id int64) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.d.Store.FindDatasetByID(ctx, id)
		if err != nil {
			return err
		}
		ag, err := s.publisher(ctx, "", d.PublisherID)
		if err != nil {
			return err
		}
		d.Status, d.UpdatedAt = StatusWithdrawn, s.now()
		if err := s.d.Store.UpdateDataset(ctx, d); err != nil {
			return err
		}
		return s.record(ctx, identity.SystemActor(), ag, "opendata.dataset.withdraw", "opendata_dataset", d.ID, datasetChange(d))
	})
}
