package supervision

import (
	"testing"
)

func TestSatisfactionValue(t *testing.T) {
	for _, c := range []struct {
		good, bad int
		ok        bool
		score     float64
		display   string
	}{
		{0, 0, false, 0, ""},
		{19, 1, true, 95, "95.0%（19/20），差评 1 件"},
		{0, 3, true, 0, "0.0%（0/3），差评 3 件"},
		{7, 0, true, 100, "100.0%（7/7），差评 0 件"},
	} {
		v, ok := SatisfactionValue(c.good, c.bad)
		if ok != c.ok || v.Score != c.score || v.Display != c.display {
			t.Errorf("%d good %d bad: %+v %v", c.good, c.bad, v, ok)
		}
	}
}

func TestComplaintValue(t *testing.T) {
	for _, c := range []struct {
		received, accepted, answered, late int
		ok                                 bool
		score                              float64
	}{
		{0, 0, 0, 0, false, 0},
		{1, 0, 0, 0, true, 100}, // refused or not yet accepted: not held against the subject
		{3, 2, 1, 0, true, 80},
		{3, 2, 1, 1, true, 70},   // one of them late
		{15, 15, 15, 0, true, 0}, // never below 0
	} {
		v, ok := ComplaintValue(c.received, c.accepted, c.answered, c.late)
		if ok != c.ok || v.Score != c.score {
			t.Errorf("%+v: %+v %v", c, v, ok)
		}
	}
}

func TestMonthsSpan(t *testing.T) {
	from, to, ok := MonthsSpan([]string{"2026-03", "2026-01", "2026-02"})
	if !ok || from.String() != "2026-01-01" || to.String() != "2026-03-31" {
		t.Fatalf("a quarter: %s – %s %v", from, to, ok)
	}
	from, to, ok = MonthsSpan([]string{"2025-12"})
	if !ok || from.String() != "2025-12-01" || to.String() != "2025-12-31" {
		t.Fatalf("December: %s – %s", from, to)
	}
	from, to, ok = MonthsSpan([]string{"2028-02"})
	if !ok || to.String() != "2028-02-29" {
		t.Fatalf("a leap February: %s – %s", from, to)
	}
	if _, _, ok := MonthsSpan(nil); ok {
		t.Fatal("no months, no span")
	}
}
