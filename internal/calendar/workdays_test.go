package calendar

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAddWorkdays checks edge cases against the embedded official data.
//
// 2026 (国办发明电〔2025〕7号): Spring Festival off Sun 15 – Mon 23 February,
// make-up Saturdays 14 and 28 February; Mid-Autumn off Fri 25 – Sun 27
// September, National Day off 1–7 October, make-up Sunday 20 September and
// Saturday 10 October; New Year off 1–3 January, make-up Sunday 4 January.
//
// 2020: the data carries both papers: the original notice (off 24–30
// January, make-up Sunday 19 January and Saturday 1 February) and the State
// Council's extension of 27 January 2020 (国办发明电〔2020〕1号), which moved
// the end of the holiday to Sunday 2 February. The JSON shows the extension:
// 31 January and 1 February are off days (the 1 February make-up day is
// gone) and Monday 3 February is listed as a working day. Provincial
// extensions beyond 2 February (e.g. Hubei, Shanghai to 9 February) are not in
// the national data; they would be Overrides.
func TestAddWorkdays(t *testing.T) {
	c := embeddedCalendar(t)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"make-up Saturday counts", "2026-02-13", 1, "2026-02-14"},
		{"over the Spring Festival block", "2026-02-13", 2, "2026-02-24"},
		{"last working day before the block", "2026-02-14", 1, "2026-02-24"},
		{"from inside the block", "2026-02-18", 1, "2026-02-24"},
		{"from the last off day", "2026-02-23", 1, "2026-02-24"},
		{"n spanning the block", "2026-02-12", 5, "2026-02-26"},
		{"second make-up Saturday", "2026-02-27", 1, "2026-02-28"},
		{"after the second make-up Saturday", "2026-02-28", 1, "2026-03-02"},
		{"over Mid-Autumn", "2026-09-24", 1, "2026-09-28"},
		{"make-up Sunday before National Day", "2026-09-18", 1, "2026-09-20"},
		{"last working day before National Day", "2026-09-30", 1, "2026-10-08"},
		{"National Day +3 lands on make-up Saturday", "2026-09-30", 3, "2026-10-10"},
		{"National Day +4", "2026-09-30", 4, "2026-10-12"},
		{"from inside National Day", "2026-10-04", 1, "2026-10-08"},
		{"New Year crossing to make-up Sunday", "2025-12-31", 1, "2026-01-04"},
		{"New Year crossing +2", "2025-12-31", 2, "2026-01-05"},
		{"New Year crossing +20", "2025-12-30", 20, "2026-01-28"},
		{"2020 extended Spring Festival", "2020-01-23", 1, "2020-02-03"},
		{"2020 make-up Sunday before it", "2020-01-17", 1, "2020-01-19"},
		{"2020 from the cancelled make-up day", "2020-02-01", 1, "2020-02-03"},
		{"n = 0 returns d even on a holiday", "2026-10-01", 0, "2026-10-01"},
		{"weekend start: Saturday + 1 is Monday", "2026-03-07", 1, "2026-03-09"},
		{"leap day", "2024-02-28", 1, "2024-02-29"},
		{"first covered day", "2007-01-01", 1, "2007-01-04"}, // 2007 New Year off 1–3 January
		{"60 working days over Mid-Autumn and National Day", "2026-09-01", 60, "2026-11-30"},
	}
	for _, tt := range tests {
		got, err := c.AddWorkdays(date(t, tt.from), tt.n)
		if err != nil || got.String() != tt.want {
			t.Errorf("%s: AddWorkdays(%s, %d) = %s, %v; want %s", tt.name, tt.from, tt.n, got, err, tt.want)
		}
	}
}

func TestAddWorkdaysErrors(t *testing.T) {
	c := embeddedCalendar(t)
	_, err := c.AddWorkdays(date(t, "2006-12-29"), 1)
	wantNoData(t, err, 2006)
	_, err = c.AddWorkdays(date(t, "2006-06-01"), 0)
	wantNoData(t, err, 2006)
	_, err = c.AddWorkdays(date(t, "2026-01-05"), 1<<40) // absurd n must not overflow
	wantNoData(t, err, 2026+provisionalYears+1)
	_, err = c.AddWorkdays(date(t, "2060-01-05"), 1) // beyond the provisional years
	wantNoData(t, err, 2060)
	if _, err = c.AddWorkdays(date(t, "2026-01-05"), -1); err == nil || !strings.Contains(err.Error(), "不能为负数") {
		t.Errorf("negative n: error = %v", err)
	}
	if got, err := c.AddWorkdays(date(t, "2026-12-30"), 1); err != nil || got.String() != "2026-12-31" {
		t.Errorf("AddWorkdays(2026-12-30, 1) = %s, %v", got, err)
	}
}

