package calendar

// index returns d's position in the tables, or false if d lies outside the
// precomputed range. The unsigned comparison folds both bounds into one.
func (c *Calendar) index(d Date) (int, bool) {
	i := d.days - c.base
	if uint64(i) >= uint64(len(c.missing)-1) {
		return 0, false
	}
	return int(i), true
}

// outOfRange is the error for a date outside the precomputed range: before
// the first official schedule, or more than provisionalYears after the last.
func (c *Calendar) outOfRange(d Date) error {
	return NoDataError{Year: d.Year()}
}

// pastEnd is the error for a result beyond the last day of the range.
func (c *Calendar) pastEnd() error {
	return NoDataError{Year: c.firstYear + len(c.hasYear)}
}

// isWork reports whether day i is a working day (provisionally, in a year
// without an official schedule).
func (c *Calendar) isWork(i int) bool {
	return c.prefix[i+1] != c.prefix[i]
}

// Provisional returns the first year between a and b (in either order, both
// included) whose holiday schedule has not been imported, or 0 when every
// day between them follows an official schedule. A date or count computed
// over that span is provisional (暂定) and must be shown as such.
func (c *Calendar) Provisional(a, b Date) int {
	lo, hi := a, b
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	i, ok1 := c.index(lo)
	j, ok2 := c.index(hi)
	if ok1 && ok2 && c.missing[j+1] == c.missing[i] {
		return 0
	}
	for y := lo.Year(); y <= hi.Year(); y++ {
		if !c.Covers(y) {
			return y
		}
	}
	return hi.Year()
}

// IsWorkday reports whether d is a working day: a weekday that is not a
// holiday, or a weekend day declared a make-up working day.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	i, ok := c.index(d)
	if !ok {
		return false, c.outOfRange(d)
	}
	return c.isWork(i), nil
}

// AddWorkdays returns the n-th working day after d. d itself never counts,
// whatever it is, because under Chinese administrative law a period starts on
// the day after the triggering event (期间开始的日不计算在期间内): an
// application received on Friday with a 1-working-day limit is due on Monday.
// n == 0 returns d. Negative n is an error.
func (c *Calendar) AddWorkdays(d Date, n int) (Date, error) {
	if n < 0 {
		return Date{}, negativeCount("工作日数", n)
	}
	i, ok := c.index(d)
	if !ok {
		return Date{}, c.outOfRange(d)
	}
	if n == 0 {
		return d, nil
	}
	// prefix[i+1] working days lie in [0, i], so the first one after d has
	// 0-based rank prefix[i+1]; the n-th has rank prefix[i+1]+n-1.
	if n > len(c.nth) {
		return Date{}, c.pastEnd()
	}
	k := int(c.prefix[i+1]) + n - 1
	if k >= len(c.nth) {
		return Date{}, c.pastEnd()
	}
	return Date{days: c.base + int64(c.nth[k])}, nil
}

// WorkdaysBetween returns the number of working days in (from, to]: from is
// excluded and to included, matching AddWorkdays, so that
// WorkdaysBetween(d, AddWorkdays(d, n)) == n. It returns 0 when to is not
// after from. Both must lie in the calendar's range.
func (c *Calendar) WorkdaysBetween(from, to Date) (int, error) {
	lo, hi := from, to
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	i, ok1 := c.index(lo)
	j, ok2 := c.index(hi)
	if !ok1 {
		return 0, c.outOfRange(lo)
	}
	if !ok2 {
		return 0, c.outOfRange(hi)
	}
	if !to.After(from) {
		return 0, nil
	}
	return int(c.prefix[j+1] - c.prefix[i+1]), nil
}

// NextWorkday returns d if it is a working day, else the first working day
// after d.
func (c *Calendar) NextWorkday(d Date) (Date, error) {
	work, err := c.IsWorkday(d)
	if err != nil || work {
		return d, err
	}
	return c.AddWorkdays(d, 1)
}

// AddNaturalDays returns the deadline of a period of n natural (calendar)
// days starting after d: the date d+n, except that when d+n is not a working
// day the deadline moves to the next working day, as Chinese procedural law
// requires (期间届满的最后一日是法定节假日的，以节假日后的第一个工作日为期间届满日;
// weekends count as 节假日 here, and a make-up working Saturday does not). Days
// in between are counted whether or not they are working days. n == 0 gives
// NextWorkday(d). Negative n is an error.
func (c *Calendar) AddNaturalDays(d Date, n int) (Date, error) {
	if n < 0 {
		return Date{}, negativeCount("自然日数", n)
	}
	if _, ok := c.index(d); !ok {
		return Date{}, c.outOfRange(d)
	}
	e := d.AddDays(n)
	if _, ok := c.index(e); !ok {
		return Date{}, c.pastEnd()
	}
	return c.NextWorkday(e)
}
