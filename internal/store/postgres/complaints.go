package postgres

import (
	"context"
	"encoding/json"

	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
	"openhall/internal/identity"
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

// ComplaintsStore implements complaint.Store and hotline.Store.
type ComplaintsStore struct{ db *DB }

// Complaints returns the complaints store.
func (db *DB) Complaints() *ComplaintsStore { return &ComplaintsStore{db} }

const complaintColumns = sqlcommon.ComplaintColumns

// CreateComplaint inserts a complaint, its events and its round, with
// the number made from the id taken from the sequence.
func (s *ComplaintsStore) CreateComplaint(ctx context.Context, c *complaint.Complaint, key string, codeHash []byte, number func(int64) string) error {
	subj, _ := json.Marshal(c.Subject)
	who, _ := json.Marshal(c.Complainant)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if err := s.db.q(ctx).QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('complaints', 'id'))`).Scan(&c.ID); err != nil {
			return mapError(err)
		}
		c.Number = number(c.ID)
		_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO complaints (id, number, kind, status, subject, subject_kind, case_id, window_id,
			staff_id, item_code, region_path, suggested_department_id, channel, hotline_ticket, anonymous, consent,
			complainant_user_id, complainant, query_code_hash, content, version, created_at, updated_at, submit_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`, c.ID, c.Number, string(c.Kind), string(c.Status),
			subj, string(c.Subject.Kind), nullable(c.Subject.CaseID), c.Subject.WindowID, c.Subject.StaffID, c.Subject.ItemCode, c.RegionPath,
			c.Suggested, string(c.Channel), nullString(c.HotlineTicket), c.Anonymous, c.Consent, nullable(c.Complainant.UserID), who,
			codeHash, c.Content, c.Version, c.CreatedAt, c.CreatedAt, nullString(key))
		if isUnique(err) {
			return sqlcommon.DuplicateComplaint(c)
		}
		if err != nil {
			return mapError(err)
		}
		if err := s.insertEvents(ctx, c.ID, c.Events); err != nil {
			return err
		}
		return s.saveRounds(ctx, c)
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
		d, _ := json.Marshal(sqlcommon.NewComplaintDetail(e))
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

// FindComplaintByKey returns the complaint filed with a key.
func (s *ComplaintsStore) FindComplaintByKey(ctx context.Context, key string) (*complaint.Complaint, error) {
	c, err := scanComplaint(s.db.q(ctx).QueryRow(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE submit_key = $1`, key))
	if err != nil {
		return nil, notFound(err, "投诉不存在")
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
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sqlcommon.ComplaintEventColumns+` FROM complaint_events
		WHERE complaint_id = ANY($1) ORDER BY complaint_id, seq`, ids)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		cid, e, err := sqlcommon.ScanComplaintEvent(rows)
		if err != nil {
			return mapError(err)
		}
		byID[cid].Events = append(byID[cid].Events, e)
	}
	return mapError(rows.Err())
}

// SaveComplaint appends events and writes the projection and the rounds,
// if unchanged since fromVersion.
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
		if err := s.insertEvents(ctx, c.ID, evs); err != nil {
			return err
		}
		return s.saveRounds(ctx, c)
	})
}

// FindComplaints lists complaints with their events, newest first.
func (s *ComplaintsStore) FindComplaints(ctx context.Context, f complaint.Filter) ([]*complaint.Complaint, error) {
	w := sqlcommon.ComplaintWhere(dialect, f)
	query := `SELECT ` + complaintColumns + ` FROM complaints WHERE ` + w.SQL() + ` ORDER BY created_at DESC, id DESC LIMIT ` + w.Arg(max(f.Limit, 1))
	rows, err := s.db.q(ctx).Query(ctx, query, w.Args...)
	list, err := collect(rows, err, scanComplaint)
	if err != nil {
		return nil, err
	}
	return list, s.loadEvents(ctx, list)
}

// DepartmentStaff lists who holds one of roles in a department or over a region.
func (s *ComplaintsStore) DepartmentStaff(ctx context.Context, deptID int64, regionPath string, roles []identity.Role) ([]int64, error) {
	return departmentStaff(ctx, s.db, deptID, regionPath, roles)
}

var scanComplaint = shared(sqlcommon.ScanComplaint)

// AddHotlineAnswer appends an answer to the hotline's feed.
func (s *ComplaintsStore) AddHotlineAnswer(ctx context.Context, a *hotline.Answer) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO hotline_answers (kind, ticket_no, ref, answer, answered_at) VALUES ($1, $2, $3, $4, $5)
		RETURNING id`, string(a.Kind), a.TicketNo, a.Ref, a.Text, a.AnsweredAt).Scan(&a.ID)
	return mapError(err)
}

// FindHotlineAnswers lists the answers after a feed position.
func (s *ComplaintsStore) FindHotlineAnswers(ctx context.Context, after int64, limit int) ([]*hotline.Answer, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sqlcommon.HotlineAnswerColumns+` FROM hotline_answers
		WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
	return collect(rows, err, shared(sqlcommon.ScanHotlineAnswer))
}
