package calendar

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestYearsAndCovers(t *testing.T) {
	c := embeddedCalendar(t)
	years := c.Years()
	if len(years) != 20 || years[0] != 2007 || years[19] != 2026 {
		t.Fatalf("Years() = %v", years)
	}
	years[0] = 1 // the caller's copy must not alias the calendar's state
	if c.Years()[0] != 2007 {
		t.Error("Years() returned internal state")
	}
	for y, want := range map[int]bool{2006: false, 2007: true, 2020: true, 2026: true, 2027: false} {
		if c.Covers(y) != want {
			t.Errorf("Covers(%d) = %v", y, !want)
		}
	}
}

// TestIsWorkdayMatchesOracle checks every day of 2007–2026 against a naive
// model read straight from the JSON files.
func TestIsWorkdayMatchesOracle(t *testing.T) {
	c, o := embeddedCalendar(t), loadOracle(t)
	n := 0
	for tm := time.Date(2007, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() <= 2026; tm = tm.AddDate(0, 0, 1) {
		d := NewDate(tm.Year(), tm.Month(), tm.Day())
		got, err := c.IsWorkday(d)
		if err != nil {
			t.Fatalf("IsWorkday(%s): %v", d, err)
		}
		if want := o.isWork(t, tm.Format(time.DateOnly)); got != want {
			t.Errorf("IsWorkday(%s) = %v, oracle says %v", d, got, want)
		}
		n++
	}
	if n != 7305 {
		t.Errorf("checked %d days, want 7305", n)
	}
}

// TestPreviousDecemberDays: notices list their New Year holiday's December
// days under the following year; those must take effect.
func TestPreviousDecemberDays(t *testing.T) {
	c := embeddedCalendar(t)
	tests := []struct {
		day  string
		work bool
	}{
		{"2007-12-29", true},  // Saturday make-up, from the 2008 notice
		{"2007-12-31", false}, // Monday off, from the 2008 notice
		{"2011-12-31", true},  // Saturday make-up, from the 2012 notice
		{"2018-12-29", true},  // Saturday make-up, from the 2019 notice
		{"2018-12-31", false}, // Monday off, from the 2019 notice
	}
	for _, tt := range tests {
		if got, err := c.IsWorkday(date(t, tt.day)); err != nil || got != tt.work {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", tt.day, got, err, tt.work)
		}
	}
	// The 2007 notice's 2006-12-30/31 do not make 2006 covered.
	_, err := c.IsWorkday(date(t, "2006-12-30"))
	wantNoData(t, err, 2006)
}

func TestDayNames(t *testing.T) {
	c := embeddedCalendar(t)
	tests := []struct {
		day, name string
		off       bool
	}{
		{"2026-02-14", "春节", false},
		{"2026-10-01", "国庆节", true},
		{"2026-03-07", "", true},  // plain Saturday
		{"2026-03-09", "", false}, // plain Monday
	}
	for _, tt := range tests {
		d, err := c.Day(date(t, tt.day))
		if err != nil || d.Name != tt.name || d.IsOffDay != tt.off || d.Date != date(t, tt.day) {
			t.Errorf("Day(%s) = %+v, %v; want %q off %v", tt.day, d, err, tt.name, tt.off)
		}
	}
	// 2027 has no schedule in the embedded data: its days follow the plain
	// week provisionally, with the days off the law fixes (放假办法 Art 2):
	// New Year's Day (a Friday) is off, 除夕 to 初三 (5–8 February) too, and
	// the Tuesday after works until the 2027 notice is imported.
	for _, tt := range []struct {
		day, name string
		off       bool
	}{
		{"2027-01-01", "元旦", true}, {"2027-02-05", "春节", true}, {"2027-02-08", "春节", true}, {"2027-02-09", "", false},
		{"2027-04-05", "清明节", true}, {"2027-05-03", "", false}, {"2027-06-09", "端午节", true}, {"2027-09-15", "中秋节", true},
		{"2027-10-01", "国庆节", true}, {"2027-10-04", "", false},
	} {
		d, err := c.Day(date(t, tt.day))
		if err != nil || d.IsOffDay != tt.off || d.Name != tt.name {
			t.Errorf("Day(%s) = %+v, %v; want %q off %v", tt.day, d, err, tt.name, tt.off)
		}
	}
	wantProvisional(t, c, date(t, "2027-01-01"), date(t, "2027-01-01"), 2027)
	wantProvisional(t, c, date(t, "2026-10-01"), date(t, "2026-10-01"), 0)
}

func TestOverrides(t *testing.T) {
	ov := []Override{
		{Date: date(t, "2026-03-03"), IsOffDay: true, Name: "三月三"},   // Tuesday off (e.g. Guangxi)
		{Date: date(t, "2026-03-07"), IsOffDay: false, Name: "地方补班"}, // Saturday at work
		{Date: date(t, "2026-02-16"), IsOffDay: false},               // national holiday worked
		{Date: date(t, "2030-01-02"), IsOffDay: true},                // no 2030 data: ignored
		{Date: date(t, "2026-03-04"), IsOffDay: true, Name: "省级"},    // replaced by the next entry:
		{Date: date(t, "2026-03-04"), IsOffDay: false},               // the later (more local) one wins
	}
	c, err := New(EmbeddedSchedules(), ov)
	if err != nil {
		t.Fatal(err)
	}
	for day, want := range map[string]bool{"2026-03-03": false, "2026-03-07": true, "2026-02-16": true, "2026-03-04": true} {
		if got, err := c.IsWorkday(date(t, day)); err != nil || got != want {
			t.Errorf("IsWorkday(%s) = %v, %v; want %v", day, got, err, want)
		}
	}
	// 2026-03-02 (Mon) + 1 skips the local holiday; +4 lands on the Saturday.
	for n, want := range map[int]string{1: "2026-03-04", 3: "2026-03-06", 4: "2026-03-07", 5: "2026-03-09"} {
		if got, err := c.AddWorkdays(date(t, "2026-03-02"), n); err != nil || got.String() != want {
			t.Errorf("AddWorkdays(2026-03-02, %d) = %s, %v; want %s", n, got, err, want)
		}
	}
	if d, _ := c.Day(date(t, "2026-03-03")); d.Name != "三月三" {
		t.Errorf("override name = %q", d.Name)
	}
	if d, _ := c.Day(date(t, "2026-02-16")); d.Name != "" {
		t.Errorf("a nameless override should clear the national name, got %q", d.Name)
	}
	if c.Covers(2030) {
		t.Error("an override must not create coverage")
	}
}

func TestLaterScheduleReplacesEarlier(t *testing.T) {
	// A corrected 2026 notice that (hypothetically) drops the 14 February
	// make-up day and adds 13 February to the holiday.
	fix := Schedule{Year: 2026, Days: []Day{{Date: date(t, "2026-02-13"), Name: "春节", IsOffDay: true}}}
	c, err := New(append(EmbeddedSchedules(), fix), nil)
	if err != nil {
		t.Fatal(err)
	}
	for day, want := range map[string]bool{"2026-02-13": false, "2026-02-14": false, "2026-02-16": true, "2026-10-01": true} {
		if got, _ := c.IsWorkday(date(t, day)); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v (only the corrected notice applies)", day, got, want)
		}
	}
	if len(c.Years()) != 20 {
		t.Errorf("Years() = %v", c.Years())
	}
}

