package sqlite

import (
	"context"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/supervision"
)

const orderColumns = `id, number, case_id, case_number, region_path, department_id, department_name, content, level, days, due,
	provisional, status, issued_at, issued_by, issued_label, feedback, answered_at, answered_by, answered_label, result, closed_at,
	closed_by, closed_label, escalated_at, escalated_to`

func scanOrder(sc scanner) (*supervision.Order, error) {
	var o supervision.Order
	var due string
	var issued, answered, closed, escalated int64
	err := sc.Scan(&o.ID, &o.Number, &o.CaseID, &o.CaseNumber, &o.RegionPath, &o.DeptID, &o.DeptName, &o.Content, &o.Level, &o.Days,
		&due, &o.Provisional, &o.Status, &issued, &o.IssuedBy, &o.IssuedByLabel, &o.Feedback, &answered, &o.AnsweredBy,
		&o.AnsweredLabel, &o.Result, &closed, &o.ClosedBy, &o.ClosedLabel, &escalated, &o.EscalatedTo)
	if err != nil {
		return nil, err
	}
	o.Due, err = calendar.ParseDate(due)
	o.IssuedAt, o.AnsweredAt, o.ClosedAt, o.EscalatedAt = fromMicro(issued), fromMicro(answered), fromMicro(closed), fromMicro(escalated)
	return &o, err
}

func orderArgs(o *supervision.Order) []any {
	return []any{o.ID, o.Number, o.CaseID, o.CaseNumber, o.RegionPath, o.DeptID, o.DeptName, o.Content, o.Level, o.Days, o.Due.String(),
		o.Provisional, o.Status, micro(o.IssuedAt), o.IssuedBy, o.IssuedByLabel, o.Feedback, micro(o.AnsweredAt), o.AnsweredBy,
		o.AnsweredLabel, o.Result, micro(o.ClosedAt), o.ClosedBy, o.ClosedLabel, micro(o.EscalatedAt), o.EscalatedTo}
}

// CreateOrder inserts an order, numbered from the id it is about to get.
func (s *SupervisionStore) CreateOrder(ctx context.Context, o *supervision.Order) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM supervision_orders`).Scan(&o.ID); err != nil {
			return mapError(err)
		}
		o.Number = supervision.OrderNumber(o)
		_, err := q.ExecContext(ctx, `INSERT INTO supervision_orders (`+orderColumns+`) VALUES (`+placeholders(26)+`)`, orderArgs(o)...)
		return mapError(err)
	})
}

// SaveOrder writes an order's changes.
func (s *SupervisionStore) SaveOrder(ctx context.Context, o *supervision.Order) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE supervision_orders SET level = ?, due = ?, provisional = ?, status = ?,
			feedback = ?, answered_at = ?, answered_by = ?, answered_label = ?, result = ?, closed_at = ?, closed_by = ?,
			closed_label = ?, escalated_at = ?, escalated_to = ? WHERE id = ?`, o.Level, o.Due.String(), o.Provisional, o.Status,
			o.Feedback, micro(o.AnsweredAt), o.AnsweredBy, o.AnsweredLabel, o.Result, micro(o.ClosedAt), o.ClosedBy, o.ClosedLabel,
			micro(o.EscalatedAt), o.EscalatedTo, o.ID)
		return mapError(err)
	})
}

// FindOrder returns one order; SQLite's single writer already serialises
// changes, so lock needs no extra statement.
func (s *SupervisionStore) FindOrder(ctx context.Context, id int64, lock bool) (*supervision.Order, error) {
	o, err := scanOrder(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+orderColumns+` FROM supervision_orders WHERE id = ?`, id))
	return o, notFound(err, "督办不存在")
}

// FindOrders lists orders, open first, newest first.
func (s *SupervisionStore) FindOrders(ctx context.Context, f supervision.OrderFilter) ([]*supervision.Order, int, error) {
	scope, args := scopeWhere(f.Scope, "", "")
	var ors []string
	ors = append(ors, scope)
	for _, a := range f.Answer {
		if a.DeptID != 0 {
			ors, args = append(ors, "department_id = ?"), append(args, a.DeptID)
		}
	}
	where := []string{"(" + strings.Join(ors, " OR ") + ")"}
	add := func(cond string, vals ...any) {
		where, args = append(where, cond), append(args, vals...)
	}
	if f.CaseID != 0 {
		add("case_id = ?", f.CaseID)
	}
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.DeptID != 0 {
		add("department_id = ?", f.DeptID)
	}
	if f.Overdue == "1" {
		add("status = 'open' AND due < ?", f.Today)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+orderColumns+`, count(*) OVER () FROM supervision_orders WHERE `+
		strings.Join(where, " AND ")+` ORDER BY status = 'closed', issued_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer rows.Close()
	var out []*supervision.Order
	total := 0
	for rows.Next() {
		o, err := scanOrder(withTotal{rows, &total})
		if err != nil {
			return nil, 0, mapError(err)
		}
		out = append(out, o)
	}
	return out, total, mapError(rows.Err())
}

// OrderCounts counts the open orders in scope and those past their date.
func (s *SupervisionStore) OrderCounts(ctx context.Context, sc supervision.Scope, today string) (int, int, error) {
	scope, args := scopeWhere(sc, "", "")
	var open, late int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*), IFNULL(sum(due < ?), 0) FROM supervision_orders
		WHERE status = 'open' AND `+scope, append([]any{today}, args...)...).Scan(&open, &late)
	return open, late, mapError(err)
}

// CreateUrge records a 催办.
func (s *SupervisionStore) CreateUrge(ctx context.Context, u *supervision.Urge) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO supervision_urges (case_id, case_number, message, holders, recipients,
			sent_at, sent_by, sent_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.CaseID, u.CaseNumber, u.Message, u.Holders, u.Recipients,
			micro(u.SentAt), u.SentBy, u.SentByLabel)
		if err != nil {
			return mapError(err)
		}
		u.ID, err = res.LastInsertId()
		return err
	})
}

// FindUrges lists a case's 催办, newest first.
func (s *SupervisionStore) FindUrges(ctx context.Context, caseID int64) ([]*supervision.Urge, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, case_id, case_number, message, holders, recipients, sent_at, sent_by,
		sent_label FROM supervision_urges WHERE case_id = ? ORDER BY id DESC`, caseID)
	return collect(rows, err, func(sc scanner) (*supervision.Urge, error) {
		var u supervision.Urge
		var at int64
		err := sc.Scan(&u.ID, &u.CaseID, &u.CaseNumber, &u.Message, &u.Holders, &u.Recipients, &at, &u.SentBy, &u.SentByLabel)
		u.SentAt = fromMicro(at)
		return &u, err
	})
}

// DueOrders lists the open orders due before today (by the status index).
func (s *SupervisionStore) DueOrders(ctx context.Context, today string) ([]*supervision.Order, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+orderColumns+` FROM supervision_orders WHERE status = 'open' AND due < ?
		ORDER BY due, id`, today)
	return collect(rows, err, scanOrder)
}
