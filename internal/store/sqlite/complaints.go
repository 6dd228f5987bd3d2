package sqlite

import (
	"context"
	"encoding/json"

	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
	"openhall/internal/identity"
	"openhall/internal/store/sqlcommon"
)

// ComplaintsStore implements complaint.Store and hotline.Store.
type ComplaintsStore struct{ db *DB }

// Complaints returns the complaints store.
func (db *DB) Complaints() *ComplaintsStore { return &ComplaintsStore{db} }

const complaintColumns = sqlcommon.ComplaintColumns

// CreateComplaint inserts a complaint, its events and its round, then
// gives it its number.
func (s *ComplaintsStore) CreateComplaint(ctx context.Context, c *complaint.Complaint, key string, codeHash []byte, number func(int64) string) error {
	subj, _ := json.Marshal(c.Subject)
	who, _ := json.Marshal(c.Complainant)
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO complaints (kind, status, subject, subject_kind, case_id, window_id,
			staff_id, item_code, region_path, suggested_department_id, channel, hotline_ticket, anonymous, consent,
			complainant_user_id, complainant, query_code_hash, content, version, created_at, updated_at, submit_key)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Kind, c.Status, string(subj), c.Subject.Kind,
			nullable(c.Subject.CaseID), c.Subject.WindowID, c.Subject.StaffID, c.Subject.ItemCode, c.RegionPath, c.Suggested, c.Channel,
			nullString(c.HotlineTicket), boolInt(c.Anonymous), boolInt(c.Consent), nullable(c.Complainant.UserID), string(who),
			codeHash, c.Content, c.Version, micro(c.CreatedAt), micro(c.CreatedAt), nullString(key))
		if isUnique(err) {
			return sqlcommon.DuplicateComplaint(c)
		}
		if err != nil {
			return mapError(err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		c.Number = number(c.ID)
		if _, err := s.db.q(ctx).ExecContext(ctx, `UPDATE complaints SET number = ? WHERE id = ?`, c.Number, c.ID); err != nil {
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
		args = append(args, id, e.Seq, e.Kind, micro(e.At), e.ActorID, e.ActorLabel, string(d))
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO complaint_events (complaint_id, seq, kind, at, actor_id, actor_label, detail)
		VALUES `+tuples(len(evs), 7), args...)
	return mapError(err)
}

// LoadComplaint returns a complaint with its events.
func (s *ComplaintsStore) LoadComplaint(ctx context.Context, id int64, lock bool) (*complaint.Complaint, error) {
	c, err := scanComplaint(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "投诉不存在")
	}
	return c, s.loadEvents(ctx, []*complaint.Complaint{c})
}

// FindComplaintByNumber returns a complaint and its 查询码 hash.
func (s *ComplaintsStore) FindComplaintByNumber(ctx context.Context, number string) (*complaint.Complaint, []byte, error) {
	var hash []byte
	row := s.db.q(ctx).QueryRowContext(ctx, `SELECT query_code_hash, `+complaintColumns+` FROM complaints WHERE number = ?`, number)
	c, err := scanComplaint(prefixScanner{row, &hash})
	if err != nil {
		return nil, nil, notFound(err, "投诉不存在")
	}
	return c, hash, s.loadEvents(ctx, []*complaint.Complaint{c})
}

// prefixScanner scans a first column into extra, the rest with the scan
// function of the row.
type prefixScanner struct {
	r     scanner
	extra any
}

func (p prefixScanner) Scan(dest ...any) error { return p.r.Scan(append([]any{p.extra}, dest...)...) }

// FindComplaintByHotline returns the complaint of a hotline ticket.
func (s *ComplaintsStore) FindComplaintByHotline(ctx context.Context, ticketNo string) (*complaint.Complaint, error) {
	c, err := scanComplaint(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE hotline_ticket = ?`, ticketNo))
	if err != nil {
		return nil, notFound(err, "没有该热线工单")
	}
	return c, s.loadEvents(ctx, []*complaint.Complaint{c})
}

// FindComplaintByKey returns the complaint filed with a key.
func (s *ComplaintsStore) FindComplaintByKey(ctx context.Context, key string) (*complaint.Complaint, error) {
	c, err := scanComplaint(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+complaintColumns+` FROM complaints WHERE submit_key = ?`, key))
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
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+sqlcommon.ComplaintEventColumns+` FROM complaint_events
		WHERE complaint_id IN (`+placeholders(len(ids))+`) ORDER BY complaint_id, seq`, int64Args(ids)...)
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
		res, err := s.db.q(ctx).ExecContext(ctx, `UPDATE complaints SET status = ?, department_id = ?, department = ?, reopened = ?,
			answer_level = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`, c.Status, c.DepartmentID, c.Department,
			boolInt(c.Reopened), c.AnswerLevel, c.Version, micro(evs[len(evs)-1].At), c.ID, fromVersion)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
	rows, err := s.db.q(ctx).QueryContext(ctx, query, w.Args...)
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
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO hotline_answers (kind, ticket_no, ref, answer, answered_at) VALUES (?, ?, ?, ?, ?)`,
			a.Kind, a.TicketNo, a.Ref, a.Text, micro(a.AnsweredAt))
		if err != nil {
			return mapError(err)
		}
		a.ID, err = res.LastInsertId()
		return err
	})
}

// FindHotlineAnswers lists the answers after a feed position.
func (s *ComplaintsStore) FindHotlineAnswers(ctx context.Context, after int64, limit int) ([]*hotline.Answer, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+sqlcommon.HotlineAnswerColumns+` FROM hotline_answers
		WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	return collect(rows, err, shared(sqlcommon.ScanHotlineAnswer))
}
