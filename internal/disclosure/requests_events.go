package disclosure

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// defaultCorrectionDays is the applicant's time to correct when the officer
// does not set one. Art 30 asks only for a "合理的补正期限".
const defaultCorrectionDays = 15

// RecordEvent records a clock event after checking that the law allows it
// now, and moves the request to its new state.
func (s *Service) RecordEvent(ctx context.Context, a *identity.Actor, id int64, in EventInput) (*Request, error) {
	in.Party, in.Note = strings.TrimSpace(in.Party), strings.TrimSpace(in.Note)
	return s.onRequest(ctx, a, id, func(ctx context.Context, r *Request, ag *Agency) error {
		on, err := s.eventDate(in.On)
		if err != nil {
			return err
		}
		v, err := s.viewOf(ctx, ag, r)
		if err != nil {
			return err
		}
		e := &Event{RequestID: r.ID, Kind: in.Kind, On: on, Days: in.Days, Amount: in.Amount, Pages: in.Pages, Party: in.Party, Note: in.Note}
		if e.Kind == EvFeeNotice {
			// Days records the request's rank in the applicant's month (按件).
			if e.Days, _, err = s.SuggestFee(ctx, v); err != nil {
				return err
			}
			if e.Amount == 0 {
				e.Amount, _ = feeDue(e)
			}
		}
		if err := checkEvent(v, e); err != nil {
			return err
		}
		applyEvent(r, e)
		return s.saveEvent(ctx, a, ag, r, e)
	})
}

// checkEvent applies the Regulation's rules for an event on a request.
func checkEvent(v *RequestView, e *Event) error {
	r, c := v.Request, v.Clock
	if v.ClockError != "" && e.Kind != EvRemedy && e.Kind != EvDelivered {
		return apperr.Field("on", v.ClockError)
	}
	if !r.Status.Closed() && e.On.Before(r.ReceivedOn) {
		return apperr.Field("on", "日期不能早于收到申请之日 "+r.ReceivedOn.String())
	}
	switch e.Kind {
	case EvCorrection:
		return checkCorrection(v, e)
	case EvCorrected:
		return want(r.Status == ReqCorrection, "只有待补正的申请可以登记补正")
	case EvExtension:
		return checkExtension(v, e)
	case EvConsultThird, EvConsultAgency:
		var f apperr.Fields
		f.Check(e.Party == "", "party", "请填写征求意见的对象")
		return firstErr(want(r.Status == ReqProcessing, "只有办理中的申请可以征求意见"), f.Err())
	case EvConsultReply:
		return want(r.Status == ReqPaused && (c.Pause == EvConsultThird || c.Pause == EvConsultAgency), "没有正在进行的征求意见")
	case EvFeeNotice:
		return firstErr(want(r.Status == ReqProcessing, "只有办理中的申请可以发出收费通知"), checkFeeNotice(e))
	case EvFeeReceived:
		var f apperr.Fields
		f.Check(e.Party == "", "party", "请填写收费通知的送达方式（如：当面送达、邮寄、电子邮件）")
		f.Check(e.On.Before(c.FeeNoticeOn), "on", "送达日期不能早于发出收费通知之日 "+c.FeeNoticeOn.String())
		return firstErr(want(r.Status == ReqPaused && c.Pause == EvFeeNotice && c.FeeDue == (calendar.Date{}), "没有待送达的收费通知"), f.Err())
	case EvFeePaid:
		return want(r.Status == ReqPaused && c.Pause == EvFeeNotice, "没有待缴纳的费用")
	case EvDelivered:
		return firstErr(want(r.Status == ReqAnswered, "只有已答复的申请可以登记送达"), required(e.Party, "party", "请填写送达方式"))
	case EvRemedy:
		return checkRemedy(r, e)
	}
	return apperr.Field("kind", "不支持的事件类型")
}

func checkCorrection(v *RequestView, e *Event) error {
	r, c := v.Request, v.Clock
	if err := want(r.Status == ReqProcessing, "只有办理中的申请可以发出补正通知"); err != nil {
		return err
	}
	if v.hasEvent(EvCorrection) {
		return apperr.New(apperr.Conflict, "补正通知只能一次性发出，本申请已发出过（条例第三十条）")
	}
	if e.On.After(c.CorrectionBy) {
		return apperr.Field("on", "补正通知须在收到申请之日起 7 个工作日内发出（至 "+c.CorrectionBy.String()+"）")
	}
	if e.Days == 0 {
		e.Days = defaultCorrectionDays
	}
	var f apperr.Fields
	f.Check(e.Days < 1 || e.Days > 60, "days", "补正期限须为 1–60 个工作日")
	f.Check(e.Note == "", "note", "请一次性列明需要补正的全部事项")
	return f.Err()
}

