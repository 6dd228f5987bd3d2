package cases

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
)

// CommandKind names something a person (or the system) asks of a case.
type CommandKind string

// Commands.
const (
	CmdSubmit            CommandKind = "submit"
	CmdRequestSupplement CommandKind = "request_supplement"
	CmdSupplement        CommandKind = "supplement"
	CmdSupplementTimeout CommandKind = "supplement_timeout"
	CmdAccept            CommandKind = "accept"
	CmdRefuse            CommandKind = "refuse"
	CmdDecideInstant     CommandKind = "decide_instant"
	CmdWithdraw          CommandKind = "withdraw"
	CmdPayFee            CommandKind = "pay_fee"
	CmdPass              CommandKind = "pass"
	CmdFail              CommandKind = "fail"
	CmdReturn            CommandKind = "return"
	CmdReturnToApplicant CommandKind = "return_to_applicant"
	CmdCorrect           CommandKind = "correct"
	CmdStartSpecial      CommandKind = "start_special"
	CmdEndSpecial        CommandKind = "end_special"
	CmdRequestExtension  CommandKind = "request_extension"
	CmdApproveExtension  CommandKind = "approve_extension"
	CmdDenyExtension     CommandKind = "deny_extension"
)

// Command is one request to change a case.
type Command struct {
	Kind       CommandKind
	ActorID    int64
	ActorLabel string
	Branch     int      // for branch commands
	ToStep     int      // for CmdReturn
	Reason     string   // required where the law wants reasons
	Items      []string // materials to supplement
	Days       int      // extension length
	Code       string   // special procedure code
	Ref        string   // receipt or notice number
	AmountFen  int64    // CmdPayFee
	Decision   Decision // CmdDecideInstant
}

// illegal is the error of a command the case's state does not allow.
func illegal(c *Case, format string, args ...any) error {
	return apperr.New(apperr.Conflict, "办件当前状态为“%s”，%s", c.Status.Label(), fmt.Sprintf(format, args...))
}

// Transition checks cmd against the case's state and returns the events it
// causes, without changing the case: apply them with Apply. It is pure and
// decides only what the state allows; who may act is decided by the service.
func Transition(c *Case, cmd Command, at time.Time) ([]Event, error) {
	rule, ok := rules[cmd.Kind]
	if !ok {
		return nil, apperr.New(apperr.Invalid, "未知的操作 %q", cmd.Kind)
	}
	if !allowedIn(rule.from, c.Status) {
		return nil, illegal(c, "不能%s", rule.label)
	}
	if err := rule.check(c, cmd); err != nil {
		return nil, err
	}
	evs := rule.events(c, cmd)
	for i := range evs {
		evs[i].At, evs[i].ActorID, evs[i].ActorLabel = at, cmd.ActorID, cmd.ActorLabel
		if evs[i].Reason == "" {
			evs[i].Reason = strings.TrimSpace(cmd.Reason)
		}
	}
	return evs, nil
}

// checkStatus refuses a command the case's status does not allow; known to
// everyone who may see the case, it comes before the check of who acts.
func checkStatus(c *Case, kind CommandKind) error {
	rule, ok := rules[kind]
	if !ok {
		return apperr.New(apperr.Invalid, "未知的操作 %q", kind)
	}
	if !allowedIn(rule.from, c.Status) {
		return illegal(c, "不能%s", rule.label)
	}
	return nil
}

func allowedIn(from []Status, s Status) bool {
	for _, f := range from {
		if f == s {
			return true
		}
	}
	return false
}

// rule is one command's entry in the transition table.
type rule struct {
	label  string
	from   []Status
	check  func(c *Case, cmd Command) error
	events func(c *Case, cmd Command) []Event
}

var open = []Status{StatusSubmitted, StatusSupplement, StatusReview, StatusCorrection}

func ev(kind EventKind, branch int) Event { return Event{Kind: kind, Branch: branch} }

func none(*Case, Command) error { return nil }

// needReason requires a reason of at least a few characters.
func needReason(what string) func(*Case, Command) error {
	return func(_ *Case, cmd Command) error {
		n := utf8.RuneCountInString(strings.TrimSpace(cmd.Reason))
		if n < 2 {
			return apperr.Field("reason", "请填写"+what)
		}
		if n > 2000 {
			return apperr.Field("reason", what+"不能超过 2000 个字")
		}
		return nil
	}
}

var rules map[CommandKind]rule

