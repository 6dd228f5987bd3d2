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

// hasData reports whether every day in [i, j] (i ≤ j) has data.
func (c *Calendar) hasData(i, j int) bool {
	return c.missing[j+1] == c.missing[i]
}

// isWork reports whether day i is a working day; i must have data.
func (c *Calendar) isWork(i int) bool {
	return c.prefix[i+1] != c.prefix[i]
}

// noDataFrom returns the NoDataError for the first year at or after d's year
// that lacks data. Callers use it once they know some day in a range starting
// at d is uncovered; the first gap found this way is inside that range.
func (c *Calendar) noDataFrom(d Date) error {
	y := d.Year()
	for c.Covers(y) {
		y++
	}
	return NoDataError{Year: y}
}

// IsWorkday reports whether d is a working day: a weekday that is not a
// holiday, or a weekend day declared a make-up working day.
func (c *Calendar) IsWorkday(d Date) (bool, error) {
	i, ok := c.index(d)
	if !ok || !c.hasData(i, i) {
		return false, NoDataError{Year: d.Year()}
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
	if !ok || !c.hasData(i, i) {
		return Date{}, NoDataError{Year: d.Year()}
	}
	if n == 0 {
		return d, nil
	}
	// prefix[i+1] working days lie in [0, i], so the first one after d has
	// 0-based rank prefix[i+1]; the n-th has rank prefix[i+1]+n-1.
	if n > len(c.nth) {
		return Date{}, c.noDataFrom(d)
	}
	k := int(c.prefix[i+1]) + n - 1
	if k >= len(c.nth) {
		return Date{}, c.noDataFrom(d)
	}
	j := int(c.nth[k])
	if !c.hasData(i, j) {
		return Date{}, c.noDataFrom(d)
	}
	return Date{days: c.base + int64(j)}, nil
}

// WorkdaysBetween returns the number of working days in (from, to]: from is
// excluded and to included, matching AddWorkdays, so that
// WorkdaysBetween(d, AddWorkdays(d, n)) == n. It returns 0 when to is not
// after from. Every day between the two must have data.
func (c *Calendar) WorkdaysBetween(from, to Date) (int, error) {
	lo, hi := from, to
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	i, ok1 := c.index(lo)
	j, ok2 := c.index(hi)
	if !ok1 || !ok2 || !c.hasData(i, j) {
		return 0, c.noDataFrom(lo)
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
	e := d.AddDays(n)
	i, ok1 := c.index(d)
	j, ok2 := c.index(e)
	if !ok1 || !ok2 || !c.hasData(i, j) {
		return Date{}, c.noDataFrom(d)
	}
	return c.NextWorkday(e)
}
