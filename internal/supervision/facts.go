package supervision

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/cases"
)

// facts raises the cards an event itself earns, whatever the clocks say:
// a refusal or denial without a reason, a decision entered in one sitting
// for an online item, a fee beyond the item's rule. Such a card stays in
// force until a supervisor closes it with a finding. before is the case
// just before the event.
func (e *evaluator) facts(before *cases.Case, ev cases.Event) {
	if e.noReason(before, ev) {
		dept, name := e.deptOf(ev.Branch)
		e.raiseFact(ev, KindNoReason, ruleReason, Red, dept, name,
			fmt.Sprintf("%s的理由“%s”不足 %d 字，未依法说明理由（行政许可法第三十八条第二款、第七十二条第（七）项）",
				ev.Kind.Label(), strings.TrimSpace(ev.Reason), e.in.Rules.ReasonMinRunes))
	}
	if e.backfilled(before, ev) {
		e.raiseFact(ev, KindNotOnline, ruleOnline, Yellow, before.Procedure.DepartmentID, before.Procedure.Department,
			fmt.Sprintf("网上办理事项自受理至作出决定仅用 %s，经 %d 个审批环节，疑为线下办理后集中补录（国务院令第716号第四条）",
				minutes(ev.At.Sub(before.AcceptedAt)), stepEvents(before)))
	}
	if detail, ok := e.overcharged(before, ev); ok {
		e.raiseFact(ev, KindFee, ruleFee, Red, before.Procedure.DepartmentID, before.Procedure.Department, detail)
	}
}

// noReason: 不予受理 and 不予许可 must state their reasons (行政许可法第三十八条
// 第二款); a reason shorter than the centre's minimum is taken as none.
func (e *evaluator) noReason(before *cases.Case, ev cases.Event) bool {
	switch {
	case ev.Kind == cases.EventRefused, ev.Kind == cases.EventStepFailed:
	case ev.Kind == cases.EventDecided && ev.Decision == cases.DecisionDenied && before.Procedure.Instant:
	default:
		return false
	}
	return utf8.RuneCountInString(strings.TrimSpace(ev.Reason)) < e.in.Rules.ReasonMinRunes
}

// backfilled: a 承诺件 of an item handled online, decided through at least
// two steps within minutes of its acceptance, was not handled on the
// platform as it went (国务院令第716号第四条: 政务服务事项…纳入一体化在线平台
// 办理). The reference names the trigger ("not processed online") without a
// detection rule; this one is the product's.
func (e *evaluator) backfilled(before *cases.Case, ev cases.Event) bool {
	limit := time.Duration(e.in.Rules.BackfillMinutes) * time.Minute
	if ev.Kind != cases.EventDecided || !e.in.Online || limit == 0 || before.Procedure.Instant || before.AcceptedAt.IsZero() {
		return false
	}
	return ev.At.Sub(before.AcceptedAt) < limit && stepEvents(before) >= 2
}

func stepEvents(c *cases.Case) int {
	n := 0
	for _, ev := range c.Events {
		if ev.Kind == cases.EventStepPassed || ev.Kind == cases.EventStepFailed {
			n++
		}
	}
	return n
}

// overcharged: fees are charged by the published item and standard only
// (行政许可法第五十九条; 第七十五条 for charging beyond it). A payment that
// takes the total past what the item's fee rules give for the application
// earns a red card.
func (e *evaluator) overcharged(before *cases.Case, ev cases.Event) (string, bool) {
	if ev.Kind != cases.EventFeePaid || e.in.Extras == nil {
		return "", false
	}
	want, err := cases.FeeDue(before.Procedure.Fee, e.in.Extras.Form)
	if err != nil {
		return "", false
	}
	paid, _ := strconv.ParseInt(ev.Code, 10, 64)
	total := before.Fee.PaidFen + paid
	if total <= want {
		return "", false
	}
	return fmt.Sprintf("实收 %s 元，超过按事项收费标准应收的 %s 元（行政许可法第五十九条）", yuan(total), yuan(want)), true
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func minutes(d time.Duration) string {
	if d < time.Minute {
		return "不到 1 分钟"
	}
	return fmt.Sprintf("%d 分钟", int(d/time.Minute))
}

// deptOf is the department of a branch, or the lead department.
func (e *evaluator) deptOf(branch int) (int64, string) {
	p := &e.c.Procedure
	if branch >= 0 && branch < len(p.Branches) {
		return p.Branches[branch].DepartmentID, p.Branches[branch].Department
	}
	return p.DepartmentID, p.Department
}

// raiseFact records a card an event earned; the actor of the event is
// responsible.
func (e *evaluator) raiseFact(ev cases.Event, kind Kind, rule string, col Colour, dept int64, deptName, detail string) {
	subject := fmt.Sprintf("f%s@%d", kind, ev.Seq)
	e.out.Arisen = append(e.out.Arisen, Card{CaseID: e.in.CaseID, CaseNumber: e.in.Number, Subject: subject, Rule: ruleCode(rule, col),
		Kind: kind, Colour: col, AroseAt: ev.At, RegionPath: e.c.Procedure.RegionPath, DeptID: dept, DeptName: deptName,
		UserID: ev.ActorID, UserLabel: ev.ActorLabel, Detail: detail})
	e.out.Tallies = append(e.out.Tallies, cardTally(ev.At, dept, col), Tally{At: ev.At, User: ev.ActorID, Home: dept, Counts: cardCounts(col)})
}
