package disclosure

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// SubmitRequest registers a request. Online, the applicant submits it and it
// waits for the agency to confirm receipt (Art 31: the day both sides
// confirm); by any other channel a 公开专员 registers it with its receipt
// date. Missing Art 29 items do not stop registration: they are listed for
// the 补正 notice.
func (s *Service) SubmitRequest(ctx context.Context, a *identity.Actor, in RequestInput) (*Request, error) {
	in.normalize()
	missing, err := in.validate()
	if err != nil {
		return nil, err
	}
	var saved *Request
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		saved = nil
		ag, err := s.agencyOf(ctx, "agency_id", in.AgencyID)
		if err != nil {
			return err
		}
		r := newRequest(in, missing) // afresh on every run of the transaction
		received, err := s.intakeRule(a, ag, r, &in)
		if err != nil {
			return err
		}
		if err := s.createRequest(ctx, a, ag, r, received); err != nil {
			return err
		}
		saved = r
		return nil
	})
	return saved, err
}

func newRequest(in RequestInput, missing []string) *Request {
	r := &Request{AgencyID: in.AgencyID, ApplicantType: in.ApplicantType, Name: in.Name, IDType: in.IDType,
		IDNumber: in.IDNumber, Phone: in.Phone, Email: in.Email, Address: in.Address, Description: in.Description,
		Delivery: in.Delivery, Channel: in.Channel, Missing: missing, Status: ReqSubmitted}
	r.ApplicantKind = "organisation"
	if in.ApplicantType == ApplicantPerson {
		r.ApplicantKind = "person"
	}
	return r
}

// intakeRule applies who may submit by which channel and returns the
// receipt date when it is known at once.
func (s *Service) intakeRule(a *identity.Actor, ag *Agency, r *Request, in *RequestInput) (*calendar.Date, error) {
	if in.Channel == ChannelOnline {
		if a == nil || a.UserID == 0 {
			return nil, apperr.New(apperr.Unauthenticated, "网上申请请先登录")
		}
		r.UserID = a.UserID
		return nil, nil
	}
	if err := CanHandleRequests(a, ag); err != nil {
		return nil, apperr.New(apperr.Forbidden, "当面、信函和传真申请由公开专员登记；网上申请请选择“互联网在线”")
	}
	d, err := in.receivedOn(s.today())
	return &d, err
}

func (s *Service) createRequest(ctx context.Context, a *identity.Actor, ag *Agency, r *Request, received *calendar.Date) error {
	now := s.now()
	prefix := RequestNumberPrefix(ag, s.today().Year())
	seq, err := s.store.NextNumberSeq(ctx, prefix)
	if err != nil {
		return err
	}
	r.Number = fmt.Sprintf("%s-%05d", prefix, seq)
	r.SubmittedAt, r.CreatedAt, r.UpdatedAt = now, now, now
	if err := s.store.CreateRequest(ctx, r); err != nil {
		return err
	}
	if err := s.recordRequest(ctx, a, ag, "disclosure.request.submit", r, nil); err != nil {
		return err
	}
	if received == nil {
		return nil
	}
	return s.receive(ctx, a, ag, r, *received)
}

// receive records the Art 31 receipt and starts the clock.
func (s *Service) receive(ctx context.Context, a *identity.Actor, ag *Agency, r *Request, on calendar.Date) error {
	r.ReceivedOn, r.Status = on, ReqProcessing
	e := &Event{RequestID: r.ID, Kind: EvReceived, On: on, Note: r.Channel.ReceiptRule()}
	return s.saveEvent(ctx, a, ag, r, e)
}

// saveEvent stores an event and the request's new state, and audits both.
func (s *Service) saveEvent(ctx context.Context, a *identity.Actor, ag *Agency, r *Request, e *Event) error {
	e.ActorID, e.ActorName, e.CreatedAt = a.UserID, a.Audit().Label, s.now()
	if err := s.store.CreateEvent(ctx, e); err != nil {
		return err
	}
	r.UpdatedAt = e.CreatedAt
	if err := s.store.UpdateRequest(ctx, r); err != nil {
		return err
	}
	return s.recordRequest(ctx, a, ag, "disclosure.request."+string(e.Kind), r, e)
}

