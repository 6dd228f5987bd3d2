package cases

import (
	"testing"
	"time"

	"openhall/internal/calendar"
)

// acceptedOn is the two-department case (promised 10 working days) filed
// the day before and accepted on y-m-d.
func acceptedOn(t *testing.T, p Procedure, y int, m time.Month, d int) *Case {
	t.Helper()
	c := newCase(p)
	do(t, c, Command{Kind: CmdSubmit}, at(y, m, d, 9, 0).AddDate(0, 0, -1))
	do(t, c, Command{Kind: CmdAccept}, at(y, m, d, 10, 0))
	return c
}

type lapseCase struct {
	name      string
	now       time.Time
	due       string
	remaining int
	lapsed    bool
	overdue   bool
	prov      int
}

func checkLapse(t *testing.T, cal *calendar.Calendar, c *Case, tests []lapseCase) {
	t.Helper()
	for _, tt := range tests {
		cl, err := ComputeClocks(c, cal, calendar.DefaultOfficeHours(), tt.now)
		if err != nil {
			t.Fatal(err)
		}
		p := cl.Promised
		if p.Due.String() != tt.due || p.Remaining != tt.remaining || p.Lapsed != tt.lapsed || p.Overdue != tt.overdue || p.Provisional != tt.prov {
			t.Errorf("%s (%s): due %s remaining %d lapsed %v overdue %v provisional %d; want %s %d %v %v %d",
				tt.name, tt.now.Format("2006-01-02 Mon"), p.Due, p.Remaining, p.Lapsed, p.Overdue, p.Provisional,
				tt.due, tt.remaining, tt.lapsed, tt.overdue, tt.prov)
		}
	}
}

// TestLapsedOverDaysOff: a period in working days that ends on the working
// day before days off has ended on those days, but none of its own unit has
// run past it (行政许可法 Art 82: working days leave out the statutory
// holidays). It shows as ended (Lapsed), never as 剩余 0 with a date in
// the past, and turns overdue on the next working day, as supervision's
// red card does.
func TestLapsedOverDaysOff(t *testing.T) {
	t.Run("weekend", func(t *testing.T) {
		// Accepted Friday 11-06: 10 working days end on Friday 11-20.
		c := acceptedOn(t, twoDepartments(), 2026, time.November, 6)
		checkLapse(t, nationalCalendar(t), c, []lapseCase{
			{"the due day", at(2026, 11, 20, 16, 0), "2026-11-20", 0, false, false, 0},
			{"the due day after office hours", at(2026, 11, 20, 20, 0), "2026-11-20", 0, false, false, 0},
			{"Saturday", at(2026, 11, 21, 10, 0), "2026-11-20", 0, true, false, 0},
			{"Sunday", at(2026, 11, 22, 23, 0), "2026-11-20", 0, true, false, 0},
			{"Monday", at(2026, 11, 23, 9, 0), "2026-11-20", -1, false, true, 0},
		})
	})
	t.Run("national day block with make-up days", func(t *testing.T) {
		// Accepted 09-16: the 10 working days count Sunday 09-20 (a make-up
		// day) and skip 中秋 09-25…27, ending on Wednesday 09-30.
		c := acceptedOn(t, twoDepartments(), 2026, time.September, 16)
		checkLapse(t, nationalCalendar(t), c, []lapseCase{
			{"the last day before the block", at(2026, 9, 30, 10, 0), "2026-09-30", 0, false, false, 0},
			{"the block's first day", at(2026, 10, 1, 10, 0), "2026-09-30", 0, true, false, 0},
			{"the block's last day", at(2026, 10, 7, 10, 0), "2026-09-30", 0, true, false, 0},
			{"the first working day after it", at(2026, 10, 8, 10, 0), "2026-09-30", -1, false, true, 0},
			{"the make-up Saturday", at(2026, 10, 10, 10, 0), "2026-09-30", -3, false, true, 0},
		})
	})
	t.Run("december, next year not imported", func(t *testing.T) {
		// Accepted Thursday 12-17: 10 working days (12-18, 12-21 … 12-25,
		// 12-28 … 12-31) end on Thursday 12-31. Without a 2027 schedule,
		// Friday 1 January is 元旦, off by law, and 2–3 January the
		// weekend: the period has lapsed over them, provisionally, and is
		// overdue from Monday 4 January.
		c := acceptedOn(t, twoDepartments(), 2026, time.December, 17)
		checkLapse(t, nationalCalendar(t), c, []lapseCase{
			{"new year's eve", at(2026, 12, 31, 10, 0), "2026-12-31", 0, false, false, 0},
			{"1 January, 元旦 by law", at(2027, 1, 1, 10, 0), "2026-12-31", 0, true, false, 2027},
			{"Sunday 3 January", at(2027, 1, 3, 10, 0), "2026-12-31", 0, true, false, 2027},
			{"Monday 4 January", at(2027, 1, 4, 10, 0), "2026-12-31", -1, false, true, 2027},
		})
		// The imported notice agrees: the same, no longer provisional.
		checkLapse(t, calendarWith2027(t), c, []lapseCase{
			{"1 January, a holiday once imported", at(2027, 1, 1, 10, 0), "2026-12-31", 0, true, false, 0},
			{"Monday 4 January", at(2027, 1, 4, 10, 0), "2026-12-31", -1, false, true, 0},
		})
	})
}

