package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// rebound runs SQL written with ? placeholders, as the disclosure stores of
// both backends write it, numbering them for PostgreSQL.
type rebound struct{ q querier }

func (db *DB) r(ctx context.Context) rebound { return rebound{db.q(ctx)} }

func (r rebound) row(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.q.QueryRow(ctx, rebind(sql), args...)
}

func (r rebound) rows(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.q.Query(ctx, rebind(sql), args...)
}

func (r rebound) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return r.q.Exec(ctx, rebind(sql), args...)
}

// rebind numbers ? placeholders as $1, $2 …; the disclosure SQL has no ? in
// literals.
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

const agencyColumns = `a.id, a.region_id, a.department_id, a.name, a.code, a.index_template, a.guide, a.address, a.phone, a.hours,
	r.path, a.created_at, a.updated_at`

// CreateAgency inserts a.
func (s *DisclosureStore) CreateAgency(ctx context.Context, a *disclosure.Agency) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.r(ctx).row(ctx, `INSERT INTO disclosure_agencies (region_id, department_id, name, code, index_template,
			guide, address, phone, hours, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
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
		_, err := s.db.r(ctx).exec(ctx, `UPDATE disclosure_agencies SET name = ?, code = ?, index_template = ?, guide = ?,
			address = ?, phone = ?, hours = ?, updated_at = ? WHERE id = ?`,
			a.Name, a.Code, a.IndexTemplate, a.Guide, a.Address, a.Phone, a.Hours, a.UpdatedAt, a.ID)
		return agencyConflict(err)
	})
}

// FindAgencyByID returns one agency.
func (s *DisclosureStore) FindAgencyByID(ctx context.Context, id int64) (*disclosure.Agency, error) {
	a, err := scanAgency(s.db.r(ctx).row(ctx, `SELECT `+agencyColumns+`
		FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id WHERE a.id = ?`, id))
	return a, notFound(err, "公开主体不存在")
}

// FindAgencies lists agencies by region and name.
func (s *DisclosureStore) FindAgencies(ctx context.Context, f disclosure.AgencyFilter) ([]*disclosure.Agency, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.PathPrefix != "" {
		where, args = append(where, "substr(r.path, 1, ?) = ?"), append(args, len(f.PathPrefix), f.PathPrefix)
	}
	if f.Name != "" {
		where, args = append(where, "a.name = ?"), append(args, f.Name)
	}
	rows, err := s.db.r(ctx).rows(ctx, `SELECT `+agencyColumns+` FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.path, a.id`, args...)
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

const docSet = `index_no = ?, title = ?, doc_no = ?, topic = ?, genre = ?, category = ?, validity = ?, validity_on = ?,
	replaced_by = ?, summary = ?, body_format = ?, body_source = ?, body_html = ?, mode = ?, withhold_basis = ?, formed_on = ?,
	published_on = ?, status = ?, needs_interp = ?, interprets_id = ?, rereview_on = ?, approved_by = ?, updated_at = ?`

// CreateDocument inserts d.
func (s *DisclosureStore) CreateDocument(ctx context.Context, d *disclosure.Document) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.r(ctx)
		err := q.row(ctx, `INSERT INTO disclosure_docs (agency_id, title, topic, genre, category, validity, body_format,
			mode, formed_on, status, created_by, created_at, updated_at) VALUES (?, '', '', '', '', '', '', '', '', '', ?, ?, ?)
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
		_, err := s.db.r(ctx).exec(ctx, `UPDATE disclosure_docs SET `+docSet+` WHERE id = ?`, append(docArgs(d), d.ID)...)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "索引号 %s 已被使用", d.IndexNo)
		}
		return mapError(err)
	})
}

// FindDocumentByID returns one document.
func (s *DisclosureStore) FindDocumentByID(ctx context.Context, id int64) (*disclosure.Document, error) {
	d, err := scanDoc(s.db.r(ctx).row(ctx, `SELECT `+docColumns+`
		FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id WHERE d.id = ?`, id))
	return d, notFound(err, "信息不存在")
}

// FindDocuments lists documents, newest publication (or formation) first.
func (s *DisclosureStore) FindDocuments(ctx context.Context, f disclosure.DocFilter) ([]*disclosure.Document, int, error) {
	where, args := docWhere(f)
	var total int
	q := s.db.r(ctx)
	from := ` FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id JOIN regions r ON r.id = a.region_id WHERE ` + where
	if err := q.row(ctx, `SELECT count(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := q.rows(ctx, `SELECT `+docColumns+from+` ORDER BY d.published_on DESC, d.formed_on DESC, d.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	ds, err := scanAll(rows, err, scanDoc)
	return ds, total, err
}

// docWhere builds the condition of a filter; both backends use the same
// conditions with their own placeholders.
func docWhere(f disclosure.DocFilter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
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
	return strings.Join(where, " AND "), args
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
	rows, err := s.db.r(ctx).rows(ctx, `SELECT `+docColumns+` FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id
		WHERE d.interprets_id = ? ORDER BY d.id`, policyID)
	return scanAll(rows, err, scanDoc)
}

// NextIndexSeq returns the next 索引号 sequence number of an agency's period.
func (s *DisclosureStore) NextIndexSeq(ctx context.Context, agencyID int64, period string) (int, error) {
	return s.nextSeq(ctx, `INSERT INTO disclosure_index_seq (agency_id, period, last) VALUES (?, ?, 1)
		ON CONFLICT (agency_id, period) DO UPDATE SET last = disclosure_index_seq.last + 1 RETURNING last`, agencyID, period)
}

func (s *DisclosureStore) nextSeq(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		return mapError(s.db.r(ctx).row(ctx, query, args...).Scan(&n))
	})
	return n, err
}

// DocumentCounts counts an agency's published documents by category or topic.
func (s *DisclosureStore) DocumentCounts(ctx context.Context, agencyID int64, field string) (map[string]int, error) {
	if field != "category" && field != "topic" {
		return nil, errors.New("document counts: unknown field " + field)
	}
	rows, err := s.db.r(ctx).rows(ctx, `SELECT `+field+`, count(*) FROM disclosure_docs
		WHERE agency_id = ? AND status = 'published' GROUP BY `+field, agencyID)
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
