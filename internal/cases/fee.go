package cases

import (
	"fmt"

	"openhall/internal/apperr"
)

// Fees (行政许可法 Art 58–59). A fee is charged only where the item's fee
// rule names its legal basis (the catalogue refuses a rule without one) and
// is due when the item says: before the result is issued by default, so
// that acceptance never waits for payment; before 受理 only where the item
// says so. A fee paid on a case that is then refused, denied or withdrawn
// is refunded, and the refund is recorded. Proxy (代办) service itself is
// free: nothing is added for it.

// checkAccept: 受理 waits for the fee only where the item charges at
// acceptance; 即办件 are decided on the spot instead.
func checkAccept(c *Case, cmd Command) error {
	if c.Procedure.Instant {
		return apperr.New(apperr.Conflict, "即办件应当场办结，请选择“当场办结”")
	}
	if c.Procedure.FeeAtAccept && !c.Fee.Paid() {
		return apperr.New(apperr.Conflict, "该事项的费用应在受理时缴纳，应缴 %s 元尚未缴纳", yuan(c.Fee.Owed()))
	}
	return nil
}

// checkInstant: a 即办件 is decided and its result issued on the spot, so
// its fee is due now.
func checkInstant(c *Case, cmd Command) error {
	if !c.Procedure.Instant {
		return apperr.New(apperr.Conflict, "该事项是承诺件，须受理后按环节审批")
	}
	if cmd.Decision != DecisionApproved && cmd.Decision != DecisionDenied {
		return apperr.Field("decision", "请选择准予或不予")
	}
	if cmd.Decision == DecisionDenied {
		return needReason("不予许可的理由")(c, cmd)
	}
	if !c.Fee.Paid() {
		return apperr.New(apperr.Conflict, "当场出具结果前应缴清费用 %s 元", yuan(c.Fee.Owed()))
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

// FeePayable reports whether the fee can be paid now: something is owed
// and it is due (at acceptance from submission on; before the result only
// once the case is accepted, never before 受理).
func FeePayable(c *Case) bool {
	if c.Fee.Owed() == 0 || !c.Status.Open() {
		return false
	}
	return c.Procedure.FeeAtAccept || c.Procedure.Instant || !c.AcceptedAt.IsZero()
}

func checkPay(c *Case, cmd Command) error {
	owed := c.Fee.Owed()
	switch {
	case owed == 0:
		return apperr.New(apperr.Conflict, "该办件没有待缴费用")
	case !FeePayable(c):
		return apperr.New(apperr.Conflict, "该事项的费用在出具结果前缴纳，受理后方可缴费")
	case cmd.AmountFen != owed:
		return apperr.Field("amount", fmt.Sprintf("应缴金额为 %s 元", yuan(owed)))
	}
	return nil
}

// payEvents records the payment; a case approved and waiting only for its
// fee is then closed, its result issued (the service adds the certificate).
func payEvents(c *Case, cmd Command) []Event {
	e := ev(EventFeePaid, -1)
	e.Ref, e.Code = cmd.Ref, fmt.Sprint(cmd.AmountFen)
	if c.Status == StatusPayment {
		return []Event{e, closed(completionFor(c, DecisionApproved))}
	}
	return []Event{e}
}

func checkRefund(c *Case, cmd Command) error {
	owed := c.RefundOwed()
	switch {
	case owed == 0:
		return apperr.New(apperr.Conflict, "该办件没有应退的费用")
	case cmd.AmountFen != owed:
		return apperr.Field("amount", fmt.Sprintf("应退金额为 %s 元", yuan(owed)))
	}
	return nil
}

func refundEvents(c *Case, cmd Command) []Event {
	e := ev(EventRefunded, -1)
	e.Ref, e.Code = cmd.Ref, fmt.Sprint(cmd.AmountFen)
	return []Event{e}
}
