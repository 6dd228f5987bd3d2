package supervision

import (
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// MonthPoint is one month of a trend.
type MonthPoint struct {
	Month  string `json:"month"`
	Counts Counts `json:"counts"`
}

// OnTimeRate is the month's 按时办结率 (0 without decided cases).
func (m MonthPoint) OnTimeRate() float64 {
	if m.Counts.Decided == 0 {
		return 0
	}
	return float64(m.Counts.OnTime) / float64(m.Counts.Decided)
}

// Trend sums a centre's (or one department's) counts per month.
func (s *Service) trend(ctx context.Context, centreID, deptID int64, months []string) ([]MonthPoint, error) {
	rows, err := s.d.Store.FindStats(ctx, StatFilter{CentreIDs: []int64{centreID}, Months: months, Dim: DimDept, DimID: deptID})
	if err != nil {
		return nil, err
	}
	by := map[string]*Counts{}
	for _, r := range rows {
		if by[r.Month] == nil {
			by[r.Month] = &Counts{}
		}
		by[r.Month].Add(r.Counts)
	}
	out := make([]MonthPoint, len(months))
	for i, m := range months {
		out[i].Month = m
		if c := by[m]; c != nil {
			out[i].Counts = *c
		}
	}
	return out, nil
}

// Trend is a centre's monthly counts over the last months, for an actor
// who may evaluate it.
func (s *Service) Trend(ctx context.Context, a *identity.Actor, centreID int64, months int) ([]MonthPoint, error) {
	if _, _, _, err := s.centre(ctx, a, centreID); err != nil {
		return nil, err
	}
	return s.trend(ctx, centreID, 0, LastMonths(s.d.Now(), months))
}

// PublicFigures are the indicators published for a centre or a department:
// 按时办结率, average working days used against those promised, monthly
// volumes, and the contributed public indicators (好评率 once ratings
// exist).
type PublicFigures struct {
	ID          int64        `json:"id"`
	Name        string       `json:"name"`
	Kind        string       `json:"kind"` // "centre" or "department"
	Months      []MonthPoint `json:"months"`
	Total       Counts       `json:"total"` // over the months shown
	OnTimeRate  *float64     `json:"on_time_rate"`
	AvgUsed     *float64     `json:"avg_used_days"`
	AvgPromised *float64     `json:"avg_promised_days"`
	Extra       []Figure     `json:"extra"`
	Depts       []PublicDept `json:"departments,omitempty"`
	AsOf        time.Time    `json:"as_of"`
}

// PublicDept is a department's line on its centre's public page.
type PublicDept struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Received    int64    `json:"received"`
	Decided     int64    `json:"decided"`
	OnTimeRate  *float64 `json:"on_time_rate"`
	AvgUsed     *float64 `json:"avg_used_days"`
	AvgPromised *float64 `json:"avg_promised_days"`
}

func ratio(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}

// PublicCentres lists the service centres with public indicators.
func (s *Service) PublicCentres(ctx context.Context) ([]*org.Centre, error) {
	cs, err := s.d.Directory.Centres(ctx, org.CentreFilter{})
	if err != nil {
		return nil, err
	}
	var out []*org.Centre
	for _, c := range cs {
		if c.Kind == org.CentreGovService || c.Kind == org.CentreConvenience {
			out = append(out, c)
		}
	}
	return out, nil
}

// PublicCentre is a centre's public indicators over the last 12 months.
func (s *Service) PublicCentre(ctx context.Context, id int64) (*PublicFigures, error) {
	cs, err := s.PublicCentres(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ID == id {
			return s.publicFigures(ctx, c.ID, 0, c.Name, "centre")
		}
	}
	return nil, apperr.New(apperr.NotFound, "服务中心不存在")
}

// PublicDepartment is a department's public indicators.
func (s *Service) PublicDepartment(ctx context.Context, id int64) (*PublicFigures, error) {
	depts, err := s.d.Directory.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		if d.ID == id && d.CentreID != nil {
			return s.publicFigures(ctx, *d.CentreID, d.ID, d.Name, "department")
		}
	}
	return nil, apperr.New(apperr.NotFound, "部门不存在或未进驻服务中心")
}

