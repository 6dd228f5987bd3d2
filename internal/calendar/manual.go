package calendar

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// A year's schedule can be entered by hand from the State Council's notice
// (国务院办公厅关于某年部分节假日安排的通知), as its text reads: each
// holiday as a block of days (春节：2月15日至23日放假调休，共9天) and the
// make-up working days (2月14日（周六）、2月28日（周六）上班).

// HolidayBlock is one holiday of the notice: its days off, both included.
type HolidayBlock struct {
	Name     string
	From, To string // YYYY-MM-DD
}

// MakeUpDay is a weekend day the notice makes a working day (调休上班).
type MakeUpDay struct {
	Date string // YYYY-MM-DD
	Name string // the holiday it makes up for
}

// ManualSchedule is a year's notice as entered.
type ManualSchedule struct {
	Year     int
	Paper    string // the notice's title or document number
	Holidays []HolidayBlock
	MakeUps  []MakeUpDay
}

// maxBlockDays bounds a holiday block: the longest so far are 8 or 9 days.
const maxBlockDays = 12

// EnterSchedule stores a year's schedule entered by hand, after checking it
// as a whole: what it would change is recomputed like an import.
func (s *Service) EnterSchedule(ctx context.Context, a *identity.Actor, in ManualSchedule) (Schedule, error) {
	if !a.IsGlobalAdmin() {
		return Schedule{}, apperr.New(apperr.Forbidden, "只有全局系统管理员可以录入节假日安排")
	}
	sch, err := s.manual(in)
	if err != nil {
		return Schedule{}, err
	}
	return sch, s.storeSchedule(ctx, a, sch, "manual:"+strings.TrimSpace(in.Paper), "calendar.schedule.enter")
}

// manual checks a notice entered by hand and turns it into a schedule,
// naming every problem by its row.
func (s *Service) manual(in ManualSchedule) (Schedule, error) {
	var f apperr.Fields
	this := DateOf(s.now()).Year()
	f.Check(in.Year < this-1 || in.Year > this+2, "year", fmt.Sprintf("年份应为 %d 至 %d 年", this-1, this+2))
	paper := strings.TrimSpace(in.Paper)
	f.Check(paper == "" || utf8.RuneCountInString(paper) > 200, "paper", "请填写通知的标题或文号（不超过 200 字），如“国务院办公厅关于2027年部分节假日安排的通知”")
	if len(f) > 0 {
		return Schedule{}, f.Err()
	}
	sch := Schedule{Year: in.Year, Papers: []string{paper}}
	off := map[Date]string{}
	blocks := 0
	for i, b := range in.Holidays {
		if strings.TrimSpace(b.From+b.To) == "" {
			continue // a row of the form left without dates (its name may be prefilled)
		}
		blocks++
		for _, d := range checkBlock(&f, in.Year, i, b) {
			if prev, ok := off[d]; ok {
				f.Add(fmt.Sprintf("holidays.%d.from", i), fmt.Sprintf("第 %d 个假期的 %s 与“%s”重叠", i+1, d, prev))
				break
			}
			off[d] = strings.TrimSpace(b.Name)
			sch.Days = append(sch.Days, Day{Date: d, Name: off[d], IsOffDay: true})
		}
	}
	f.Check(blocks == 0, "holidays", "请至少录入一个假期（名称、起止日期）")
	sch.Days = append(sch.Days, checkMakeUps(&f, in.Year, in.MakeUps, off)...)
	if err := f.Err(); err != nil {
		return Schedule{}, err
	}
	return sch, nil
}

// inYear reports whether d may belong to the year's notice: inside the
// year, or the December before it (its 元旦 holiday may start there).
func inYear(d Date, year int) bool {
	return d.Year() == year || (d.Year() == year-1 && d.Month() == time.December)
}

// checkBlock checks one holiday block and returns its days.
func checkBlock(f *apperr.Fields, year, i int, b HolidayBlock) []Date {
	k, n := "holidays."+strconv.Itoa(i)+".", fmt.Sprintf("第 %d 个假期", i+1)
	name := strings.TrimSpace(b.Name)
	f.Check(name == "" || utf8.RuneCountInString(name) > 20, k+"name", n+"请填写名称（如春节，不超过 20 字）")
	from, err1 := ParseDate(strings.TrimSpace(b.From))
	to, err2 := ParseDate(strings.TrimSpace(b.To))
	switch {
	case err1 != nil:
		f.Add(k+"from", n+"的开始日期应为 YYYY-MM-DD 格式的日期")
	case err2 != nil:
		f.Add(k+"to", n+"的结束日期应为 YYYY-MM-DD 格式的日期")
	case !inYear(from, year) || !inYear(to, year):
		f.Add(k+"from", fmt.Sprintf("%s应在 %d 年内（元旦假期可从上一年 12 月开始）", n, year))
	case to.Before(from):
		f.Add(k+"to", n+"的结束日期早于开始日期")
	case to.Sub(from)+1 > maxBlockDays:
		f.Add(k+"to", fmt.Sprintf("%s共 %d 天，超过 %d 天，请检查日期", n, to.Sub(from)+1, maxBlockDays))
	default:
		var out []Date
		for d := from; !d.After(to); d = d.AddDays(1) {
			out = append(out, d)
		}
		return out
	}
	return nil
}

// checkMakeUps checks the make-up working days: each a Saturday or Sunday
// of the year, outside every holiday block, listed once.
func checkMakeUps(f *apperr.Fields, year int, ms []MakeUpDay, off map[Date]string) []Day {
	var out []Day
	seen := map[Date]bool{}
	for i, m := range ms {
		if strings.TrimSpace(m.Date+m.Name) == "" {
			continue
		}
		k, n := "makeups."+strconv.Itoa(i)+".date", fmt.Sprintf("第 %d 个调休上班日", i+1)
		d, err := ParseDate(strings.TrimSpace(m.Date))
		wd := d.Weekday()
		switch {
		case err != nil:
			f.Add(k, n+"应为 YYYY-MM-DD 格式的日期")
		case !inYear(d, year):
			f.Add(k, fmt.Sprintf("%s应在 %d 年内", n, year))
		case wd != time.Saturday && wd != time.Sunday:
			f.Add(k, fmt.Sprintf("%s %s 是工作日（%s），调休上班日应为周六或周日", n, d, weekdayName(wd)))
		case off[d] != "":
			f.Add(k, fmt.Sprintf("%s %s 在“%s”假期之内", n, d, off[d]))
		case seen[d]:
			f.Add(k, fmt.Sprintf("%s %s 重复", n, d))
		default:
			seen[d] = true
			out = append(out, Day{Date: d, Name: strings.TrimSpace(m.Name), IsOffDay: false})
		}
	}
	return out
}

func weekdayName(w time.Weekday) string {
	return [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[w]
}
