package supervision

import (
	"sort"
	"strings"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
)

var cst = time.FixedZone("CST", 8*3600)

// at is a time in China Standard Time.
func at(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, cst) }

func workdays(n int) calendar.Limit { return calendar.Limit{N: n, Unit: calendar.UnitWorkday} }

// twoDepartments is a 承诺件 of 10 working days approved in parallel by two
// departments: 甲局 in 审核 (5) and 批准 (3), 乙局 in 审核 (5); 现场勘察 stops
// the clock, 延长审批 is allowed.
func twoDepartments() cases.Procedure {
	steps := []cases.Step{{Name: "审核", Role: identity.RoleApprover, Limit: workdays(5)}, {Name: "批准", Role: identity.RoleDeptHead, Limit: workdays(3)}}
	return cases.Procedure{ItemName: "测试许可", ItemCode: "XK00001000", RegionPath: "/1/2/3/", DepartmentID: 1, Department: "甲局",
		Legal: workdays(20), Promised: workdays(10), SupplementDays: 5, AnyRefusalDenies: true,
		Branches: []cases.Branch{{DepartmentID: 1, Department: "甲局", Steps: steps}, {DepartmentID: 2, Department: "乙局", Steps: steps[:1]}},
		Special:  []cases.SpecialKind{{Code: "site_inspection", Name: "现场勘察", StopsClock: true}, {Code: cases.Extension, Name: "延长审批"}},
		Result:   cases.Result{Name: "测试许可证"}}
}

// oneStep is a 承诺件 of 3 working days decided by one department in one step.
func oneStep() cases.Procedure {
	return cases.Procedure{ItemName: "简易许可", ItemCode: "XK00002000", RegionPath: "/1/2/3/", DepartmentID: 1, Department: "甲局",
		Legal: workdays(20), Promised: workdays(3), SupplementDays: 5, AnyRefusalDenies: true,
		Branches: []cases.Branch{{DepartmentID: 1, Department: "甲局", Steps: []cases.Step{{Name: "审查", Role: identity.RoleApprover, Limit: workdays(3)}}}}}
}

// history builds a case's events by running commands through the state
// machine, as the cases service does.
type history struct {
	t *testing.T
	c *cases.Case
}

func newHistory(t *testing.T, p cases.Procedure) *history {
	c := &cases.Case{ID: 7, Number: "33010626021200000007", Procedure: p}
	c.Apply(cases.Event{Kind: cases.EventCreated, At: at(2026, 1, 5, 9, 0), Branch: -1})
	return &history{t: t, c: c}
}

func (h *history) do(cmd cases.Command, when time.Time) *history {
	h.t.Helper()
	if cmd.ActorID == 0 {
		cmd.ActorID, cmd.ActorLabel = 42, "赵磊（approver）"
	}
	evs, err := cases.Transition(h.c, cmd, when)
	if err != nil {
		h.t.Fatalf("%s: %v", cmd.Kind, err)
	}
	for _, e := range evs {
		h.c.Apply(e)
	}
	return h
}

func (h *history) submit(when time.Time) *history {
	h.c.Apply(cases.Event{Kind: cases.EventSubmitted, At: when, ActorID: 5, ActorLabel: "张三", Branch: -1, Code: string(cases.ChannelOnline)})
	return h
}

func (h *history) events() []cases.Event { return h.c.Events }

func national(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// input is an evaluation of all the case's events at now.
func input(t *testing.T, h *history, now time.Time) Input {
	p := h.c.Procedure
	return Input{CaseID: h.c.ID, Number: h.c.Number, Procedure: &p, Events: h.events(), Rules: DefaultRules(),
		Calendar: national(t), Hours: calendar.DefaultOfficeHours(), Now: now}
}

func evaluate(t *testing.T, in Input) Output {
	t.Helper()
	out, err := Evaluate(in)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ledger is every card an evaluation (or a chain of them) produced, with
// the clearances applied, written one per line for comparison.
type ledger map[string]*Card

func (l ledger) add(out Output) {
	for i := range out.Arisen {
		c := out.Arisen[i]
		l[c.Subject+"#"+c.Colour.Code()+"@"+c.AroseAt.Format(time.RFC3339)] = &c
	}
	for _, cl := range out.Cleared {
		for _, c := range l {
			if c.Subject == cl.Subject && c.Colour == cl.Colour && c.ClearedAt.IsZero() {
				c.ClearedAt, c.Outcome, c.UserID = cl.At, cl.Outcome, cl.UserID
			}
		}
	}
}

func (l ledger) lines() []string {
	var out []string
	for _, c := range l {
		line := c.Subject + " " + c.Colour.Label() + " " + c.AroseAt.In(cst).Format("01-02 15:04")
		if !c.ClearedAt.IsZero() {
			line += " → " + c.ClearedAt.In(cst).Format("01-02 15:04") + " " + c.Outcome
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

func (l ledger) String() string { return strings.Join(l.lines(), "\n") }
