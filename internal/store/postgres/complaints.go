package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
	"openhall/internal/identity"

	"github.com/jackc/pgx/v5"
)

// ComplaintsStore implements complaint.Store and hotline.Store.
type ComplaintsStore struct{ db *DB }

// Complaints returns the complaints store.
func (db *DB) Complaints() *ComplaintsStore { return &ComplaintsStore{db} }

const complaintColumns = `id, COALESCE(number, ''), kind, status, subject, region_path, department_id, department, suggested_department_id,
	channel, COALESCE(hotline_ticket, ''), anonymous, consent, complainant, content, reopened, answer_level, version, created_at`

// complaintDetail is the part of an event kept as JSON.
type complaintDetail struct {
	Text         string `json:"text,omitempty"`
	DepartmentID int64  `json:"department_id,omitempty"`
	Department   string `json:"department,omitempty"`
	Days         int    `json:"days,omitempty"`
	Level        int    `json:"level,omitempty"`
}

// CreateComplaint inserts a complaint and its events with the number made
// from the id taken from the sequence.
func (s *ComplaintsStore) CreateComplaint(ctx context.Context, c *complaint.Complaint, codeHash []byte, number func(int64) string) error {
	subj, _ := json.Marshal(c.Subject)
	who, _ := json.Marshal(c.Complainant)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.q(ctx).QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('complaints', 'id'))`).Scan(&c.ID); err != nil {
			return mapError(err)
		}
		c.Number = number(c.ID)
		_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO complaints (id, number, kind, status, subject, subject_kind, case_id, window_id,
			staff_id, item_code, region_path, suggested_department_id, channel, hotline_ticket, anonymous, consent,
			complainant_user_id, complainant, query_code_hash, content, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`, c.ID, c.Number, string(c.Kind), string(c.Status),
			subj, string(c.Subject.Kind), nullable(c.Subject.CaseID), c.Subject.WindowID, c.Subject.StaffID, c.Subject.ItemCode, c.RegionPath,
			c.Suggested, string(c.Channel), nullString(c.HotlineTicket), c.Anonymous, c.Consent, nullable(c.Complainant.UserID), who,
			codeHash, c.Content, c.Version, c.CreatedAt, c.CreatedAt)
		if isUnique(err) {
			return apperr.Field("ticket", "该热线工单已经登记过")
		}
		if err != nil {
			return mapError(err)
		}
		return s.insertEvents(ctx, c.ID, c.Events)
	})
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *ComplaintsStore) insertEvents(ctx context.Context, id int64, evs []complaint.Event) error {
	args := make([]any, 0, 7*len(evs))
	for _, e := range evs {
		d, _ := json.Marshal(complaintDetail{e.Text, e.DepartmentID, e.Department, e.Days, e.Level})
		args = append(args, id, e.Seq, string(e.Kind), e.At, e.ActorID, e.ActorLabel, d)
	}
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO complaint_events (complaint_id, seq, kind, at, actor_id, actor_label, detail)
		VALUES `+tuples(len(evs), 7), args...)
	return mapError(err)
}

// LoadComplaint returns a complaint with its events; with lock, its row is
// locked until the transaction ends.
func (s *ComplaintsStore) LoadComplaint(ctx context.Context, id int64, lock bool) (*complaint.Complaint, error) {
	q := `SELECT ` + complaintColumns + ` FROM complaints WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	c, err := scanComplaint(s.db.q(ctx).QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, "投诉不存在")
	}
	return c, s.loadEvents(ctx, []*complaint.Complaint{c})
}

// FindComplaintByNumber returns a complaint and its 查询码 hash.
func (s *ComplaintsStore) FindComplaintByNumber(ctx context.Context, number string) (*complaint.Complaint, []byte, error) {
	var hash []byte
	row := s.db.q(ctx).QueryRow(ctx, `SELECT query_code_hash, `+complaintColumns+` FROM complaints WHERE number = $1`, number)
	c, err := scanComplaint(prefixRow{row, &hash})
	if err != nil {
		return nil, nil, notFound(err, "投诉不存在")
	}
	return c, hash, s.loadEvents(ctx, []*complaint.Complaint{c})
}

