package supervision

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
)

// Period is an evaluation period: a month (月考察), a quarter (季考评) or a
// year (年终考核).
type Period struct {
	Kind string // "month", "quarter", "year"
	Year int
	N    int // month 1–12 or quarter 1–4
}

// ParsePeriod reads "2026-03", "2026-Q1" or "2026".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := apperr.Field("period", "考核期格式应为 2026-03（月）、2026-Q1（季度）或 2026（年）")
	year, rest, _ := strings.Cut(s, "-")
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 || y < 2000 || y > 2200 {
		return Period{}, bad
	}
	switch {
	case rest == "":
		return Period{Kind: "year", Year: y}, nil
	case len(rest) == 2 && (rest[0] == 'Q' || rest[0] == 'q'):
		q, err := strconv.Atoi(rest[1:])
		if err != nil || q < 1 || q > 4 {
			return Period{}, bad
		}
		return Period{Kind: "quarter", Year: y, N: q}, nil
	case len(rest) == 2:
		m, err := strconv.Atoi(rest)
		if err != nil || m < 1 || m > 12 {
			return Period{}, bad
		}
		return Period{Kind: "month", Year: y, N: m}, nil
	}
	return Period{}, bad
}

// MonthPeriod is the month of t in China Standard Time.
func MonthPeriod(t time.Time) Period {
	c := t.In(chinaTime)
	return Period{Kind: "month", Year: c.Year(), N: int(c.Month())}
}

// String is the period as ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case "month":
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case "quarter":
		return fmt.Sprintf("%04d-Q%d", p.Year, p.N)
	}
	return fmt.Sprintf("%04d", p.Year)
}

// Label is the period in words.
func (p Period) Label() string {
	switch p.Kind {
	case "month":
		return fmt.Sprintf("%d年%d月（月考察）", p.Year, p.N)
	case "quarter":
		return fmt.Sprintf("%d年第%s季度（季考评）", p.Year, []string{"一", "二", "三", "四"}[p.N-1])
	}
	return fmt.Sprintf("%d年（年终考核）", p.Year)
}

// Months lists the period's months, "2026-01" ….
func (p Period) Months() []string {
	first, n := 1, 12
	switch p.Kind {
	case "month":
		first, n = p.N, 1
	case "quarter":
		first, n = 3*(p.N-1)+1, 3
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%04d-%02d", p.Year, first+i)
	}
	return out
}

// Start is the first instant of the period (China Standard Time).
func (p Period) Start() time.Time {
	first := 1
	switch p.Kind {
	case "month":
		first = p.N
	case "quarter":
		first = 3*(p.N-1) + 1
	}
	return time.Date(p.Year, time.Month(first), 1, 0, 0, 0, 0, chinaTime)
}

// End is the first instant after the period.
func (p Period) End() time.Time {
	switch p.Kind {
	case "month":
		return p.Start().AddDate(0, 1, 0)
	case "quarter":
		return p.Start().AddDate(0, 3, 0)
	}
	return p.Start().AddDate(1, 0, 0)
}

// LastMonths lists the n months up to and including t's month.
func LastMonths(t time.Time, n int) []string {
	c := t.In(chinaTime)
	first := time.Date(c.Year(), c.Month(), 1, 0, 0, 0, 0, chinaTime).AddDate(0, -(n - 1), 0)
	out := make([]string, n)
	for i := range out {
		out[i] = first.AddDate(0, i, 0).Format("2006-01")
	}
	return out
}
