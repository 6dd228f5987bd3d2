package calendar

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestAddWorkingDuration(t *testing.T) {
	c, oh := embeddedCalendar(t), DefaultOfficeHours()
	h := time.Hour
	tests := []struct {
		name  string
		start string
		d     time.Duration
		want  string
	}{
		{"morning into afternoon", "2026-03-04 11:00", 2 * h, "2026-03-04 14:30"},
		{"Friday close rolls to Monday", "2026-03-06 17:00", h, "2026-03-09 09:30"},
		{"Friday close rolls to make-up Saturday", "2026-02-27 17:00", h, "2026-02-28 09:30"},
		{"make-up Saturday rolls over Spring Festival", "2026-02-14 17:00", h, "2026-02-24 09:30"},
		{"evening start begins next morning", "2026-03-04 20:00", h, "2026-03-05 10:00"},
		{"early start begins at opening", "2026-03-04 07:00", h, "2026-03-04 10:00"},
		{"lunch start begins at 13:30", "2026-03-04 12:30", h, "2026-03-04 14:30"},
		{"off-day start", "2026-03-08 10:00", h, "2026-03-09 10:00"},
		{"ends exactly at noon close", "2026-03-04 09:00", 3 * h, "2026-03-04 12:00"},
		{"one full office day", "2026-03-04 09:00", 7 * h, "2026-03-04 17:30"},
		{"a full day and a half hour", "2026-03-04 09:00", 7*h + 30*time.Minute, "2026-03-05 09:30"},
		{"three full days", "2026-03-04 09:00", 21 * h, "2026-03-06 17:30"},
		{"three days and an hour", "2026-03-04 09:00", 22 * h, "2026-03-09 10:00"},
		{"across National Day", "2026-09-30 16:30", 8 * h, "2026-10-08 17:30"},
		{"across National Day and a bit", "2026-09-30 16:30", 8*h + 30*time.Minute, "2026-10-09 09:30"},
		{"zero inside office time", "2026-03-04 10:00", 0, "2026-03-04 10:00"},
		{"zero at the noon close", "2026-03-04 12:00", 0, "2026-03-04 12:00"},
		{"zero at lunch", "2026-03-04 12:10", 0, "2026-03-04 13:30"},
		{"zero in the evening", "2026-03-04 20:00", 0, "2026-03-05 09:00"},
		{"last covered day", "2026-12-31 10:00", h, "2026-12-31 11:00"},
	}
	for _, tt := range tests {
		got, err := c.AddWorkingDuration(cst(t, tt.start), tt.d, oh)
		if err != nil || !got.Equal(cst(t, tt.want)) {
			t.Errorf("%s: %s + %v = %v, %v; want %s", tt.name, tt.start, tt.d, got, err, tt.want)
		}
		if name, _ := got.Zone(); err == nil && name != "CST" {
			t.Errorf("%s: result zone %s, want CST", tt.name, name)
		}
	}
}

func TestAddWorkingDurationEdges(t *testing.T) {
	c, oh := embeddedCalendar(t), DefaultOfficeHours()
	// An instant given in UTC is read in China Standard Time: 03:00Z is 11:00.
	got, err := c.AddWorkingDuration(time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC), 2*time.Hour, oh)
	if err != nil || !got.Equal(cst(t, "2026-03-04 14:30")) {
		t.Errorf("UTC start: %v, %v", got, err)
	}
	// A hall without a lunch break.
	cont := OfficeHours{AMStart: 9 * time.Hour, AMEnd: 12 * time.Hour, PMStart: 12 * time.Hour, PMEnd: 18 * time.Hour}
	got, err = c.AddWorkingDuration(cst(t, "2026-03-04 11:00"), 2*time.Hour, cont)
	if err != nil || !got.Equal(cst(t, "2026-03-04 13:00")) {
		t.Errorf("continuous hours: %v, %v", got, err)
	}
	// Into provisional 2027: 1 January is 元旦, off by law; Monday 4 January
	// works until the notice is imported.
	got, err = c.AddWorkingDuration(cst(t, "2026-12-31 17:00"), time.Hour, oh)
	if err != nil || !got.Equal(cst(t, "2027-01-04 09:30")) {
		t.Errorf("into 2027: %v, %v", got, err)
	}
	_, err = c.AddWorkingDuration(cst(t, "2006-12-31 17:00"), time.Hour, oh)
	wantNoData(t, err, 2006)
	if _, err := c.AddWorkingDuration(cst(t, "2026-03-04 11:00"), -time.Hour, oh); err == nil {
		t.Error("negative duration accepted")
	}
	if _, err := c.AddWorkingDuration(cst(t, "2026-03-04 11:00"), time.Hour, OfficeHours{}); err == nil {
		t.Error("zero OfficeHours accepted")
	}
}

