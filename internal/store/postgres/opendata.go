package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/opendata"

	"github.com/jackc/pgx/v5"
)

// OpenDataStore implements opendata.Store.
type OpenDataStore struct{ db *DB }

// OpenData returns the open data store.
func (db *DB) OpenData() *OpenDataStore { return &OpenDataStore{db} }

const datasetColumns = `d.id, d.name, d.title, d.description, d.publisher_id, d.theme, d.keywords, d.frequency, d.temporal_from,
	d.temporal_to, d.spatial, d.license, d.contact_name, d.contact_email, d.contact_phone, d.tier, d.tier_reason, d.source,
	d.generator, d.columns, d.status, d.downloads, d.version, d.row_count, d.checked_at, d.issued_at, d.modified_at,
	d.created_by, d.created_at, d.updated_at, a.name, r.path`

const datasetFrom = ` FROM opendata_datasets d JOIN disclosure_agencies a ON a.id = d.publisher_id JOIN regions r ON r.id = a.region_id`

// optTime reads a nullable timestamp; NULL is the zero time.
func optTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func scanDataset(sc pgx.Row) (*opendata.Dataset, error) {
	var d opendata.Dataset
	var keywords, columns, from, to string
	var checked, issued, modified *time.Time
	err := sc.Scan(&d.ID, &d.Name, &d.Title, &d.Description, &d.PublisherID, &d.Theme, &keywords, &d.Frequency, &from, &to,
		&d.Spatial, &d.License, &d.ContactName, &d.ContactEmail, &d.ContactPhone, &d.Tier, &d.TierReason, &d.Source,
		&d.Generator, &columns, &d.Status, &d.Downloads, &d.Version, &d.RowCount, &checked, &issued, &modified,
		&d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.PublisherName, &d.RegionPath)
	if err != nil {
		return nil, err
	}
	d.TemporalFrom, d.TemporalTo = textDate(from), textDate(to)
	d.CheckedAt, d.IssuedAt, d.ModifiedAt = optTime(checked), optTime(issued), optTime(modified)
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(keywords), &d.Keywords); err != nil {
		return nil, fmt.Errorf("dataset %d keywords: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(columns), &d.Columns); err != nil {
		return nil, fmt.Errorf("dataset %d columns: %w", d.ID, err)
	}
	return &d, nil
}

func datasetArgs(d *opendata.Dataset) ([]any, error) {
	kw := d.Keywords
	if kw == nil {
		kw = []string{}
	}
	kwJSON, err := json.Marshal(kw)
	if err != nil {
		return nil, err
	}
	cols, err := json.Marshal(d.Columns)
	if err != nil {
		return nil, err
	}
	return []any{d.Name, d.Title, d.Description, d.PublisherID, d.Theme, string(kwJSON), d.Frequency, dateText(d.TemporalFrom),
		dateText(d.TemporalTo), d.Spatial, d.License, d.ContactName, d.ContactEmail, d.ContactPhone, d.Tier, d.TierReason,
		d.Source, d.Generator, string(cols), d.SearchText(), d.Status, d.Version, d.RowCount, nullTime(d.CheckedAt), nullTime(d.IssuedAt),
		nullTime(d.ModifiedAt), d.CreatedBy, d.CreatedAt, d.UpdatedAt, searchGrams(d)}, nil
}

// searchGrams are the bigrams the catalogue search finds d by (never NULL).
func searchGrams(d *opendata.Dataset) []string {
	if g := opendata.SearchGrams(d.SearchText()); g != nil {
		return g
	}
	return []string{}
}

func datasetConflict(err error) error {
	if isUnique(err) {
		return apperr.Field("name", "标识名已被其他数据集使用，请换一个")
	}
	return mapError(err)
}