func TestImport2027(t *testing.T) {
	s, err := ParseScheduleICS(strings.NewReader(synthetic2027()), 2027)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(append(EmbeddedSchedules(), s), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.Years(), 2027) {
		t.Fatalf("Years() = %v", c.Years())
	}
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-12-31", 1, "2027-01-04"}, // 1 Jan off, then the weekend
		{"2027-01-29", 1, "2027-01-31"}, // Sunday make-up day
		{"2027-02-05", 1, "2027-02-15"}, // across the block
		{"2027-02-19", 1, "2027-02-20"}, // Saturday make-up via X-OPENHALL-WORKDAY
	}
	for _, tt := range tests {
		if got, err := c.AddWorkdays(date(t, tt.from), tt.n); err != nil || got.String() != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, %v; want %s", tt.from, tt.n, got, err, tt.want)
		}
	}
	// 2028 is provisional: 2027-12-31 (Friday) + 1 is Monday 2028-01-03.
	got, err := c.AddWorkdays(date(t, "2027-12-31"), 1)
	if err != nil || got.String() != "2028-01-03" {
		t.Errorf("AddWorkdays(2027-12-31, 1) = %s, %v", got, err)
	}
	wantProvisional(t, c, date(t, "2027-12-31"), got, 2028)
	wantProvisional(t, c, date(t, "2026-12-31"), date(t, "2027-12-31"), 0)
}

