package calendar

import (
	"testing"
	"time"

	lunar "github.com/6tail/lunar-go/calendar"
)

// TestStatutoryDaysAgainstNotices: every day off the 放假办法 fixes is off
// in the State Council's notice of its year, for each version of the law
// (2008, 2014, 2025): the provisional years rest on the same rule the
// notices follow.
func TestStatutoryDaysAgainstNotices(t *testing.T) {
	c, err := New(EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for year := 2008; year <= 2026; year++ {
		days := statutoryDays(year)
		want := 11
		switch {
		case year >= 2025:
			want = 13
		case year >= 2014:
			want = 11
		}
		if len(days) != want {
			t.Errorf("%d: %d statutory days, want %d", year, len(days), want)
		}
		for _, d := range days {
			if work, err := c.IsWorkday(d.date); err != nil || work {
				t.Errorf("%d: %s %s is a working day in the notice (%v)", year, d.date, d.name, err)
			}
		}
	}
}

// TestStatutoryDays: the law's days of the coming years, counted by hand
// on the lunar calendar (春节 2027: 6 February; 2028: 26 January).
func TestStatutoryDays(t *testing.T) {
	for year, want := range map[int][]string{
		2027: {"01-01", "05-01", "05-02", "10-01", "10-02", "10-03", "02-05", "02-06", "02-07", "02-08", "04-05", "06-09", "09-15"},
		2028: {"01-01", "05-01", "05-02", "10-01", "10-02", "10-03", "01-25", "01-26", "01-27", "01-28", "04-04", "05-28", "10-03"},
	} {
		got := statutoryDays(year)
		if len(got) != len(want) {
			t.Fatalf("%d: %d days, want %d", year, len(got), len(want))
		}
		for i, d := range got {
			if d.date.String()[5:] != want[i] {
				t.Errorf("%d: day %d (%s) is %s, want %s", year, i, d.name, d.date.String()[5:], want[i])
			}
		}
	}
}

// TestLunarDays: the table of lunar dates is what lunar-go computes.
func TestLunarDays(t *testing.T) {
	for k, l := range lunarDays {
		y := lunarFirst + k
		qm := lunar.NewSolarFromYmd(y, 4, 1).GetLunar().GetJieQiTable()["清明"]
		want := [4]*lunar.Solar{lunar.NewLunarFromYmd(y, 1, 1).GetSolar(), qm,
			lunar.NewLunarFromYmd(y, 5, 5).GetSolar(), lunar.NewLunarFromYmd(y, 8, 15).GetSolar()}
		for i, s := range want {
			if got := solarDay(y, l[i]); s.GetYear() != y || got != NewDate(y, time.Month(s.GetMonth()), s.GetDay()) {
				t.Errorf("%d: day %d is %s, lunar-go says %s", y, i, got, s.ToYmd())
			}
		}
	}
	if lunarFirst+len(lunarDays)-1 != 2100 {
		t.Errorf("the table ends in %d", lunarFirst+len(lunarDays)-1)
	}
}
