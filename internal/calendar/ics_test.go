package calendar

import (
	"strings"
	"testing"
)

// ics wraps VEVENT bodies (lines separated by \n) in a VCALENDAR with the
// CRLF line endings RFC 5545 prescribes.
func ics(events ...string) string {
	lines := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//OpenHall//test//ZH"}
	for i, ev := range events {
		lines = append(lines, "BEGIN:VEVENT", "UID:"+string(rune('a'+i))+"@test", "DTSTAMP:20261101T000000Z")
		lines = append(lines, strings.Split(ev, "\n")...)
		lines = append(lines, "END:VEVENT")
	}
	lines = append(lines, "END:VCALENDAR")
	return strings.Join(lines, "\r\n") + "\r\n"
}

// synthetic2027 is a made-up 2027 arrangement (no 2027 notice exists yet)
// exercising every ICS convention.
func synthetic2027() string {
	return ics(
		// New Year spans two years; only 2027-01-01 (a Friday) belongs to 2027.
		"DTSTART;VALUE=DATE:20261231\nDTEND;VALUE=DATE:20270102\nSUMMARY:元旦",
		// A nine-day off block, Sat 6 Feb – Sun 14 Feb, DTEND exclusive.
		"DTSTART;VALUE=DATE:20270206\nDTEND;VALUE=DATE:20270215\nSUMMARY:春节",
		// The same off day again: allowed, first name kept.
		"DTSTART;VALUE=DATE:20270214\nSUMMARY:春节（重复）",
		// Make-up working days, by keyword and by explicit property.
		"DTSTART;VALUE=DATE:20270131\nSUMMARY:春节补班",
		"DTSTART;VALUE=DATE:20270220\nSUMMARY:春节\nX-OPENHALL-WORKDAY:TRUE",
		// DURATION instead of DTEND.
		"DTSTART;VALUE=DATE:20270501\nDURATION:P3D\nSUMMARY:劳动节",
		// A bare eight-digit DTSTART without VALUE=DATE.
		"DTSTART:20270919\nSUMMARY:国庆节调休上班",
		// An unescaped comma must not cut the summary (and its 补班) short.
		"DTSTART;VALUE=DATE:20270926\nSUMMARY:国庆节,中秋节补班",
		"DTSTART;VALUE=DATE:20271009\nSUMMARY:国庆节\\,中秋节\\;调休",
		// Explicit FALSE beats the "上班" keyword in the summary.
		"DTSTART;VALUE=DATE:20271001\nSUMMARY:上班族休息日\nX-OPENHALL-WORKDAY:FALSE",
	)
}

func TestParseScheduleICS(t *testing.T) {
	s, err := ParseScheduleICS(strings.NewReader(synthetic2027()), 2027)
	if err != nil {
		t.Fatal(err)
	}
	got := make(map[string]Day)
	for _, d := range s.Days {
		got[d.Date.String()] = d
	}
	want := map[string]struct {
		name string
		off  bool
	}{
		"2027-01-01": {"元旦", true},
		"2027-01-31": {"春节补班", false},
		"2027-02-06": {"春节", true},
		"2027-02-10": {"春节", true},
		"2027-02-14": {"春节", true},
		"2027-02-20": {"春节", false},
		"2027-05-01": {"劳动节", true},
		"2027-05-03": {"劳动节", true},
		"2027-09-19": {"国庆节调休上班", false},
		"2027-10-01": {"上班族休息日", true},
		"2027-09-26": {"国庆节,中秋节补班", false},
		"2027-10-09": {"国庆节,中秋节;调休", true},
	}
	if s.Year != 2027 || len(s.Days) != 1+9+1+1+3+1+2+1 {
		t.Errorf("Year %d with %d days, want 2027 with 19", s.Year, len(s.Days))
	}
	for k, w := range want {
		if d, ok := got[k]; !ok || d.Name != w.name || d.IsOffDay != w.off {
			t.Errorf("%s = %+v (present %v), want name %q off %v", k, d, ok, w.name, w.off)
		}
	}
	for _, absent := range []string{"2026-12-31", "2027-02-15", "2027-05-04"} {
		if _, ok := got[absent]; ok {
			t.Errorf("%s should not be in the 2027 schedule", absent)
		}
	}
	for i := 1; i < len(s.Days); i++ {
		if !s.Days[i-1].Date.Before(s.Days[i].Date) {
			t.Fatal("Days should be sorted by date")
		}
	}
}

func TestParseScheduleICSErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "ICS 日历解析失败"},
		{"not ICS", "hello world\r\n", "ICS 日历解析失败"},
		{"decoder panic", "0;0=", "ICS 日历解析失败"}, // go-ical panics on this; found by FuzzParseScheduleICS
		{"no event in year", ics("DTSTART;VALUE=DATE:20260101\nSUMMARY:元旦"), "没有 2027 年"},
		{"no events at all", ics(), "没有 2027 年"},
		{"timed event", ics("DTSTART:20270101T090000\nSUMMARY:x"), "不是全天日期"},
		{"TZID event", ics("DTSTART;TZID=Asia/Shanghai:20270101T090000\nSUMMARY:x"), "不是全天日期"},
		{"bad date", ics("DTSTART;VALUE=DATE:20270230\nSUMMARY:x"), "不是有效日期"},
		{"missing DTSTART", ics("SUMMARY:x"), "缺少 DTSTART"},
		{"end before start", ics("DTSTART;VALUE=DATE:20270105\nDTEND;VALUE=DATE:20270105\nSUMMARY:x"), "范围"},
		{"huge span", ics("DTSTART;VALUE=DATE:20270101\nDTEND;VALUE=DATE:99990101\nSUMMARY:x"), "范围"},
		{"hours duration", ics("DTSTART;VALUE=DATE:20270101\nDURATION:PT5H\nSUMMARY:x"), "整天数"},
		{"RRULE", ics("DTSTART;VALUE=DATE:20270101\nRRULE:FREQ=YEARLY\nSUMMARY:x"), "RRULE"},
		{"bad workday flag", ics("DTSTART;VALUE=DATE:20270101\nX-OPENHALL-WORKDAY:yes\nSUMMARY:x"), "X-OPENHALL-WORKDAY"},
		{"conflict", ics(
			"DTSTART;VALUE=DATE:20270206\nDTEND;VALUE=DATE:20270210\nSUMMARY:春节",
			"DTSTART;VALUE=DATE:20270207\nSUMMARY:春节补班"), "2027-02-07 同时被标为休息日和工作日"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScheduleICS(strings.NewReader(tt.in), 2027)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := ParseScheduleICS(strings.NewReader(synthetic2027()), 0); err == nil {
		t.Error("year 0 accepted")
	}
}
