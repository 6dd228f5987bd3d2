package postgres

import (
	"context"
	"strings"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/supervision"

	"github.com/jackc/pgx/v5"
)

const orderColumns = `id, number, case_id, case_number, region_path, department_id, department_name, content, level, days, due,
	provisional, status, issued_at, issued_by, issued_label, feedback, answered_at, answered_by, answered_label, result, closed_at,
	closed_by, closed_label, escalated_at, escalated_to`

func scanOrder(sc pgx.Row) (*supervision.Order, error) {
	var o supervision.Order
	var due string
	var answered, closed, escalated *time.Time
	err := sc.Scan(&o.ID, &o.Number, &o.CaseID, &o.CaseNumber, &o.RegionPath, &o.DeptID, &o.DeptName, &o.Content, &o.Level, &o.Days,
		&due, &o.Provisional, &o.Status, &o.IssuedAt, &o.IssuedBy, &o.IssuedByLabel, &o.Feedback, &answered, &o.AnsweredBy,
		&o.AnsweredLabel, &o.Result, &closed, &o.ClosedBy, &o.ClosedLabel, &escalated, &o.EscalatedTo)
	if err != nil {
		return nil, err
	}
	o.Due, err = calendar.ParseDate(due)
	o.IssuedAt, o.AnsweredAt, o.ClosedAt, o.EscalatedAt = o.IssuedAt.UTC(), tz(answered), tz(closed), tz(escalated)
	return &o, err
}

// CreateOrder inserts an order, numbered from the id it is about to get.
func (s *SupervisionStore) CreateOrder(ctx context.Context, o *supervision.Order) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if err := q.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('supervision_orders', 'id'))`).Scan(&o.ID); err != nil {
			return mapError(err)
		}
		o.Number = supervision.OrderNumber(o)
		_, err := q.Exec(ctx, `INSERT INTO supervision_orders (`+orderColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
			$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)`, o.ID, o.Number, o.CaseID, o.CaseNumber,
			o.RegionPath, o.DeptID, o.DeptName, o.Content, o.Level, o.Days, o.Due.String(), o.Provisional, o.Status, o.IssuedAt,
			o.IssuedBy, o.IssuedByLabel, o.Feedback, nullTime(o.AnsweredAt), o.AnsweredBy, o.AnsweredLabel, o.Result,
			nullTime(o.ClosedAt), o.ClosedBy, o.ClosedLabel, nullTime(o.EscalatedAt), o.EscalatedTo)
		return mapError(err)
	})
}

// SaveOrder writes an order's changes.
func (s *SupervisionStore) SaveOrder(ctx context.Context, o *supervision.Order) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE supervision_orders SET level = $1, due = $2, provisional = $3, status = $4, feedback = $5,
		answered_at = $6, answered_by = $7, answered_label = $8, result = $9, closed_at = $10, closed_by = $11, closed_label = $12,
		escalated_at = $13, escalated_to = $14 WHERE id = $15`, o.Level, o.Due.String(), o.Provisional, o.Status, o.Feedback,
		nullTime(o.AnsweredAt), o.AnsweredBy, o.AnsweredLabel, o.Result, nullTime(o.ClosedAt), o.ClosedBy, o.ClosedLabel,
		nullTime(o.EscalatedAt), o.EscalatedTo, o.ID)
	return mapError(err)
}

// FindOrder returns one order, with lock locked for the transaction.
func (s *SupervisionStore) FindOrder(ctx context.Context, id int64, lock bool) (*supervision.Order, error) {
	q := `SELECT ` + orderColumns + ` FROM supervision_orders WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	o, err := scanOrder(s.db.q(ctx).QueryRow(ctx, q, id))
	return o, notFound(err, "督办不存在")
}

// FindOrders lists orders, open first, newest first.
func (s *SupervisionStore) FindOrders(ctx context.Context, f supervision.OrderFilter) ([]*supervision.Order, int, error) {
	w := newWhere()
	scope := newWhere()
	scope.args = w.args
	addScope(scope, f.Scope, "", "")
	ors := []string{scope.sql()}
	w.args = scope.args
	for _, a := range f.Answer {
		if a.DeptID != 0 {
			ors = append(ors, "department_id = "+w.arg(a.DeptID))
		}
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
	if f.CaseID != 0 {
		w.add("case_id = ?", f.CaseID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.DeptID != 0 {
		w.add("department_id = ?", f.DeptID)
	}
	if f.Overdue == "1" {
		w.add("status = 'open' AND due < ?", f.Today)
	}
	q := `SELECT ` + orderColumns + `, count(*) OVER () FROM supervision_orders WHERE ` + w.sql() +
		` ORDER BY status = 'closed', issued_at DESC, id DESC LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, q, w.args...)
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
	w := newWhere()
	t := w.arg(today)
	w.add("status = 'open'")
	addScope(w, sc, "", "")
	var open, late int
	err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE due < `+t+`) FROM supervision_orders WHERE `+w.sql(),
		w.args...).Scan(&open, &late)
	return open, late, mapError(err)
}

// CreateUrge records a 催办.
func (s *SupervisionStore) CreateUrge(ctx context.Context, u *supervision.Urge) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO supervision_urges (case_id, case_number, message, holders, recipients, sent_at,
		sent_by, sent_label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, u.CaseID, u.CaseNumber, u.Message, u.Holders,
		u.Recipients, u.SentAt, u.SentBy, u.SentByLabel).Scan(&u.ID)
	return mapError(err)
}

// FindUrges lists a case's 催办, newest first.
func (s *SupervisionStore) FindUrges(ctx context.Context, caseID int64) ([]*supervision.Urge, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, case_id, case_number, message, holders, recipients, sent_at, sent_by, sent_label
		FROM supervision_urges WHERE case_id = $1 ORDER BY id DESC`, caseID)
	return collect(rows, err, func(sc pgx.Row) (*supervision.Urge, error) {
		var u supervision.Urge
		err := sc.Scan(&u.ID, &u.CaseID, &u.CaseNumber, &u.Message, &u.Holders, &u.Recipients, &u.SentAt, &u.SentBy, &u.SentByLabel)
		u.SentAt = u.SentAt.UTC()
		return &u, err
	})
}

// DueOrders lists the open orders due before today (by the status index).
func (s *SupervisionStore) DueOrders(ctx context.Context, today string) ([]*supervision.Order, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+orderColumns+` FROM supervision_orders WHERE status = 'open' AND due < $1
		ORDER BY due, id`, today)
	return collect(rows, err, scanOrder)
}
