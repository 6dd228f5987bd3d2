package sqlite

import (
	"context"
	"errors"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
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
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO disclosure_agencies (region_id, department_id, name, code, index_template,
			guide, address, phone, hours, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.RegionID, nullID(a.DepartmentID), a.Name, a.Code, a.IndexTemplate, a.Guide, a.Address, a.Phone, a.Hours,
			micro(a.CreatedAt), micro(a.UpdatedAt)).Scan(&a.ID)
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
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE disclosure_agencies SET name = ?, code = ?, index_template = ?, guide = ?,
			address = ?, phone = ?, hours = ?, updated_at = ? WHERE id = ?`,
			a.Name, a.Code, a.IndexTemplate, a.Guide, a.Address, a.Phone, a.Hours, micro(a.UpdatedAt), a.ID)
		return agencyConflict(err)
	})
}

// FindAgencyByID returns one agency.
func (s *DisclosureStore) FindAgencyByID(ctx context.Context, id int64) (*disclosure.Agency, error) {
	a, err := scanAgency(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+agencyColumns+`
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
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+agencyColumns+` FROM disclosure_agencies a JOIN regions r ON r.id = a.region_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.path, a.id`, args...)
	return collect(rows, err, scanAgency)
}

func scanAgency(r scanner) (*disclosure.Agency, error) {
	var a disclosure.Agency
	var created, updated int64
	err := r.Scan(&a.ID, &a.RegionID, &a.DepartmentID, &a.Name, &a.Code, &a.IndexTemplate, &a.Guide, &a.Address, &a.Phone,
		&a.Hours, &a.RegionPath, &created, &updated)
	a.CreatedAt, a.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &a, err
}

const docColumns = `d.id, d.agency_id, d.index_no, d.title, d.doc_no, d.topic, d.genre, d.category, d.validity, d.validity_on,
	d.replaced_by, d.summary, d.body_format, d.body_source, d.body_html, d.mode, d.withhold_basis, d.formed_on, d.published_on,
	d.status, d.needs_interp, d.interprets_id, d.rereview_on, d.created_by, d.approved_by, d.created_at, d.updated_at, a.name`

// docArgs are the stored fields of d after agency_id, in column order.
func docArgs(d *disclosure.Document) []any {
	return []any{d.IndexNo, d.Title, d.DocNo, d.Topic, d.Genre, d.Category, d.Validity, dateText(d.ValidityOn),
		nullID(d.ReplacedByID), d.Summary, d.BodyFormat, d.BodySource, d.BodyHTML, d.Mode, d.WithholdBasis,
		dateText(d.FormedOn), dateText(d.PublishedOn), d.Status, boolInt(d.NeedsInterp), nullID(d.InterpretsID),
		dateText(d.RereviewOn), d.ApprovedBy, micro(d.UpdatedAt)}
}

const docSet = `index_no = ?, title = ?, doc_no = ?, topic = ?, genre = ?, category = ?, validity = ?, validity_on = ?,
	replaced_by = ?, summary = ?, body_format = ?, body_source = ?, body_html = ?, mode = ?, withhold_basis = ?, formed_on = ?,
	published_on = ?, status = ?, needs_interp = ?, interprets_id = ?, rereview_on = ?, approved_by = ?, updated_at = ?`

// CreateDocument inserts d.
func (s *DisclosureStore) CreateDocument(ctx context.Context, d *disclosure.Document) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		res, err := q.ExecContext(ctx, `INSERT INTO disclosure_docs (agency_id, title, topic, genre, category, validity, body_format,
			mode, formed_on, status, created_by, created_at, updated_at) VALUES (?, '', '', '', '', '', '', '', '', '', ?, ?, ?)`,
			d.AgencyID, d.CreatedBy, micro(d.CreatedAt), micro(d.UpdatedAt))
		if err != nil {
			return mapError(err)
		}
		if d.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.UpdateDocument(ctx, d)
	})
}

// UpdateDocument saves d.
func (s *DisclosureStore) UpdateDocument(ctx context.Context, d *disclosure.Document) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE disclosure_docs SET `+docSet+` WHERE id = ?`, append(docArgs(d), d.ID)...)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "索引号 %s 已被使用", d.IndexNo)
		}
		return mapError(err)
	})
}

// FindDocumentByID returns one document.
func (s *DisclosureStore) FindDocumentByID(ctx context.Context, id int64) (*disclosure.Document, error) {
	d, err := scanDoc(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+docColumns+`
		FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id WHERE d.id = ?`, id))
	return d, notFound(err, "信息不存在")
}

// FindDocuments lists documents, newest publication (or formation) first.
func (s *DisclosureStore) FindDocuments(ctx context.Context, f disclosure.DocFilter) ([]*disclosure.Document, int, error) {
	where, args := docWhere(f)
	var total int
	q := s.db.q(ctx)
	from := ` FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id JOIN regions r ON r.id = a.region_id WHERE ` + where
	if err := q.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	rows, err := q.QueryContext(ctx, `SELECT `+docColumns+from+` ORDER BY d.published_on DESC, d.formed_on DESC, d.id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	ds, err := collect(rows, err, scanDoc)
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

func scanDoc(r scanner) (*disclosure.Document, error) {
	var d disclosure.Document
	var validityOn, formed, published, rereview string
	var needs int
	var created, updated int64
	err := r.Scan(&d.ID, &d.AgencyID, &d.IndexNo, &d.Title, &d.DocNo, &d.Topic, &d.Genre, &d.Category, &d.Validity, &validityOn,
		&d.ReplacedByID, &d.Summary, &d.BodyFormat, &d.BodySource, &d.BodyHTML, &d.Mode, &d.WithholdBasis, &formed, &published,
		&d.Status, &needs, &d.InterpretsID, &rereview, &d.CreatedBy, &d.ApprovedBy, &created, &updated, &d.AgencyName)
	d.ValidityOn, d.FormedOn, d.PublishedOn, d.RereviewOn = textDate(validityOn), textDate(formed), textDate(published), textDate(rereview)
	d.NeedsInterp, d.CreatedAt, d.UpdatedAt = needs != 0, fromMicro(created), fromMicro(updated)
	return &d, err
}

// FindInterpretations lists the interpretations of a policy.
func (s *DisclosureStore) FindInterpretations(ctx context.Context, policyID int64) ([]*disclosure.Document, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+docColumns+` FROM disclosure_docs d JOIN disclosure_agencies a ON a.id = d.agency_id
		WHERE d.interprets_id = ? ORDER BY d.id`, policyID)
	return collect(rows, err, scanDoc)
}

// NextIndexSeq returns the next 索引号 sequence number of an agency's period.
func (s *DisclosureStore) NextIndexSeq(ctx context.Context, agencyID int64, period string) (int, error) {
	return s.nextSeq(ctx, `INSERT INTO disclosure_index_seq (agency_id, period, last) VALUES (?, ?, 1)
		ON CONFLICT (agency_id, period) DO UPDATE SET last = last + 1 RETURNING last`, agencyID, period)
}

func (s *DisclosureStore) nextSeq(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		return mapError(s.db.q(ctx).QueryRowContext(ctx, query, args...).Scan(&n))
	})
	return n, err
}

// DocumentCounts counts an agency's published documents by category or topic.
func (s *DisclosureStore) DocumentCounts(ctx context.Context, agencyID int64, field string) (map[string]int, error) {
	if field != "category" && field != "topic" {
		return nil, errors.New("document counts: unknown field " + field)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+field+`, count(*) FROM disclosure_docs
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
