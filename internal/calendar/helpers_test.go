package calendar

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// date parses s or fails the test; it keeps tables readable.
func date(tb testing.TB, s string) Date {
	tb.Helper()
	d, err := ParseDate(s)
	if err != nil {
		tb.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// cst returns the instant "YYYY-MM-DD HH:MM" in China Standard Time.
func cst(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, time.FixedZone("CST", 8*3600))
	if err != nil {
		tb.Fatalf("bad test time %q: %v", s, err)
	}
	return t
}

// embeddedCalendar builds the calendar every product deployment starts from.
func embeddedCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	c, err := New(EmbeddedSchedules(), nil)
	if err != nil {
		tb.Fatalf("New(EmbeddedSchedules()): %v", err)
	}
	return c
}

// wantNoData fails unless err is a NoDataError for year.
func wantNoData(tb testing.TB, err error, year int) {
	tb.Helper()
	var nd NoDataError
	if !errors.As(err, &nd) {
		tb.Fatalf("error = %v, want NoDataError{%d}", err, year)
	}
	if nd.Year != year {
		tb.Fatalf("NoDataError.Year = %d, want %d", nd.Year, year)
	}
}

// wantProvisional fails unless the span [a, b] is provisional because of year.
func wantProvisional(tb testing.TB, c *Calendar, a, b Date, year int) {
	tb.Helper()
	if got := c.Provisional(a, b); got != year {
		tb.Fatalf("Provisional(%s, %s) = %d, want %d", a, b, got, year)
	}
}

// naiveOracle is an independent working-day model read straight from the JSON
// files with encoding/json and time.Time, sharing no code with the package.
type naiveOracle struct {
	listed map[string]bool // "2006-01-02" → isOffDay
}

// loadOracle reads data/<year>.json for 2007–2026 in year order, so a later
// notice's entries for the preceding December win, as in New.
func loadOracle(tb testing.TB) naiveOracle {
	tb.Helper()
	o := naiveOracle{listed: make(map[string]bool)}
	for y := 2007; y <= 2026; y++ {
		b, err := os.ReadFile(fmt.Sprintf("data/%d.json", y))
		if err != nil {
			tb.Fatal(err)
		}
		var f struct {
			Days []struct {
				Date     string `json:"date"`
				IsOffDay bool   `json:"isOffDay"`
			} `json:"days"`
		}
		if err := json.Unmarshal(b, &f); err != nil {
			tb.Fatal(err)
		}
		for _, d := range f.Days {
			o.listed[d.Date] = d.IsOffDay
		}
	}
	return o
}

// isWork answers for a "YYYY-MM-DD" date, using package time for the weekday.
func (o naiveOracle) isWork(tb testing.TB, day string) bool {
	if off, ok := o.listed[day]; ok {
		return !off
	}
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		tb.Fatal(err)
	}
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}
