package web

import (
	"fmt"

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
