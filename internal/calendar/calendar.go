// Package calendar is OpenHall's working-day clock (工作日历): which days are
// working days under the State Council's holiday arrangements, and the
// deadline arithmetic built on that — working days, natural days that roll
// off holidays, and office hours.
//
// A Calendar is built once from official Schedules (EmbeddedSchedules ships
// 2007–2026) plus regional Overrides and is then immutable.
//
// A year without an official schedule — typically the coming year, whose
// State Council notice is published late in the year or not yet imported —
// is answered provisionally (暂定): as a plain week, Monday to Friday at work,
// with the days off the law itself fixes (statutory.go). Every answer still
// comes back, but a caller that shows a date computed over
// such a year must say so; Provisional tells which year made it provisional.
// Once the schedule is imported, the same computation gives the official
// answer. Only dates far outside the covered years (before the first
// schedule, or more than provisionalYears after the last) fail with
// NoDataError.
package calendar

import (
	"fmt"
	"slices"
	"time"
)

// maxSpanYears bounds the range a Calendar precomputes (about 146 000 days,
// under 2 MB of tables) so a typo such as year 9026 cannot exhaust memory.
const maxSpanYears = 400

// provisionalYears is how many years after the last official schedule the
// calendar answers provisionally (as a plain week with the law's days off).
// Beyond that, questions fail with NoDataError: a date decades ahead is a
// typo, not a deadline.
const provisionalYears = 30

// Override is a regional adjustment to the national schedule, for example a
// local ethnic holiday (IsOffDay true on a weekday) or a local make-up working
// day (IsOffDay false on a weekend). It replaces whatever the schedules say
// about Date.
type Override struct {
	Date     Date
	IsOffDay bool
	Name     string
}

// Calendar answers working-day questions for the years it has data for. It is
// immutable after New and safe for concurrent use.
//
// Internally it holds dense tables over every day from 1 January of the first
// year to 31 December of the last, so each query is a few array lookups:
//
//	prefix[i]  working days among days [0, i), provisional days included
//	missing[i] provisional days among days [0, i): days of years in the range
//	           without an official schedule (gaps, and the provisionalYears
//	           after the last schedule), counted as a plain week
//	nth[k]     day index of the k-th working day (0-based)
type Calendar struct {
	base      int64 // Date.days of 1 January of firstYear
	firstYear int
	hasYear   []bool // by year − firstYear, over the whole range
	years     []int
	prefix    []int32
	missing   []int32
	nth       []int32
	names     map[Date]string
	loc       *time.Location // UTC+8, shared by every time.Time this calendar returns
}

// dayPlan is one day's status while the tables are being built.
type dayPlan struct {
	data, work bool
}

// New builds a Calendar. Schedules may come in any order; when two have the
// same Year the later one in the slice wins, so a corrected notice can be
// appended to the embedded ones. Days a schedule lists in the December before
// its Year (its New Year holiday) override the previous year's schedule.
// Overrides are applied last, in order, so when two name the same date the
// later wins: pass a region's ancestors' overrides first and its own last.
// Overrides also apply to provisional years (a local holiday is known ahead
// of the State Council's notice); the days stay provisional all the same.
func New(schedules []Schedule, overrides []Override) (*Calendar, error) {
	sel, err := selectSchedules(schedules)
	if err != nil {
		return nil, err
	}
	c := newEmpty(sel)
	plan := c.weekPlan()
	c.statutoryHolidays(plan)
	for _, s := range sel {
		for _, d := range s.Days {
			c.set(plan, d.Date, !d.IsOffDay, d.Name)
		}
	}
	for _, o := range overrides {
		c.set(plan, o.Date, !o.IsOffDay, o.Name)
	}
	c.buildTables(plan)
	return c, nil
}

