package calendar

import (
	"errors"
	"fmt"
	"time"
)

// OfficeHours is the daily opening time of a service hall, as offsets from
// midnight China Standard Time: a morning period [AMStart, AMEnd] and an
// afternoon period [PMStart, PMEnd]. It applies on working days only.
type OfficeHours struct {
	AMStart, AMEnd, PMStart, PMEnd time.Duration
}

// DefaultOfficeHours returns the common government office day, 09:00–12:00
// and 13:30–17:30 (seven hours).
func DefaultOfficeHours() OfficeHours {
	return OfficeHours{
		AMStart: 9 * time.Hour,
		AMEnd:   12 * time.Hour,
		PMStart: 13*time.Hour + 30*time.Minute,
		PMEnd:   17*time.Hour + 30*time.Minute,
	}
}

// Validate checks that both periods are non-empty, in order and inside one
// day. AMEnd may equal PMStart for a hall with no lunch break.
func (o OfficeHours) Validate() error {
	ok := o.AMStart >= 0 && o.AMStart < o.AMEnd && o.AMEnd <= o.PMStart &&
		o.PMStart < o.PMEnd && o.PMEnd <= 24*time.Hour
	if !ok {
		return fmt.Errorf("办公时间设置无效：上午 %s–%s，下午 %s–%s，须满足上午开始 < 上午结束 ≤ 下午开始 < 下午结束，且都在当天之内",
			clock(o.AMStart), clock(o.AMEnd), clock(o.PMStart), clock(o.PMEnd))
	}
	return nil
}

// clock formats an offset from midnight as HH:MM for error messages.
func clock(d time.Duration) string {
	if d < 0 {
		return "-" + clock(-d)
	}
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// periods returns the two office periods of a day.
func (o OfficeHours) periods() [2][2]time.Duration {
	return [2][2]time.Duration{{o.AMStart, o.AMEnd}, {o.PMStart, o.PMEnd}}
}

// dayLength is the office time of one working day.
func (o OfficeHours) dayLength() time.Duration {
	return o.AMEnd - o.AMStart + o.PMEnd - o.PMStart
}

// consume spends r of office time on one working day starting at offset off.
// It returns the offset at which r runs out and true, or the office time
// still left over after the day and false.
func (o OfficeHours) consume(off, r time.Duration) (time.Duration, time.Duration, bool) {
	for _, p := range o.periods() {
		off = max(off, p[0])
		if off > p[1] {
			continue
		}
		avail := p[1] - off
		if r <= avail {
			return off + r, 0, true
		}
		r -= avail
		off = p[1]
	}
	return 0, r, false
}

// within returns the office time inside [a, b] on one working day.
func (o OfficeHours) within(a, b time.Duration) time.Duration {
	var sum time.Duration
	for _, p := range o.periods() {
		if lo, hi := max(a, p[0]), min(b, p[1]); hi > lo {
			sum += hi - lo
		}
	}
	return sum
}

// split returns t's civil date in China Standard Time and its offset from
// that day's midnight, without allocating.
func split(t time.Time) (Date, time.Duration) {
	day := DateOf(t)
	sec := t.Unix() + cstOffset - day.days*secondsPerDay
	return day, time.Duration(sec)*time.Second + time.Duration(t.Nanosecond())
}

// AddWorkingDuration returns the instant at which d of office time has
// elapsed, counting from t and only through the office periods of working
// days. A start outside office time (before opening, at lunch, after closing,
// or on an off day) starts at the next office period, so 0 from 20:00 gives
// 09:00 of the next working day. A duration that ends exactly at the close of
// a period returns that closing time (09:00 + 3h is 12:00, not 13:30). The
// result is in China Standard Time.
func (c *Calendar) AddWorkingDuration(t time.Time, d time.Duration, oh OfficeHours) (time.Time, error) {
	if err := oh.Validate(); err != nil {
		return time.Time{}, err
	}
	if d < 0 {
		return time.Time{}, errors.New("办公时长不能为负数")
	}
	day, off := split(t)
	work, err := c.IsWorkday(day)
	if err != nil {
		return time.Time{}, err
	}
	if work {
		at, rest, done := oh.consume(off, d)
		if done {
			return day.at(c.loc).Add(at), nil
		}
		d = rest
	}
	return c.finishOnLaterDay(day, d, oh)
}

// finishOnLaterDay spends r of office time on the working days after day,
// jumping whole days through the working-day index rather than looping.
func (c *Calendar) finishOnLaterDay(day Date, r time.Duration, oh OfficeHours) (time.Time, error) {
	dayLen := oh.dayLength()
	skip := 0
	if r > dayLen {
		// Leave 0 < r ≤ dayLen for the final day, so a duration ending at
		// closing time ends on that day rather than at the next opening.
		skip = int((r - 1) / dayLen)
		r -= time.Duration(skip) * dayLen
	}
	last, err := c.AddWorkdays(day, skip+1)
	if err != nil {
		return time.Time{}, err
	}
	at, _, _ := oh.consume(0, r)
	return last.at(c.loc).Add(at), nil
}

// WorkingDurationBetween returns the office time on working days between from
// and to; 0 if to is not after from. It is the inverse of AddWorkingDuration:
// WorkingDurationBetween(t, AddWorkingDuration(t, d)) == d.
func (c *Calendar) WorkingDurationBetween(from, to time.Time, oh OfficeHours) (time.Duration, error) {
	if err := oh.Validate(); err != nil {
		return 0, err
	}
	d1, off1 := split(from)
	d2, off2 := split(to)
	full, err := c.WorkdaysBetween(d1, d2) // also checks both lie in the range
	if err != nil || !to.After(from) {
		return 0, err
	}
	first, _ := c.IsWorkday(d1)
	last, _ := c.IsWorkday(d2)
	if d1 == d2 {
		return bool2dur(first, oh.within(off1, off2)), nil
	}
	if last {
		full-- // d2 is counted partially below, not as a full day
	}
	return bool2dur(first, oh.within(off1, 24*time.Hour)) +
		time.Duration(full)*oh.dayLength() +
		bool2dur(last, oh.within(0, off2)), nil
}

// bool2dur returns d if ok, else 0.
func bool2dur(ok bool, d time.Duration) time.Duration {
	if ok {
		return d
	}
	return 0
}