// prefixRow scans a first column into extra, the rest as asked.
type prefixRow struct {
	r     pgx.Row
	extra any
}

func (p prefixRow) Scan(dest ...any) error { return p.r.Scan(append([]any{p.extra}, dest...)...) }

// FindComplaintByHotline returns the complaint of a hotline ticket.
func (s *ComplaintsStore) FindComplaintByHotline(ctx context.Context, ticketNo string) (*complaint.Complaint, error) {
	c, err := scanComplaint(s.db.q(ctx).QueryRow(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE hotline_ticket = $1`, ticketNo))
	if err != nil {
		return nil, notFound(err, "没有该热线工单")
	}
	return c, s.loadEvents(ctx, []*complaint.Complaint{c})
}

func (s *ComplaintsStore) loadEvents(ctx context.Context, cs []*complaint.Complaint) error {
	if len(cs) == 0 {
		return nil
	}
	byID := map[int64]*complaint.Complaint{}
	ids := make([]int64, len(cs))
	for i, c := range cs {
		byID[c.ID], ids[i] = c, c.ID
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT complaint_id, seq, kind, at, actor_id, actor_label, detail FROM complaint_events
		WHERE complaint_id = ANY($1) ORDER BY complaint_id, seq`, ids)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		var e complaint.Event
		var det complaintDetail
		if err := rows.Scan(&cid, &e.Seq, &e.Kind, &e.At, &e.ActorID, &e.ActorLabel, &det); err != nil {
			return mapError(err)
		}
		e.At, e.Text, e.DepartmentID, e.Department, e.Days, e.Level = e.At.UTC(), det.Text, det.DepartmentID, det.Department, det.Days, det.Level
		byID[cid].Events = append(byID[cid].Events, e)
	}
	return mapError(rows.Err())
}

// SaveComplaint appends events and writes the projection, if unchanged
// since fromVersion.
func (s *ComplaintsStore) SaveComplaint(ctx context.Context, c *complaint.Complaint, fromVersion int, evs []complaint.Event) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tag, err := s.db.q(ctx).Exec(ctx, `UPDATE complaints SET status = $1, department_id = $2, department = $3, reopened = $4,
			answer_level = $5, version = $6, updated_at = $7 WHERE id = $8 AND version = $9`, string(c.Status), c.DepartmentID, c.Department,
			c.Reopened, c.AnswerLevel, c.Version, evs[len(evs)-1].At, c.ID, fromVersion)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "投诉已被他人处理，请刷新后重试")
		}
		return s.insertEvents(ctx, c.ID, evs)
	})
}

// FindComplaints lists complaints with their events, newest first.
func (s *ComplaintsStore) FindComplaints(ctx context.Context, f complaint.Filter) ([]*complaint.Complaint, error) {
	w := complaintWhere(f)
	query := `SELECT ` + complaintColumns + ` FROM complaints WHERE ` + w.sql() +
		` ORDER BY created_at DESC, id DESC LIMIT ` + w.arg(max(f.Limit, 1))
	rows, err := s.db.q(ctx).Query(ctx, query, w.args...)
	list, err := collect(rows, err, scanComplaint)
	if err != nil {
		return nil, err
	}
	return list, s.loadEvents(ctx, list)
}

func complaintWhere(f complaint.Filter) *where {
	w := newWhere()
	if f.Open {
		w.add("status IN ('submitted', 'accepted', 'assigned', 'replied')")
	}
	if f.ComplainantID != 0 {
		w.add("complainant_user_id = ?", f.ComplainantID)
	}
	if f.CaseID != 0 {
		w.add("case_id = ?", f.CaseID)
	}
	var or []string
	if len(f.DepartmentIDs) > 0 {
		or = append(or, "department_id = ANY("+w.arg(f.DepartmentIDs)+")")
	}
	for _, p := range f.RegionPrefixes {
		or = append(or, "region_path LIKE "+w.arg(likePrefix(p)))
	}
	if len(or) > 0 {
		w.add("(" + strings.Join(or, " OR ") + ")")
	}
	return w
}

