package cases

import (
	"errors"
	"sort"
	"time"

	"openhall/internal/calendar"
)

// Clock is one running limit: the case's legal or promised limit, a
// branch's or a step's. Everything in it is computed from the case's events
// on the working-day calendar, so recomputing always agrees.
type Clock struct {
	Limit     calendar.Limit // including approved extensions
	Started   bool
	Start     time.Time
	Consumed  int           // whole days (or, for hour limits, 0: see Used)
	Used      time.Duration // for hour limits
	Remaining int           // days left; negative when overdue
	Due       calendar.Date // the last day of the period
	DueAt     time.Time     // the end of office hours on Due (or the exact time for hour limits)
	Paused    bool          // stopped now (特别程序 or 退回申请人补正)
	Stopped   bool          // finished: the case, branch or step is done
	Overdue   bool
	// Lapsed: the period ended on Due and the days since then are not
	// working days (a weekend or a holiday block), so none of the period's
	// own unit has yet run past it. The clock turns Overdue on the next
	// working day (行政许可法 Art 82: periods in working days leave out
	// the statutory holidays); until then it shows the period as ended,
	// never as 剩余 0 with a date in the past.
	Lapsed bool
	// Provisional is the first year the period reaches whose holiday
	// schedule has not been imported (0 if none): Due and the counts are
	// then computed on a plain week with the law's days off, shown as 暂定, and corrected by
	// themselves once the schedule is imported, since clocks are always
	// recomputed from the events.
	Provisional int
	// MissingYear is set only when the period leaves the calendar's range
	// altogether (decades ahead): the due date is then unknown.
	MissingYear int
}

// span is a stretch of time the clock did not run; To is zero while it
// lasts. A whole span takes whole days out of a count in days, its first
// day included: a special procedure consumes the working days from its
// start day to its end day, both included (行政许可法 Art 45: the time it
// needs does not count). Other pauses take out the days after their start,
// as a period's own start does.
type span struct {
	From, To time.Time
	whole    bool
}

// meter measures limits on one calendar.
type meter struct {
	cal *calendar.Calendar
	oh  calendar.OfficeHours
	now time.Time
}

// measure runs a clock from start until end (zero: still running at now),
// not counting the suspensions.
func (m meter) measure(limit calendar.Limit, start, end time.Time, pauses []span) (Clock, error) {
	c := Clock{Limit: limit, Started: !start.IsZero(), Start: start, Stopped: !end.IsZero()}
	if !c.Started || limit.N <= 0 {
		return c, nil
	}
	stop := end
	if stop.IsZero() {
		stop = m.now
	}
	segs, paused := segments(start, stop, merge(pauses))
	c.Paused = paused && end.IsZero()
	var err error
	if limit.Unit == calendar.UnitHour {
		err = m.measureHours(&c, segs)
	} else {
		err = m.measureDays(&c, segs)
	}
	var nd calendar.NoDataError
	if errors.As(err, &nd) {
		return Clock{Limit: limit, Started: true, Start: start, Stopped: c.Stopped, Paused: c.Paused, MissingYear: nd.Year}, nil
	}
	last := calendar.DateOf(stop)
	if c.Due.After(last) {
		last = c.Due
	}
	c.Provisional = m.cal.Provisional(calendar.DateOf(start), last)
	return c, err
}

// segments cuts [start, stop] into the stretches the clock ran. The last
// segment is open-ended (its end is stop) unless the clock is paused at stop.
// A segment ended by a whole pause is marked whole: its last day, the
// pause's first, does not count.
func segments(start, stop time.Time, pauses []span) ([]span, bool) {
	var segs []span
	from := start
	for _, p := range pauses {
		if !p.To.IsZero() && !p.To.After(from) {
			continue // entirely before the clock started
		}
		if p.From.After(stop) {
			break
		}
		if p.From.After(from) {
			segs = append(segs, span{From: from, To: p.From, whole: p.whole})
		}
		if p.To.IsZero() || p.To.After(stop) {
			return segs, true
		}
		from = p.To
	}
	return append(segs, span{From: from, To: stop}), false
}

