package cases

import (
	"fmt"

	"openhall/internal/apperr"
)

// checkBranchOpen: the branch exists and has not decided yet.
func checkBranchOpen(c *Case, cmd Command) error {
	b := c.BranchOf(cmd.Branch)
	switch {
	case b == nil:
		return apperr.New(apperr.NotFound, "该办件没有第 %d 个审批分支", cmd.Branch+1)
	case b.Done:
		return apperr.New(apperr.Conflict, "%s已作出审批意见，不能再操作", c.Procedure.Branches[b.Index].Department)
	}
	return nil
}

// checkBranchAct: the branch can act on its current step, which it cannot
// while a 特别程序 that stops the clock is under way.
func checkBranchAct(c *Case, cmd Command) error {
	if err := checkBranchOpen(c, cmd); err != nil {
		return err
	}
	if b := c.BranchOf(cmd.Branch); b.Special != "" {
		k, _ := c.Procedure.AllowsSpecial(b.Special)
		return apperr.New(apperr.Conflict, "特别程序“%s”尚未结束，请先结束特别程序", k.Name)
	}
	return nil
}

func checkReturnTo(c *Case, cmd Command) error {
	b := c.BranchOf(cmd.Branch)
	if b.Step == 0 {
		return apperr.New(apperr.Conflict, "当前已是第一个环节，不能再退回；如需申请人补正，请选择退回申请人")
	}
	if cmd.ToStep < 0 || cmd.ToStep >= b.Step {
		return apperr.Field("to_step", "只能退回到当前环节之前的环节")
	}
	return nil
}

func passEvents(c *Case, cmd Command) []Event {
	b := c.BranchOf(cmd.Branch)
	e := ev(EventStepPassed, cmd.Branch)
	e.Step = b.Step
	if b.Step+1 < len(c.Procedure.Branches[b.Index].Steps) {
		e.ToStep = b.Step + 1
		return []Event{e}
	}
	return append([]Event{e}, branchDecided(c, cmd.Branch, DecisionApproved)...)
}

func failEvents(c *Case, cmd Command) []Event {
	e := ev(EventStepFailed, cmd.Branch)
	e.Step = c.BranchOf(cmd.Branch).Step
	return append([]Event{e}, branchDecided(c, cmd.Branch, DecisionDenied)...)
}

// branchDecided records a department's decision and, when that settles the
// case, the case's decision and its closing.
func branchDecided(c *Case, branch int, d Decision) []Event {
	e := ev(EventBranchDecided, branch)
	e.Decision = d
	out := []Event{e}
	if final, ok := caseDecision(c, branch, d); ok {
		dec := ev(EventDecided, -1)
		dec.Decision = final
		out = append(out, dec)
		if final == DecisionDenied || c.Fee.Paid() {
			out = append(out, closed(completionFor(c, final)))
		} // else the result waits for the fee (StatusPayment)
	}
	return out
}

// caseDecision says whether the case is decided once branch decides d.
// One refusal denies the whole case when the item says so (the default);
// otherwise the case waits for every branch and is approved if any
// department approved.
func caseDecision(c *Case, branch int, d Decision) (Decision, bool) {
	if d == DecisionDenied && c.Procedure.AnyRefusalDenies {
		return DecisionDenied, true
	}
	approved := d == DecisionApproved
	for i, b := range c.Branches {
		if i == branch {
			continue
		}
		if !b.Done {
			return DecisionNone, false
		}
		approved = approved || b.Decision == DecisionApproved
	}
	if approved {
		return DecisionApproved, true
	}
	return DecisionDenied, true
}

func returnEvents(c *Case, cmd Command) []Event {
	e := ev(EventStepReturned, cmd.Branch)
	e.Step, e.ToStep = c.BranchOf(cmd.Branch).Step, cmd.ToStep
	return []Event{e}
}