// recordRequest audits a request's change with the applicant's data masked.
func (s *Service) recordRequest(ctx context.Context, a *identity.Actor, ag *Agency, action string, r *Request, e *Event) error {
	change := map[string]any{"number": r.Number, "status": r.Status, "channel": r.Channel,
		"applicant": pii.MaskName(r.Name), "id_number": pii.MaskIDNumber(r.IDNumber), "phone": pii.MaskMobile(r.Phone)}
	if e != nil {
		change["event"] = map[string]any{"kind": e.Kind, "on": e.On, "days": e.Days, "amount": e.Amount, "party": e.Party}
	}
	if r.Answer != "" {
		change["answer"], change["reason"] = r.Answer, r.Reason
	}
	return s.record(ctx, a, ag, action, "disclosure_request", r.ID, change)
}

// requestFor loads a request and its agency for a 公开专员 of the agency.
func (s *Service) requestFor(ctx context.Context, a *identity.Actor, id int64) (*Request, *Agency, error) {
	r, err := s.store.FindRequestByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.agencyOf(ctx, "", r.AgencyID)
	if err != nil {
		return nil, nil, err
	}
	if err := CanViewRequest(a, ag, r); err != nil {
		return nil, nil, err // the same answer as a request that does not exist
	}
	return r, ag, CanHandleRequests(a, ag)
}

// ConfirmReceipt confirms an online request: its receipt date is the day of
// confirmation (Art 31) unless the officer gives an earlier one.
func (s *Service) ConfirmReceipt(ctx context.Context, a *identity.Actor, id int64, on string) (*Request, error) {
	return s.onRequest(ctx, a, id, func(ctx context.Context, r *Request, ag *Agency) error {
		if r.Status != ReqSubmitted {
			return apperr.New(apperr.Conflict, "该申请已确认收到")
		}
		d, err := s.eventDate(on)
		if err != nil {
			return err
		}
		return s.receive(ctx, a, ag, r, d)
	})
}

// onRequest loads a request for one of its agency's 公开专员 and runs step
// on it in one transaction; step saves and audits what it changes.
func (s *Service) onRequest(ctx context.Context, a *identity.Actor, id int64, step func(ctx context.Context, r *Request, ag *Agency) error) (*Request, error) {
	var r *Request
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var ag *Agency
		var err error
		if r, ag, err = s.requestFor(ctx, a, id); err != nil {
			return err
		}
		return step(ctx, r, ag)
	})
	return r, err
}

// eventDate parses an event's date: empty is today; never in the future.
func (s *Service) eventDate(on string) (calendar.Date, error) {
	today := s.today()
	if strings.TrimSpace(on) == "" {
		return today, nil
	}
	d, err := calendar.ParseDate(strings.TrimSpace(on))
	if err != nil {
		return today, apperr.Field("on", "日期格式应为 YYYY-MM-DD")
	}
	if d.After(today) {
		return today, apperr.Field("on", "日期不能晚于今天")
	}
	return d, nil
}

// AttachToRequest adds a file to a request: the information disclosed with
// the answer (Art 36(2)), kept with the request.
func (s *Service) AttachToRequest(ctx context.Context, a *identity.Actor, id int64, name, contentType string, content []byte) (*Attachment, error) {
	at := newAttachment("request", id, name, contentType, content)
	if err := at.validate(); err != nil {
		return nil, err
	}
	_, err := s.onRequest(ctx, a, id, func(ctx context.Context, r *Request, ag *Agency) error {
		at.ID, at.CreatedAt = 0, s.now() // set afresh: this may be a rerun
		if err := s.store.CreateAttachment(ctx, at); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "disclosure.request.attach", "disclosure_request", r.ID, map[string]any{"file": at.Name, "size": at.Size})
	})
	return at, err
}