// CreateDataset inserts d.
func (s *OpenDataStore) CreateDataset(ctx context.Context, d *opendata.Dataset) error {
	args, err := datasetArgs(d)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO opendata_datasets (name, title, description, publisher_id, theme,
			keywords, frequency, temporal_from, temporal_to, spatial, license, contact_name, contact_email, contact_phone, tier,
			tier_reason, source, generator, columns, search_text, status, version, row_count, checked_at, issued_at, modified_at,
			created_by, created_at, updated_at, grams) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
			RETURNING id`, args...).Scan(&d.ID)
		return datasetConflict(err)
	})
}

// UpdateDataset saves d (not its download count).
func (s *OpenDataStore) UpdateDataset(ctx context.Context, d *opendata.Dataset) error {
	args, err := datasetArgs(d)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE opendata_datasets SET name = $1, title = $2, description = $3, publisher_id = $4,
			theme = $5, keywords = $6, frequency = $7, temporal_from = $8, temporal_to = $9, spatial = $10, license = $11, contact_name = $12,
			contact_email = $13, contact_phone = $14, tier = $15, tier_reason = $16, source = $17, generator = $18, columns = $19, search_text = $20, status = $21,
			version = $22, row_count = $23, checked_at = $24, issued_at = $25, modified_at = $26, created_by = $27, created_at = $28, updated_at = $29,
			grams = $30 WHERE id = $31`, append(args, d.ID)...)
		return datasetConflict(err)
	})
}

// findDataset reads the dataset whose column (d.id, d.name or d.generator)
// equals arg.
func (s *OpenDataStore) findDataset(ctx context.Context, column string, arg any) (*opendata.Dataset, error) {
	d, err := scanDataset(s.db.q(ctx).QueryRow(ctx, `SELECT `+datasetColumns+datasetFrom+` WHERE `+column+` = $1`, arg))
	return d, notFound(err, "数据集不存在")
}

// FindDatasetByID returns a dataset.
func (s *OpenDataStore) FindDatasetByID(ctx context.Context, id int64) (*opendata.Dataset, error) {
	return s.findDataset(ctx, "d.id", id)
}

// FindDatasetByName returns a dataset by its name.
func (s *OpenDataStore) FindDatasetByName(ctx context.Context, name string) (*opendata.Dataset, error) {
	return s.findDataset(ctx, "d.name", name)
}

// FindDatasetByGenerator returns the dataset a source part produces.
func (s *OpenDataStore) FindDatasetByGenerator(ctx context.Context, key string) (*opendata.Dataset, error) {
	return s.findDataset(ctx, "d.generator", key)
}

