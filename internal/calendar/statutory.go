package calendar

import "time"

// The days off that the law itself fixes, for the years whose holiday
// schedule has not been imported.
//
// 全国年节及纪念日放假办法 Art 2 gives the public holidays' days off. As in
// force from 2025 (国务院令第795号): 元旦 1 January; 春节 农历除夕 to 正月初三;
// 清明节 the day of 清明; 劳动节 1 and 2 May; 端午节 农历五月初五; 中秋节
// 农历八月十五; 国庆节 1 to 3 October. From 2014 (国务院令第644号) 春节 was
// 正月初一 to 初三 and 劳动节 1 May alone; from 2008 (国务院令第513号) 春节
// was 除夕 to 正月初二; before (国务院令第270号, 1999) 春节 was 初一 to 初三,
// 劳动节 1 to 3 May, and 清明, 端午 and 中秋 were no holidays. The State
// Council's yearly notice adds the bridging days off and the make-up
// working days (调休), which nobody can foresee: a provisional year keeps
// these days off and otherwise the plain week, and stays marked 暂定 until
// its notice is imported. Lunar dates and 清明 come from lunarDays.

// statutoryDay is one day off the law fixes.
type statutoryDay struct {
	date Date
	name string
}

// holidayRules is one version of the 放假办法: the lunar days of 春节
// (relative to 正月初一; -1 is 除夕), the May days, and whether 清明, 端午
// and 中秋 are holidays.
type holidayRules struct {
	springFrom, springTo int
	mayDays              int
	lunarFestivals       bool
}

// rulesOf returns the version of the 放假办法 in force in year.
func rulesOf(year int) holidayRules {
	switch {
	case year >= 2025:
		return holidayRules{-1, 2, 2, true}
	case year >= 2014:
		return holidayRules{0, 2, 1, true}
	case year >= 2008:
		return holidayRules{-1, 1, 1, true}
	}
	return holidayRules{0, 2, 3, false}
}

// statutoryDays lists the days off the law fixes in year.
func statutoryDays(year int) []statutoryDay {
	r := rulesOf(year)
	days := []statutoryDay{{NewDate(year, time.January, 1), "元旦"}}
	for d := 1; d <= r.mayDays; d++ {
		days = append(days, statutoryDay{NewDate(year, time.May, d), "劳动节"})
	}
	for d := 1; d <= 3; d++ {
		days = append(days, statutoryDay{NewDate(year, time.October, d), "国庆节"})
	}
	k := year - lunarFirst
	if k < 0 || k >= len(lunarDays) {
		return days // beyond the lunar table: the solar days alone
	}
	l := lunarDays[k]
	newYear := solarDay(year, l[0])
	for i := r.springFrom; i <= r.springTo; i++ {
		days = append(days, statutoryDay{newYear.AddDays(i), "春节"})
	}
	if !r.lunarFestivals {
		return days
	}
	return append(days, statutoryDay{solarDay(year, l[1]), "清明节"}, statutoryDay{solarDay(year, l[2]), "端午节"},
		statutoryDay{solarDay(year, l[3]), "中秋节"})
}

// solarDay is the date of a month×100 + day in year.
func solarDay(year int, md int16) Date {
	return NewDate(year, time.Month(md/100), int(md%100))
}

// statutoryHolidays sets the law's days off in every year of the range
// that has no schedule; the days stay provisional.
func (c *Calendar) statutoryHolidays(plan []dayPlan) {
	for k, has := range c.hasYear {
		if has {
			continue
		}
		for _, d := range statutoryDays(c.firstYear + k) {
			c.set(plan, d.date, false, d.name)
		}
	}
}
