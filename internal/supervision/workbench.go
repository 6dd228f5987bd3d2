package supervision

import (
	"context"
	"fmt"
	"sort"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
)

// WatchRow is an open case as supervision lists it.
type WatchRow struct {
	CaseID      int64
	Number      string
	ItemCode    string
	ItemName    string
	Status      cases.Status
	RegionPath  string
	DeptID      int64
	Depts       []int64
	SubmittedAt time.Time
	AcceptedAt  time.Time
	PromisedDue string // YYYY-MM-DD or ""
	Provisional int
	Colour      Colour
	Paused      bool
	Overdue     bool
	IntakeLate  bool
	IntakeUser  int64
	WindowID    int64
	Evaluated   bool // evaluated at least once since its last change
}

// DueNote is the provisional wording of the row's due date.
func (w *WatchRow) DueNote() string { return calendar.ProvisionalNote(w.Provisional) }

// CaseFilter selects open cases; zero fields do not filter.
type CaseFilter struct {
	Scope      Scope
	Status     cases.Status
	DeptID     int64
	WindowID   int64
	ItemCode   string
	UserID     int64 // the clerk who answered the intake
	Colour     Colour
	Due        string // "today", "week", "overdue"
	Paused     bool
	IntakeLate bool
	From, To   string // submitted between these dates (YYYY-MM-DD), inclusive
	Today      string // set by the service
	WeekEnd    string
	Offset     int
	Limit      int
}

// CountRow is the workbench's count of one department's cases in one status.
type CountRow struct {
	DeptID     int64
	Status     cases.Status
	N          int
	DueToday   int
	DueWeek    int
	Overdue    int
	Paused     int
	IntakeLate int
}

// Line is one department's (or the total's) row on the workbench.
type Line struct {
	DeptID     int64
	Name       string
	Open       int
	Intake     int // 待受理
	Supplement int // 待补正（受理前）
	Review     int // 审批中
	Correction int // 退回补正
	DueToday   int
	DueWeek    int
	Overdue    int
	Paused     int
	IntakeLate int
}

func (l *Line) add(r CountRow) {
	l.Open += r.N
	switch r.Status {
	case cases.StatusSubmitted:
		l.Intake += r.N
	case cases.StatusSupplement:
		l.Supplement += r.N
	case cases.StatusReview:
		l.Review += r.N
	case cases.StatusCorrection:
		l.Correction += r.N
	}
	l.DueToday += r.DueToday
	l.DueWeek += r.DueWeek
	l.Overdue += r.Overdue
	l.Paused += r.Paused
	l.IntakeLate += r.IntakeLate
}

// Workbench is the supervisor's live view of the open cases in scope.
type Workbench struct {
	Today         calendar.Date
	WeekEnd       calendar.Date
	Depts         []Line
	Total         Line
	Yellow, Red   int // cards in force
	OrdersOpen    int
	OrdersOverdue int
	At            time.Time
}

// weekOf returns today and the Sunday ending its week.
func weekOf(now time.Time) (calendar.Date, calendar.Date) {
	today := calendar.DateOf(now)
	return today, today.AddDays((7 - int(today.Weekday())) % 7)
}

// Workbench counts the open cases in the actor's scope, narrowed to one
// department when dept is not 0.
func (s *Service) Workbench(ctx context.Context, a *identity.Actor, dept int64) (*Workbench, error) {
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, err
	}
	scope = scope.Narrow(dept)
	now := s.d.Now()
	today, weekEnd := weekOf(now)
	shared := context.WithoutCancel(ctx)
	v, err := s.figures.get(fmt.Sprintf("wb|%v|%s", scope.Areas, today), func() (any, error) {
		return s.countWorkbench(shared, scope, today, weekEnd, now)
	})
	if err != nil {
		return nil, err
	}
	wb := *v.(*Workbench)
	return &wb, nil
}

func (s *Service) countWorkbench(ctx context.Context, scope Scope, today, weekEnd calendar.Date, now time.Time) (*Workbench, error) {
	rows, err := s.d.Store.WorkbenchCounts(ctx, scope, today.String(), weekEnd.String())
	if err != nil {
		return nil, err
	}
	wb := &Workbench{Today: today, WeekEnd: weekEnd, At: now}
	if wb.Yellow, wb.Red, err = s.d.Store.CardCounts(ctx, scope); err != nil {
		return nil, err
	}
	if wb.OrdersOpen, wb.OrdersOverdue, err = s.d.Store.OrderCounts(ctx, scope, today.String()); err != nil {
		return nil, err
	}
	dir, err := s.dir.get(ctx, now)
	if err != nil {
		return nil, err
	}
	wb.Depts, wb.Total = lines(rows, dir)
	return wb, nil
}

func lines(rows []CountRow, dir *directory) ([]Line, Line) {
	by := map[int64]*Line{}
	var total Line
	for _, r := range rows {
		l := by[r.DeptID]
		if l == nil {
			l = &Line{DeptID: r.DeptID, Name: dir.deptName[r.DeptID]}
			by[r.DeptID] = l
		}
		l.add(r)
		total.add(r)
	}
	out := make([]Line, 0, len(by))
	for _, l := range by {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Open != out[j].Open {
			return out[i].Open > out[j].Open
		}
		return out[i].DeptID < out[j].DeptID
	})
	return out, total
}

// Cases lists the open cases behind a workbench figure.
func (s *Service) Cases(ctx context.Context, a *identity.Actor, f CaseFilter) ([]*WatchRow, int, error) {
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, 0, err
	}
	if err := f.check(); err != nil {
		return nil, 0, err
	}
	f.Scope = scope.Narrow(f.DeptID)
	today, weekEnd := weekOf(s.d.Now())
	f.Today, f.WeekEnd = today.String(), weekEnd.String()
	if f.Limit <= 0 || f.Limit > 10000 {
		f.Limit = 50
	}
	return s.d.Store.FindWatches(ctx, f)
}

func (f CaseFilter) check() error {
	var fs apperr.Fields
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if v != "" {
			_, err := calendar.ParseDate(v)
			fs.Check(err != nil, name, "日期格式应为 YYYY-MM-DD，如 2026-03-01")
		}
	}
	fs.Check(f.Due != "" && f.Due != "today" && f.Due != "week" && f.Due != "overdue", "due", "到期筛选只能是 today、week 或 overdue")
	fs.Check(f.Status != "" && !f.Status.Open(), "status", "状态只能是办理中的状态")
	return fs.Err()
}

// DeptName names a department from the directory.
func (s *Service) DeptName(ctx context.Context, id int64) string {
	dir, err := s.dir.get(ctx, s.d.Now())
	if err != nil {
		return ""
	}
	return dir.deptName[id]
}

// WindowName names a window from the directory.
func (s *Service) WindowName(ctx context.Context, id int64) string {
	dir, err := s.dir.get(ctx, s.d.Now())
	if err != nil {
		return ""
	}
	return dir.windowName[id]
}
