package cases

import (
	"testing"
	"time"

	"openhall/internal/calendar"
)

type intakeLapse struct {
	name                    string
	now                     time.Time
	lapsed, overdue, deemed bool
	provisional             int
}

// checkIntakeLapse measures the intake period of a case received at
// received (due on due) at each moment on cal.
func checkIntakeLapse(t *testing.T, cal *calendar.Calendar, received time.Time, due string, tests []intakeLapse) {
	t.Helper()
	c := newCase(twoDepartments())
	do(t, c, Command{Kind: CmdSubmit}, received)
	for _, tt := range tests {
		ic, err := Intake(c, cal, calendar.DefaultOfficeHours(), tt.now)
		if err != nil {
			t.Fatal(err)
		}
		if ic.DueDate.String() != due || ic.Lapsed != tt.lapsed || ic.Overdue != tt.overdue || ic.Deemed != tt.deemed || ic.Provisional != tt.provisional {
			t.Errorf("%s (%s): due %s lapsed %v overdue %v deemed %v provisional %d; want %s %v %v %v %d",
				tt.name, tt.now.Format("2006-01-02 Mon 15:04"), ic.DueDate, ic.Lapsed, ic.Overdue, ic.Deemed, ic.Provisional,
				due, tt.lapsed, tt.overdue, tt.deemed, tt.provisional)
		}
	}
}

// TestIntakeLapsedOverDaysOff: the intake period (行政许可法 Art 32: 5
// working days to accept, refuse or send a 补正 notice) ends at the close
// of office hours on its last day, when the case counts as accepted from
// receipt; until a working day begins after that day (the evening, then a
// weekend or a holiday block) it has lapsed, as a case's clock has, and is
// overdue only from the next working day, never before.
func TestIntakeLapsedOverDaysOff(t *testing.T) {
	t.Run("weekend", func(t *testing.T) {
		// Received Friday 11-13: due Friday 11-20.
		checkIntakeLapse(t, nationalCalendar(t), at(2026, 11, 13, 10, 0), "2026-11-20", []intakeLapse{
			{"the due day", at(2026, 11, 20, 16, 0), false, false, false, 0},
			{"the due day after office hours", at(2026, 11, 20, 20, 0), true, false, true, 0},
			{"Saturday", at(2026, 11, 21, 10, 0), true, false, true, 0},
			{"Sunday", at(2026, 11, 22, 23, 0), true, false, true, 0},
			{"Monday", at(2026, 11, 23, 9, 0), false, true, true, 0},
		})
	})
	t.Run("national day block", func(t *testing.T) {
		// Received Tuesday 09-22: 09-23, 09-24, (中秋 09-25 … 27), 09-28,
		// 09-29, 09-30, the last working day before 国庆 10-01 … 10-07.
		checkIntakeLapse(t, nationalCalendar(t), at(2026, 9, 22, 10, 0), "2026-09-30", []intakeLapse{
			{"the last day before the block", at(2026, 9, 30, 10, 0), false, false, false, 0},
			{"the block's first day", at(2026, 10, 1, 10, 0), true, false, true, 0},
			{"the block's last day", at(2026, 10, 7, 10, 0), true, false, true, 0},
			{"the first working day after it", at(2026, 10, 8, 10, 0), false, true, true, 0},
		})
	})
	t.Run("national day block, due on its make-up Saturday", func(t *testing.T) {
		// Received Monday 09-28: 09-29, 09-30, 10-08, 10-09 and the
		// make-up Saturday 10-10.
		checkIntakeLapse(t, nationalCalendar(t), at(2026, 9, 28, 10, 0), "2026-10-10", []intakeLapse{
			{"inside the block", at(2026, 10, 3, 10, 0), false, false, false, 0},
			{"the make-up Saturday", at(2026, 10, 10, 16, 0), false, false, false, 0},
			{"the Sunday after it", at(2026, 10, 11, 10, 0), true, false, true, 0},
			{"Monday", at(2026, 10, 12, 10, 0), false, true, true, 0},
		})
	})
	t.Run("december, next year not imported", func(t *testing.T) {
		// Received Thursday 12-24: 12-25, 12-28, 12-29, 12-30 and 12-31,
		// due Thursday 12-31. Without a 2027 schedule, Friday 1 January is
		// 元旦, off by law, and 2–3 January the weekend: the period has
		// lapsed over them, provisionally, and is overdue from Monday 4
		// January, the first working day after it.
		received := at(2026, 12, 24, 10, 0)
		checkIntakeLapse(t, nationalCalendar(t), received, "2026-12-31", []intakeLapse{
			{"new year's eve", at(2026, 12, 31, 10, 0), false, false, false, 0},
			{"1 January, 元旦 by law", at(2027, 1, 1, 10, 0), true, false, true, 2027},
			{"Sunday 3 January", at(2027, 1, 3, 10, 0), true, false, true, 2027},
			{"Monday 4 January", at(2027, 1, 4, 10, 0), false, true, true, 2027},
		})
		// The imported notice agrees: the same, no longer provisional.
		checkIntakeLapse(t, calendarWith2027(t), received, "2026-12-31", []intakeLapse{
			{"1 January, a holiday once imported", at(2027, 1, 1, 10, 0), true, false, true, 0},
			{"Sunday 3 January", at(2027, 1, 3, 10, 0), true, false, true, 0},
			{"Monday 4 January", at(2027, 1, 4, 10, 0), false, true, true, 0},
		})
	})
}

// TestIntakeAnsweredNotLapsed: once answered, the period neither lapses
// nor runs overdue, whatever day it is.
func TestIntakeAnsweredNotLapsed(t *testing.T) {
	c := newCase(twoDepartments())
	do(t, c, Command{Kind: CmdSubmit}, at(2026, 11, 13, 10, 0))
	do(t, c, Command{Kind: CmdAccept}, at(2026, 11, 20, 16, 0))
	ic := intakeAt(t, c, at(2026, 11, 21, 10, 0))
	if ic.Lapsed || ic.Overdue || ic.Deemed {
		t.Fatalf("accepted on the due day: %+v", ic)
	}
}
