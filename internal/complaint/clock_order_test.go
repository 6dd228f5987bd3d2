package complaint

import (
	"testing"

	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

// TestClocksBefore: a queue puts the red before the yellow before the
// rest, and within a colour the running clock due first, whichever clock
// (acceptance, department, answer, desk) it is; a clock met does not
// count, and a complaint without a running clock comes after one with.
func TestClocksBefore(t *testing.T) {
	running := func(w workclock.Warning, due string) workclock.Clock {
		d, err := calendar.ParseDate(due)
		if err != nil {
			t.Fatal(err)
		}
		return workclock.Clock{Days: 5, Started: true, Due: d, Warning: w}
	}
	met := running(workclock.WarnNone, "2026-01-05")
	met.Met = true
	tests := []struct {
		name string
		a, b Clocks
	}{
		{"red before yellow", Clocks{Accept: running(workclock.WarnRed, "2026-05-18")}, Clocks{Department: running(workclock.WarnYellow, "2026-03-01")}},
		{"longest overdue first", Clocks{Department: running(workclock.WarnRed, "2026-03-09")}, Clocks{Accept: running(workclock.WarnRed, "2026-05-18")}},
		{"yellow due first", Clocks{Answer: running(workclock.WarnYellow, "2026-05-20")}, Clocks{Desk: running(workclock.WarnYellow, "2026-05-21")}},
		{"nearest due first", Clocks{Accept: running("", "2026-05-25")}, Clocks{Department: running("", "2026-06-10")}},
		{"a met clock does not count", Clocks{Answer: running("", "2026-05-25")}, Clocks{Accept: met, Department: running("", "2026-06-10")}},
		{"running before none", Clocks{Accept: running("", "2026-06-10")}, Clocks{Accept: met}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.a.Before(tt.b) || tt.b.Before(tt.a) {
				t.Fatalf("a before b %v, b before a %v", tt.a.Before(tt.b), tt.b.Before(tt.a))
			}
		})
	}
}
