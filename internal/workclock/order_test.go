package workclock

import (
	"slices"
	"testing"
	"time"

	"openhall/internal/calendar"
)

// TestBefore: a queue lists the more urgent warning first and, within
// one, the clock due first (the longest overdue leads); things without a
// running clock, or only met ones, come last.
func TestBefore(t *testing.T) {
	clock := func(due string, w Warning, met bool) Clock {
		d, err := calendar.ParseDate(due)
		if err != nil {
			t.Fatal(err)
		}
		return Clock{Days: 5, Started: true, Start: time.Unix(1, 0), Due: d, Warning: w, Met: met}
	}
	type thing struct {
		name string
		w    Warning
		cs   []Clock
	}
	things := []thing{
		{"none", WarnNone, nil},
		{"yellow", WarnYellow, []Clock{clock("2026-03-12", WarnYellow, false)}},
		{"red, 2 days", WarnRed, []Clock{clock("2026-03-10", WarnRed, false)}},
		{"fresh", WarnNone, []Clock{clock("2026-03-20", WarnNone, false)}},
		{"red, 49 days", WarnRed, []Clock{clock("2026-03-20", WarnNone, false), clock("2026-01-05", WarnRed, false)}},
		{"met only", WarnNone, []Clock{clock("2026-03-01", WarnRed, true)}},
	}
	slices.SortStableFunc(things, func(a, b thing) int {
		switch {
		case Before(a.w, a.cs, b.w, b.cs):
			return -1
		case Before(b.w, b.cs, a.w, a.cs):
			return 1
		}
		return 0
	})
	var got []string
	for _, x := range things {
		got = append(got, x.name)
	}
	want := []string{"red, 49 days", "red, 2 days", "yellow", "fresh", "none", "met only"}
	if !slices.Equal(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
}
