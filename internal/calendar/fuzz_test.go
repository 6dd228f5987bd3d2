package calendar

import (
	"bytes"
	"os"
	"testing"
)

// FuzzParseDate: no panics, and whatever parses prints back unchanged (the
// format is strict, so there is exactly one spelling per date).
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-02-14", "2024-02-29", "2026-02-30", "0000-01-01", "9999-12-31", "-001-01-01", "2026-1-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
	})
}

// FuzzParseScheduleJSON: no panics, and anything accepted is valid input for
// New.
func FuzzParseScheduleJSON(f *testing.F) {
	if b, err := os.ReadFile("data/2020.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"year":2026,"papers":[],"days":[{"name":"x","date":"2025-12-31","isOffDay":true}]}`))
	f.Add([]byte(`{"year":2026,"days":[{"date":"2026-01-01","isOffDay":true},{"date":"2026-01-01","isOffDay":true}]}`))
	f.Add([]byte(`{"year":1e9}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseScheduleJSON(bytes.NewReader(b))
		if err != nil {
			return
		}
		c, err := New([]Schedule{s}, nil)
		if err != nil {
			t.Fatalf("parsed schedule rejected by New: %v", err)
		}
		if !c.Covers(s.Year) {
			t.Fatalf("calendar does not cover %d", s.Year)
		}
	})
}

// FuzzParseScheduleICS: the ICS path reads files uploaded by administrators
// through a third-party parser; it must not panic either.
func FuzzParseScheduleICS(f *testing.F) {
	f.Add([]byte(synthetic2027()))
	f.Add([]byte(ics("DTSTART;VALUE=DATE:20270101\nDTEND;VALUE=DATE:99990101")))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("0;0=")) // made go-ical panic before decodeICS recovered
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseScheduleICS(bytes.NewReader(b), 2027)
		if err != nil {
			return
		}
		if _, err := New([]Schedule{s}, nil); err != nil {
			t.Fatalf("parsed schedule rejected by New: %v", err)
		}
	})
}
