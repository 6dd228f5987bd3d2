package main

import (
	"strings"
	"testing"
	"time"

	"openhall/internal/loadgen"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{0.4}, 0.4},
		{[]float64{0.5, 0.3}, 0.4},
		{[]float64{0.9, 0.1, 0.5}, 0.5},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got := median([]time.Duration{3, 1, 2}); got != 2 {
		t.Errorf("median of durations = %v, want 2", got)
	}
}

// TestPrintMedians: each build's ratios are taken against the mean of the
// raw rates on either side of its load, and summed up by build.
func TestPrintMedians(t *testing.T) {
	run := func(label string, before, after, sub, tr float64) compareRun {
		return compareRun{label: label, rawBefore: before, rawAfter: after,
			sub: loadgen.CaseReport{SubmitRate: sub}, tr: loadgen.CaseReport{TransitionRate: tr}}
	}
	rs := []compareRun{
		run("before#1", 1000, 1000, 400, 300),
		run("after#1", 1200, 800, 500, 400),    // raw 1000: 0.50, 0.40
		run("after#2", 3000, 1000, 2400, 2000), // raw 2000: 1.20, 1.00
		run("before#2", 2000, 2000, 1000, 800),
		run("before#3", 500, 1500, 500, 400), // raw 1000: 0.50, 0.40
		run("after#3", 1000, 1000, 600, 500),
	}
	var b strings.Builder
	printMedians(&b, rs)
	want := "submissions × raw 1-row: before 0.50 (0.40–0.50), after 0.60 (0.50–1.20), after/before 1.20\n" +
		"transitions × raw 1-row: before 0.40 (0.30–0.40), after 0.50 (0.40–1.00), after/before 1.25\n"
	if b.String() != want {
		t.Fatalf("summary:\n%s\nwant:\n%s", b.String(), want)
	}
}