func init() {
	rules = map[CommandKind]rule{
		CmdSubmit: {"提交申请", []Status{StatusDraft}, none, func(c *Case, cmd Command) []Event {
			return []Event{ev(EventSubmitted, -1)}
		}},
		CmdRequestSupplement: {"发出补正告知", []Status{StatusSubmitted}, checkItems, func(c *Case, cmd Command) []Event {
			e := ev(EventSupplementRequested, -1)
			e.Items, e.Days, e.Ref = trimItems(cmd.Items), c.Procedure.SupplementDays, cmd.Ref
			return []Event{e}
		}},
		CmdSupplement: {"补正材料", []Status{StatusSupplement}, none, func(c *Case, cmd Command) []Event {
			return []Event{ev(EventSupplemented, -1)}
		}},
		CmdSupplementTimeout: {"按补正超时办结", []Status{StatusSupplement}, none, func(c *Case, cmd Command) []Event {
			return []Event{ev(EventSupplementTimeout, -1), closed(CompletionTimeout)}
		}},
		CmdAccept: {"受理", []Status{StatusSubmitted}, checkAccept, func(c *Case, cmd Command) []Event {
			e := ev(EventAccepted, -1)
			e.Ref = cmd.Ref
			return []Event{e}
		}},
		CmdRefuse: {"不予受理", []Status{StatusSubmitted, StatusSupplement}, needReason("不予受理的理由"), func(c *Case, cmd Command) []Event {
			e := ev(EventRefused, -1)
			e.Ref = cmd.Ref
			return []Event{e, closed(CompletionReturned)}
		}},
		CmdDecideInstant: {"当场办结", []Status{StatusSubmitted}, checkInstant, instantEvents},
		CmdWithdraw:      {"撤回", open, none, func(c *Case, cmd Command) []Event { return []Event{ev(EventWithdrawn, -1), closed(CompletionVoided)} }},
		CmdPayFee:        {"缴费", open, checkPay, payEvents},
		CmdPass:          {"审批通过", []Status{StatusReview}, checkBranchAct, passEvents},
		CmdFail:          {"审批不通过", []Status{StatusReview}, allOf(checkBranchAct, needReason("不通过的理由")), failEvents},
		CmdReturn:        {"退回", []Status{StatusReview}, allOf(checkBranchAct, needReason("退回的理由"), checkReturnTo), returnEvents},
		CmdReturnToApplicant: {"退回申请人", []Status{StatusReview}, allOf(checkBranchAct, needReason("退回的理由"), checkItems), func(c *Case, cmd Command) []Event {
			e := ev(EventReturnedToApplicant, cmd.Branch)
			e.Items, e.Step = trimItems(cmd.Items), c.Branches[cmd.Branch].Step
			return []Event{e}
		}},
		CmdCorrect:          {"补正后重新提交", []Status{StatusCorrection}, none, func(c *Case, cmd Command) []Event { return []Event{ev(EventCorrected, -1)} }},
		CmdStartSpecial:     {"启动特别程序", []Status{StatusReview}, allOf(checkBranchOpen, needReason("特别程序的理由"), checkStartSpecial), startSpecialEvents},
		CmdEndSpecial:       {"结束特别程序", []Status{StatusReview}, allOf(checkBranchOpen, needReason("特别程序的结果"), checkEndSpecial), endSpecialEvents},
		CmdRequestExtension: {"申请延长审批", []Status{StatusReview}, allOf(checkBranchOpen, needReason("延长的理由"), checkRequestExtension), requestExtensionEvents},
		CmdApproveExtension: {"批准延长审批", []Status{StatusReview}, allOf(checkBranchOpen, checkPendingExtension), extensionDecision(EventExtensionApproved)},
		CmdDenyExtension:    {"不批准延长审批", []Status{StatusReview}, allOf(checkBranchOpen, checkPendingExtension), extensionDecision(EventExtensionDenied)},
	}
}

func allOf(checks ...func(*Case, Command) error) func(*Case, Command) error {
	return func(c *Case, cmd Command) error {
		for _, ch := range checks {
			if err := ch(c, cmd); err != nil {
				return err
			}
		}
		return nil
	}
}

func closed(code Completion) Event {
	e := ev(EventClosed, -1)
	e.Code = string(code)
	return e
}

func trimItems(items []string) []string {
	var out []string
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// checkItems: a 补正 notice lists everything that is missing or defective,
// at once (一次性告知), so it cannot be empty.
func checkItems(_ *Case, cmd Command) error {
	if len(trimItems(cmd.Items)) == 0 {
		return apperr.Field("items", "请逐项列明需要补正的材料或内容（一次性告知）")
	}
	return nil
}

func checkAccept(c *Case, cmd Command) error {
	if !c.Fee.Paid() {
		return apperr.New(apperr.Conflict, "该事项应缴费用 %s 元尚未缴纳，缴费后方可受理", yuan(c.Fee.DueFen-c.Fee.PaidFen))
	}
	if c.Procedure.Instant {
		return apperr.New(apperr.Conflict, "即办件应当场办结，请选择“当场办结”")
	}
	return nil
}

func checkInstant(c *Case, cmd Command) error {
	if !c.Procedure.Instant {
		return apperr.New(apperr.Conflict, "该事项是承诺件，须受理后按环节审批")
	}
	if !c.Fee.Paid() {
		return apperr.New(apperr.Conflict, "应缴费用 %s 元尚未缴纳", yuan(c.Fee.DueFen-c.Fee.PaidFen))
	}
	if cmd.Decision != DecisionApproved && cmd.Decision != DecisionDenied {
		return apperr.Field("decision", "请选择准予或不予")
	}
	if cmd.Decision == DecisionDenied {
		return needReason("不予许可的理由")(c, cmd)
	}
	return nil
}

func instantEvents(c *Case, cmd Command) []Event {
	acc := ev(EventAccepted, -1)
	acc.Ref = cmd.Ref
	dec := ev(EventDecided, -1)
	dec.Decision = cmd.Decision
	return []Event{acc, dec, closed(completionFor(c, cmd.Decision))}
}

func completionFor(c *Case, d Decision) Completion {
	switch {
	case d == DecisionDenied:
		return CompletionReturned
	case c.Procedure.Result.Certificate:
		return CompletionCertificate
	}
	return CompletionDone
}

func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

func checkPay(c *Case, cmd Command) error {
	owed := c.Fee.DueFen - c.Fee.PaidFen
	switch {
	case owed <= 0:
		return apperr.New(apperr.Conflict, "该办件没有待缴费用")
	case cmd.AmountFen != owed:
		return apperr.Field("amount", fmt.Sprintf("应缴金额为 %s 元", yuan(owed)))
	}
	return nil
}

func payEvents(c *Case, cmd Command) []Event {
	e := ev(EventFeePaid, -1)
	e.Ref, e.Days = cmd.Ref, 0
	e.Code = fmt.Sprint(cmd.AmountFen)
	return []Event{e}
}

// CommandLabel is the Chinese name of a command.
func CommandLabel(k CommandKind) string {
	if r, ok := rules[k]; ok {
		return r.label
	}
	return string(k)
}
