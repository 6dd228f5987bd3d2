package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// clockText says where a clock stands in one short sentence.
func clockText(c cases.Clock) string {
	unit := c.Limit.Unit.Label()
	switch {
	case !c.Started:
		return "尚未开始计时"
	case c.MissingYear > 0:
		return fmt.Sprintf("到期日待定：缺少 %d 年节假日安排，请系统管理员在“工作日历”中导入", c.MissingYear)
	case c.Stopped && c.Overdue:
		return fmt.Sprintf("已办结，超期 %d 个%s", -c.Remaining, unit)
	case c.Stopped:
		return fmt.Sprintf("已办结，用时 %d 个%s", c.Consumed, unit)
	case c.Paused:
		return fmt.Sprintf("暂停计时（特别程序或补正期间），剩余 %d 个%s", c.Remaining, unit)
	case c.Overdue:
		return fmt.Sprintf("已超期 %d 个%s（%s 到期）", -c.Remaining, unit, c.Due) + calendar.ProvisionalNote(c.Provisional)
	case c.Lapsed:
		return fmt.Sprintf("期限已于 %s 届满，其后为非工作日，下一个工作日起计为超期", c.Due) + calendar.ProvisionalNote(c.Provisional)
	}
	return fmt.Sprintf("剩余 %d 个%s，%s 到期", c.Remaining, unit, c.Due) + calendar.ProvisionalNote(c.Provisional)
}

// fieldInputType is the HTML input type of an application field.
func fieldInputType(t cases.FieldType) string {
	switch t {
	case cases.FieldNumber:
		return "number"
	case cases.FieldDate:
		return "date"
	case cases.FieldEmail:
		return "email"
	case cases.FieldPhone:
		return "tel"
	}
	return "text"
}

// materialName is the name of a case's material code.
func materialName(c *cases.Case, code string) string {
	if code == "authorization" {
		return "授权委托书"
	}
	for _, m := range c.Procedure.Materials {
		if m.Code == code {
			return m.Name
		}
	}
	return code
}

// clockDue is a clock's due date for a document or a table: the date with
// the 暂定 note where it is provisional, and never a zero date — "待定"
// with the reason when there is no date yet.
func clockDue(c cases.Clock) string {
	switch {
	case !c.Started:
		return "自受理之日起计算"
	case c.MissingYear > 0:
		return fmt.Sprintf("待定（缺少 %d 年节假日安排）", c.MissingYear)
	case c.Due == (calendar.Date{}):
		return "待定"
	}
	return c.Due.String() + calendar.ProvisionalNote(c.Provisional)
}

// intakeText says where a case stands against 行政许可法 Art 32's period.
func intakeText(ic cases.IntakeClock) string {
	due := ic.DueDate.String() + calendar.ProvisionalNote(ic.Provisional)
	switch {
	case !ic.Started:
		return ""
	case ic.Lapsed:
		return "告知补正期限已于 " + due + " 届满，其后为非工作时间，下一个工作日起计为逾期；依法自收件之日起视为受理，法定时限已开始计算"
	case ic.Deemed && ic.Answered.IsZero():
		return "已逾期（" + due + " 前应告知补正），依法自收件之日起视为受理，法定时限已开始计算"
	case ic.Deemed:
		return "逾期受理：未在 " + due + " 前告知补正，依法自收件之日起计算办理时限"
	case ic.Waiting():
		return "应于 " + due + " 前受理、不予受理或一次性告知补正（行政许可法第三十二条）"
	}
	return "已在期限内答复（" + due + " 前）"
}

// specialDaysText says how long a special procedure took and was expected to.
func specialDaysText(sp cases.SpecialSpan) string {
	unit := sp.Kind.DaysUnit().Label()
	s := fmt.Sprintf("已用 %d 个%s", sp.Days, unit)
	if !sp.End.IsZero() {
		s = fmt.Sprintf("用时 %d 个%s（起止日均计入）", sp.Days, unit)
	}
	if sp.Expected > 0 {
		s += fmt.Sprintf("，告知预计 %d 个%s", sp.Expected, unit)
	}
	return s
}

// fieldUnit is a number field's range and unit, as the form's hint shows it.
func fieldUnit(f cases.Field) string {
	var r string
	switch {
	case f.MinValue != nil && f.MaxValue != nil:
		r = fmtNum(*f.MinValue) + "–" + fmtNum(*f.MaxValue)
	case f.MinValue != nil:
		r = "不小于 " + fmtNum(*f.MinValue)
	case f.MaxValue != nil:
		r = "不大于 " + fmtNum(*f.MaxValue)
	}
	if f.Unit != "" {
		if r != "" {
			r += " "
		}
		r += f.Unit
	}
	return r
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// needName says what answers an item of a 补正 notice.
func needName(c *cases.Case, need string) string { return c.Procedure.MaterialName(need) }

// dateFuncs are the template functions that read the calendar.
func (s *Server) dateFuncs() template.FuncMap {
	return template.FuncMap{
		// dueDate shows a stored due date (YYYY-MM-DD) with the 暂定 note
		// when its year's schedule is not imported; "—" when there is none.
		"dueDate": func(d string) string {
			if d == "" {
				return "—"
			}
			year, err := strconv.Atoi(d[:min(4, len(d))])
			if err != nil || s.svc == nil || s.svc.Calendar.National().Covers(year) {
				return d
			}
			return d + calendar.ProvisionalNote(year)
		},
	}
}

// eventDays says what an event's day count means.
func eventDays(c *cases.Case, e cases.Event) string {
	if e.Days == 0 {
		return ""
	}
	switch e.Kind {
	case cases.EventSpecialStarted:
		k, _ := c.Procedure.AllowsSpecial(e.Code)
		return fmt.Sprintf("预计需要 %d 个%s（已书面告知申请人）", e.Days, k.DaysUnit().Label())
	case cases.EventSupplementRequested, cases.EventReturnedToApplicant:
		return fmt.Sprintf("补正期限：%d 个工作日", e.Days)
	}
	return fmt.Sprintf("%d 个工作日", e.Days)
}

// latestNotice is the notice a supplement ("supplement") or a correction
// ("correct") answers.
func latestNotice(c *cases.Case, kind string) cases.Event {
	k := cases.EventSupplementRequested
	if kind == string(cases.CmdCorrect) {
		k = cases.EventReturnedToApplicant
	}
	e, _ := lastEvent(c, k)
	return e
}

// labelUnit is a field's label with its unit, unless the label names it.
func labelUnit(label, unit string) string {
	if unit == "" || strings.Contains(label, unit) {
		return label
	}
	return label + "（" + unit + "）"
}
