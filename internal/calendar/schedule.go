package calendar

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"time"
)

// embedded holds the official schedules 2007–2026 in the NateScarlet/holiday-cn
// format (MIT licence, see data/LICENSE-holiday-cn).
//
//go:embed data/*.json
var embedded embed.FS

// Day is one date that an official notice singles out: a public holiday
// (IsOffDay true, even on a weekday) or a make-up working day, 调休上班
// (IsOffDay false, even on a Saturday or Sunday). Dates not listed follow the
// normal week: Monday to Friday work, Saturday and Sunday off.
type Day struct {
	Date     Date
	Name     string
	IsOffDay bool
}

// Schedule is the holiday arrangement of one year as published by the State
// Council (国务院办公厅关于某年部分节假日安排的通知).
//
// Days normally lie inside Year, but the notice for Year also governs its own
// New Year holiday, which can begin in the last days of December of Year−1
// (the 2008, 2012, 2019 and 2023 notices do this, and the 2007 notice lists
// 2006-12-30/31 as make-up days). Such December dates are therefore accepted
// and, when building a Calendar, override what the Year−1 schedule says.
type Schedule struct {
	Year   int
	Papers []string
	Days   []Day
}

// Bounds on a schedule's year: four digits, matching the YYYY-MM-DD format.
const (
	minScheduleYear = 1000
	maxScheduleYear = 9999
)

// jsonSchedule mirrors the holiday-cn file; pointers detect missing keys,
// which the format declares required.
type jsonSchedule struct {
	Year   *int       `json:"year"`
	Papers []string   `json:"papers"`
	Days   *[]jsonDay `json:"days"`
}

type jsonDay struct {
	Name     string `json:"name"`
	Date     string `json:"date"`
	IsOffDay *bool  `json:"isOffDay"`
}

// ParseScheduleJSON reads one year in the NateScarlet/holiday-cn format:
//
//	{"year":2026,"papers":["https://..."],"days":[{"name":"元旦","date":"2026-01-01","isOffDay":true},…]}
//
// It validates that every date exists and belongs to the year (or to the
// December before it, see Schedule) and that no date is listed twice.
func ParseScheduleJSON(r io.Reader) (Schedule, error) {
	var raw jsonSchedule
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return Schedule{}, jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return Schedule{}, errors.New("节假日安排 JSON 解析失败：文档结束后还有多余内容")
	}
	s, err := raw.schedule()
	if err != nil {
		return Schedule{}, err
	}
	return s, validateSchedule(s)
}

// schedule converts the raw document, checking required keys and date syntax.
func (raw jsonSchedule) schedule() (Schedule, error) {
	if raw.Year == nil || raw.Days == nil {
		return Schedule{}, errors.New("节假日安排 JSON 缺少必填字段 year 或 days")
	}
	s := Schedule{Year: *raw.Year, Papers: raw.Papers, Days: make([]Day, 0, len(*raw.Days))}
	for i, jd := range *raw.Days {
		d, err := ParseDate(jd.Date)
		if err != nil {
			return Schedule{}, fmt.Errorf("节假日安排第 %d 项：%w", i+1, err)
		}
		if jd.IsOffDay == nil {
			return Schedule{}, fmt.Errorf("节假日安排第 %d 项（%s）缺少 isOffDay 字段", i+1, jd.Date)
		}
		s.Days = append(s.Days, Day{Date: d, Name: jd.Name, IsOffDay: *jd.IsOffDay})
	}
	return s, nil
}

// validateSchedule checks the invariants every Schedule must satisfy, whether
// it was parsed or built by hand and passed to New.
func validateSchedule(s Schedule) error {
	if s.Year < minScheduleYear || s.Year > maxScheduleYear {
		return fmt.Errorf("节假日安排的年份 %d 无效", s.Year)
	}
	first := NewDate(s.Year-1, time.December, 1)
	last := NewDate(s.Year, time.December, 31)
	seen := make(map[Date]bool, len(s.Days))
	for _, d := range s.Days {
		if d.Date.Before(first) || d.Date.After(last) {
			return fmt.Errorf("日期 %s 不属于 %d 年度的节假日安排", d.Date, s.Year)
		}
		if seen[d.Date] {
			return fmt.Errorf("%d 年度的节假日安排中日期 %s 重复出现", s.Year, d.Date)
		}
		seen[d.Date] = true
	}
	return nil
}

// EmbeddedSchedules returns the official schedules shipped with the binary,
// 2007 to 2026, sorted by year. They are parsed on every call (about 1 ms) so
// the package keeps no mutable state; callers should build one Calendar at
// start-up and share it.
//
// The embedded files are checked by the package tests, so a parse failure
// here is a build defect and panics.
func EmbeddedSchedules() []Schedule {
	names, err := fs.Glob(embedded, "data/*.json")
	if err != nil {
		panic(err)
	}
	out := make([]Schedule, 0, len(names))
	for _, name := range names { // fs.Glob returns names sorted, so years ascend
		out = append(out, mustParseEmbedded(name))
	}
	return out
}

func mustParseEmbedded(name string) Schedule {
	f, err := embedded.Open(name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	s, err := ParseScheduleJSON(f)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded %s: %v", name, err))
	}
	return s
}