func checkExtension(v *RequestView, e *Event) error {
	r, c := v.Request, v.Clock
	if err := want(r.Status == ReqProcessing || r.Status == ReqPaused, "只有办理中的申请可以延期"); err != nil {
		return err
	}
	if v.hasEvent(EvExtension) {
		return apperr.New(apperr.Conflict, "答复期限只能延长一次（条例第三十三条）")
	}
	var f apperr.Fields
	f.Check(e.Days < 1 || e.Days > maxExtension, "days", "延长期限最长不超过 20 个工作日")
	f.Check(e.Party == "", "party", "请填写批准延期的政府信息公开工作机构负责人")
	f.Check(e.On.After(c.Due), "on", "延期须在答复期限届满（"+c.Due.String()+"）前决定")
	return f.Err()
}

// Remedy kinds and results of Table 4.
var (
	RemedyKinds   = []string{"review", "litigation", "litigation_after_review"}
	RemedyResults = []string{"upheld", "corrected", "other", "pending"}
)

func checkRemedy(r *Request, e *Event) error {
	var f apperr.Fields
	f.Check(!contains(RemedyKinds, e.Party), "party", "请选择行政复议、直接起诉或复议后起诉")
	f.Check(!contains(RemedyResults, e.Note), "note", "请选择结果：维持、纠正、其他结果或尚未审结")
	return firstErr(want(r.Status.Closed(), "申请办结后才能登记行政复议、行政诉讼"), f.Err())
}

// applyEvent moves the request to the state after e.
func applyEvent(r *Request, e *Event) {
	switch e.Kind {
	case EvCorrection:
		r.Status = ReqCorrection
	case EvCorrected:
		r.Status, r.Missing = ReqProcessing, nil
	case EvConsultThird, EvConsultAgency, EvFeeNotice:
		r.Status = ReqPaused
	case EvConsultReply, EvFeePaid:
		r.Status = ReqProcessing
	}
}

// Answer answers a request: the type and its sub-reason (one row of Table 3).
func (s *Service) Answer(ctx context.Context, a *identity.Actor, id int64, in AnswerInput) (*Request, error) {
	if _, err := in.validate(); err != nil {
		return nil, err
	}
	return s.onRequest(ctx, a, id, func(ctx context.Context, r *Request, ag *Agency) error {
		if r.Status != ReqProcessing {
			return apperr.New(apperr.Conflict, "该申请当前状态为“%s”，不能答复", r.Status.Label())
		}
		r.Status, r.Answer, r.Reason, r.AnswerText, r.ReferTo, r.AnsweredOn = ReqAnswered, in.Type, in.Reason, in.Text, in.ReferTo, s.today()
		return s.saveEvent(ctx, a, ag, r, &Event{RequestID: r.ID, Kind: EvAnswered, On: r.AnsweredOn, Note: in.Type.Label()})
	})
}

// SweepRequests closes the requests whose applicant let a deadline pass:
// no correction by the 补正 deadline (Art 30) or no payment within 20
// working days of the fee notice. It returns how many it closed; the
// periodic job calls it.
func (s *Service) SweepRequests(ctx context.Context) (int, error) {
	rs, _, err := s.store.FindRequests(ctx, RequestFilter{Statuses: []ReqStatus{ReqCorrection, ReqPaused}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range rs {
		closed, err := s.sweepOne(ctx, r.ID)
		if err != nil {
			return n, err
		}
		if closed {
			n++
		}
	}
	return n, nil
}

func (s *Service) sweepOne(ctx context.Context, id int64) (bool, error) {
	var closed bool
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		closed = false
		r, err := s.store.FindRequestByID(ctx, id)
		if err != nil {
			return err
		}
		ag, err := s.agencyOf(ctx, "", r.AgencyID)
		if err != nil {
			return err
		}
		v, err := s.viewOf(ctx, ag, r)
		if err != nil {
			return err
		}
		reason, ok := lapsed(v, s.today())
		if !ok {
			return nil
		}
		closed = true
		r.Status, r.Answer, r.Reason, r.AnsweredOn = ReqAbandoned, AnswerOther, reason, s.today()
		sys := systemActor()
		return s.saveEvent(ctx, sys, ag, r, &Event{RequestID: r.ID, Kind: EvAbandoned, On: r.AnsweredOn, Note: reason})
	})
	return closed, err
}

// lapsed reports whether the applicant missed a deadline, and which.
func lapsed(v *RequestView, today calendar.Date) (string, bool) {
	c := v.Clock
	switch {
	case v.Request.Status == ReqCorrection && c.CorrectionDue != (calendar.Date{}) && today.After(c.CorrectionDue):
		return "no_correction", true
	case v.Request.Status == ReqPaused && c.Pause == EvFeeNotice && c.FeeDue != (calendar.Date{}) && today.After(c.FeeDue):
		return "unpaid_fee", true
	}
	return "", false
}

// systemActor is the actor of background sweeps.
func systemActor() *identity.Actor {
	return &identity.Actor{UserID: audit.System.ID, Kind: identity.KindStaff, Name: audit.System.Label, Username: "system"}
}

func want(ok bool, msg string) error {
	if ok {
		return nil
	}
	return apperr.New(apperr.Conflict, "%s", msg)
}

func positive(n int64, field, msg string) error {
	if n > 0 {
		return nil
	}
	return apperr.Field(field, msg)
}

func required(v, field, msg string) error {
	if v != "" {
		return nil
	}
	return apperr.Field(field, msg)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