// CountComplaints counts the complaints of a period per dimension key.
func (s *ComplaintsStore) CountComplaints(ctx context.Context, f complaint.FigureFilter) ([]complaint.Count, error) {
	col := map[string]string{"window": "window_id", "staff": "staff_id", "item": "item_code"}[f.By]
	if col == "" {
		col = "department_id"
	}
	w := newWhere()
	w.add("created_at >= ? AND created_at < ?", f.From, f.To)
	if f.RegionPrefix != "" {
		w.add("region_path LIKE ?", likePrefix(f.RegionPrefix))
	}
	if len(f.DepartmentIDs) > 0 {
		w.add("department_id = ANY(?)", f.DepartmentIDs)
	}
	rows, err := s.db.q(ctx).Query(ctx, fmt.Sprintf(`SELECT CAST(%s AS text), count(*), count(*) FILTER (WHERE status = 'refused'),
		count(*) FILTER (WHERE status IN ('answered', 'closed')), count(*) FILTER (WHERE answer_level > 0),
		count(*) FILTER (WHERE answer_level BETWEEN 1 AND 3), count(*) FILTER (WHERE reopened)
		FROM complaints WHERE %s GROUP BY %s`, col, w.sql(), col), w.args...)
	return collect(rows, err, func(r pgx.Row) (complaint.Count, error) {
		var c complaint.Count
		return c, r.Scan(&c.Key, &c.Received, &c.Refused, &c.Answered, &c.Rated, &c.Satisfied, &c.Reopened)
	})
}

// DepartmentStaff lists who holds one of roles in a department or over a region.
func (s *ComplaintsStore) DepartmentStaff(ctx context.Context, deptID int64, regionPath string, roles []identity.Role) ([]int64, error) {
	return departmentStaff(ctx, s.db, deptID, regionPath, roles)
}

func scanComplaint(r pgx.Row) (*complaint.Complaint, error) {
	var c complaint.Complaint
	var level int16
	err := r.Scan(&c.ID, &c.Number, &c.Kind, &c.Status, &c.Subject, &c.RegionPath, &c.DepartmentID, &c.Department, &c.Suggested,
		&c.Channel, &c.HotlineTicket, &c.Anonymous, &c.Consent, &c.Complainant, &c.Content, &c.Reopened, &level, &c.Version, &c.CreatedAt)
	if err != nil {
		return nil, err
	}
	c.AnswerLevel, c.CreatedAt = int(level), c.CreatedAt.UTC()
	return &c, nil
}

// AddHotlineAnswer appends an answer to the hotline's feed.
func (s *ComplaintsStore) AddHotlineAnswer(ctx context.Context, a *hotline.Answer) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO hotline_answers (kind, ticket_no, ref, answer, answered_at) VALUES ($1, $2, $3, $4, $5)
		RETURNING id`, string(a.Kind), a.TicketNo, a.Ref, a.Text, a.AnsweredAt).Scan(&a.ID)
	return mapError(err)
}

// FindHotlineAnswers lists the answers after a feed position.
func (s *ComplaintsStore) FindHotlineAnswers(ctx context.Context, after int64, limit int) ([]*hotline.Answer, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, kind, ticket_no, ref, answer, answered_at FROM hotline_answers
		WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	return collect(rows, err, func(r pgx.Row) (*hotline.Answer, error) {
		var a hotline.Answer
		err := r.Scan(&a.ID, &a.Kind, &a.TicketNo, &a.Ref, &a.Text, &a.AnsweredAt)
		a.AnsweredAt = a.AnsweredAt.UTC()
		return &a, err
	})
}
