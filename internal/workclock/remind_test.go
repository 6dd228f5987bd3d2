package workclock

import (
	"strings"
	"testing"
	"time"
)

func hm(t time.Time) string { return t.In(cst).Format("2006-01-02 15:04") }

// running measures a clock of days working days from start, with pauses,
// as of now.
func running(t *testing.T, days int, start time.Time, pauses []Span, now time.Time) Clock {
	t.Helper()
	c, err := Measure(national(t), days, start, time.Time{}, pauses, now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTimers: the reminder timers of a clock's run at the moments it turns
// yellow and red (00:00 China time): on an ordinary stretch, across the
// Spring Festival block (02-14 and 02-28 make-up Saturdays, 02-15…02-23
// off), after a pause, and in December without the 2027 schedule, where a
// provisional turn is looked at a day from now and one before 2027 is not.
// A clock met, paused or not started has none.
func TestTimers(t *testing.T) {
	tests := []struct {
		name   string
		days   int
		start  time.Time
		pauses []Span
		now    time.Time
		met    bool
		want   string // warning time, in order
	}{
		{"ordinary", 5, at(2026, 3, 9, 10), nil, at(2026, 3, 9, 10), false,
			"yellow 2026-03-13 00:00|red 2026-03-17 00:00"},
		{"one day: red only", 1, at(2026, 3, 13, 10), nil, at(2026, 3, 13, 10), false, "red 2026-03-17 00:00"},
		{"spring festival: red on a make-up saturday", 5, at(2026, 2, 13, 16), nil, at(2026, 2, 13, 16), false,
			"yellow 2026-02-26 00:00|red 2026-02-28 00:00"},
		{"after a pause: due friday, red saturday", 5, at(2026, 3, 10, 10), []Span{{at(2026, 3, 12, 9), at(2026, 3, 17, 16)}}, at(2026, 3, 17, 16), false,
			"yellow 2026-03-19 00:00|red 2026-03-21 00:00"},
		{"december, before 2027", 5, at(2026, 12, 21, 10), nil, at(2026, 12, 21, 10), false,
			"yellow 2026-12-25 00:00|red 2026-12-29 00:00"},
		{"december, into 2027: a day later", 5, at(2026, 12, 29, 10), nil, at(2026, 12, 29, 10), false,
			"yellow 2026-12-30 10:00|red 2026-12-30 10:00"},
		{"december, yellow before the provisional day", 2, at(2026, 12, 30, 10), nil, at(2026, 12, 30, 10), false,
			"yellow 2026-12-31 00:00|red 2026-12-31 10:00"},
		{"paused", 5, at(2026, 3, 10, 10), []Span{{From: at(2026, 3, 12, 9)}}, at(2026, 3, 12, 10), false, ""},
		{"met", 5, at(2026, 3, 10, 10), nil, at(2026, 3, 11, 10), true, ""},
		{"not started", 5, time.Time{}, nil, at(2026, 3, 11, 10), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := running(t, tt.days, tt.start, tt.pauses, tt.now)
			if tt.met {
				c.Met, c.End = true, tt.now
			}
			timers, err := Timers(national(t), c, tt.pauses, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tm := range timers {
				got = append(got, string(tm.Warning)+" "+hm(tm.At))
			}
			if strings.Join(got, "|") != tt.want {
				t.Fatalf("timers %q, want %q", strings.Join(got, "|"), tt.want)
			}
		})
	}
}

// TestAgain: a timer that ran before its turn looks again at the turn as
// the calendar counts it now, a minute from now at the earliest, a day
// from now while provisional, and never for a turn the clock no longer
// makes.
func TestAgain(t *testing.T) {
	tests := []struct {
		name  string
		days  int
		start time.Time
		w     Warning
		now   time.Time
		want  string // "" for none
	}{
		{"yellow, early", 5, at(2026, 3, 9, 10), WarnYellow, at(2026, 3, 12, 9), "2026-03-13 00:00"},
		{"red, early", 5, at(2026, 3, 9, 10), WarnRed, at(2026, 3, 13, 9), "2026-03-17 00:00"},
		{"red, a moment early", 5, at(2026, 3, 9, 10), WarnRed, at(2026, 3, 17, 0).Add(-time.Second), "2026-03-17 00:00"},
		{"turn passed: a minute from now", 5, at(2026, 3, 9, 10), WarnRed, at(2026, 3, 17, 9), "2026-03-17 09:01"},
		{"provisional: a day from now", 5, at(2026, 12, 29, 10), WarnRed, at(2026, 12, 31, 9), "2027-01-01 09:00"},
		{"one day: no yellow", 1, at(2026, 3, 13, 10), WarnYellow, at(2026, 3, 13, 11), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := running(t, tt.days, tt.start, nil, tt.now)
			got, err := Again(national(t), c, nil, tt.w, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if s := hm(got); got.IsZero() && tt.want != "" || !got.IsZero() && s != tt.want {
				t.Fatalf("again at %s (zero %v), want %q", s, got.IsZero(), tt.want)
			}
		})
	}
}

// TestRemind: what a timer does on finding its clock: nothing when the
// clock was met, is paused, was started again or is red already for the
// yellow timer; later when early; tell when the clock shows its warning.
func TestRemind(t *testing.T) {
	base := Clock{Days: 5, Started: true, Start: at(2026, 3, 9, 10)}
	with := func(f func(*Clock)) Clock { c := base; f(&c); return c }
	yellow := with(func(c *Clock) { c.Warning = WarnYellow })
	red := with(func(c *Clock) { c.Warning = WarnRed })
	tests := []struct {
		name    string
		c       Clock
		sameRun bool
		w       Warning
		want    Step
	}{
		{"yellow shown", yellow, true, WarnYellow, StepTell},
		{"red shown", red, true, WarnRed, StepTell},
		{"yellow early", base, true, WarnYellow, StepLater},
		{"red early", yellow, true, WarnRed, StepLater},
		{"yellow, red already", red, true, WarnYellow, StepNone},
		{"another run", yellow, false, WarnYellow, StepNone},
		{"met", with(func(c *Clock) { c.Met, c.Warning = true, WarnYellow }), true, WarnYellow, StepNone},
		{"paused", with(func(c *Clock) { c.Paused, c.Warning = true, WarnRed }), true, WarnRed, StepNone},
		{"not started", Clock{Days: 5}, true, WarnYellow, StepNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.Remind(tt.sameRun, tt.w); got != tt.want {
				t.Fatalf("step %d, want %d", got, tt.want)
			}
		})
	}
}

// TestCheckAt: a timer runs at its turn, or a day from now at the latest
// while the turn is provisional.
func TestCheckAt(t *testing.T) {
	now := at(2026, 12, 29, 10)
	tests := []struct {
		at          time.Time
		provisional int
		want        time.Time
	}{
		{at(2027, 1, 4, 0), 0, at(2027, 1, 4, 0)},
		{at(2027, 1, 4, 0), 2027, at(2026, 12, 30, 10)},
		{at(2026, 12, 30, 0), 2027, at(2026, 12, 30, 0)},
		{at(2026, 12, 30, 10), 2027, at(2026, 12, 30, 10)},
	}
	for _, tt := range tests {
		if got := CheckAt(tt.at, tt.provisional, now); !got.Equal(tt.want) {
			t.Errorf("CheckAt(%s, %d) = %s, want %s", hm(tt.at), tt.provisional, hm(got), hm(tt.want))
		}
	}
}
