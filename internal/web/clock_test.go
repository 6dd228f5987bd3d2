package web

import (
	"strings"
	"testing"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// TestClockText: over the days off after a due date the clock says the
// period has ended, not 剩余 0 with a date in the past.
func TestClockText(t *testing.T) {
	due := calendar.NewDate(2026, 11, 20)
	wd := calendar.Limit{N: 10, Unit: calendar.UnitWorkday}
	for _, tt := range []struct {
		c    cases.Clock
		want string
	}{
		{cases.Clock{Limit: wd, Started: true, Remaining: 3, Due: due}, "剩余 3 个工作日，2026-11-20 到期"},
		{cases.Clock{Limit: wd, Started: true, Remaining: 0, Due: due, Lapsed: true}, "期限已于 2026-11-20 届满，其后为非工作日，下一个工作日起计为超期"},
		{cases.Clock{Limit: wd, Started: true, Remaining: -1, Due: due, Overdue: true}, "已超期 1 个工作日（2026-11-20 到期）"},
		{cases.Clock{Limit: wd, Started: true, Remaining: -1, Due: due, Overdue: true, Stopped: true}, "已办结，超期 1 个工作日"},
	} {
		if got := clockText(tt.c); got != tt.want {
			t.Errorf("clockText = %q, want %q", got, tt.want)
		}
		if strings.Contains(clockText(tt.c), "剩余 0") {
			t.Errorf("%q shows 剩余 0", clockText(tt.c))
		}
	}
}

// TestIntakeText: after the intake period's last day, over the evening and
// the days off that follow, the period is told as ended and the case as
// accepted, but not yet as 已逾期.
func TestIntakeText(t *testing.T) {
	due := calendar.NewDate(2026, 11, 20)
	started := cases.IntakeClock{Started: true, DueDate: due}
	lapsed, overdue := started, started
	lapsed.Lapsed, lapsed.Deemed = true, true
	overdue.Overdue, overdue.Deemed = true, true
	for _, tt := range []struct {
		ic   cases.IntakeClock
		want string
	}{
		{started, "应于 2026-11-20 前受理、不予受理或一次性告知补正（行政许可法第三十二条）"},
		{lapsed, "告知补正期限已于 2026-11-20 届满，其后为非工作时间，下一个工作日起计为逾期；依法自收件之日起视为受理，法定时限已开始计算"},
		{overdue, "已逾期（2026-11-20 前应告知补正），依法自收件之日起视为受理，法定时限已开始计算"},
	} {
		if got := intakeText(tt.ic); got != tt.want {
			t.Errorf("intakeText = %q, want %q", got, tt.want)
		}
	}
}
