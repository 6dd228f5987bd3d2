package calendar

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// propWorkday explicitly marks an event as a make-up working day (TRUE) or an
// off day (FALSE), for feeds whose summaries do not follow the keywords.
const propWorkday = "X-OPENHALL-WORKDAY"

// maxEventDays bounds one VEVENT's length; no holiday block is longer than a
// few weeks, and the bound keeps a bogus DTEND from expanding to millions of
// days.
const maxEventDays = 366

// ParseScheduleICS reads the holiday arrangement for year from an iCalendar
// (RFC 5545) feed such as those published by calendar providers.
//
// Conventions:
//   - Every VEVENT must be all-day: DTSTART;VALUE=DATE:20260215 (a bare
//     eight-digit value is accepted too). Timed events are an error rather than
//     silently ignored, because a misread holiday moves legal deadlines.
//   - DTEND is exclusive, as RFC 5545 says; an event from 20260215 to 20260224
//     covers 15–23 February. DURATION in whole days is accepted instead of
//     DTEND; with neither, the event is one day. Repeating events (RRULE) are
//     rejected.
//   - SUMMARY becomes the day's name.
//   - An event is a make-up WORKING day (调休上班) if it carries
//     X-OPENHALL-WORKDAY:TRUE or its SUMMARY contains "补班", "上班" or
//     "调休上班"; X-OPENHALL-WORKDAY:FALSE forces an off day regardless of the
//     summary. Every other event is an OFF day.
//   - Only dates inside year are taken, so a multi-year feed can be imported
//     one year at a time; it is an error if none fall inside year. Two events
//     may cover the same date only if they agree on working or off.
func ParseScheduleICS(r io.Reader, year int) (Schedule, error) {
	if year < minScheduleYear || year > maxScheduleYear {
		return Schedule{}, fmt.Errorf("节假日安排的年份 %d 无效", year)
	}
	cal, err := decodeICS(r)
	if err != nil {
		return Schedule{}, err
	}
	byDate := make(map[Date]Day)
	for i, ev := range cal.Events() {
		if err := collectEvent(byDate, ev, year); err != nil {
			return Schedule{}, fmt.Errorf("ICS 第 %d 个事件：%w", i+1, err)
		}
	}
	if len(byDate) == 0 {
		return Schedule{}, fmt.Errorf("ICS 日历中没有 %d 年的节假日安排", year)
	}
	days := make([]Day, 0, len(byDate))
	for _, d := range byDate {
		days = append(days, d)
	}
	slices.SortFunc(days, func(a, b Day) int { return a.Date.Compare(b.Date) })
	return Schedule{Year: year, Days: days}, nil
}

// decodeICS runs the go-ical decoder, turning its panics into errors: the
// decoder indexes past the end of some malformed lines (fuzzing found that
// "0;0=" panics in lineDecoder.peek), and ICS files come from uploads.
func decodeICS(r io.Reader) (cal *ical.Calendar, err error) {
	defer func() {
		if p := recover(); p != nil {
			// The panic text is a Go runtime message, useless to the
			// administrator who will read this error.
			cal, err = nil, errors.New("ICS 日历解析失败：文件格式错误")
		}
	}()
	cal, err = ical.NewDecoder(r).Decode()
	if err != nil {
		return nil, &parseError{"ICS 日历解析失败：文件不是有效的 iCalendar（ICS）格式", err}
	}
	return cal, nil
}

// collectEvent adds the dates of ev that fall in year to byDate.
func collectEvent(byDate map[Date]Day, ev ical.Event, year int) error {
	start, end, err := eventSpan(ev)
	if err != nil {
		return err
	}
	name := eventName(ev)
	off, err := eventIsOff(ev, name)
	if err != nil {
		return err
	}
	for d := start; d.Before(end); d = d.AddDays(1) {
		if d.Year() != year {
			continue
		}
		if prev, dup := byDate[d]; dup && prev.IsOffDay != off {
			return fmt.Errorf("日期 %s 同时被标为休息日和工作日", d)
		} else if dup {
			continue // same meaning twice; keep the first name
		}
		byDate[d] = Day{Date: d, Name: name, IsOffDay: off}
	}
	return nil
}

