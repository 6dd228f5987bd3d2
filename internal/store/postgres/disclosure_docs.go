package postgres

import (
	"context"
	"errors"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"

	"github.com/jackc/pgx/v5"
)

// DisclosureStore implements disclosure.Store.
type DisclosureStore struct{ db *DB }

// Disclosure returns the disclosure store.
func (db *DB) Disclosure() *DisclosureStore { return &DisclosureStore{db} }

// dateText stores a civil date; the zero Date is "".
func dateText(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}

// textDate reads a stored civil date.
func textDate(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}
	}
	return d
}

const agencyColumns = `a.id, a.region_id, a.department_id, a.name, a.code, a.index_template, a.guide, a.address, a.phone, a.hours,
	r.path, a.created_at, a.updated_at`

// CreateAgency inserts a.
func (s *DisclosureStore) CreateAgency(ctx context.Context, a *disclosure.Agency) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO disclosure_agencies (region_id, department_id, name, code, index_template,
			guide, address, phone, hours, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			a.RegionID, a.DepartmentID, a.Name, a.Code, a.IndexTemplate, a.Guide, a.Address, a.Phone, a.Hours,
			a.CreatedAt, a.UpdatedAt).Scan(&a.ID)
		return agencyConflict(err)
	})
}

func agencyConflict(err error) error {
	if isUnique(err) {
		return apperr.Field("name", "已有同名的公开主体")
	}
	return mapError(err)
}

// UpdateAgency saves a.
func (s *DisclosureStore) UpdateAgency(ctx context.Context, a *disclosure.Agency) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE disclosure_agencies SET name = $1, code = $2, index_template = $3, guide = $4,
			address = $5, phone = $6, hours = $7, updated_at = $8 WHERE id = $9`,
			a.Name, a.Code, a.IndexTemplate, a.Guide, a.Address, a.Phone, a.Hours, a.UpdatedAt, a.ID)
		return agencyConflict(err)
	})
}

// FindAgencyByID returns one agency.
func (s *DisclosureStore) FindAgencyByID(ctx context.Context, id int64) (*disclosure.Agency, error) {
	a, err := scanAgency(s.db.q(ctx).QueryRow(ctx, `SELECT `+agencyColumns+`
		FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id WHERE a.id = $1`, id))
	return a, notFound(err, "公开主体不存在")
}

// FindAgencies lists agencies by region and name.
func (s *DisclosureStore) FindAgencies(ctx context.Context, f disclosure.AgencyFilter) ([]*disclosure.Agency, error) {
	w := newWhere()
	if f.PathPrefix != "" {
		w.add("substr(r.path, 1, ?) = ?", len(f.PathPrefix), f.PathPrefix)
	}
	if f.Name != "" {
		w.add("a.name = ?", f.Name)
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+agencyColumns+` FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id
		WHERE `+w.sql()+` ORDER BY r.path, a.id`, w.args...)
	return scanAll(rows, err, scanAgency)
}

func scanAgency(r pgx.Row) (*disclosure.Agency, error) {
	var a disclosure.Agency
	err := r.Scan(&a.ID, &a.RegionID, &a.DepartmentID, &a.Name, &a.Code, &a.IndexTemplate, &a.Guide, &a.Address, &a.Phone,
		&a.Hours, &a.RegionPath, &a.CreatedAt, &a.UpdatedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return &a, err
}

// scanAll scans every row with scan.
func scanAll[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error)) ([]T, error) {
	return collect(rows, err, scan)
}

const docColumns = `d.id, d.agency_id, d.index_no, d.title, d.doc_no, d.topic, d.genre, d.category, d.validity, d.validity_on,
	d.replaced_by, d.summary, d.body_format, d.body_source, d.body_html, d.mode, d.withhold_basis, d.formed_on, d.published_on,
	d.status, d.needs_interp, d.interprets_id, d.rereview_on, d.created_by, d.approved_by, d.created_at, d.updated_at, a.name`

// docArgs are the stored fields of d after agency_id, in column order.
func docArgs(d *disclosure.Document) []any {
	return []any{d.IndexNo, d.Title, d.DocNo, d.Topic, d.Genre, d.Category, d.Validity, dateText(d.ValidityOn),
		d.ReplacedByID, d.Summary, d.BodyFormat, d.BodySource, d.BodyHTML, d.Mode, d.WithholdBasis,
		dateText(d.FormedOn), dateText(d.PublishedOn), d.Status, d.NeedsInterp, d.InterpretsID,
		dateText(d.RereviewOn), d.ApprovedBy, d.UpdatedAt}
}

const docSet = `index_no = $1, title = $2, doc_no = $3, topic = $4, genre = $5, category = $6, validity = $7, validity_on = $8,
	replaced_by = $9, summary = $10, body_format = $11, body_source = $12, body_html = $13, mode = $14, withhold_basis = $15, formed_on = $16,
	published_on = $17, status = $18, needs_interp = $19, interprets_id = $20, rereview_on = $21, approved_by = $22, updated_at = $23`

// CreateDocument inserts d.
func (s *DisclosureStore) CreateDocument(ctx context.Context, d *disclosure.Document) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		err := q.QueryRow(ctx, `INSERT INTO disclosure_docs (agency_id, title, topic, genre, category, validity, body_format,
			mode, formed_on, status, created_by, created_at, updated_at) VALUES ($1, '', '', '', '', '', '', '', '', '', $2, $3, $4)
			RETURNING id`, d.AgencyID, d.CreatedBy, d.CreatedAt, d.UpdatedAt).Scan(&d.ID)
		if err != nil {
			return mapError(err)
		}
		return s.UpdateDocument(ctx, d)
	})
}

// UpdateDocument saves d.
func (s *DisclosureStore) UpdateDocument(ctx context.Context, d *disclosure.Document) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE disclosure_docs SET `+docSet+` WHERE id = $24`, append(docArgs(d), d.ID)...)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "索引号 %s 已被使用", d.IndexNo)
		}
		return mapError(err)
	})
}

