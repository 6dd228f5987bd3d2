package disclosure

import (
	"fmt"

	"openhall/internal/calendar"
)

// EventKind is a kind of clock event.
type EventKind string

// Clock events. Each is recorded with its legal date; the deadlines are
// recomputed from them (ComputeClock), never stored.
const (
	EvReceived      EventKind = "received"            // Art 31 receipt
	EvCorrection    EventKind = "correction_notice"   // Art 30 补正 notice (once, within 7 wd)
	EvCorrected     EventKind = "corrected"           // corrected request received: the period restarts
	EvExtension     EventKind = "extension"           // Art 33 extension (once, ≤ 20 wd, head's approval)
	EvConsultThird  EventKind = "consult_third"       // Art 32 third-party consultation sent (15 wd)
	EvConsultAgency EventKind = "consult_agency"      // Art 34 other-agency consultation sent (15 wd, silence = consent)
	EvConsultReply  EventKind = "consult_reply"       // the open consultation answered
	EvFeeNotice     EventKind = "fee_notice"          // 信息处理费 notice (国办函〔2020〕109号)
	EvFeeReceived   EventKind = "fee_notice_received" // the applicant received the fee notice (Party: the delivery channel)
	EvFeePaid       EventKind = "fee_paid"
	EvAnswered      EventKind = "answered"
	EvDelivered     EventKind = "delivered"
	EvAbandoned     EventKind = "abandoned"
	EvRemedy        EventKind = "remedy" // 行政复议 or 行政诉讼 filed or decided (Table 4)
)

// Label is the Chinese name.
func (k EventKind) Label() string {
	return map[EventKind]string{EvReceived: "收到申请", EvCorrection: "发出补正通知", EvCorrected: "收到补正后的申请",
		EvExtension: "延长答复期限", EvConsultThird: "征求第三方意见", EvConsultAgency: "征求其他机关意见",
		EvConsultReply: "收到征求意见答复", EvFeeNotice: "发出收费通知", EvFeeReceived: "收费通知已送达申请人", EvFeePaid: "申请人缴纳费用", EvAnswered: "作出答复",
		EvDelivered: "送达告知书", EvAbandoned: "视为放弃申请", EvRemedy: "行政复议、行政诉讼"}[k]
}

// Statutory periods in working days.
const (
	answerWorkdays     = 20 // Art 33
	maxExtension       = 20 // Art 33
	correctionWithin   = 7  // Art 30
	consultWorkdays    = 15 // Arts 32, 34
	feePaymentWorkdays = 20 // 国办函〔2020〕109号
)

// Clock is a request's deadlines as the events make them.
type Clock struct {
	Received      bool
	ReceivedOn    calendar.Date
	StartOn       calendar.Date // the period runs from the day after this
	CorrectionBy  calendar.Date // last day for a 补正 notice
	CorrectionDue calendar.Date // the applicant's deadline, once a notice went out
	Corrected     bool
	ExtensionDays int
	PausedDays    int
	Pause         EventKind     // the consultation or fee notice open now, if any
	PauseEnds     calendar.Date // when it ends at the latest
	FeeDue        calendar.Date // zero until the applicant's receipt of the fee notice is recorded
	FeeNoticeOn   calendar.Date
	Due           calendar.Date // answer deadline
	Steps         []string      // how Due was reached, for the officer and the applicant
	// Provisional is the first year a computed date reaches whose holiday
	// schedule has not been imported (0 if none): those dates are counted
	// on a plain week with the law's days off, shown as 暂定, and come out official by themselves
	// once the schedule is imported, as the clock is recomputed each time.
	Provisional int
}

// pause is an interval in which the answer period does not run.
type pause struct {
	kind     EventKind
	from     calendar.Date
	deadline calendar.Date // the latest end: 15 wd for consultations, the payment deadline for fees
}

// ComputeClock recomputes the deadlines from the events, in order, on the
// calendar, as of today. It is pure: the same events give the same clock.
// It fails only for dates the calendar cannot answer at all (decades past
// its last schedule); a year without an imported schedule makes the
// affected dates provisional (Clock.Provisional), never an error.
//
// Periods start on the day after their event (calendar.AddWorkdays). A
// correction restarts the answer period from the corrected request's
// receipt, dropping earlier pauses. Consultations stop the clock from the
// day after the letter until the reply, at most 15 working days; an
// unanswered agency consultation ends on its 15th day (silence = consent).
// [?] A fee notice also stops the clock until payment: the reference notes
// that 国办函〔2020〕109号 probably says so but the text was not verified.
// The applicant pays within 20 working days from the day after receiving the
// notice (109号, as quoted by the 四川 implementing notice): the deadline
// is known once the receipt is recorded (EvFeeReceived), with its channel.
func ComputeClock(cal *calendar.Calendar, events []*Event, today calendar.Date) (Clock, error) {
	k := &clockCalc{cal: cal}
	for _, e := range events {
		if k.open != nil && (e.Kind == EvConsultReply || e.Kind == EvFeePaid) {
			k.closePause(e.On)
		}
		k.apply(e)
	}
	c := &k.c
	if k.open != nil && c.Received {
		c.Pause, c.PauseEnds = k.open.kind, k.open.deadline
		if k.open.kind != EvFeeNotice && today.After(k.open.deadline) {
			c.Pause = ""
			k.closePause(k.open.deadline)
		} else {
			k.closePause(today)
		}
	}
	if c.Received {
		n := answerWorkdays + c.ExtensionDays + c.PausedDays
		c.Due = k.add(c.StartOn, n)
		c.Steps = append(c.Steps, fmt.Sprintf("答复期限：%s 起 %d 个工作日（20 + 延长 %d + 不计入 %d），至 %s",
			c.StartOn, n, c.ExtensionDays, c.PausedDays, c.Due))
	}
	return k.c, k.err
}