func checkStartSpecial(c *Case, cmd Command) error {
	k, ok := c.Procedure.AllowsSpecial(cmd.Code)
	switch {
	case cmd.Code == Extension:
		return apperr.Field("code", "延长审批请使用“申请延长审批”")
	case !ok:
		return apperr.Field("code", "该事项不适用所选的特别程序")
	case c.BranchOf(cmd.Branch).Special != "":
		active, _ := c.Procedure.AllowsSpecial(c.BranchOf(cmd.Branch).Special)
		return apperr.New(apperr.Conflict, "特别程序“%s”正在进行中，不能同时启动“%s”", active.Name, k.Name)
	}
	return checkSpecialDays(k, cmd.Days)
}

// maxSpecialDays bounds an expected duration the item does not bound.
const maxSpecialDays = 365

// checkSpecialDays: the applicant is told in writing how long the
// procedure is expected to take (行政许可法 Art 45), within the item's
// bound where it sets one.
func checkSpecialDays(k SpecialKind, days int) error {
	limit := k.MaxDays
	if limit <= 0 {
		limit = maxSpecialDays
	}
	if days < 1 || days > limit {
		return apperr.Field("days", fmt.Sprintf("请填写“%s”预计所需的时间：1 至 %d 个%s（将书面告知申请人）", k.Name, limit, k.DaysUnit().Label()))
	}
	return nil
}

func startSpecialEvents(c *Case, cmd Command) []Event {
	e := ev(EventSpecialStarted, cmd.Branch)
	e.Code, e.Step, e.Days = cmd.Code, c.BranchOf(cmd.Branch).Step, cmd.Days
	return []Event{e}
}

func checkEndSpecial(c *Case, cmd Command) error {
	if c.BranchOf(cmd.Branch).Special == "" {
		return apperr.New(apperr.Conflict, "没有进行中的特别程序")
	}
	return nil
}

func endSpecialEvents(c *Case, cmd Command) []Event {
	b := c.BranchOf(cmd.Branch)
	e := ev(EventSpecialEnded, cmd.Branch)
	e.Code, e.Step = b.Special, b.Step
	return []Event{e}
}

// checkRequestExtension: one extension per case, of at most 10 working
// days (15 for 统一、联合、集中办理), unless another law the item names
// allows more (行政许可法 Art 42). A second extension is refused, whichever
// department asks.
func checkRequestExtension(c *Case, cmd Command) error {
	if _, ok := c.Procedure.AllowsSpecial(Extension); !ok {
		return apperr.New(apperr.Conflict, "该事项不适用延长审批")
	}
	for i, b := range c.Branches {
		dept := c.Procedure.Branches[i].Department
		if b.Extension > 0 {
			return apperr.New(apperr.Conflict, "本办件已经%s批准延长 %d 个工作日；审批期限只能延长一次，不得再次延长（行政许可法第四十二条）", dept, b.Extension)
		}
		if b.Pending > 0 {
			return apperr.New(apperr.Conflict, "%s已申请延长 %d 个工作日，正在等待负责人批准", dept, b.Pending)
		}
	}
	if max := c.Procedure.ExtensionLimit(); cmd.Days < 1 || cmd.Days > max {
		return apperr.Field("days", fmt.Sprintf("延长的期限须为 1 至 %d 个工作日（行政许可法第四十二条）", max))
	}
	return nil
}

func requestExtensionEvents(c *Case, cmd Command) []Event {
	e := ev(EventExtensionRequested, cmd.Branch)
	e.Days, e.Step = cmd.Days, c.BranchOf(cmd.Branch).Step
	return []Event{e}
}

func checkPendingExtension(c *Case, cmd Command) error {
	if c.BranchOf(cmd.Branch).Pending == 0 {
		return apperr.New(apperr.Conflict, "没有待批准的延长申请")
	}
	return nil
}

func extensionDecision(kind EventKind) func(*Case, Command) []Event {
	return func(c *Case, cmd Command) []Event {
		e := ev(kind, cmd.Branch)
		e.Days = c.BranchOf(cmd.Branch).Pending
		return []Event{e}
	}
}
