package disclosure

import (
	"context"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/catalog"
)

// PermitDecisions reads the cases module's 行政许可 decisions for Table 2's
// 第二十条第（五）项 row.
type PermitDecisions interface {
	// PermitDecisionCount counts the cases of a department whose item code
	// starts with codePrefix and whose decision (准予 or 不予许可) was made in
	// [from, to).
	PermitDecisionCount(ctx context.Context, departmentID int64, codePrefix string, from, to time.Time) (int, error)
}

// PermitsCounted reports whether Table 2's 行政许可 row of an agency is
// counted from the cases module (an agency that is a department handling
// items) rather than typed by its office.
func PermitsCounted(ag *Agency) bool { return ag.DepartmentID != nil }

// permitDecisions counts Table 2's 行政许可 row: every 准予 and 不予许可
// decision the agency's department made on a 行政许可 item in the year
// (政府信息公开条例 Art 20(5); 年度报告格式 2021, 表二 “本年处理决定数量”).
// The year runs in China Standard Time. An agency without a department keeps
// the figure its office typed.
func (s *Service) permitDecisions(ctx context.Context, ag *Agency, rep *Report) (int, error) {
	if !PermitsCounted(ag) {
		return rep.Permits, nil
	}
	from, to := calendar.NewDate(rep.Year, time.January, 1), calendar.NewDate(rep.Year+1, time.January, 1)
	return s.store.PermitDecisionCount(ctx, *ag.DepartmentID, catalog.TypeLicence.CodeLetters(), from.Time(), to.Time())
}
