package disclosure

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// RequestView is a request with its history and its clock, as one reader
// may see it.
type RequestView struct {
	Request  *Request
	Agency   *Agency
	Events   []*Event
	Clock    Clock
	Today    calendar.Date
	DaysLeft int                // working days until Clock.Due; negative when overdue
	Warning  string             // "", "soon" (≤ 5 working days), "overdue"
	Masked   bool               // personal data masked for this reader
	Calendar *calendar.Calendar // the agency's working-day calendar, for letters
	// ClockError says why the deadlines could not be computed: a date the
	// working-day calendar cannot answer at all (decades past its last
	// schedule). A year merely not imported yet gives provisional dates.
	ClockError string
}

// warnWithin is when a due date starts to be shown as close.
const warnWithin = 5

func (v *RequestView) hasEvent(k EventKind) bool {
	for _, e := range v.Events {
		if e.Kind == k {
			return true
		}
	}
	return false
}

// viewOf computes a request's clock from its events.
func (s *Service) viewOf(ctx context.Context, ag *Agency, r *Request) (*RequestView, error) {
	events, err := s.store.FindEvents(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	return s.buildView(ag, r, events)
}

func (s *Service) buildView(ag *Agency, r *Request, events []*Event) (*RequestView, error) {
	cal, err := s.cals.ForRegion(ag.RegionPath)
	if err != nil {
		return nil, err
	}
	today := s.today()
	c, err := ComputeClock(cal, events, today)
	v := &RequestView{Request: r, Agency: ag, Events: events, Clock: c, Today: today, Calendar: cal}
	if err != nil {
		// One request beyond the calendar must not hide the others from a
		// list; the page of the request says why it has no deadline.
		v.ClockError = "期限无法计算：所涉日期超出工作日历支持的范围，请核对各事项的日期（" + err.Error() + "）"
		return v, nil
	}
	if c.Received && (r.Status == ReqProcessing || r.Status == ReqPaused) {
		v.DaysLeft, err = signedWorkdays(cal, today, c.Due)
		switch {
		case v.DaysLeft < 0:
			v.Warning = "overdue"
		case v.DaysLeft <= warnWithin:
			v.Warning = "soon"
		}
	}
	return v, err
}

// signedWorkdays counts working days from a to b, negative when b is before a.
func signedWorkdays(cal *calendar.Calendar, a, b calendar.Date) (int, error) {
	if b.Before(a) {
		n, err := cal.WorkdaysBetween(b, a)
		return -n, err
	}
	return cal.WorkdaysBetween(a, b)
}

// Request returns a request to the applicant or the staff who may see it,
// with personal data masked for those who do not need it.
func (s *Service) Request(ctx context.Context, a *identity.Actor, id int64) (*RequestView, error) {
	r, err := s.store.FindRequestByID(ctx, id)
	if err != nil {
		return nil, err
	}
	ag, err := s.agencyOf(ctx, "", r.AgencyID)
	if err != nil {
		return nil, err
	}
	if err := CanViewRequest(a, ag, r); err != nil {
		return nil, err
	}
	v, err := s.viewOf(ctx, ag, r)
	if err != nil {
		return nil, err
	}
	if !CanSeeApplicantData(a, ag, r) {
		v.mask()
	}
	return v, nil
}

// mask hides the applicant's personal data.
func (v *RequestView) mask() {
	cp := *v.Request
	cp.IDNumber, cp.Phone = pii.MaskIDNumber(cp.IDNumber), pii.MaskMobile(cp.Phone)
	if cp.ApplicantKind == "person" {
		cp.Name = pii.MaskName(cp.Name)
	}
	cp.Email, cp.Address = maskedIf(cp.Email), maskedIf(cp.Address)
	v.Request, v.Masked = &cp, true
}

func maskedIf(s string) string {
	if s == "" {
		return ""
	}
	return "（已隐去）"
}

// MyRequests lists the applicant's own requests.
func (s *Service) MyRequests(ctx context.Context, a *identity.Actor) ([]*RequestView, error) {
	if a == nil || a.UserID == 0 {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	rs, _, err := s.store.FindRequests(ctx, RequestFilter{UserID: a.UserID, Limit: 200})
	if err != nil {
		return nil, err
	}
	return s.views(ctx, rs, nil)
}

// AgencyRequests lists an agency's requests for its 公开专员, open first.
func (s *Service) AgencyRequests(ctx context.Context, a *identity.Actor, f RequestFilter) ([]*RequestView, int, error) {
	ag, err := s.agencyOf(ctx, "", f.AgencyID)
	if err != nil {
		return nil, 0, err
	}
	if err := CanHandleRequests(a, ag); err != nil {
		return nil, 0, err
	}
	rs, total, err := s.store.FindRequests(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	vs, err := s.views(ctx, rs, ag)
	return vs, total, err
}

// views builds the views of several requests with one event query.
func (s *Service) views(ctx context.Context, rs []*Request, ag *Agency) ([]*RequestView, error) {
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	events, err := s.store.FindEventsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*RequestView, 0, len(rs))
	for _, r := range rs {
		rag := ag
		if rag == nil || rag.ID != r.AgencyID {
			if rag, err = s.agencyOf(ctx, "", r.AgencyID); err != nil {
				return nil, err
			}
		}
		v, err := s.buildView(rag, r, events[r.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SuggestFee is the 按件 fee of a request: its rank among the applicant's
// requests to the agency received in the same calendar month.
func (s *Service) SuggestFee(ctx context.Context, v *RequestView) (int, int64, error) {
	r := v.Request
	if !v.Clock.Received {
		return 0, 0, nil
	}
	on := v.Clock.ReceivedOn
	first := calendar.NewDate(on.Year(), on.Month(), 1)
	n, err := s.store.CountApplicantRequests(ctx, r.AgencyID, r.Name, r.IDNumber, first, on)
	return n, FeePerRequest(n), err
}
