package calendar

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	good := []string{"2026-02-14", "2024-02-29", "2000-02-29", "1970-01-01", "0001-01-01", "9999-12-31"}
	for _, s := range good {
		d, err := ParseDate(s)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
			continue
		}
		if d.String() != s {
			t.Errorf("ParseDate(%q).String() = %q", s, d.String())
		}
	}
	bad := []string{"", "2026-2-14", "2026/02/14", "2026-02-30", "2025-02-29", "1900-02-29",
		"2026-13-01", "2026-00-10", "2026-01-00", "+026-01-01", "2026-01-1 ", " 2026-01-01", "２０２６-01-01", "20260214"}
	for _, s := range bad {
		_, err := ParseDate(s)
		if err == nil {
			t.Errorf("ParseDate(%q) succeeded, want error", s)
			continue
		}
		// The message must be Chinese and name the offending value.
		if !strings.Contains(err.Error(), "日期") || !strings.Contains(err.Error(), s) {
			t.Errorf("ParseDate(%q) error %q should be Chinese and quote the value", s, err)
		}
	}
}

func TestNewDateNormalises(t *testing.T) {
	if got := NewDate(2026, time.February, 29).String(); got != "2026-03-01" {
		t.Errorf("NewDate(2026,2,29) = %s, want 2026-03-01", got)
	}
	if got := NewDate(2026, time.January, 0).String(); got != "2025-12-31" {
		t.Errorf("NewDate(2026,1,0) = %s, want 2025-12-31", got)
	}
	if (Date{}) != NewDate(1970, time.January, 1) {
		t.Error("zero Date should be 1970-01-01")
	}
}

// TestCivilAgainstTime checks the hand-written civil conversion and weekday
// arithmetic against package time over a wide random range, including
// dates before 1970 where floor division matters.
func TestCivilAgainstTime(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		y, m, d := 1+r.IntN(9999), time.Month(1+r.IntN(12)), 1+r.IntN(31)
		ref := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		got := NewDate(y, m, d)
		if got.Year() != ref.Year() || got.Month() != ref.Month() || got.Day() != ref.Day() {
			t.Fatalf("NewDate(%d,%d,%d) = %d-%d-%d, want %s", y, m, d, got.Year(), got.Month(), got.Day(), ref.Format(time.DateOnly))
		}
		if got.Weekday() != ref.Weekday() {
			t.Fatalf("%s Weekday = %v, want %v", got, got.Weekday(), ref.Weekday())
		}
		if got.String() != ref.Format(time.DateOnly) {
			t.Fatalf("String = %s, want %s", got, ref.Format(time.DateOnly))
		}
	}
}

func TestDateOfUsesChinaStandardTime(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 2, 13, 15, 59, 59, 0, time.UTC), "2026-02-13"}, // 23:59:59 CST
		{time.Date(2026, 2, 13, 16, 0, 0, 0, time.UTC), "2026-02-14"},   // 00:00 CST next day
		{time.Date(2026, 1, 1, 0, 30, 0, 0, time.FixedZone("PST", -8*3600)), "2026-01-01"},
		{time.Date(1969, 12, 31, 15, 59, 59, 0, time.UTC), "1969-12-31"},
		{time.Date(1969, 12, 31, 16, 0, 0, 0, time.UTC), "1970-01-01"},
	}
	for _, tt := range tests {
		if got := DateOf(tt.t).String(); got != tt.want {
			t.Errorf("DateOf(%v) = %s, want %s", tt.t, got, tt.want)
		}
	}
}

func TestDateTime(t *testing.T) {
	d := date(t, "2026-10-01")
	tm := d.Time()
	if want := time.Date(2026, 9, 30, 16, 0, 0, 0, time.UTC); !tm.Equal(want) {
		t.Errorf("Time() = %v, want %v", tm, want)
	}
	if name, off := tm.Zone(); name != "CST" || off != 8*3600 {
		t.Errorf("Time() zone = %s %d, want CST +8h", name, off)
	}
	if DateOf(tm) != d || DateOf(tm.Add(24*time.Hour-time.Nanosecond)) != d {
		t.Error("DateOf(d.Time()) should round-trip for the whole day")
	}
}

func TestDateArithmetic(t *testing.T) {
	a, b := date(t, "2025-12-31"), date(t, "2026-03-01")
	if got := a.AddDays(60); got != b {
		t.Errorf("AddDays(60) = %s, want %s", got, b)
	}
	if b.Sub(a) != 60 || a.Sub(b) != -60 {
		t.Errorf("Sub = %d / %d, want 60 / -60", b.Sub(a), a.Sub(b))
	}
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Before/After/Compare disagree with order")
	}
	if got := b.AddDays(-60); got != a {
		t.Errorf("AddDays(-60) = %s, want %s", got, a)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		D Date `json:"d"`
	}
	b, err := json.Marshal(doc{D: date(t, "2026-02-14")})
	if err != nil || string(b) != `{"d":"2026-02-14"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back doc
	if err := json.Unmarshal(b, &back); err != nil || back.D != date(t, "2026-02-14") {
		t.Fatalf("Unmarshal = %v, %v", back.D, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2026-02-30"}`), &back); err == nil {
		t.Error("Unmarshal of an impossible date succeeded")
	}
	// No date is the empty string, never 1970-01-01, and reads back as none.
	b, err = json.Marshal(map[string]any{"d": Date{}})
	if err != nil || string(b) != `{"d":""}` {
		t.Fatalf("Marshal of no date = %s, %v", b, err)
	}
	back = doc{D: date(t, "2026-02-14")}
	if err := json.Unmarshal([]byte(`{"d":""}`), &back); err != nil || !back.D.IsZero() {
		t.Fatalf("Unmarshal of no date = %v, %v", back.D, err)
	}
}
