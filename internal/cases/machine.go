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
	CmdRefund            CommandKind = "refund"
)

// Command is one request to change a case.
type Command struct {
	Kind       CommandKind
	ActorID    int64
	ActorLabel string
	Branch     int      // for branch commands
	ToStep     int      // for CmdReturn
	Reason     string   // required where the law wants reasons; a step's 审查意见
	Items      []string // materials to supplement
	Needs      []string // per item: the material code a file answers, or NeedStatement
	Answers    []string // a supplement's written statements, per item of the notice
	Supplied   []string // the material codes of the files a supplement hands in
	Days       int      // extension length
	Code       string   // special procedure code
	Ref        string   // receipt or notice number
	AmountFen  int64    // CmdPayFee, CmdRefund
	Decision   Decision // CmdDecideInstant
	// IntakeDue is the end of the period for a 补正 notice (行政许可法 Art
	// 32); the service computes it on the calendar (see Intake).
	IntakeDue time.Time

	at time.Time // when the command is given; set by Transition
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
		return nil, apperr.Field("kind", fmt.Sprintf("未知的操作“%s”", cmd.Kind))
	}
	if cmd.Decision != DecisionNone && cmd.Decision != DecisionApproved && cmd.Decision != DecisionDenied {
		return nil, apperr.Field("decision", "决定须为 approved（准予许可）或 denied（不予许可）")
	}
	if !allowedIn(rule.from, c.Status) {
		return nil, illegal(c, "不能%s", rule.label)
	}
	cmd.at = at
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

var open = []Status{StatusSubmitted, StatusSupplement, StatusReview, StatusCorrection, StatusPayment}

func ev(kind EventKind, branch int) Event { return Event{Kind: kind, Branch: branch} }

func none(*Case, Command) error { return nil }

// needReason requires a reason of at least a few characters.
func needReason(what string) func(*Case, Command) error {
	return func(_ *Case, cmd Command) error {
		n := utf8.RuneCountInString(strings.TrimSpace(cmd.Reason))
		if n < 2 {
			return apperr.Field("reason", "请填写"+what+"（至少 2 个字）")
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
		CmdRequestSupplement: {"发出补正告知", []Status{StatusSubmitted}, allOf(checkNotice, checkIntakeInTime, checkOneNotice), supplementNotice},
		CmdSupplement:        {"补正材料", []Status{StatusSupplement}, checkAnswers(EventSupplementRequested), answerEvent(EventSupplemented)},
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
		CmdRefund:        {"退费", []Status{StatusClosed}, checkRefund, refundEvents},
		CmdPass:          {"审批通过", []Status{StatusReview}, allOf(checkBranchAct, needReason("审查意见")), passEvents},
		CmdFail:          {"审批不通过", []Status{StatusReview}, allOf(checkBranchAct, needReason("不通过的理由")), failEvents},
		CmdReturn:        {"退回", []Status{StatusReview}, allOf(checkBranchAct, needReason("退回的理由"), checkReturnTo), returnEvents},
		CmdReturnToApplicant: {"退回申请人", []Status{StatusReview}, allOf(checkBranchAct, needReason("退回的理由"), checkNotice), func(c *Case, cmd Command) []Event {
			e := ev(EventReturnedToApplicant, cmd.Branch)
			e.Items, e.Needs = noticeItems(cmd)
			e.Step = c.Branches[cmd.Branch].Step
			return []Event{e}
		}},
		CmdCorrect:          {"补正后重新提交", []Status{StatusCorrection}, checkAnswers(EventReturnedToApplicant), answerEvent(EventCorrected)},
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

// CommandLabel is the Chinese name of a command.
func CommandLabel(k CommandKind) string {
	if r, ok := rules[k]; ok {
		return r.label
	}
	return string(k)
}