// TestNaturalDaysEndAfterTheHoliday: a period in natural days whose last
// day is a statutory holiday ends on the day after the holiday (民法典
// Art 203), so its days left run to that day and it is not overdue during
// the holiday.
func TestNaturalDaysEndAfterTheHoliday(t *testing.T) {
	p := twoDepartments()
	p.Promised = calendar.Limit{N: 7, Unit: calendar.UnitNaturalDay}
	c := acceptedOn(t, p, 2026, time.September, 24) // + 7 days = 10-01, 国庆节
	checkLapse(t, nationalCalendar(t), c, []lapseCase{
		{"an ordinary day", at(2026, 9, 29, 10, 0), "2026-10-08", 9, false, false, 0},
		{"the plain limit's last day", at(2026, 10, 1, 10, 0), "2026-10-08", 7, false, false, 0},
		{"inside the block", at(2026, 10, 2, 10, 0), "2026-10-08", 6, false, false, 0},
		{"the day after the holiday", at(2026, 10, 8, 10, 0), "2026-10-08", 0, false, false, 0},
		{"a day later", at(2026, 10, 9, 10, 0), "2026-10-08", -1, false, true, 0},
	})
	do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "同意"}, at(2026, 10, 8, 10, 0))
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, at(2026, 10, 8, 11, 0))
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "准予"}, at(2026, 10, 8, 15, 0))
	cl, err := ComputeClocks(c, nationalCalendar(t), calendar.DefaultOfficeHours(), at(2026, 12, 1, 9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if p := cl.Promised; !p.Stopped || p.Overdue || p.Lapsed || p.Remaining != 0 {
		t.Errorf("decided on the period's last day: %+v; want stopped in time", p)
	}
}

// TestLapsedHourLimit: a limit in office hours that runs out at the end of
// Friday's office hours has ended over the weekend; it is overdue once
// office time runs on Monday.
func TestLapsedHourLimit(t *testing.T) {
	p := twoDepartments()
	p.Legal = calendar.Limit{N: 2, Unit: calendar.UnitHour}
	c := newCase(p)
	do(t, c, Command{Kind: CmdSubmit}, at(2026, 11, 20, 9, 0))
	do(t, c, Command{Kind: CmdAccept}, at(2026, 11, 20, 15, 30)) // 2 h to 17:30
	for _, tt := range []struct {
		now             time.Time
		lapsed, overdue bool
	}{
		{at(2026, 11, 20, 17, 0), false, false},
		{at(2026, 11, 21, 10, 0), true, false},
		{at(2026, 11, 23, 9, 30), false, true},
	} {
		cl := clocksAt(t, c, tt.now)
		if cl.Legal.Lapsed != tt.lapsed || cl.Legal.Overdue != tt.overdue {
			t.Errorf("%s: lapsed %v overdue %v, want %v %v", tt.now.Format("01-02 15:04"), cl.Legal.Lapsed, cl.Legal.Overdue, tt.lapsed, tt.overdue)
		}
	}
}
