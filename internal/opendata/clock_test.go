package opendata

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

// TestAppClock: the publisher decides within 10 working days of the day of
// submission, counted by hand on the 2026 schedule (春节 15–23 February with
// make-up Saturdays 14 and 28 February; 劳动节 1–5 May with make-up Saturday
// 9 May) and in December with 2027's schedule not imported (then the
// weekends and the days off the law fixes, 放假办法 Art 2, are skipped).
func TestAppClock(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, submitted, today, due string
		provisional, left           int
		overdue                     bool
	}{
		{"OrdinaryDay", "2026-03-18", "2026-03-18", "2026-04-01", 0, 10, false},
		{"SpringFestivalWithMakeUpSaturdays", "2026-02-09", "2026-02-10", "2026-02-28", 0, 9, false},
		{"LabourDayWithMakeUpSaturday", "2026-04-27", "2026-05-11", "2026-05-13", 0, 2, false},
		{"PastDue", "2026-03-02", "2026-03-17", "2026-03-16", 0, 0, true},
		// From Thursday 24 December: 25, 28–31 December (5); 1 January 2027 is
		// 元旦, off by law though 2027 is not imported, 2–3 January a weekend;
		// 4–8 January (10), all 暂定 2027.
		{"DecemberNextYearMissing", "2026-12-24", "2026-12-24", "2027-01-08", 2027, 10, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ComputeAppClock(cal, date(c.submitted), date(c.today))
			if err != nil {
				t.Fatal(err)
			}
			if got.Due.String() != c.due || got.Provisional != c.provisional || got.DaysLeft != c.left || got.Overdue != c.overdue {
				t.Fatalf("got due %s provisional %d left %d overdue %v; want %s %d %d %v", got.Due, got.Provisional,
					got.DaysLeft, got.Overdue, c.due, c.provisional, c.left, c.overdue)
			}
			if (got.Note() != "") != (c.provisional != 0) {
				t.Fatalf("暂定 note %q", got.Note())
			}
		})
	}
}
