package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date (year, month, day) with no time zone. It is a small
// comparable value: two Dates are equal exactly when they name the same day,
// so Date works as a map key and with ==. The zero value is 1970-01-01.
//
// Internally a Date counts days since 1970-01-01, which makes day arithmetic
// and indexing into the calendar's precomputed tables a single subtraction.
type Date struct {
	days int64
}

// secondsPerDay is the length of a civil day in China Standard Time, which has
// no daylight saving time, so every day is exactly 86 400 seconds long.
const secondsPerDay = 24 * 60 * 60

// cstOffset is the offset of China Standard Time from UTC in seconds.
const cstOffset = 8 * 60 * 60

// chinaZone is the China Standard Time zone, built rather than loaded from tzdata
// so that the package works on hosts without a time zone database. A
// Location never changes, so one serves every caller (building it per call
// cost an allocation on every date conversion).
var chinaZone = time.FixedZone("CST", cstOffset)

// chinaTime returns the China Standard Time zone.
func chinaTime() *time.Location { return chinaZone }

// NewDate returns the Date for year y, month m and day d. Like time.Date, it
// normalises out-of-range values: NewDate(2026, 2, 29) is 2026-03-01.
func NewDate(y int, m time.Month, d int) Date {
	return Date{days: time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay}
}

// ParseDate parses a date in the form "2006-01-02". It is strict: exactly four
// year digits, two month digits and two day digits, and the day must exist in
// that month.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("日期 %q 格式无效，应为 YYYY-MM-DD", s)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return Date{}, fmt.Errorf("日期 %q 格式无效，应为 YYYY-MM-DD", s)
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, fmt.Errorf("日期 %q 不存在", s)
	}
	return NewDate(y, time.Month(m), d), nil
}

// digits parses a run of ASCII decimal digits; it rejects signs and spaces,
// which strconv.Atoi would accept.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// DateOf returns the civil date of t in China Standard Time (UTC+8),
// whatever location t carries.
func DateOf(t time.Time) Date {
	return Date{days: floorDiv(t.Unix()+cstOffset, secondsPerDay)}
}

// floorDiv divides rounding toward negative infinity, so that instants before
// 1970 still map to the day they fall in.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Time returns 00:00 China Standard Time at the start of d.
func (d Date) Time() time.Time {
	return d.at(chinaTime())
}

// at returns midnight of d in loc, which must be a UTC+8 location; callers
// that already hold one avoid building a new time.Location per call.
func (d Date) at(loc *time.Location) time.Time {
	return time.Unix(d.days*secondsPerDay-cstOffset, 0).In(loc)
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	y, m, day := d.civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), day)
}

// MarshalText implements encoding.TextMarshaler using the YYYY-MM-DD form, so
// a Date can be used directly in JSON documents. The zero Date, "no date",
// is the empty string: no document, API answer or audit entry shows it as
// 1970-01-01.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; it accepts what
// ParseDate accepts, and the empty string as the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// AddDays returns the date n calendar days after d (before d if n < 0).
func (d Date) AddDays(n int) Date {
	return Date{days: d.days + int64(n)}
}

// Sub returns the number of calendar days from e to d (d − e).
func (d Date) Sub(e Date) int {
	return int(d.days - e.days)
}

// IsZero reports whether d is the zero Date, which means "no date" to the
// types that hold one; it is never shown as a date.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.days < e.days }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.days > e.days }

// Compare returns -1, 0 or +1 as d is before, equal to or after e, in the
// manner of time.Time.Compare, for use with slices.SortFunc.
func (d Date) Compare(e Date) int {
	switch {
	case d.days < e.days:
		return -1
	case d.days > e.days:
		return 1
	}
	return 0
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday((d.days%7 + 7 + int64(time.Thursday)) % 7)
}

// Year returns the year of d.
func (d Date) Year() int {
	y, _, _ := d.civil()
	return y
}

// Month returns the month of d.
func (d Date) Month() time.Month {
	_, m, _ := d.civil()
	return m
}

// Day returns the day of the month of d.
func (d Date) Day() int {
	_, _, day := d.civil()
	return day
}

// civil converts the day count to year, month and day with Howard Hinnant's
// civil_from_days algorithm: branch-light and allocation-free, so Year, Month
// and Day stay cheap without going through time.Time.
func (d Date) civil() (int, time.Month, int) {
	z := d.days + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(day)
}
