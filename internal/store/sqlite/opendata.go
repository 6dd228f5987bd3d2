package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/opendata"
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

func scanDataset(sc scanner) (*opendata.Dataset, error) {
	var d opendata.Dataset
	var keywords, columns, from, to string
	var checked, issued, modified, created, updated int64
	err := sc.Scan(&d.ID, &d.Name, &d.Title, &d.Description, &d.PublisherID, &d.Theme, &keywords, &d.Frequency, &from, &to,
		&d.Spatial, &d.License, &d.ContactName, &d.ContactEmail, &d.ContactPhone, &d.Tier, &d.TierReason, &d.Source,
		&d.Generator, &columns, &d.Status, &d.Downloads, &d.Version, &d.RowCount, &checked, &issued, &modified,
		&d.CreatedBy, &created, &updated, &d.PublisherName, &d.RegionPath)
	if err != nil {
		return nil, err
	}
	d.TemporalFrom, d.TemporalTo = textDate(from), textDate(to)
	d.CheckedAt, d.IssuedAt, d.ModifiedAt = fromMicro(checked), fromMicro(issued), fromMicro(modified)
	d.CreatedAt, d.UpdatedAt = fromMicro(created), fromMicro(updated)
	if err := json.Unmarshal([]byte(keywords), &d.Keywords); err != nil {
		return nil, fmt.Errorf("dataset %d keywords: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(columns), &d.Columns); err != nil {
		return nil, fmt.Errorf("dataset %d columns: %w", d.ID, err)
	}
	return &d, nil
}

func datasetArgs(d *opendata.Dataset) ([]any, error) {
	kw, err := json.Marshal(nonNilStrings(d.Keywords))
	if err != nil {
		return nil, err
	}
	cols, err := json.Marshal(d.Columns)
	if err != nil {
		return nil, err
	}
	return []any{d.Name, d.Title, d.Description, d.PublisherID, d.Theme, string(kw), d.Frequency, dateText(d.TemporalFrom),
		dateText(d.TemporalTo), d.Spatial, d.License, d.ContactName, d.ContactEmail, d.ContactPhone, d.Tier, d.TierReason,
		d.Source, d.Generator, string(cols), d.SearchText(), d.Status, d.Version, d.RowCount, micro(d.CheckedAt), micro(d.IssuedAt),
		micro(d.ModifiedAt), d.CreatedBy, micro(d.CreatedAt), micro(d.UpdatedAt)}, nil
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
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
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO opendata_datasets (name, title, description, publisher_id, theme,
			keywords, frequency, temporal_from, temporal_to, spatial, license, contact_name, contact_email, contact_phone, tier,
			tier_reason, source, generator, columns, search_text, status, version, row_count, checked_at, issued_at, modified_at,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`, args...).Scan(&d.ID)
		if err != nil {
			return datasetConflict(err)
		}
		return s.putSearch(ctx, d, listing{})
	})
}

// UpdateDataset saves d (not its download count).
func (s *OpenDataStore) UpdateDataset(ctx context.Context, d *opendata.Dataset) error {
	args, err := datasetArgs(d)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		old, err := s.listingOf(ctx, d.ID)
		if err != nil {
			return err
		}
		_, err = s.db.q(ctx).ExecContext(ctx, `UPDATE opendata_datasets SET name = ?, title = ?, description = ?, publisher_id = ?,
			theme = ?, keywords = ?, frequency = ?, temporal_from = ?, temporal_to = ?, spatial = ?, license = ?, contact_name = ?,
			contact_email = ?, contact_phone = ?, tier = ?, tier_reason = ?, source = ?, generator = ?, columns = ?, search_text = ?, status = ?,
			version = ?, row_count = ?, checked_at = ?, issued_at = ?, modified_at = ?, created_by = ?, created_at = ?, updated_at = ?
			WHERE id = ?`, append(args, d.ID)...)
		if err != nil {
			return datasetConflict(err)
		}
		return s.putSearch(ctx, d, old)
	})
}

func (s *OpenDataStore) findDataset(ctx context.Context, cond string, arg any) (*opendata.Dataset, error) {
	d, err := scanDataset(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+datasetColumns+datasetFrom+` WHERE `+cond, arg))
	return d, notFound(err, "数据集不存在")
}

// FindDatasetByID returns a dataset.
func (s *OpenDataStore) FindDatasetByID(ctx context.Context, id int64) (*opendata.Dataset, error) {
	return s.findDataset(ctx, "d.id = ?", id)
}

// FindDatasetByName returns a dataset by its name.
func (s *OpenDataStore) FindDatasetByName(ctx context.Context, name string) (*opendata.Dataset, error) {
	return s.findDataset(ctx, "d.name = ?", name)
}

// FindDatasetByGenerator returns the dataset a source part produces.
func (s *OpenDataStore) FindDatasetByGenerator(ctx context.Context, key string) (*opendata.Dataset, error) {
	return s.findDataset(ctx, "d.generator = ?", key)
}

// FindDatasets lists datasets with the total count.
func (s *OpenDataStore) FindDatasets(ctx context.Context, f opendata.DatasetFilter) ([]*opendata.Dataset, int, error) {
	if keyOrdered(f) {
		return s.findByKeys(ctx, f)
	}
	where, args := datasetWhere(f)
	q := s.db.q(ctx)
	total, err := s.countDatasets(ctx, f, where, args)
	if err != nil {
		return nil, 0, err
	}
	rows, err := q.QueryContext(ctx, datasetPageQuery(where, f.Sort), append(args, max(f.Limit, 1), f.Offset)...)
	ds, err := collect(rows, err, scanDataset)
	return ds, total, err
}

// datasetPageQuery picks a page of ids from the datasets table alone (its
// filters need no join, so the order comes from an index), then reads those
// rows with their publisher.
func datasetPageQuery(where, sort string) string {
	return `SELECT ` + datasetColumns + datasetFrom + ` WHERE d.id IN (SELECT d.id FROM opendata_datasets d WHERE ` + where +
		` ORDER BY ` + datasetOrder(sort) + ` LIMIT ? OFFSET ?) ORDER BY ` + datasetOrder(sort)
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
	return "d.modified_at DESC, d.id DESC"
}

func datasetWhere(f opendata.DatasetFilter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if q := strings.TrimSpace(f.Q); q != "" {
		if match := gramMatch(q); match != "" && f.Listed {
			add("d.id IN (SELECT rowid & ? FROM opendata_grams WHERE opendata_grams MATCH ?)", keyIDMask, match)
		}
		if opendata.QueryNeedsCheck(q) || !f.Listed {
			add("instr(d.search_text, ?) > 0", strings.ToLower(q))
		}
	}
	if f.Theme != "" {
		add("d.theme = ?", f.Theme)
	}
	if f.PublisherID != 0 {
		add("d.publisher_id = ?", f.PublisherID)
	}
	if f.PathPrefix != "" {
		add("d.publisher_id IN (SELECT a.id FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id WHERE substr(r.path, 1, ?) = ?)", len(f.PathPrefix), f.PathPrefix)
	}
	if f.Tier != "" {
		add("d.tier = ?", f.Tier)
	}
	if f.Status != "" {
		add("d.status = ?", f.Status)
	}
	if f.Listed {
		add("d.status = 'published' AND d.tier <> 'closed'")
	}
	if !f.Since.IsZero() {
		add("d.modified_at >= ?", micro(f.Since))
	}
	return strings.Join(where, " AND "), args
}

// CountDownload adds one to a dataset's download count.
func (s *OpenDataStore) CountDownload(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE opendata_datasets SET downloads = downloads + 1 WHERE id = ?`, id)
		return mapError(err)
	})
}