func TestOfficeHoursValidate(t *testing.T) {
	h := time.Hour
	if err := DefaultOfficeHours().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []OfficeHours{
		{},
		{AMStart: 9 * h, AMEnd: 9 * h, PMStart: 13 * h, PMEnd: 17 * h},    // empty morning
		{AMStart: 9 * h, AMEnd: 14 * h, PMStart: 13 * h, PMEnd: 17 * h},   // overlap
		{AMStart: 9 * h, AMEnd: 12 * h, PMStart: 13 * h, PMEnd: 25 * h},   // past midnight
		{AMStart: -h, AMEnd: 12 * h, PMStart: 13 * h, PMEnd: 17 * h},      // negative
		{AMStart: 9 * h, AMEnd: 12 * h, PMStart: 17 * h, PMEnd: 13 * h},   // reversed afternoon
		{AMStart: 13 * h, AMEnd: 17 * h, PMStart: 9 * h, PMEnd: 12 * h},   // periods swapped
		{AMStart: 9 * h, AMEnd: 12 * h, PMStart: 12 * h, PMEnd: 12*h + 0}, // empty afternoon
		{AMStart: 0, AMEnd: 12 * h, PMStart: 12 * h, PMEnd: 24*h + time.Nanosecond},
	}
	for _, o := range bad {
		err := o.Validate()
		if err == nil || !strings.Contains(err.Error(), "办公时间设置无效") {
			t.Errorf("Validate(%+v) = %v, want an error", o, err)
		}
	}
	allDay := OfficeHours{AMStart: 0, AMEnd: 12 * h, PMStart: 12 * h, PMEnd: 24 * h}
	if err := allDay.Validate(); err != nil {
		t.Errorf("round-the-clock hours rejected: %v", err)
	}
}

func TestWorkingDurationBetween(t *testing.T) {
	c, oh := embeddedCalendar(t), DefaultOfficeHours()
	h := time.Hour
	tests := []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-03-04 11:00", "2026-03-04 14:30", 2 * h},
		{"2026-03-06 17:00", "2026-03-09 09:30", h},
		{"2026-03-04 20:00", "2026-03-05 08:00", 0},
		{"2026-03-07 08:00", "2026-03-08 20:00", 0},      // a weekend
		{"2026-02-13 09:00", "2026-02-24 17:30", 21 * h}, // 13th, make-up 14th, 24th
		{"2026-03-04 12:10", "2026-03-04 13:20", 0},      // lunch only
		{"2026-03-04 14:30", "2026-03-04 11:00", 0},      // reversed
	}
	for _, tt := range tests {
		got, err := c.WorkingDurationBetween(cst(t, tt.from), cst(t, tt.to), oh)
		if err != nil || got != tt.want {
			t.Errorf("WorkingDurationBetween(%s, %s) = %v, %v; want %v", tt.from, tt.to, got, err, tt.want)
		}
	}
	// 2026-12-31 10:00 → 2027-01-04 10:00: the rest of Thursday (6 h of a
	// 7 h day), not 元旦, provisional Monday until 10:00.
	got, err := c.WorkingDurationBetween(cst(t, "2026-12-31 10:00"), cst(t, "2027-01-04 10:00"), oh)
	if want := 7 * time.Hour; err != nil || got != want {
		t.Errorf("into 2027: %v, %v; want %v", got, err, want)
	}
	_, err = c.WorkingDurationBetween(cst(t, "2006-12-31 10:00"), cst(t, "2007-01-04 10:00"), oh)
	wantNoData(t, err, 2006)
	if _, err := c.WorkingDurationBetween(cst(t, "2026-03-04 10:00"), cst(t, "2026-03-05 10:00"), OfficeHours{}); err == nil {
		t.Error("zero OfficeHours accepted")
	}
}

// TestWorkingDurationInverse checks WorkingDurationBetween(t, AddWorkingDuration(t, d)) == d
// for random starts at any minute of 2007–2026 and durations up to 10 office days.
func TestWorkingDurationInverse(t *testing.T) {
	c, oh := embeddedCalendar(t), DefaultOfficeHours()
	r := rand.New(rand.NewPCG(9, 30))
	first := cst(t, "2007-01-01 00:00")
	minutes := int(cst(t, "2026-12-20 00:00").Sub(first) / time.Minute)
	for range 20000 {
		start := first.Add(time.Duration(r.IntN(minutes)) * time.Minute)
		d := time.Duration(r.IntN(70*60)) * time.Minute
		end, err := c.AddWorkingDuration(start, d, oh)
		if err != nil {
			t.Fatalf("AddWorkingDuration(%v, %v): %v", start, d, err)
		}
		if got, err := c.WorkingDurationBetween(start, end, oh); err != nil || got != d {
			t.Fatalf("WorkingDurationBetween(%v, %v) = %v, %v; want %v", start, end, got, err, d)
		}
	}
}

// TestWorkingDurationBruteForce counts office minutes one by one with the
// JSON oracle for random spans of up to five days.
func TestWorkingDurationBruteForce(t *testing.T) {
	c, o, oh := embeddedCalendar(t), loadOracle(t), DefaultOfficeHours()
	r := rand.New(rand.NewPCG(5, 17))
	first := cst(t, "2007-01-01 00:00")
	minutes := int(cst(t, "2026-12-20 00:00").Sub(first) / time.Minute)
	for range 300 {
		from := first.Add(time.Duration(r.IntN(minutes)) * time.Minute)
		to := from.Add(time.Duration(r.IntN(5*24*60)) * time.Minute)
		var want time.Duration
		for m := from; m.Before(to); m = m.Add(time.Minute) {
			off := time.Duration(m.Hour())*time.Hour + time.Duration(m.Minute())*time.Minute
			inOffice := (off >= oh.AMStart && off < oh.AMEnd) || (off >= oh.PMStart && off < oh.PMEnd)
			if inOffice && o.isWork(t, m.Format(time.DateOnly)) {
				want += time.Minute
			}
		}
		if got, err := c.WorkingDurationBetween(from, to, oh); err != nil || got != want {
			t.Fatalf("WorkingDurationBetween(%v, %v) = %v, %v; brute force %v", from, to, got, err, want)
		}
	}
}
