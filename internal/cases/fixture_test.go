package cases

import (
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/identity"
)

var cst = time.FixedZone("CST", 8*3600)

// at is a time in China Standard Time.
func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, cst) }

func workdays(n int) calendar.Limit { return calendar.Limit{N: n, Unit: calendar.UnitWorkday} }

// twoDepartments is a 承诺件 approved in parallel by two departments, with
// 现场勘察 (stops the clock, as a law the item names says), 专家评审 (stops
// it: 行政许可法 Art 45), 批前公示 (counts) and 延长审批 allowed.
func twoDepartments() Procedure {
	steps := []Step{{Name: "审核", Role: identity.RoleApprover, Limit: workdays(5)}, {Name: "批准", Role: identity.RoleDeptHead, Limit: workdays(3)}}
	return Procedure{ItemName: "测试许可", Legal: workdays(20), Promised: workdays(10), SupplementDays: 5, AnyRefusalDenies: true,
		Branches: []Branch{{DepartmentID: 1, Department: "甲局", Steps: steps}, {DepartmentID: 2, Department: "乙局", Steps: steps[:1]}},
		Special: []SpecialKind{{Code: "site_inspection", Name: "现场勘察", StopsClock: true, MaxDays: 5, Basis: "《城市道路管理条例》"},
			{Code: "expert_review", Name: "专家评审", StopsClock: true}, {Code: "public_notice", Name: "批前公示", MaxDays: 7, Unit: calendar.UnitNaturalDay},
			{Code: Extension, Name: "延长审批"}},
		Materials: []Material{{Code: "m1", Name: "营业执照复印件", Kind: MaterialUpload, Required: true},
			{Code: "m2", Name: "经营场所平面图", Kind: MaterialUpload, Required: true}, {Code: "m3", Name: "居民身份证", Kind: MaterialShow, Required: true}},
		Result: Result{Name: "测试许可证", Certificate: true}}
}

func newCase(p Procedure) *Case {
	c := &Case{Procedure: p}
	c.Apply(Event{Kind: EventCreated, At: at(2026, 2, 2, 9, 0)})
	return c
}

// do runs a command and applies its events, failing the test on error.
func do(t *testing.T, c *Case, cmd Command, when time.Time) []Event {
	t.Helper()
	evs, err := Transition(c, cmd, when)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Kind, err)
	}
	for _, e := range evs {
		c.Apply(e)
	}
	return evs
}

func nationalCalendar(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}
