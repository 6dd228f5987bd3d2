package sqlite

import (
	"context"
	"strings"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/supervision"
)

// listColumns are what the lists read of a watch row.
const listColumns = `w.case_id, w.number, w.version, w.evaluated, w.region_path, w.department_id, w.item_code, w.item_name, w.status,
	w.depts, w.submitted_at, w.accepted_at, w.promised_due, w.provisional, w.colour, w.paused, w.overdue, w.intake_late, w.intake_user,
	w.window_id`

func scanRow(sc scanner, extra ...any) (*supervision.WatchRow, error) {
	var r supervision.WatchRow
	var version, evaluated, sub, acc int64
	var depts string
	var paused, overdue, late int
	err := sc.Scan(append([]any{&r.CaseID, &r.Number, &version, &evaluated, &r.RegionPath, &r.DeptID, &r.ItemCode, &r.ItemName,
		&r.Status, &depts, &sub, &acc, &r.PromisedDue, &r.Provisional, &r.Colour, &paused, &overdue, &late, &r.IntakeUser,
		&r.WindowID}, extra...)...)
	r.Depts, r.SubmittedAt, r.AcceptedAt = supervision.ParseDeptList(depts), fromMicro(sub), fromMicro(acc)
	r.Paused, r.Overdue, r.IntakeLate, r.Evaluated = paused != 0, overdue != 0, late != 0, evaluated == version
	return &r, err
}

// FindWatch returns one watched case.
func (s *SupervisionStore) FindWatch(ctx context.Context, caseID int64) (*supervision.WatchRow, error) {
	r, err := scanRow(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+listColumns+` FROM supervision_watch w WHERE w.case_id = ?`, caseID))
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
func watchFilter(f supervision.CaseFilter) (string, []any) {
	scope, args := scopeWhere(f.Scope, "w.", "depts")
	where := []string{scope, "w.status <> 'closed'"}
	add := func(cond string, vals ...any) {
		where, args = append(where, cond), append(args, vals...)
	}
	if f.Status != "" {
		add("w.status = ?", f.Status)
	}
	if f.WindowID != 0 {
		add("w.window_id = ?", f.WindowID)
	}
	if f.ItemCode != "" {
		add("w.item_code = ?", f.ItemCode)
	}
	if f.UserID != 0 {
		add("w.intake_user = ?", f.UserID)
	}
	if f.Colour != supervision.None {
		add("w.case_id IN (SELECT case_id FROM supervision_cards WHERE cleared_at = 0 AND colour = ?)", f.Colour)
	}
	switch f.Due {
	case "today":
		add("w.promised_due = ?", f.Today)
	case "week":
		add("w.promised_due >= ? AND w.promised_due <= ?", f.Today, f.WeekEnd)
	case "overdue":
		add("w.overdue = 1")
	}
	if f.Paused {
		add("w.paused = 1")
	}
	if f.IntakeLate {
		add("w.intake_late = 1")
	}
	if f.From != "" {
		add("w.submitted_at >= ?", micro(dayStart(f.From)))
	}
	if f.To != "" {
		add("w.submitted_at < ?", micro(dayStart(f.To).AddDate(0, 0, 1)))
	}
	return strings.Join(where, " AND "), args
}

// FindWatches lists watched open cases, due first.
func (s *SupervisionStore) FindWatches(ctx context.Context, f supervision.CaseFilter) ([]*supervision.WatchRow, int, error) {
	where, args := watchFilter(f)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+listColumns+`, count(*) OVER () FROM supervision_watch w WHERE `+where+`
		ORDER BY w.promised_due = '', w.promised_due, w.submitted_at, w.case_id LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
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
// with their due dates against today and the week's end, in one pass over
// the scope index.
func (s *SupervisionStore) WorkbenchCounts(ctx context.Context, sc supervision.Scope, today, weekEnd string) ([]supervision.CountRow, error) {
	scope, args := scopeWhere(sc, "", "depts")
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT department_id, status, count(*), sum(promised_due = ?),
		sum(promised_due >= ? AND promised_due <= ?), sum(overdue), sum(paused), sum(intake_late)
		FROM supervision_watch WHERE `+scope+` AND status <> 'closed' GROUP BY department_id, status`,
		append([]any{today, today, weekEnd}, args...)...)
	return collect(rows, err, func(sc scanner) (supervision.CountRow, error) {
		var r supervision.CountRow
		var status string
		err := sc.Scan(&r.DeptID, &status, &r.N, &r.DueToday, &r.DueWeek, &r.Overdue, &r.Paused, &r.IntakeLate)
		r.Status = cases.Status(status)
		return r, err
	})
}
