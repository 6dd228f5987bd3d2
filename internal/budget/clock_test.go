package budget

import (
	"testing"

	"openhall/internal/calendar"
)

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestArt14Clock: 预算法 Art 14's 20 calendar days from 批复, counted by
// hand on the 2026 State Council schedule (春节 15–23 February with make-up
// Saturdays 14 and 28 February; 国庆 1–7 October), and in December with
// 2027's schedule not imported.
func TestArt14Clock(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, approved, due string
		provisional         int
	}{
		{"OrdinaryDay", "2026-03-10", "2026-03-30", 0},
		{"EndsOnSundayMovesToMonday", "2026-03-09", "2026-03-30", 0},
		{"EndsInSpringFestivalMovesPastIt", "2026-01-27", "2026-02-24", 0},
		{"EndsOnMakeUpSaturdayStays", "2026-01-25", "2026-02-14", 0},
		{"DaysInHolidayBlockCount", "2026-02-10", "2026-03-02", 0},
		{"EndsInNationalDay", "2026-09-11", "2026-10-08", 0},
		{"DecemberNextYearMissing", "2026-12-20", "2027-01-11", 2027},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ComputeClock(cal, date(c.approved), calendar.Date{}, date(c.approved))
			if err != nil {
				t.Fatal(err)
			}
			if got.Due.String() != c.due || got.Provisional != c.provisional {
				t.Fatalf("due %s (provisional %d), want %s (%d)", got.Due, got.Provisional, c.due, c.provisional)
			}
			if c.provisional != 0 && got.Note() == "" {
				t.Fatal("a provisional due date has no 暂定 note")
			}
		})
	}
}

func TestClockStates(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	approved := date("2026-03-10") // due 2026-03-30
	cases := []struct {
		published, today, state string
		warn                    bool
	}{
		{"", "2026-03-12", "公开期限内", false},
		{"", "2026-03-27", "即将到期", true},
		{"", "2026-03-31", "已逾期未公开", true},
		{"2026-03-30", "2026-04-02", "已按期公开", false},
		{"2026-03-31", "2026-04-02", "逾期公开", false},
	}
	for _, c := range cases {
		var pub calendar.Date
		if c.published != "" {
			pub = date(c.published)
		}
		got, err := ComputeClock(cal, approved, pub, date(c.today))
		if err != nil {
			t.Fatal(err)
		}
		if got.State() != c.state || got.Warn() != c.warn {
			t.Errorf("published %q today %s: %s (warn %v), want %s (%v)", c.published, c.today, got.State(), got.Warn(), c.state, c.warn)
		}
	}
}