// merge sorts pauses and joins overlapping ones (two branches' procedures).
func merge(ps []span) []span {
	sort.Slice(ps, func(i, j int) bool { return ps[i].From.Before(ps[j].From) })
	var out []span
	for _, p := range ps {
		last := len(out) - 1
		if last >= 0 && (out[last].To.IsZero() || !p.From.After(out[last].To)) {
			out[last].whole = out[last].whole || (p.whole && calendar.DateOf(p.From) == calendar.DateOf(out[last].From))
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

// measureDays counts working (or natural) days: a period starts the day
// after its start, and a pause from day S to day E takes the days S+1…E
// out of the count, like the period's own start.
func (m meter) measureDays(c *Clock, segs []span) error {
	left := c.Limit.N
	dueFound := false
	for i, s := range segs {
		from, to := calendar.DateOf(s.From), calendar.DateOf(s.To)
		if s.whole {
			to = to.AddDays(-1) // the pause's first day is the pause's
		}
		n, err := m.daysBetween(c.Limit.Unit, from, to)
		if err != nil {
			return err
		}
		c.Consumed += n
		last := i == len(segs)-1
		if !dueFound && (n >= left || (last && !c.Paused)) {
			if err := m.setDue(c, from, left); err != nil {
				return err
			}
			dueFound = true
		}
		left -= n
	}
	c.Remaining = c.Limit.N - c.Consumed
	if dueFound && c.Limit.Unit == calendar.UnitNaturalDay && !c.Paused {
		// 民法典 Art 203: a period whose last day is a statutory holiday
		// ends on the day after the holiday, as Due already does; the days
		// left are counted to Due, not to the plain limit.
		c.Remaining = c.Due.Sub(calendar.DateOf(segs[len(segs)-1].To))
	}
	c.Overdue = dueFound && c.Remaining < 0
	c.Lapsed = dueFound && !c.Overdue && !c.Stopped && !c.Paused && calendar.DateOf(m.now).After(c.Due)
	return nil
}

func (m meter) daysBetween(u calendar.Unit, from, to calendar.Date) (int, error) {
	if !to.After(from) {
		return 0, nil
	}
	if u == calendar.UnitNaturalDay {
		return max(to.Sub(from), 0), nil
	}
	return m.cal.WorkdaysBetween(from, to)
}

func (m meter) setDue(c *Clock, from calendar.Date, left int) error {
	var err error
	if c.Limit.Unit == calendar.UnitNaturalDay {
		c.Due, err = m.cal.AddNaturalDays(from, max(left, 0))
	} else {
		c.Due, err = m.cal.AddWorkdays(from, max(left, 0))
	}
	c.DueAt = c.Due.Time().Add(m.oh.PMEnd)
	return err
}

// measureHours counts office time, for items whose limit is in hours.
func (m meter) measureHours(c *Clock, segs []span) error {
	left := time.Duration(c.Limit.N) * time.Hour
	for i, s := range segs {
		d, err := m.cal.WorkingDurationBetween(s.From, s.To, m.oh)
		if err != nil {
			return err
		}
		c.Used += d
		last := i == len(segs)-1
		if c.DueAt.IsZero() && (d >= left || (last && !c.Paused)) {
			if c.DueAt, err = m.cal.AddWorkingDuration(s.From, max(left, 0), m.oh); err != nil {
				return err
			}
			c.Due = calendar.DateOf(c.DueAt)
		}
		left -= d
	}
	c.Overdue = !c.DueAt.IsZero() && c.Used > time.Duration(c.Limit.N)*time.Hour
	c.Remaining = int((time.Duration(c.Limit.N)*time.Hour - c.Used) / time.Hour)
	c.Lapsed = !c.DueAt.IsZero() && !c.Overdue && !c.Stopped && !c.Paused && m.now.After(c.DueAt)
	return nil
}