// TestProvisionalYear: a year without a schedule (2027 in the embedded data)
// is answered as a plain week and flagged, so December deadlines still come
// out. The expected dates are counted by hand on a 2027 wall calendar.
func TestProvisionalYear(t *testing.T) {
	c := embeddedCalendar(t)
	tests := []struct {
		from string
		n    int
		want string
		year int // the year that makes the answer provisional, 0 if none
	}{
		{"2026-12-30", 1, "2026-12-31", 0},
		{"2026-12-31", 1, "2027-01-04", 2027},  // 1 January is 元旦, off by law
		{"2026-12-01", 20, "2026-12-29", 0},    // December 2026 alone is official
		{"2026-12-01", 30, "2027-01-13", 2027}, // 22 in December, then 4–8, 11, 12, 13
		{"2026-12-04", 20, "2027-01-04", 2027}, // 19 in December, then the Monday after 元旦
		{"2027-02-05", 5, "2027-02-15", 2027},  // 除夕 to 初三 (5–8 February) off by law; the notice's 调休 unknown yet
	}
	for _, tt := range tests {
		got, err := c.AddWorkdays(date(t, tt.from), tt.n)
		if err != nil || got.String() != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, tt.want)
			continue
		}
		wantProvisional(t, c, date(t, tt.from), got, tt.year)
	}
	if n, err := c.WorkdaysBetween(date(t, "2026-12-01"), date(t, "2027-01-10")); err != nil || n != 27 {
		t.Errorf("WorkdaysBetween into 2027 = %d, %v; want 27", n, err)
	}
	if d, err := c.AddNaturalDays(date(t, "2026-12-20"), 30); err != nil || d.String() != "2027-01-19" {
		t.Errorf("AddNaturalDays into 2027 = %s, %v", d, err)
	}
	// Importing the 2027 notice turns the same questions official: New
	// Year's Day is then off.
	s, err := ParseScheduleICS(strings.NewReader(synthetic2027()), 2027)
	if err != nil {
		t.Fatal(err)
	}
	c2027, err := New(append(EmbeddedSchedules(), s), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c2027.AddWorkdays(date(t, "2026-12-31"), 1)
	if err != nil || got.String() != "2027-01-04" {
		t.Errorf("with 2027 imported: %s, %v", got, err)
	}
	wantProvisional(t, c2027, date(t, "2026-12-31"), got, 0)
}

func TestWorkdaysBetween(t *testing.T) {
	c := embeddedCalendar(t)
	tests := []struct {
		from, to string
		want     int
	}{
		{"2026-02-13", "2026-02-14", 1},
		{"2026-02-13", "2026-02-24", 2},
		{"2026-02-14", "2026-02-23", 0},  // the whole block is off
		{"2026-02-01", "2026-02-28", 16}, // 2–13 (10), Sat 14, 24–27 (4), Sat 28
		{"2026-09-30", "2026-10-10", 3},
		{"2025-12-31", "2026-01-04", 1},
		{"2026-01-01", "2026-12-31", 248}, // 2026 has 248 working days; 1 January is off anyway
		{"2020-01-23", "2020-02-03", 1},
		{"2026-03-09", "2026-03-09", 0},
		{"2026-03-10", "2026-03-09", 0}, // to before from
	}
	for _, tt := range tests {
		got, err := c.WorkdaysBetween(date(t, tt.from), date(t, tt.to))
		if err != nil || got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, %v; want %d", tt.from, tt.to, got, err, tt.want)
		}
	}
	_, err := c.WorkdaysBetween(date(t, "2006-12-01"), date(t, "2007-01-10"))
	wantNoData(t, err, 2006)
	_, err = c.WorkdaysBetween(date(t, "2007-01-10"), date(t, "2006-12-01")) // reversed still checks
	wantNoData(t, err, 2006)
}

