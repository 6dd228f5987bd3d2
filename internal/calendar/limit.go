package calendar

import (
	"fmt"
	"strings"
	"time"
)

// Unit is the unit of a time limit in the service catalogue (办事指南).
type Unit string

// The three units the service catalogue uses. The string values are stored in
// the database and sent over the API, so they must not change.
const (
	UnitWorkday    Unit = "workday"     // 工作日
	UnitNaturalDay Unit = "natural_day" // 自然日
	UnitHour       Unit = "hour"        // 小时 (office hours on working days)
)

// Label returns the Chinese name of the unit for display.
func (u Unit) Label() string {
	switch u {
	case UnitWorkday:
		return "工作日"
	case UnitNaturalDay:
		return "自然日"
	case UnitHour:
		return "小时"
	}
	return fmt.Sprintf("未知单位（%s）", string(u))
}

// valid reports whether u is one of the three unit codes; Chinese labels
// are accepted only by ParseUnit, never stored.
func (u Unit) valid() bool {
	return u == UnitWorkday || u == UnitNaturalDay || u == UnitHour
}

// ParseUnit accepts a unit code ("workday", "natural_day", "hour") or its
// Chinese label ("工作日", "自然日", "小时"), ignoring surrounding space.
func ParseUnit(s string) (Unit, error) {
	t := strings.TrimSpace(s)
	for _, u := range [...]Unit{UnitWorkday, UnitNaturalDay, UnitHour} {
		if t == string(u) || t == u.Label() {
			return u, nil
		}
	}
	return "", fmt.Errorf("时限单位 %q 无效，应为 工作日、自然日 或 小时", s)
}

// Limit is a time limit such as 20 working days (承诺时限 20 个工作日).
// N == 0 is allowed for items handled on the spot (即办件).
type Limit struct {
	N    int  `json:"n"`
	Unit Unit `json:"unit"`
}

// maxHourLimit keeps N hours representable as a time.Duration with room to
// spare; no catalogue item measured in hours comes close.
const maxHourLimit = 100_000

// String returns the limit in Chinese, e.g. "20个工作日" or "4小时".
func (l Limit) String() string {
	if l.Unit == UnitHour {
		return fmt.Sprintf("%d小时", l.N)
	}
	return fmt.Sprintf("%d个%s", l.N, l.Unit.Label())
}

// Validate checks that N is not negative and Unit is one of the three units.
func (l Limit) Validate() error {
	if !l.Unit.valid() {
		return fmt.Errorf("时限单位 %q 无效，应为 workday、natural_day 或 hour", string(l.Unit))
	}
	if l.N < 0 {
		return negativeCount("时限", l.N)
	}
	if l.Unit == UnitHour && l.N > maxHourLimit {
		return fmt.Errorf("时限 %d 小时过长", l.N)
	}
	return nil
}

// Due returns the deadline of a matter received at received with limit l:
//
//   - workday: the end of office hours (oh.PMEnd) on AddWorkdays(DateOf(received), N);
//     for N == 0, on NextWorkday(DateOf(received)), so an on-the-spot item
//     received at the weekend is due when the hall next closes, not on Sunday;
//   - natural_day: the end of office hours on AddNaturalDays(DateOf(received), N);
//   - hour: AddWorkingDuration(received, N hours, oh).
//
// The result is in China Standard Time.
func (c *Calendar) Due(received time.Time, l Limit, oh OfficeHours) (time.Time, error) {
	if err := oh.Validate(); err != nil {
		return time.Time{}, err
	}
	if err := l.Validate(); err != nil {
		return time.Time{}, err
	}
	if l.Unit == UnitHour {
		return c.AddWorkingDuration(received, time.Duration(l.N)*time.Hour, oh)
	}
	due, err := c.dueDate(DateOf(received), l)
	if err != nil {
		return time.Time{}, err
	}
	return due.at(c.loc).Add(oh.PMEnd), nil
}

// dueDate is the last day of a limit counted in days from received.
func (c *Calendar) dueDate(received Date, l Limit) (Date, error) {
	switch {
	case l.Unit == UnitNaturalDay:
		return c.AddNaturalDays(received, l.N)
	case l.N == 0:
		return c.NextWorkday(received)
	}
	return c.AddWorkdays(received, l.N)
}