// TestGapYear: a calendar with 2024 and 2026 but not 2025 answers anything
// touching 2025 provisionally, including spans that merely pass through it.
func TestGapYear(t *testing.T) {
	all := EmbeddedSchedules()
	c, err := New([]Schedule{all[2024-2007], all[2026-2007]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Covers(2025) {
		t.Fatal("2025 should not be covered")
	}
	// 2025-01-01 is 元旦, off by law (放假办法 Art 2) even provisionally.
	got, err := c.AddWorkdays(date(t, "2024-12-31"), 1)
	if err != nil || got.String() != "2025-01-02" {
		t.Errorf("AddWorkdays(2024-12-31, 1) = %s, %v", got, err)
	}
	wantProvisional(t, c, date(t, "2024-12-31"), got, 2025)
	wantProvisional(t, c, date(t, "2026-06-01"), date(t, "2024-06-01"), 2025) // reversed
	wantProvisional(t, c, date(t, "2024-01-02"), date(t, "2024-12-30"), 0)
	if _, err = c.WorkdaysBetween(date(t, "2024-06-01"), date(t, "2026-06-01")); err != nil {
		t.Error(err)
	}
	if _, err = c.AddNaturalDays(date(t, "2024-12-01"), 400); err != nil {
		t.Error(err)
	}
	if _, err := c.AddWorkdays(date(t, "2026-01-05"), 10); err != nil {
		t.Errorf("2026 alone should work: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	all := EmbeddedSchedules()
	tests := []struct {
		name string
		ss   []Schedule
		ov   []Override
		want string
	}{
		{"no schedules", nil, nil, "至少需要一个"},
		{"invalid schedule", []Schedule{{Year: 2026, Days: []Day{{Date: NewDate(2030, 1, 1)}}}}, nil, "不属于 2026 年度"},
		{"span too wide", []Schedule{all[0], {Year: 2900}}, nil, "跨度"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.ss, tt.ov)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNoDataErrorMessage(t *testing.T) {
	want := "2027 年超出工作日历可推算的范围（早于首个节假日安排年度，或晚于最近一次安排 30 年以上），请检查日期"
	if got := (NoDataError{Year: 2027}).Error(); got != want {
		t.Errorf("Error() = %q", got)
	}
}

// TestConcurrentUse exercises one Calendar from many goroutines; run with
// -race to check that queries never write shared state.
func TestConcurrentUse(t *testing.T) {
	oh := DefaultOfficeHours()
	start := date(t, "2026-01-05") // t.Fatal must not be called from the goroutines
	// The answers of a calendar used by one goroutine are the reference;
	// a fresh calendar shared by eight must give exactly the same ones.
	want := make([][]concurrentAnswer, 8)
	ref := embeddedCalendar(t)
	for g := range want {
		want[g] = concurrentRun(ref, start.AddDays(g), oh)
	}
	c := embeddedCalendar(t)
	got := make([][]concurrentAnswer, 8)
	var wg sync.WaitGroup
	for g := range got {
		wg.Go(func() { got[g] = concurrentRun(c, start.AddDays(g), oh) })
	}
	wg.Wait()
	for g := range want {
		if len(want[g]) != 200 {
			t.Fatalf("goroutine %d: %d answers, want 200", g, len(want[g]))
		}
		for n := range want[g] {
			if got[g][n] != want[g][n] {
				t.Fatalf("goroutine %d, step %d: shared calendar answered %+v, alone %+v", g, n, got[g][n], want[g][n])
			}
		}
	}
}

// concurrentAnswer is what one step of TestConcurrentUse asks the calendar.
type concurrentAnswer struct {
	End     Date
	Between int
	Day     Day
	Due     string // the instant and its zone offset
	Errs    string
}

func concurrentRun(c *Calendar, d Date, oh OfficeHours) []concurrentAnswer {
	out := make([]concurrentAnswer, 0, 200)
	for n := range 200 {
		var a concurrentAnswer
		var e1, e2, e3 error
		a.End, e1 = c.AddWorkdays(d, n%60)
		a.Between, e2 = c.WorkdaysBetween(d, a.End)
		a.Day, e3 = c.Day(a.End)
		due, e4 := c.Due(a.End.Time(), Limit{n % 30, UnitHour}, oh)
		a.Due = due.Format(time.RFC3339Nano)
		a.Errs = fmt.Sprint(e1, e2, e3, e4)
		out = append(out, a)
	}
	return out
}