// TestWorkdaysBetweenInvertsAddWorkdays is the property
// WorkdaysBetween(d, AddWorkdays(d, n)) == n for random d and n in 0..60.
func TestWorkdaysBetweenInvertsAddWorkdays(t *testing.T) {
	c := embeddedCalendar(t)
	r := rand.New(rand.NewPCG(2026, 214))
	first, span := date(t, "2007-01-01"), date(t, "2026-12-31").Sub(date(t, "2007-01-01"))
	checked := 0
	for range 20000 {
		d, n := first.AddDays(r.IntN(span+1)), r.IntN(61)
		e, err := c.AddWorkdays(d, n)
		if err != nil {
			t.Fatalf("AddWorkdays(%s, %d): %v", d, n, err)
		}
		if work, _ := c.IsWorkday(e); n > 0 && !work {
			t.Fatalf("AddWorkdays(%s, %d) = %s, not a working day", d, n, e)
		}
		if got, err := c.WorkdaysBetween(d, e); err != nil || got != n {
			t.Fatalf("WorkdaysBetween(%s, AddWorkdays(%s, %d) = %s) = %d, %v", d, d, n, e, got, err)
		}
		checked++
	}
	if checked < 19000 {
		t.Errorf("only %d cases checked", checked)
	}
}

// TestWorkdaysBetweenBruteForce compares with a day-by-day count using the
// JSON oracle, for random pairs up to 400 days apart.
func TestWorkdaysBetweenBruteForce(t *testing.T) {
	c, o := embeddedCalendar(t), loadOracle(t)
	r := rand.New(rand.NewPCG(7, 10))
	first := date(t, "2007-01-01")
	span := date(t, "2026-12-31").Sub(first)
	for range 3000 {
		a := first.AddDays(r.IntN(span + 1))
		b := a.AddDays(r.IntN(401) - 50)
		if b.Year() > 2026 || b.Year() < 2007 {
			continue
		}
		want := 0
		for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
			if o.isWork(t, d.String()) {
				want++
			}
		}
		if got, err := c.WorkdaysBetween(a, b); err != nil || got != want {
			t.Fatalf("WorkdaysBetween(%s, %s) = %d, %v; brute force %d", a, b, got, err, want)
		}
	}
}

func TestNextWorkday(t *testing.T) {
	c := embeddedCalendar(t)
	for from, want := range map[string]string{
		"2026-02-14": "2026-02-14", // make-up Saturday is itself a working day
		"2026-02-15": "2026-02-24",
		"2026-03-09": "2026-03-09",
		"2026-03-07": "2026-03-09",
		"2026-10-01": "2026-10-08",
	} {
		if got, err := c.NextWorkday(date(t, from)); err != nil || got.String() != want {
			t.Errorf("NextWorkday(%s) = %s, %v; want %s", from, got, err, want)
		}
	}
	_, err := c.NextWorkday(date(t, "2006-12-31"))
	wantNoData(t, err, 2006)
}

func TestAddNaturalDays(t *testing.T) {
	c := embeddedCalendar(t)
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-03-02", 3, "2026-03-05"},  // ordinary weekday
		{"2026-03-02", 5, "2026-03-09"},  // lands on Saturday → Monday
		{"2026-09-24", 7, "2026-10-08"},  // lands on National Day → first day after
		{"2026-02-07", 7, "2026-02-14"},  // lands on a make-up Saturday: a working day, stays
		{"2026-02-01", 15, "2026-02-24"}, // lands inside the Spring Festival block
		{"2026-02-10", 10, "2026-02-24"}, // the days in between are counted whatever they are
		{"2026-10-01", 0, "2026-10-08"},
		{"2025-12-01", 31, "2026-01-04"}, // 2026-01-01 is off → the make-up Sunday
	}
	for _, tt := range tests {
		if got, err := c.AddNaturalDays(date(t, tt.from), tt.n); err != nil || got.String() != tt.want {
			t.Errorf("AddNaturalDays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, tt.want)
		}
	}
	_, err := c.AddNaturalDays(date(t, "2026-12-26"), 0) // Saturday: next working day is 28th
	if err != nil {
		t.Error(err)
	}
	if _, err := c.AddNaturalDays(date(t, "2026-03-02"), -1); err == nil {
		t.Error("negative n accepted")
	}
}