// FindDocumentByID returns one document.
func (s *DisclosureStore) FindDocumentByID(ctx context.Context, id int64) (*disclosure.Document, error) {
	d, err := scanDoc(s.db.q(ctx).QueryRow(ctx, `SELECT `+docColumns+`
		FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id WHERE d.id = $1`, id))
	return d, notFound(err, "信息不存在")
}

// FindDocuments lists documents, newest publication (or formation) first.
func (s *DisclosureStore) FindDocuments(ctx context.Context, f disclosure.DocFilter) ([]*disclosure.Document, int, error) {
	w := docWhere(f)
	var total int
	q := s.db.q(ctx)
	from := ` FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id JOIN regions r ON r.id = a.region_id WHERE ` + w.sql()
	if err := q.QueryRow(ctx, `SELECT count(*)`+from, w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	page := ` ORDER BY d.published_on DESC, d.formed_on DESC, d.id DESC LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := q.Query(ctx, `SELECT `+docColumns+from+page, w.args...)
	ds, err := scanAll(rows, err, scanDoc)
	return ds, total, err
}

// docWhere builds the condition of a filter.
func docWhere(f disclosure.DocFilter) *where {
	w := newWhere()
	add := w.add
	if f.AgencyID != 0 {
		add("d.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		add("substr(r.path, 1, ?) = ?", len(f.PathPrefix), f.PathPrefix)
	}
	if f.Status != "" {
		add("d.status = ?", f.Status)
	}
	if f.Published {
		add("d.status = 'published'")
	}
	if f.Category != "" {
		add("d.category = ?", f.Category)
	}
	if f.Topic != "" {
		add("d.topic = ?", f.Topic)
	}
	if f.Genre != "" {
		add("d.genre = ?", f.Genre)
	}
	if f.OverdueOn != (calendar.Date{}) {
		add("d.mode = 'active' AND d.status IN ('draft', 'review', 'reviewed', 'approved') AND d.formed_on < ?", f.OverdueOn.String())
	}
	if f.RereviewDue != (calendar.Date{}) {
		add("d.status = 'withheld' AND d.rereview_on <= ?", f.RereviewDue.String())
	}
	return w
}

func scanDoc(r pgx.Row) (*disclosure.Document, error) {
	var d disclosure.Document
	var validityOn, formed, published, rereview string
	var created, updated time.Time
	err := r.Scan(&d.ID, &d.AgencyID, &d.IndexNo, &d.Title, &d.DocNo, &d.Topic, &d.Genre, &d.Category, &d.Validity, &validityOn,
		&d.ReplacedByID, &d.Summary, &d.BodyFormat, &d.BodySource, &d.BodyHTML, &d.Mode, &d.WithholdBasis, &formed, &published,
		&d.Status, &d.NeedsInterp, &d.InterpretsID, &rereview, &d.CreatedBy, &d.ApprovedBy, &created, &updated, &d.AgencyName)
	d.ValidityOn, d.FormedOn, d.PublishedOn, d.RereviewOn = textDate(validityOn), textDate(formed), textDate(published), textDate(rereview)
	d.CreatedAt, d.UpdatedAt = created.UTC(), updated.UTC()
	return &d, err
}

// FindInterpretations lists the interpretations of a policy.
func (s *DisclosureStore) FindInterpretations(ctx context.Context, policyID int64) ([]*disclosure.Document, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+docColumns+` FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id
		WHERE d.interprets_id = $1 ORDER BY d.id`, policyID)
	return scanAll(rows, err, scanDoc)
}

// NextIndexSeq returns the next 索引号 sequence number of an agency's period.
func (s *DisclosureStore) NextIndexSeq(ctx context.Context, agencyID int64, period string) (int, error) {
	return s.nextSeq(ctx, `INSERT INTO disclosure_index_seq (agency_id, period, last) VALUES ($1, $2, 1)
		ON CONFLICT (agency_id, period) DO UPDATE SET last = disclosure_index_seq.last + 1 RETURNING last`, agencyID, period)
}

func (s *DisclosureStore) nextSeq(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		return mapError(s.db.q(ctx).QueryRow(ctx, query, args...).Scan(&n))
	})
	return n, err
}

// DocumentCounts counts an agency's published documents by category or topic.
func (s *DisclosureStore) DocumentCounts(ctx context.Context, agencyID int64, field string) (map[string]int, error) {
	if field != "category" && field != "topic" {
		return nil, errors.New("document counts: unknown field " + field)
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+field+`, count(*) FROM disclosure_docs
		WHERE agency_id = $1 AND status = 'published' GROUP BY `+field, agencyID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, mapError(err)
		}
		out[k] = n
	}
	return out, mapError(rows.Err())
}
