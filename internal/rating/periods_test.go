package rating

import (
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

type oneCalendar struct{ cal *calendar.Calendar }

func (o oneCalendar) ForRegion(string) (*calendar.Calendar, error) { return o.cal, nil }

// TestPeriodEnds: when the default rating is given and a ticket waiting
// for the second evaluation closes — the start of the day after the last
// working day — on an ordinary day, across the Spring Festival block with
// its make-up Saturdays, and in December without the 2027 schedule, when
// the timer looks again daily until the schedule is imported.
func TestPeriodEnds(t *testing.T) {
	now := at(2026, 12, 28, 10)
	s := &Service{d: Deps{Calendars: oneCalendar{national(t)}, Now: func() time.Time { return now }}}
	tests := []struct {
		name        string
		start       time.Time
		days        int
		end         string
		provisional int
		check       time.Time
	}{
		{"ordinary", at(2026, 3, 10, 16), 15, "2026-04-01", 0, time.Time{}},
		{"spring festival", at(2026, 2, 13, 16), 15, "2026-03-13", 0, time.Time{}},
		// 12-25 … 12-31 (5), 01-04 … 01-15 (暂定; 01-01 is 元旦, off by law
		// before the 2027 schedule is imported, 01-02/03 a weekend).
		{"december", at(2026, 12, 24, 16), 15, "2027-01-16", 2027, now.Add(24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end, prov, err := s.endOfPeriod("/1/", tt.start, tt.days)
			if err != nil {
				t.Fatal(err)
			}
			if got := calendar.DateOf(end).String(); got != tt.end || prov != tt.provisional || end.IsZero() {
				t.Fatalf("end %s (provisional %v), want %s (%v)", got, prov, tt.end, tt.provisional)
			}
			want := end
			if tt.provisional != 0 {
				want = tt.check
			}
			if got := workclock.CheckAt(end, prov, now); !got.Equal(want) {
				t.Fatalf("timer at %v, want %v", got, want)
			}
		})
	}
}

// TestPeriodPassed: a step that cannot be undone (the default rating,
// closing a ticket unrated) is taken once the period is over; while its end
// is provisional (December, the 2027 schedule not imported), only three
// weeks after that end, looking again daily until then.
func TestPeriodPassed(t *testing.T) {
	var now time.Time
	s := &Service{d: Deps{Calendars: oneCalendar{national(t)}, Now: func() time.Time { return now }}}
	tests := []struct {
		name  string
		start time.Time
		now   time.Time
		over  bool
		next  time.Time // zero: now + 24 h
	}{
		{"ordinary, before the end", at(2026, 3, 10, 16), at(2026, 3, 31, 23), false, at(2026, 4, 1, 0)},
		{"ordinary, after the end", at(2026, 3, 10, 16), at(2026, 4, 1, 0), true, time.Time{}},
		{"spring festival, the last day", at(2026, 2, 13, 16), at(2026, 3, 12, 12), false, at(2026, 3, 13, 0)},
		{"spring festival, after the end", at(2026, 2, 13, 16), at(2026, 3, 13, 0), true, time.Time{}},
		// The provisional end is the start of 01-16 (last day 01-15; 01-01 is
		// 元旦, off by law before the 2027 schedule is imported).
		{"december, before the provisional end", at(2026, 12, 24, 16), at(2026, 12, 28, 10), false, time.Time{}},
		{"december, past the provisional end", at(2026, 12, 24, 16), at(2027, 1, 16, 10), false, time.Time{}},
		{"december, two weeks past it", at(2026, 12, 24, 16), at(2027, 1, 30, 10), false, time.Time{}},
		{"december, three weeks past it", at(2026, 12, 24, 16), at(2027, 2, 6, 0), true, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = tt.now
			end, prov, err := s.endOfPeriod("/1/", tt.start, 15)
			if err != nil {
				t.Fatal(err)
			}
			over, next := s.passed(end, prov)
			want := tt.next
			if want.IsZero() && !tt.over {
				want = now.Add(24 * time.Hour)
			}
			if over != tt.over || !next.Equal(want) {
				t.Fatalf("end %v (provisional %v): over %v, next %v; want %v, %v", end, prov, over, next, tt.over, want)
			}
		})
	}
}

// TestDaySpan: the ratings not folded yet are counted over the same days
// as the counts: from the start of From's China day to the start of To's.
func TestDaySpan(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name          string
		from, to      time.Time
		wantF, wantTo time.Time
	}{
		{"midnights", time.Date(2026, 3, 1, 0, 0, 0, 0, cst), time.Date(2026, 4, 1, 0, 0, 0, 0, cst),
			time.Date(2026, 3, 1, 0, 0, 0, 0, cst), time.Date(2026, 4, 1, 0, 0, 0, 0, cst)},
		// 2026-03-09 20:00 UTC is 3-10 04:00 in China.
		{"utc evening", time.Date(2026, 3, 9, 20, 0, 0, 0, time.UTC), time.Date(2026, 3, 11, 15, 59, 0, 0, time.UTC),
			time.Date(2026, 3, 10, 0, 0, 0, 0, cst), time.Date(2026, 3, 11, 0, 0, 0, 0, cst)},
		{"new year", time.Date(2026, 12, 31, 23, 0, 0, 0, cst), time.Date(2027, 1, 1, 0, 0, 0, 0, cst),
			time.Date(2026, 12, 31, 0, 0, 0, 0, cst), time.Date(2027, 1, 1, 0, 0, 0, 0, cst)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, to := DaySpan(tt.from, tt.to)
			if !f.Equal(tt.wantF) || !to.Equal(tt.wantTo) {
				t.Fatalf("DaySpan = %v, %v; want %v, %v", f, to, tt.wantF, tt.wantTo)
			}
		})
	}
}

// TestCountsOfExcluded: an excluded rating is not counted when folded.
func TestCountsOfExcluded(t *testing.T) {
	at := time.Date(2026, 3, 9, 2, 0, 0, 0, time.UTC)
	rs := []*Rating{{Level: Satisfied, At: at}, {Level: Satisfied, At: at, Excluded: true}, {Level: Dissatisfied, At: at}}
	rows := CountsOf(rs, 1)
	if len(rows) != 2 || rows[0].N != 1 || rows[1].N != 1 || rows[0].Day != "2026-03-09" {
		t.Fatalf("rows %+v", rows)
	}
}
