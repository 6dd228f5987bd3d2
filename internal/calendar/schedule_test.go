package calendar

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestEmbeddedSchedules(t *testing.T) {
	ss := EmbeddedSchedules()
	if len(ss) != 20 {
		t.Fatalf("got %d embedded schedules, want 20 (2007–2026)", len(ss))
	}
	for i, s := range ss {
		if want := 2007 + i; s.Year != want {
			t.Errorf("schedule %d has Year %d, want %d", i, s.Year, want)
		}
		if len(s.Papers) == 0 || len(s.Days) < 20 {
			t.Errorf("%d: %d papers, %d days; the official data has more", s.Year, len(s.Papers), len(s.Days))
		}
	}
	// The licence of the upstream data must ship with it.
	if _, err := os.Stat("data/LICENSE-holiday-cn"); err != nil {
		t.Error(err)
	}
}

func TestParseScheduleJSONFields(t *testing.T) {
	s, err := ParseScheduleJSON(strings.NewReader(`{"$schema":"x","year":2026,"papers":["p"],
		"days":[{"name":"春节","date":"2026-02-14","isOffDay":false},{"name":"春节","date":"2026-02-15","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Day{{date(t, "2026-02-14"), "春节", false}, {date(t, "2026-02-15"), "春节", true}}
	if s.Year != 2026 || len(s.Papers) != 1 || fmt.Sprint(s.Days) != fmt.Sprint(want) {
		t.Errorf("got %+v", s)
	}
}

// TestParseScheduleJSONPreviousDecember: the 2019 notice puts 2018-12-29 (a
// Saturday make-up day) and 2018-12-30/31 (off) under 2019; the same pattern
// appears in the 2007, 2008, 2012 and 2023 files. These must parse.
func TestParseScheduleJSONPreviousDecember(t *testing.T) {
	_, err := ParseScheduleJSON(strings.NewReader(`{"year":2019,"papers":[],"days":[
		{"name":"元旦","date":"2018-12-29","isOffDay":false},{"name":"元旦","date":"2019-01-01","isOffDay":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
}

func TestParseScheduleJSONErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", `{"year":2026,`, "JSON 解析失败"},
		{"wrong type", `{"year":"2026","papers":[],"days":[]}`, "JSON 解析失败"},
		{"trailing data", `{"year":2026,"papers":[],"days":[]} {}`, "多余内容"},
		{"missing days", `{"year":2026,"papers":[]}`, "缺少必填字段"},
		{"missing year", `{"papers":[],"days":[]}`, "缺少必填字段"},
		{"missing isOffDay", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-01-01"}]}`, "缺少 isOffDay"},
		{"bad date", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2026-02-30","isOffDay":true}]}`, `"2026-02-30"`},
		{"next year", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2027-01-01","isOffDay":true}]}`, "2027-01-01 不属于 2026 年度"},
		{"earlier last year", `{"year":2026,"papers":[],"days":[{"name":"x","date":"2025-11-30","isOffDay":true}]}`, "2025-11-30 不属于"},
		{"duplicate", `{"year":2026,"papers":[],"days":[{"name":"a","date":"2026-10-01","isOffDay":true},{"name":"b","date":"2026-10-01","isOffDay":true}]}`, "2026-10-01 重复"},
		{"bad year", `{"year":26,"papers":[],"days":[]}`, "年份 26 无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScheduleJSON(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// A file the decoders refuse is explained in the uploader's words; the
// decoders' own (English) text stays out of the message.
func TestParseErrorsSpeakChinese(t *testing.T) {
	for name, parse := range map[string]func() error{
		"bad JSON": func() error {
			_, err := ParseScheduleJSON(strings.NewReader(`{"year": 2027, "days": [tru`))
			return err
		},
		"wrong type": func() error {
			_, err := ParseScheduleJSON(strings.NewReader(`{"year": "2027", "days": []}`))
			return err
		},
		"cut short": func() error { _, err := ParseScheduleJSON(strings.NewReader(`{"year": 2027, "days": [`)); return err },
		"not iCalendar": func() error {
			_, err := ParseScheduleICS(strings.NewReader("BEGIN:VCALENDAR\nthis is not ics\n"), 2027)
			return err
		},
		"binary ICS": func() error { _, err := ParseScheduleICS(strings.NewReader("\x00\x01\x02PK"), 2027); return err },
	} {
		err := parse()
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		msg := err.Error()
		for _, english := range []string{"invalid", "unexpected", "ical", "json:", "EOF", "cannot", "character"} {
			if strings.Contains(msg, english) {
				t.Errorf("%s: %q carries the decoder's text", name, msg)
			}
		}
	}
}