func (s *Service) publicFigures(ctx context.Context, centreID, deptID int64, name, kind string) (*PublicFigures, error) {
	months := LastMonths(s.d.Now(), 12)
	points, err := s.trend(ctx, centreID, deptID, months)
	if err != nil {
		return nil, err
	}
	pf := &PublicFigures{ID: centreID, Name: name, Kind: kind, Months: points, AsOf: s.d.Now()}
	if deptID != 0 {
		pf.ID = deptID
	}
	for _, p := range points {
		pf.Total.Add(p.Counts)
	}
	pf.OnTimeRate, pf.AvgUsed, pf.AvgPromised = ratio(pf.Total.OnTime, pf.Total.Decided), ratio(pf.Total.UsedDays, pf.Total.Decided), ratio(pf.Total.PromisedDays, pf.Total.Decided)
	if pf.Extra, err = s.publicExtra(ctx, centreID, deptID, months); err != nil {
		return nil, err
	}
	if deptID == 0 {
		pf.Depts, err = s.publicDepts(ctx, centreID, months)
	}
	return pf, err
}

// publicExtra asks the public contributed indicators (好评率 …).
func (s *Service) publicExtra(ctx context.Context, centreID, deptID int64, months []string) ([]Figure, error) {
	var out []Figure
	for _, ind := range s.Indicators.All() {
		if !ind.Public {
			continue
		}
		q := IndicatorQuery{Dim: DimDept, CentreID: centreID, Months: months, Whole: deptID == 0}
		if deptID != 0 {
			q.IDs = []int64{deptID}
		}
		vals, err := ind.Values(ctx, q)
		if err != nil {
			return nil, err
		}
		if v, ok := vals[deptID]; ok {
			out = append(out, Figure{Key: ind.Key, Label: ind.Label, Value: v.Value, Display: v.Display, Score: v.Score})
		}
	}
	return out, nil
}

func (s *Service) publicDepts(ctx context.Context, centreID int64, months []string) ([]PublicDept, error) {
	rows, err := s.d.Store.FindStats(ctx, StatFilter{CentreIDs: []int64{centreID}, Months: months, Dim: DimDept})
	if err != nil {
		return nil, err
	}
	dir, err := s.dir.get(ctx, s.d.Now())
	if err != nil {
		return nil, err
	}
	by := map[int64]*Counts{}
	for _, r := range rows {
		if by[r.DimID] == nil {
			by[r.DimID] = &Counts{}
		}
		by[r.DimID].Add(r.Counts)
	}
	var out []PublicDept
	for id, c := range by {
		out = append(out, PublicDept{ID: id, Name: dir.deptName[id], Received: c.Received, Decided: c.Decided,
			OnTimeRate: ratio(c.OnTime, c.Decided), AvgUsed: ratio(c.UsedDays, c.Decided), AvgPromised: ratio(c.PromisedDays, c.Decided)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// PublishHead publishes the audit chain's end for today (a daily job), so
// that anyone who kept an earlier day's hash can tell if the history up to
// it was rewritten: re-walking the chain must pass through it.
func (s *Service) PublishHead(ctx context.Context) (PublishedHead, error) {
	head, _, err := s.d.Heads.AuditHead(ctx)
	if err != nil {
		return PublishedHead{}, fmt.Errorf("read audit head: %w", err)
	}
	h := PublishedHead{Date: calendar.DateOf(s.d.Now()).String(), Seq: head.Seq, Hash: hex.EncodeToString(head.Hash), PublishedAt: s.d.Now()}
	return h, s.d.Tx.InTx(ctx, func(ctx context.Context) error { return s.d.Store.PutHead(ctx, h) })
}

// Heads lists the published audit heads, newest first.
func (s *Service) Heads(ctx context.Context, limit int) ([]PublishedHead, error) {
	if limit <= 0 || limit > 400 {
		limit = 30
	}
	return s.d.Store.FindHeads(ctx, limit)
}