// FindDatasets lists datasets with the total count.
func (s *OpenDataStore) FindDatasets(ctx context.Context, f opendata.DatasetFilter) ([]*opendata.Dataset, int, error) {
	if gram, ok := bigram(f); ok {
		return s.findByBigram(ctx, gram, f)
	}
	w := datasetWhere(f)
	var total int
	q := s.db.q(ctx)
	if err := q.QueryRow(ctx, `SELECT count(*) FROM opendata_datasets d WHERE `+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	query := datasetPageQuery(w, f.Sort, max(f.Limit, 1), f.Offset) // adds the page's arguments
	rows, err := q.Query(ctx, query, w.args...)
	ds, err := collect(rows, err, scanDataset)
	return ds, total, err
}

// findByBigram counts and pages a search by one bigram from the gram rows
// alone (migration 0021): the public listing's rows (shown = 2) are read in
// the page's order straight from an index.
func (s *OpenDataStore) findByBigram(ctx context.Context, gram string, f opendata.DatasetFilter) ([]*opendata.Dataset, int, error) {
	shown, cmp := shownAtLeast(f), ">="
	if f.Listed {
		cmp = "="
	}
	cond := `g.gram = $1 AND g.shown ` + cmp + ` $2`
	var total int
	q := s.db.q(ctx)
	if err := q.QueryRow(ctx, `SELECT count(*) FROM opendata_dataset_grams g WHERE `+cond, gram, shown).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	query := `SELECT ` + datasetColumns + datasetFrom + ` WHERE d.id IN (SELECT g.dataset_id FROM opendata_dataset_grams g WHERE ` + cond +
		` ORDER BY ` + gramOrder(f.Sort) + ` LIMIT $3 OFFSET $4) ORDER BY ` + datasetOrder(f.Sort)
	rows, err := q.Query(ctx, query, gram, shown, max(f.Limit, 1), f.Offset)
	ds, err := collect(rows, err, scanDataset)
	return ds, total, err
}

// gramOrder is datasetOrder over the gram rows' copies of the sort keys.
func gramOrder(sort string) string {
	switch sort {
	case "name":
		return "g.name"
	case "id":
		return "g.dataset_id"
	case "modified_asc":
		return "g.modified_at, g.dataset_id"
	}
	return "g.modified_at DESC NULLS LAST, g.dataset_id DESC"
}

// bigram is the one bigram of a search by a two-character query with no
// filter but how far a dataset is shown: the gram rows alone answer it.
func bigram(f opendata.DatasetFilter) (string, bool) {
	rest := f
	rest.Q, rest.Listed, rest.Status, rest.Sort, rest.Limit, rest.Offset = "", false, "", "", 0, 0
	if rest != (opendata.DatasetFilter{}) || opendata.QueryNeedsCheck(f.Q) || (f.Status != "" && f.Status != opendata.StatusPublished) {
		return "", false
	}
	if g := opendata.QueryGrams(f.Q); len(g) == 1 {
		return g[0], true
	}
	return "", false
}

// shownAtLeast is the least opendata_shown (migration 0021) of a dataset
// that f can list: 2 for the public listing, 1 for published datasets, 0
// for any. The other conditions of f still apply to the datasets.
func shownAtLeast(f opendata.DatasetFilter) int16 {
	switch {
	case f.Listed:
		return 2
	case f.Status == opendata.StatusPublished:
		return 1
	}
	return 0
}

// gramCondition finds the datasets holding all of grams in their gram
// rows (distinct per dataset), never reading the datasets' own gram
// arrays: those are stored compressed, and unpacking one per candidate
// cost a two-character query 20 ms.
func gramCondition(w *where, grams []string, shown int16) {
	if len(grams) == 1 {
		w.add("d.id IN (SELECT g.dataset_id FROM opendata_dataset_grams g WHERE g.gram = ? AND g.shown >= ?)", grams[0], shown)
		return
	}
	w.add("d.id IN (SELECT g.dataset_id FROM opendata_dataset_grams g WHERE g.gram = ANY(?) AND g.shown >= ? GROUP BY g.dataset_id HAVING count(*) = ?)",
		grams, shown, len(grams))
}

// datasetPageQuery picks a page of ids from the datasets table alone (its
// filters need no join, so the order comes from an index), then reads those
// rows with their publisher.
func datasetPageQuery(w *where, sort string, limit, offset int) string {
	return `SELECT ` + datasetColumns + datasetFrom + ` WHERE d.id IN (SELECT d.id FROM opendata_datasets d WHERE ` + w.sql() +
		` ORDER BY ` + datasetOrder(sort) + ` LIMIT ` + w.arg(limit) + ` OFFSET ` + w.arg(offset) + `) ORDER BY ` + datasetOrder(sort)
}

func datasetOrder(sort string) string {
	switch sort {
	case "name":
		return "d.name"
	case "id":
		return "d.id"
	case "modified_asc":
		return "d.modified_at, d.id"
	}
	return "d.modified_at DESC NULLS LAST, d.id DESC"
}

func datasetWhere(f opendata.DatasetFilter) *where {
	w := newWhere()
	add := w.add
	if q := strings.TrimSpace(f.Q); q != "" {
		if grams := opendata.QueryGrams(q); len(grams) > 0 {
			gramCondition(w, grams, shownAtLeast(f))
		}
		if opendata.QueryNeedsCheck(q) {
			add("strpos(d.search_text, ?) > 0", strings.ToLower(q))
		}
	}
	if f.Theme != "" {
		add("d.theme = ?", f.Theme)
	}
	if f.PublisherID != 0 {
		add("d.publisher_id = ?", f.PublisherID)
	}
	if f.PathPrefix != "" {
		add("d.publisher_id IN (SELECT a.id FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id WHERE r.path LIKE ?)", likePrefix(f.PathPrefix))
	}
	if f.Tier != "" {
		add("d.tier = ?", string(f.Tier))
	}
	if f.Status != "" {
		add("d.status = ?", string(f.Status))
	}
	if f.Listed {
		add("d.status = 'published' AND d.tier <> 'closed'")
	}
	if !f.Since.IsZero() {
		add("d.modified_at >= ?", f.Since)
	}
	return w
}

// CountDownload adds one to a dataset's download count.
func (s *OpenDataStore) CountDownload(ctx context.Context, id int64) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE opendata_datasets SET downloads = downloads + 1 WHERE id = $1`, id)
	return mapError(err)
}