// selectSchedules validates the schedules, keeps the last one per year and
// returns them sorted by year.
func selectSchedules(schedules []Schedule) ([]Schedule, error) {
	if len(schedules) == 0 {
		return nil, fmt.Errorf("工作日历至少需要一个年度的节假日安排")
	}
	byYear := make(map[int]Schedule, len(schedules))
	for _, s := range schedules {
		if err := validateSchedule(s); err != nil {
			return nil, err
		}
		byYear[s.Year] = s
	}
	sel := make([]Schedule, 0, len(byYear))
	for _, s := range byYear {
		sel = append(sel, s)
	}
	slices.SortFunc(sel, func(a, b Schedule) int { return a.Year - b.Year })
	if span := sel[len(sel)-1].Year - sel[0].Year + 1; span > maxSpanYears {
		return nil, fmt.Errorf("工作日历跨度 %d 年超过上限 %d 年，请检查年份是否有误", span, maxSpanYears)
	}
	return sel, nil
}

// newEmpty sets up the year bookkeeping for the selected schedules.
func newEmpty(sel []Schedule) *Calendar {
	first, last := sel[0].Year, sel[len(sel)-1].Year+provisionalYears
	listed := 0
	for _, s := range sel {
		listed += len(s.Days)
	}
	c := &Calendar{
		base:      NewDate(first, time.January, 1).days,
		firstYear: first,
		hasYear:   make([]bool, last-first+1),
		names:     make(map[Date]string, listed),
		loc:       chinaTime(),
	}
	for _, s := range sel {
		c.hasYear[s.Year-first] = true
		c.years = append(c.years, s.Year)
	}
	return c
}

// weekPlan returns the plain week (Monday–Friday work) for every day in the
// range, with days of years lacking a schedule marked as having no official
// data (they keep the plain week: the provisional answer). It steps the
// weekday instead of converting each day, which keeps New cheap.
func (c *Calendar) weekPlan() []dayPlan {
	end := NewDate(c.firstYear+len(c.hasYear), time.January, 1)
	plan := make([]dayPlan, end.days-c.base)
	wd := Date{days: c.base}.Weekday()
	for i := range plan {
		plan[i] = dayPlan{data: true, work: wd != time.Saturday && wd != time.Sunday}
		wd = (wd + 1) % 7
	}
	for k, has := range c.hasYear {
		if !has {
			lo := NewDate(c.firstYear+k, time.January, 1).days - c.base
			hi := NewDate(c.firstYear+k+1, time.January, 1).days - c.base
			for i := lo; i < hi; i++ {
				plan[i].data = false
			}
		}
	}
	return plan
}

// set records a listed day, ignoring dates outside the range (such as the
// 2007 notice's make-up days in December 2006). A day of a provisional year
// (a schedule's late-December New Year days, an override) is set but stays
// provisional.
func (c *Calendar) set(plan []dayPlan, d Date, work bool, name string) {
	i := d.days - c.base
	if i < 0 || i >= int64(len(plan)) {
		return
	}
	plan[i].work = work
	if name == "" {
		delete(c.names, d)
		return
	}
	c.names[d] = name
}

// buildTables fills prefix, missing and nth from the finished plan.
func (c *Calendar) buildTables(plan []dayPlan) {
	c.prefix = make([]int32, len(plan)+1)
	c.missing = make([]int32, len(plan)+1)
	c.nth = make([]int32, 0, len(plan)*5/7+16) // about five working days a week
	for i, p := range plan {
		c.prefix[i+1], c.missing[i+1] = c.prefix[i], c.missing[i]
		if !p.data {
			c.missing[i+1]++
		}
		if p.work {
			c.prefix[i+1]++
			c.nth = append(c.nth, int32(i))
		}
	}
}

// Years returns the years the calendar has official data for, ascending.
func (c *Calendar) Years() []int {
	return slices.Clone(c.years)
}

// Covers reports whether the calendar has official data for year y.
func (c *Calendar) Covers(y int) bool {
	i := y - c.firstYear
	return i >= 0 && i < len(c.hasYear) && c.hasYear[i]
}

// Day describes d: its holiday or make-up name, if any, and whether it is an
// off day. Ordinary weekdays and weekends have an empty Name.
func (c *Calendar) Day(d Date) (Day, error) {
	work, err := c.IsWorkday(d)
	if err != nil {
		return Day{}, err
	}
	return Day{Date: d, Name: c.names[d], IsOffDay: !work}, nil
}
