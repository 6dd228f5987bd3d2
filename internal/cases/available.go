package cases

import "openhall/internal/identity"

// Option is a command the viewer may give a case now.
type Option struct {
	Kind   CommandKind
	Label  string
	Branch int // -1 for commands on the whole case
}

var caseCommands = []CommandKind{CmdSubmit, CmdAccept, CmdDecideInstant, CmdRequestSupplement, CmdRefuse, CmdPayFee,
	CmdRefund, CmdSupplement, CmdCorrect, CmdWithdraw}

var branchCommands = []CommandKind{CmdPass, CmdFail, CmdReturn, CmdReturnToApplicant, CmdStartSpecial, CmdEndSpecial,
	CmdRequestExtension, CmdApproveExtension, CmdDenyExtension}

// Options lists what a may do with c now (its clocks measured now), so that
// a page or an API client offers exactly the commands that would be
// accepted.
func Options(a *identity.Actor, c *Case, cl Clocks) []Option {
	var out []Option
	for _, k := range caseCommands {
		if k == CmdRequestSupplement && cl.Intake.Started && cl.Intake.Deemed {
			continue // past Art 32's 5 working days: no notice any more
		}
		if offered(a, c, Command{Kind: k, Branch: -1}) {
			out = append(out, Option{Kind: k, Label: rules[k].label, Branch: -1})
		}
	}
	for i := range c.Branches {
		for _, k := range branchCommands {
			if offered(a, c, Command{Kind: k, Branch: i}) {
				out = append(out, Option{Kind: k, Label: rules[k].label, Branch: i})
			}
		}
	}
	return out
}

// offered checks the state and the actor's right, not the command's own
// input (a reason, a list of items), which the form asks for.
func offered(a *identity.Actor, c *Case, cmd Command) bool {
	r := rules[cmd.Kind]
	if !allowedIn(r.from, c.Status) || authorize(a, c, cmd) != nil {
		return false
	}
	return stateAllows(c, cmd)
}

// stateAllows refines the status check for commands that depend on more
// than the status.
func stateAllows(c *Case, cmd Command) bool {
	b := c.BranchOf(cmd.Branch)
	switch cmd.Kind {
	case CmdAccept:
		return !c.Procedure.Instant && (!c.Procedure.FeeAtAccept || c.Fee.Paid())
	case CmdDecideInstant:
		return c.Procedure.Instant && c.Fee.Paid()
	case CmdPayFee:
		return FeePayable(c)
	case CmdRefund:
		return c.RefundOwed() > 0
	case CmdPass, CmdFail, CmdReturnToApplicant:
		return !b.Done && b.Special == ""
	case CmdReturn:
		return !b.Done && b.Special == "" && b.Step > 0
	case CmdStartSpecial:
		return !b.Done && b.Special == "" && len(startable(c)) > 0
	case CmdEndSpecial:
		return !b.Done && b.Special != ""
	case CmdRequestExtension:
		_, ok := c.Procedure.AllowsSpecial(Extension)
		return ok && !b.Done && !extended(c)
	case CmdApproveExtension, CmdDenyExtension:
		return !b.Done && b.Pending > 0
	}
	return true
}

// startable lists the 特别程序 that can be started (延长审批 has its own command).
func startable(c *Case) []SpecialKind {
	var out []SpecialKind
	for _, s := range c.Procedure.Special {
		if s.Code != Extension {
			out = append(out, s)
		}
	}
	return out
}

// Startable is startable for pages.
func (c *Case) Startable() []SpecialKind { return startable(c) }

// extended reports whether the case's one extension was approved or is
// being asked for.
func extended(c *Case) bool {
	for _, b := range c.Branches {
		if b.Extension > 0 || b.Pending > 0 {
			return true
		}
	}
	return false
}