// clockCalc folds events into a Clock; the first calendar error sticks.
type clockCalc struct {
	cal  *calendar.Calendar
	c    Clock
	open *pause
	err  error
}

func (k *clockCalc) add(d calendar.Date, n int) calendar.Date {
	r, err := k.cal.AddWorkdays(d, n)
	if k.err == nil {
		k.err = err
	}
	k.provisional(d, r)
	return r
}

func (k *clockCalc) between(a, b calendar.Date) int {
	n, err := k.cal.WorkdaysBetween(a, b)
	if k.err == nil {
		k.err = err
	}
	k.provisional(a, b)
	return n
}

// provisional notes the earliest year without a schedule that a computation
// over [a, b] passed through.
func (k *clockCalc) provisional(a, b calendar.Date) {
	if y := k.cal.Provisional(a, b); y != 0 && (k.c.Provisional == 0 || y < k.c.Provisional) {
		k.c.Provisional = y
	}
}

// closePause ends the open pause on day on, or at its deadline if earlier.
func (k *clockCalc) closePause(on calendar.Date) {
	end := on
	if end.After(k.open.deadline) {
		end = k.open.deadline
	}
	n := k.between(k.open.from, end)
	k.c.PausedDays += n
	k.c.Steps = append(k.c.Steps, fmt.Sprintf("%s至%s（%s）不计入期限：%d 个工作日", k.open.from, end, k.open.kind.Label(), n))
	k.open = nil
}

// apply folds one event into the clock.
func (k *clockCalc) apply(e *Event) {
	c := &k.c
	switch e.Kind {
	case EvReceived:
		c.Received, c.ReceivedOn, c.StartOn = true, e.On, e.On
		c.CorrectionBy = k.add(e.On, correctionWithin)
		c.Steps = append(c.Steps, fmt.Sprintf("%s 收到申请；补正通知须在 %s 前发出", e.On, c.CorrectionBy))
	case EvCorrection:
		c.CorrectionDue = k.add(e.On, e.Days)
		c.Steps = append(c.Steps, fmt.Sprintf("%s 发出补正通知，申请人须在 %s 前补正", e.On, c.CorrectionDue))
	case EvCorrected:
		c.Corrected, c.StartOn, c.PausedDays, k.open = true, e.On, 0, nil
		c.Steps = append(c.Steps, fmt.Sprintf("%s 收到补正后的申请，答复期限自该日重新计算", e.On))
	case EvExtension:
		c.ExtensionDays += e.Days
		c.Steps = append(c.Steps, fmt.Sprintf("%s 经%s同意延长 %d 个工作日", e.On, e.Party, e.Days))
	case EvConsultThird, EvConsultAgency:
		k.open = &pause{kind: e.Kind, from: e.On, deadline: k.add(e.On, consultWorkdays)}
	case EvFeeNotice:
		c.FeeNoticeOn, c.FeeDue = e.On, calendar.Date{}
		// Until the receipt is known the pause has no end of its own.
		k.open = &pause{kind: e.Kind, from: e.On, deadline: e.On.AddDays(366 * 30)}
		c.Steps = append(c.Steps, fmt.Sprintf("%s 发出收费通知（%d 元），缴费期限自申请人收到通知之次日起计算", e.On, e.Amount))
	case EvFeeReceived:
		c.FeeDue = k.add(e.On, feePaymentWorkdays)
		if k.open != nil && k.open.kind == EvFeeNotice {
			k.open.deadline = c.FeeDue
		}
		c.Steps = append(c.Steps, fmt.Sprintf("%s 申请人收到收费通知（%s），须在 %s 前缴纳", e.On, e.Party, c.FeeDue))
	}
}

// ProvisionalNote is the words to show after the clock's dates when they
// were counted over a year without an imported holiday schedule (暂定).
func (c Clock) ProvisionalNote() string { return calendar.ProvisionalNote(c.Provisional) }

// DueText is the answer deadline as shown: the date, marked when provisional.
func (c Clock) DueText() string { return c.Due.String() + c.ProvisionalNote() }
