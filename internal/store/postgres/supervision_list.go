package postgres

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/supervision"

	"github.com/jackc/pgx/v5"
)

// listColumns are what the lists read of a watch row.
const listColumns = `w.case_id, w.number, w.version, w.evaluated, w.region_path, w.department_id, w.item_code, w.item_name, w.status,
	w.depts, w.submitted_at, w.accepted_at, w.promised_due, w.provisional, w.colour, w.paused, w.overdue, w.intake_late, w.intake_user,
	w.window_id`

func scanRow(sc pgx.Row, extra ...any) (*supervision.WatchRow, error) {
	var r supervision.WatchRow
	var version, evaluated int
	var sub, acc *time.Time
	var depts string
	err := sc.Scan(append([]any{&r.CaseID, &r.Number, &version, &evaluated, &r.RegionPath, &r.DeptID, &r.ItemCode, &r.ItemName,
		&r.Status, &depts, &sub, &acc, &r.PromisedDue, &r.Provisional, &r.Colour, &r.Paused, &r.Overdue, &r.IntakeLate, &r.IntakeUser,
		&r.WindowID}, extra...)...)
	r.Depts, r.SubmittedAt, r.AcceptedAt, r.Evaluated = supervision.ParseDeptList(depts), tz(sub), tz(acc), evaluated == version
	return &r, err
}

// FindWatch returns one watched case.
func (s *SupervisionStore) FindWatch(ctx context.Context, caseID int64) (*supervision.WatchRow, error) {
	r, err := scanRow(s.db.q(ctx).QueryRow(ctx, `SELECT `+listColumns+` FROM supervision_watch w WHERE w.case_id = $1`, caseID))
	if err != nil {
		return nil, notFound(err, "该办件不在监察中")
	}
	return r, nil
}

// dayStart is 00:00 China Standard Time of a YYYY-MM-DD date (checked by
// the service).
func dayStart(date string) time.Time {
	d, _ := calendar.ParseDate(date)
	return d.Time()
}

// watchFilter is the WHERE clause of a case filter.
func watchFilter(f supervision.CaseFilter) *where {
	w := newWhere()
	addScope(w, f.Scope, "w.", "depts")
	w.add("w.status <> 'closed'")
	if f.Status != "" {
		w.add("w.status = ?", f.Status)
	}
	if f.WindowID != 0 {
		w.add("w.window_id = ?", f.WindowID)
	}
	if f.ItemCode != "" {
		w.add("w.item_code = ?", f.ItemCode)
	}
	if f.UserID != 0 {
		w.add("w.intake_user = ?", f.UserID)
	}
	if f.Colour != supervision.None {
		w.add("w.case_id IN (SELECT case_id FROM supervision_cards WHERE cleared_at IS NULL AND colour = ?)", f.Colour)
	}
	switch f.Due {
	case "today":
		w.add("w.promised_due = ?", f.Today)
	case "week":
		w.add("w.promised_due >= ? AND w.promised_due <= ?", f.Today, f.WeekEnd)
	case "overdue":
		w.add("w.overdue")
	}
	if f.Paused {
		w.add("w.paused")
	}
	if f.IntakeLate {
		w.add("w.intake_late")
	}
	if f.From != "" {
		w.add("w.submitted_at >= ?", dayStart(f.From))
	}
	if f.To != "" {
		w.add("w.submitted_at < ?", dayStart(f.To).AddDate(0, 0, 1))
	}
	return w
}

// FindWatches lists watched open cases, due first.
func (s *SupervisionStore) FindWatches(ctx context.Context, f supervision.CaseFilter) ([]*supervision.WatchRow, int, error) {
	w := watchFilter(f)
	q := `SELECT ` + listColumns + `, count(*) OVER () FROM supervision_watch w WHERE ` + w.sql() +
		` ORDER BY w.promised_due = '', w.promised_due, w.submitted_at, w.case_id LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer rows.Close()
	var out []*supervision.WatchRow
	total := 0
	for rows.Next() {
		r, err := scanRow(rows, &total)
		if err != nil {
			return nil, 0, mapError(err)
		}
		out = append(out, r)
	}
	return out, total, mapError(rows.Err())
}

// WorkbenchCounts counts the open cases in scope per department and status,
// with their due dates against today and the week's end, in one pass.
func (s *SupervisionStore) WorkbenchCounts(ctx context.Context, sc supervision.Scope, today, weekEnd string) ([]supervision.CountRow, error) {
	w := newWhere()
	t, e := w.arg(today), w.arg(weekEnd)
	addScope(w, sc, "", "depts")
	q := fmt.Sprintf(`SELECT department_id, status, count(*), count(*) FILTER (WHERE promised_due = %[1]s),
		count(*) FILTER (WHERE promised_due >= %[1]s AND promised_due <= %[2]s), count(*) FILTER (WHERE overdue),
		count(*) FILTER (WHERE paused), count(*) FILTER (WHERE intake_late)
		FROM supervision_watch WHERE %[3]s AND status <> 'closed' GROUP BY department_id, status`, t, e, w.sql())
	rows, err := s.db.q(ctx).Query(ctx, q, w.args...)
	return collect(rows, err, func(sc pgx.Row) (supervision.CountRow, error) {
		var r supervision.CountRow
		var status string
		err := sc.Scan(&r.DeptID, &status, &r.N, &r.DueToday, &r.DueWeek, &r.Overdue, &r.Paused, &r.IntakeLate)
		r.Status = cases.Status(status)
		return r, err
	})
}
