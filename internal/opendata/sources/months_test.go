package sources

import (
	"testing"
	"time"
)

func TestRecentMonths(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	// 1 March 00:30 China time is still 28 February in UTC: the month is China's.
	ms := recentMonths(time.Date(2026, 3, 1, 0, 30, 0, 0, cst))
	if len(ms) != statMonths {
		t.Fatalf("%d months", len(ms))
	}
	first, last := ms[0], ms[len(ms)-1]
	if first.Label != "2024-04" || first.From.String() != "2024-04-01" || first.To.String() != "2024-04-30" {
		t.Errorf("first month %+v", first)
	}
	if last.Label != "2026-03" || last.From.String() != "2026-03-01" || last.To.String() != "2026-03-01" {
		t.Errorf("this month ends today: %+v", last)
	}
	if feb := ms[len(ms)-2]; feb.To.String() != "2026-02-28" {
		t.Errorf("February %+v", feb)
	}
	dec := recentMonths(time.Date(2026, 12, 31, 23, 0, 0, 0, cst))
	if l := dec[len(dec)-1]; l.Label != "2026-12" || l.To.String() != "2026-12-31" || dec[0].Label != "2025-01" {
		t.Errorf("December: first %+v last %+v", dec[0], l)
	}
}
