package rating

import (
	"testing"
	"time"

	"openhall/internal/calendar"
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
		provisional bool
		check       time.Time
	}{
		{"ordinary", at(2026, 3, 10, 16), 15, "2026-04-01", false, time.Time{}},
		{"spring festival", at(2026, 2, 13, 16), 15, "2026-03-13", false, time.Time{}},
		{"december", at(2026, 12, 24, 16), 15, "2027-01-15", true, now.Add(24 * time.Hour)},
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
			if tt.provisional {
				want = tt.check
			}
			if got := s.checkAt(end, prov); !got.Equal(want) {
				t.Fatalf("timer at %v, want %v", got, want)
			}
		})
	}
}
