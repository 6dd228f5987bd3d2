// Package workclock measures the simple deadlines of follow-up work — a
// period of N working days that starts with one recorded event and is met
// by another, possibly paused in between — on a region's working-day
// calendar, and says when such a deadline needs a warning.
//
// A Clock is always computed from the recorded times, never stored, so it
// agrees with itself when recomputed and turns official by itself once a
// missing year's holiday schedule is imported.
package workclock

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"openhall/internal/calendar"
)

// Warning is how urgent a running deadline is, as the centres' electronic
// supervision shows it: yellow shortly before, red once overdue.
type Warning string

// Warnings.
const (
	WarnNone   Warning = ""
	WarnYellow Warning = "yellow" // 黄牌预警: ≥ 90 % of the period used, or at most 1 working day left
	WarnRed    Warning = "red"    // 红牌: overdue
)

// Label is the warning's Chinese name.
func (w Warning) Label() string {
	switch w {
	case WarnYellow:
		return "即将到期"
	case WarnRed:
		return "已超期"
	}
	return ""
}

// Rank orders warnings: none < yellow < red.
func (w Warning) Rank() int {
	switch w {
	case WarnYellow:
		return 1
	case WarnRed:
		return 2
	}
	return 0
}

// Span is a stretch of time the clock did not run; To is zero while it lasts.
type Span struct{ From, To time.Time }

// Clock is one deadline measured at a moment.
type Clock struct {
	Days      int       // the period in working days
	Started   bool      // its starting event happened
	Start     time.Time // when
	Met       bool      // its ending event happened
	End       time.Time // when
	Due       calendar.Date
	Consumed  int // working days used (pauses not counted)
	Remaining int // working days left; negative once working days past Due are used
	Paused    bool
	Overdue   bool // met after Due, or still running on a day after it, working or not
	Warning   Warning
	// Provisional is the first year the period reaches whose holiday
	// schedule has not been imported (0 if none): the due date is then
	// counted on a plain week with the law's days off and shown with calendar.ProvisionalNote.
	Provisional int
	// MissingYear is set only when the period leaves the calendar's range
	// altogether (decades ahead); the due date is then unknown.
	MissingYear int
}

// Known reports whether the clock has a due date to show.
func (c Clock) Known() bool { return c.Started && c.MissingYear == 0 && c.Due != (calendar.Date{}) }

// Measure computes a period of days working days that starts the day after
// start (as every period on the calendar does) and is met at end (zero:
// not yet), not counting the working days inside pauses, as of now. A
// pause from day S to day E takes the days S+1…E out of the count.
func Measure(cal *calendar.Calendar, days int, start, end time.Time, pauses []Span, now time.Time) (Clock, error) {
	c := Clock{Days: days, Started: !start.IsZero(), Start: start, Met: !end.IsZero(), End: end}
	if !c.Started || days <= 0 {
		return c, nil
	}
	stop := end
	if stop.IsZero() {
		stop = now
	}
	day, due, err := c.count(cal, start, stop, merge(pauses))
	var nd calendar.NoDataError
	if errors.As(err, &nd) {
		return Clock{Days: days, Started: true, Start: start, Met: c.Met, End: end, Paused: c.Paused, MissingYear: nd.Year}, nil
	}
	if err != nil {
		return c, fmt.Errorf("measure a %d-working-day period from %s: %w", days, calendar.DateOf(start), err)
	}
	c.judge(day, due)
	last := calendar.DateOf(stop)
	if c.Due.After(last) {
		last = c.Due
	}
	c.Provisional = cal.Provisional(calendar.DateOf(start), last)
	return c, nil
}

// count fills Due, Consumed, Remaining and Paused, and returns the day
// the clock is judged on and its due date then: the day of stop and Due,
// or while paused the day the pause began and the due date it stood still
// at.
func (c *Clock) count(cal *calendar.Calendar, start, stop time.Time, pauses []Span) (day, due calendar.Date, err error) {
	from := calendar.DateOf(start)
	day = calendar.DateOf(stop)
	paused, open := 0, 0
	for _, p := range pauses {
		if !p.To.IsZero() && !p.To.After(start) || p.From.After(stop) {
			continue
		}
		pFrom := calendar.DateOf(maxTime(p.From, start))
		pTo, still := calendar.DateOf(stop), !c.Met
		if !p.To.IsZero() && p.To.Before(stop) {
			pTo, still = calendar.DateOf(p.To), false
		}
		n, err := cal.WorkdaysBetween(pFrom, pTo)
		if err != nil {
			return day, due, err
		}
		paused += n
		if still {
			c.Paused, day, open = true, pFrom, n
		}
	}
	used, err := cal.WorkdaysBetween(from, calendar.DateOf(stop))
	if err != nil {
		return day, due, err
	}
	c.Consumed = max(used-paused, 0)
	c.Remaining = c.Days - c.Consumed
	if c.Due, err = cal.AddWorkdays(from, c.Days+paused); err != nil || open == 0 {
		return day, c.Due, err
	}
	due, err = cal.AddWorkdays(from, c.Days+paused-open)
	return day, due, err
}