// eventSpan returns the half-open range [start, end) of an all-day event.
func eventSpan(ev ical.Event) (Date, Date, error) {
	if ev.Props.Get(ical.PropRecurrenceRule) != nil {
		return Date{}, Date{}, errors.New("不支持重复事件（RRULE），请逐日列出")
	}
	sp := ev.Props.Get(ical.PropDateTimeStart)
	if sp == nil {
		return Date{}, Date{}, errors.New("缺少 DTSTART")
	}
	start, err := icsDate(sp)
	if err != nil {
		return Date{}, Date{}, err
	}
	end, err := eventEnd(ev, start)
	if err != nil {
		return Date{}, Date{}, err
	}
	if n := end.Sub(start); n < 1 || n > maxEventDays {
		return Date{}, Date{}, fmt.Errorf("事件日期范围 %s 至 %s 无效", start, end)
	}
	return start, end, nil
}

// eventEnd returns the exclusive end date from DTEND or DURATION.
func eventEnd(ev ical.Event, start Date) (Date, error) {
	if ep := ev.Props.Get(ical.PropDateTimeEnd); ep != nil {
		return icsDate(ep)
	}
	dp := ev.Props.Get(ical.PropDuration)
	if dp == nil {
		return start.AddDays(1), nil // RFC 5545 §3.6.1: a DATE start alone lasts one day
	}
	dur, err := dp.Duration()
	if err != nil || dur <= 0 || dur%(24*time.Hour) != 0 {
		return Date{}, fmt.Errorf("DURATION %q 不是正的整天数", dp.Value)
	}
	return start.AddDays(int(dur / (24 * time.Hour))), nil
}

// icsDate parses an all-day DATE value (YYYYMMDD). go-ical's own DateTime is
// not used because it would load tzdata for TZID date-times, which are
// rejected here anyway.
func icsDate(p *ical.Prop) (Date, error) {
	vt := strings.ToUpper(p.Params.Get(ical.ParamValue))
	if (vt != "" && vt != string(ical.ValueDate)) || len(p.Value) != 8 {
		return Date{}, fmt.Errorf("%s %q 不是全天日期（需要 VALUE=DATE）", p.Name, p.Value)
	}
	v := p.Value
	d, err := ParseDate(v[0:4] + "-" + v[4:6] + "-" + v[6:8])
	if err != nil {
		return Date{}, fmt.Errorf("%s %q 不是有效日期", p.Name, p.Value)
	}
	return d, nil
}

// eventName returns the unescaped SUMMARY, or "" if there is none.
func eventName(ev ical.Event) string {
	p := ev.Props.Get(ical.PropSummary)
	if p == nil {
		return ""
	}
	return strings.TrimSpace(unescapeText(p.Value))
}

// unescapeText undoes RFC 5545 TEXT escaping (\\ \; \, \n). go-ical's
// Text is not used because it treats SUMMARY as a comma-separated list and
// returns only the first item: real feeds often leave commas unescaped, and
// "国庆节,中秋节补班" must keep its "补班" or a working day would be read as
// a holiday. Unknown escapes are kept as written.
func unescapeText(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 == len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case 'n', 'N':
			b.WriteByte('\n')
		case '\\', ';', ',':
			b.WriteByte(v[i])
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

// eventIsOff applies the working-day convention documented on
// ParseScheduleICS.
func eventIsOff(ev ical.Event, name string) (bool, error) {
	if p := ev.Props.Get(propWorkday); p != nil {
		switch strings.ToUpper(strings.TrimSpace(p.Value)) {
		case "TRUE":
			return false, nil
		case "FALSE":
			return true, nil
		default:
			return false, fmt.Errorf("%s 的值 %q 无效，应为 TRUE 或 FALSE", propWorkday, p.Value)
		}
	}
	// "调休上班" is covered by "上班" but is listed as the official wording.
	for _, k := range [...]string{"补班", "上班", "调休上班"} {
		if strings.Contains(name, k) {
			return false, nil
		}
	}
	return true, nil
}
