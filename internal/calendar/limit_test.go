package calendar

import (
	"strings"
	"testing"
	"time"
)

func TestUnit(t *testing.T) {
	for u, label := range map[Unit]string{UnitWorkday: "工作日", UnitNaturalDay: "自然日", UnitHour: "小时"} {
		if u.Label() != label {
			t.Errorf("%s.Label() = %q, want %q", u, u.Label(), label)
		}
		for _, in := range []string{string(u), label, " " + label + " "} {
			if got, err := ParseUnit(in); err != nil || got != u {
				t.Errorf("ParseUnit(%q) = %q, %v; want %q", in, got, err, u)
			}
		}
	}
	for _, in := range []string{"", "day", "Workday", "工作天", "小时 小时"} {
		if _, err := ParseUnit(in); err == nil || !strings.Contains(err.Error(), "时限单位") {
			t.Errorf("ParseUnit(%q) error = %v", in, err)
		}
	}
	if got := Unit("week").Label(); !strings.Contains(got, "未知") {
		t.Errorf("unknown unit label = %q", got)
	}
}

func TestLimit(t *testing.T) {
	for l, want := range map[Limit]string{
		{20, UnitWorkday}: "20个工作日", {30, UnitNaturalDay}: "30个自然日", {4, UnitHour}: "4小时",
	} {
		if l.String() != want {
			t.Errorf("%#v.String() = %q, want %q", l, l.String(), want)
		}
		if err := l.Validate(); err != nil {
			t.Errorf("%v: %v", l, err)
		}
	}
	for _, l := range []Limit{{-1, UnitWorkday}, {1, "工作日"}, {1, ""}, {maxHourLimit + 1, UnitHour}} {
		if err := l.Validate(); err == nil {
			t.Errorf("Validate(%#v) accepted", l)
		}
	}
}

func TestDue(t *testing.T) {
	c, oh := embeddedCalendar(t), DefaultOfficeHours()
	tests := []struct {
		name     string
		received time.Time
		limit    Limit
		want     string
	}{
		{"workday over Spring Festival", cst(t, "2026-02-13 10:00"), Limit{2, UnitWorkday}, "2026-02-24 17:30"},
		{"workday received on Saturday", cst(t, "2026-03-07 10:00"), Limit{1, UnitWorkday}, "2026-03-09 17:30"},
		{"workday received after hours", cst(t, "2026-03-04 22:00"), Limit{1, UnitWorkday}, "2026-03-05 17:30"},
		{"workday N=0 on a weekday", cst(t, "2026-03-04 10:00"), Limit{0, UnitWorkday}, "2026-03-04 17:30"},
		{"workday N=0 on Sunday", cst(t, "2026-03-08 10:00"), Limit{0, UnitWorkday}, "2026-03-09 17:30"},
		{"workday, UTC instant is next day in China", time.Date(2026, 3, 4, 17, 0, 0, 0, time.UTC), Limit{1, UnitWorkday}, "2026-03-06 17:30"},
		{"natural days land on National Day", cst(t, "2026-09-24 15:00"), Limit{7, UnitNaturalDay}, "2026-10-08 17:30"},
		{"natural days land on Saturday", cst(t, "2026-03-02 09:00"), Limit{5, UnitNaturalDay}, "2026-03-09 17:30"},
		{"natural days land on make-up Saturday", cst(t, "2026-02-07 09:00"), Limit{7, UnitNaturalDay}, "2026-02-14 17:30"},
		{"hours over the weekend", cst(t, "2026-03-06 17:00"), Limit{1, UnitHour}, "2026-03-09 09:30"},
		{"hours N=0 after hours", cst(t, "2026-03-06 20:00"), Limit{0, UnitHour}, "2026-03-09 09:00"},
		{"24 office hours", cst(t, "2026-03-04 09:00"), Limit{24, UnitHour}, "2026-03-09 12:00"},
	}
	for _, tt := range tests {
		got, err := c.Due(tt.received, tt.limit, oh)
		if err != nil || !got.Equal(cst(t, tt.want)) {
			t.Errorf("%s: Due(%v, %v) = %v, %v; want %s", tt.name, tt.received, tt.limit, got, err, tt.want)
		}
	}
}

func TestDueErrors(t *testing.T) {
	c, oh := embeddedCalendar(t), DefaultOfficeHours()
	// Into 2027, whose schedule is not embedded: provisional plain weeks
	// with the law's days off, 1 January among them.
	at := cst(t, "2026-12-30 10:00")
	for l, want := range map[Limit]string{
		{5, UnitWorkday}:    "2027-01-07 17:30", // 31, 4, 5, 6, 7
		{5, UnitNaturalDay}: "2027-01-04 17:30", // 4 January is a Monday
		{20, UnitHour}:      "2027-01-04 17:30", // 6 h + 7 h + 7 h
	} {
		got, err := c.Due(at, l, oh)
		if err != nil || !got.Equal(cst(t, want)) {
			t.Errorf("Due(%v, %v) = %v, %v; want %s", at, l, got, err, want)
		}
		wantProvisional(t, c, DateOf(at), DateOf(got), 2027)
	}
	_, err := c.Due(cst(t, "2006-12-29 10:00"), Limit{1, UnitWorkday}, oh)
	wantNoData(t, err, 2006)
	if _, err := c.Due(at, Limit{1, "week"}, oh); err == nil {
		t.Error("bad unit accepted")
	}
	if _, err := c.Due(at, Limit{-1, UnitWorkday}, oh); err == nil {
		t.Error("negative limit accepted")
	}
	if _, err := c.Due(at, Limit{1, UnitWorkday}, OfficeHours{}); err == nil {
		t.Error("bad office hours accepted")
	}
}