// judge sets Overdue and Warning: a clock is overdue from the first day
// after its due date, whether or not that is a working day, as one met on
// that day is (China time, calendar.DateOf); a paused one if it was when
// its pause began.
func (c *Clock) judge(day, due calendar.Date) {
	c.Overdue = day.After(due)
	if c.Met {
		return
	}
	switch {
	case c.Overdue:
		c.Warning = WarnRed
	case c.Paused:
	case c.Remaining <= 1 || c.Consumed*10 >= c.Days*9:
		c.Warning = WarnYellow
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// merge sorts pauses and joins overlapping ones.
func merge(ps []Span) []Span {
	ps = append([]Span(nil), ps...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
	var out []Span
	for _, p := range ps {
		last := len(out) - 1
		if last >= 0 && (out[last].To.IsZero() || !p.From.After(out[last].To)) {
			if out[last].To.IsZero() || p.To.IsZero() {
				out[last].To = time.Time{}
			} else if p.To.After(out[last].To) {
				out[last].To = p.To
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

// Text says where the clock stands in one short sentence, with the 暂定
// note when the due date is provisional; it never shows a zero date.
func (c Clock) Text() string {
	note := calendar.ProvisionalNote(c.Provisional)
	if c.Met && c.Provisional != 0 && calendar.DateOf(c.End).Year() < c.Provisional {
		// Met before the year without a schedule began: that schedule can
		// only move the due date within that year, after it was met.
		note = ""
	}
	switch {
	case !c.Started:
		return "尚未开始计时"
	case c.MissingYear > 0:
		return fmt.Sprintf("到期日待定：缺少 %d 年节假日安排，请系统管理员在“工作日历”中导入", c.MissingYear)
	case c.Met && c.Overdue:
		return fmt.Sprintf("已完成，%s（%s 到期）", c.late(), c.Due) + note
	case c.Met:
		return fmt.Sprintf("已按期完成（%s 到期）", c.Due) + note
	case c.Paused:
		return fmt.Sprintf("暂停计时，剩余 %d 个工作日", c.Remaining)
	case c.Overdue:
		return fmt.Sprintf("已%s（%s 到期）", c.late(), c.Due) + note
	}
	return fmt.Sprintf("剩余 %d 个工作日，%s 到期", c.Remaining, c.Due) + note
}

// late is how far past its due date an overdue clock is: 超期 with the
// working days used past it, or alone while none is (the days after a due
// Friday until Monday).
func (c Clock) late() string {
	if c.Remaining < 0 {
		return fmt.Sprintf("超期 %d 个工作日", -c.Remaining)
	}
	return "超期"
}

// Turns are the moments a running clock turns yellow and red, as Measure
// judges it at those moments, if it runs on without a new pause.
type Turns struct {
	// Yellow is zero when the clock warns from its very start (a period of
	// one working day): whoever started it said how long it has.
	Yellow time.Time
	Red    time.Time
	// Provisional is the first year up to the due date whose holiday
	// schedule has not been imported (0 if none): the moments are then
	// counted on a plain week with the law's days off and move once the schedule is imported.
	Provisional int
}

// Known reports whether the turns could be counted (the clock runs, is
// not paused now, and its period lies within the calendar's range).
func (t Turns) Known() bool { return !t.Red.IsZero() }

// Next returns when a clock of days working days that started at start,
// paused by pauses that have all ended, turns yellow and red: at 00:00
// (China time) of the first day on which Measure finds it yellow (at most
// one working day left, or 90 % used) and of the day after its due date,
// on which it is overdue, a working day or not. A clock paused now has no turns until it resumes; neither has
// one whose period leaves the calendar's range (decades ahead).
func Next(cal *calendar.Calendar, days int, start time.Time, pauses []Span) (Turns, error) {
	if start.IsZero() || days <= 0 {
		return Turns{}, nil
	}
	from := calendar.DateOf(start)
	paused := 0
	for _, p := range merge(pauses) {
		if p.To.IsZero() {
			return Turns{}, nil
		}
		if !p.To.After(start) {
			continue
		}
		n, err := cal.WorkdaysBetween(calendar.DateOf(maxTime(p.From, start)), calendar.DateOf(p.To))
		if err != nil {
			return Turns{}, unknown(err)
		}
		paused += n
	}
	// Yellow once Consumed reaches Days-1 or ⌈0.9 × Days⌉ (judge).
	yellowAfter := min(days-1, (9*days+9)/10)
	y, err := cal.AddWorkdays(from, yellowAfter+paused)
	if err != nil {
		return Turns{}, unknown(err)
	}
	// Red on the day after the due date, a working day or not (judge).
	due, err := cal.AddWorkdays(from, days+paused)
	if err != nil {
		return Turns{}, unknown(err)
	}
	t := Turns{Red: due.AddDays(1).Time(), Provisional: cal.Provisional(from, due)}
	if yellowAfter > 0 {
		t.Yellow = maxTime(start, y.Time())
	}
	return t, nil
}

// unknown drops the error of a period that leaves the calendar's range:
// its turns are unknown, as its due date is (Clock.MissingYear).
func unknown(err error) error {
	var nd calendar.NoDataError
	if errors.As(err, &nd) {
		return nil
	}
	return err
}
