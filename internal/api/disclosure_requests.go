package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

func (s *Server) registerDisclosureRequestRoutes() {
	s.handle("GET /api/v1/disclosure/requests", s.handleDisclosureRequests)
	s.handle("POST /api/v1/disclosure/requests", s.handleDisclosureRequestCreate)
	s.handle("GET /api/v1/disclosure/requests/{id}", s.handleDisclosureRequest)
	s.handle("POST /api/v1/disclosure/requests/{id}/confirm", s.handleDisclosureConfirm)
	s.handle("POST /api/v1/disclosure/requests/{id}/events", s.handleDisclosureEvent)
	s.handle("POST /api/v1/disclosure/requests/{id}/answer", s.handleDisclosureAnswer)
	s.handle("GET /api/v1/disclosure/requests/{id}/letters/{kind}", s.handleDisclosureLetter)
	s.handle("GET /api/v1/disclosure/reports/{agency}/{year}", s.handleDisclosureReport)
	s.handle("PUT /api/v1/disclosure/reports/{agency}/{year}", s.handleDisclosureReportSave)
	s.handle("POST /api/v1/disclosure/reports/{agency}/{year}/document", s.handleDisclosureReportDocument)
	s.handle("GET /api/v1/disclosure/reports/{agency}/{year}/xlsx", s.handleDisclosureReportXLSX)
}

// requestJSON is a request with its clock, as one reader may see it.
type requestJSON struct {
	ID            int64                    `json:"id"`
	AgencyID      int64                    `json:"agency_id"`
	Number        string                   `json:"number"`
	ApplicantType disclosure.ApplicantType `json:"applicant_type"`
	Name          string                   `json:"name"`
	IDType        string                   `json:"id_type"`
	IDNumber      string                   `json:"id_number"`
	Phone         string                   `json:"phone"`
	Email         string                   `json:"email"`
	Address       string                   `json:"address"`
	Description   string                   `json:"description"`
	Delivery      string                   `json:"delivery"`
	Channel       disclosure.Channel       `json:"channel"`
	Status        disclosure.ReqStatus     `json:"status"`
	StatusLabel   string                   `json:"status_label"`
	Missing       []string                 `json:"missing"`
	Answer        disclosure.AnswerType    `json:"answer"`
	Reason        string                   `json:"reason"`
	ReceivedOn    string                   `json:"received_on"`
	ClosedOn      string                   `json:"closed_on"`
	Due           string                   `json:"due"`
	// ProvisionalYear: the deadlines were counted over a year whose holiday
	// schedule is not imported; they are provisional (暂定) until it is.
	ProvisionalYear int                  `json:"provisional_year,omitempty"`
	FeeDue          string               `json:"fee_due,omitempty"`
	DaysLeft        int                  `json:"days_left"`
	Warning         string               `json:"warning"`
	Pause           disclosure.EventKind `json:"pause"`
	Steps           []string             `json:"steps"`
	Events          []requestEventJSON   `json:"events"`
	Masked          bool                 `json:"masked"`
}

type requestEventJSON struct {
	Kind      disclosure.EventKind `json:"kind"`
	KindLabel string               `json:"kind_label"`
	On        string               `json:"on"`
	Days      int                  `json:"days"`
	Amount    int64                `json:"amount"`
	Pages     int                  `json:"pages"`
	Party     string               `json:"party"`
	Note      string               `json:"note"`
	At        time.Time            `json:"at"`
}

func toRequest(v *disclosure.RequestView) requestJSON {
	r, c := v.Request, v.Clock
	out := requestJSON{ID: r.ID, AgencyID: r.AgencyID, Number: r.Number, ApplicantType: r.ApplicantType, Name: r.Name,
		IDType: r.IDType, IDNumber: r.IDNumber, Phone: r.Phone, Email: r.Email, Address: r.Address, Description: r.Description,
		Delivery: r.Delivery, Channel: r.Channel, Status: r.Status, StatusLabel: r.Status.Label(), Missing: nonNil(r.Missing),
		Answer: r.Answer, Reason: r.Reason, ReceivedOn: r.Received(), ClosedOn: r.Closed(), DaysLeft: v.DaysLeft,
		Warning: v.Warning, Pause: c.Pause, Steps: nonNil(c.Steps), Events: []requestEventJSON{}, Masked: v.Masked}
	if c.Received {
		out.Due, out.ProvisionalYear = c.Due.String(), c.Provisional
	}
	if c.FeeDue != (calendar.Date{}) {
		out.FeeDue = c.FeeDue.String()
	}
	for _, e := range v.Events {
		out.Events = append(out.Events, requestEventJSON{Kind: e.Kind, KindLabel: e.Kind.Label(), On: e.On.String(), Days: e.Days,
			Amount: e.Amount, Pages: e.Pages, Party: e.Party, Note: e.Note, At: e.CreatedAt})
	}
	return out
}

// handleDisclosureRequests lists an agency's requests for its officers
// (agency_id given) or the caller's own requests.
func (s *Server) handleDisclosureRequests(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	agency, open := q.id("agency_id"), q.flag("open")
	if err := q.err(); err != nil {
		return err
	}
	var vs []*disclosure.RequestView
	if agency == nil {
		vs, err = s.svc.Disclosure.MyRequests(r.Context(), a)
	} else {
		vs, _, err = s.svc.Disclosure.AgencyRequests(r.Context(), a, disclosure.RequestFilter{AgencyID: *agency, Open: open})
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(vs, toRequest))
}

type requestCreate struct {
	AgencyID      int64                    `json:"agency_id"`
	Channel       disclosure.Channel       `json:"channel"`
	ApplicantType disclosure.ApplicantType `json:"applicant_type"`
	Name          string                   `json:"name"`
	IDType        string                   `json:"id_type"`
	IDNumber      string                   `json:"id_number"`
	Phone         string                   `json:"phone"`
	Email         string                   `json:"email"`
	Address       string                   `json:"address"`
	Description   string                   `json:"description"`
	Delivery      string                   `json:"delivery"`
	ReceivedOn    string                   `json:"received_on"`
}

func (s *Server) handleDisclosureRequestCreate(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, _ int64, in requestCreate) (*disclosure.RequestView, error) {
		req, err := s.svc.Disclosure.SubmitRequest(ctx, a, disclosure.RequestInput{AgencyID: in.AgencyID, Channel: in.Channel,
			ApplicantType: in.ApplicantType, Name: in.Name, IDType: in.IDType, IDNumber: in.IDNumber, Phone: in.Phone, Email: in.Email,
			Address: in.Address, Description: in.Description, Delivery: in.Delivery, ReceivedOn: in.ReceivedOn})
		if err != nil {
			return nil, err
		}
		return s.svc.Disclosure.Request(ctx, a, req.ID)
	}, toRequest)
}

func (s *Server) handleDisclosureRequest(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	return getOne(w, r, func(ctx context.Context, id int64) (*disclosure.RequestView, error) {
		return s.svc.Disclosure.Request(ctx, a, id)
	}, toRequest)
}

// requestStep decodes a body, runs one step on the request in the path and
// answers with the request as it now stands.
func requestStep[Req any](s *Server, w http.ResponseWriter, r *http.Request, step func(context.Context, *identity.Actor, int64, Req) error) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in Req) (*disclosure.RequestView, error) {
		if err := step(ctx, a, id, in); err != nil {
			return nil, err
		}
		return s.svc.Disclosure.Request(ctx, a, id)
	}, toRequest)
}

type confirmRequest struct {
	On string `json:"on"`
}

func (s *Server) handleDisclosureConfirm(w http.ResponseWriter, r *http.Request) error {
	return requestStep(s, w, r, func(ctx context.Context, a *identity.Actor, id int64, in confirmRequest) error {
		_, err := s.svc.Disclosure.ConfirmReceipt(ctx, a, id, in.On)
		return err
	})
}

type eventRequest struct {
	Kind   disclosure.EventKind `json:"kind"`
	On     string               `json:"on"`
	Days   int                  `json:"days"`
	Amount int64                `json:"amount"`
	Pages  int                  `json:"pages"`
	Party  string               `json:"party"`
	Note   string               `json:"note"`
}

func (s *Server) handleDisclosureEvent(w http.ResponseWriter, r *http.Request) error {
	return requestStep(s, w, r, func(ctx context.Context, a *identity.Actor, id int64, in eventRequest) error {
		_, err := s.svc.Disclosure.RecordEvent(ctx, a, id, disclosure.EventInput{Kind: in.Kind, On: in.On, Days: in.Days,
			Amount: in.Amount, Pages: in.Pages, Party: in.Party, Note: in.Note})
		return err
	})
}

type answerRequest struct {
	Type    disclosure.AnswerType `json:"type"`
	Reason  string                `json:"reason"`
	Text    string                `json:"text"`
	ReferTo string                `json:"refer_to"`
}

func (s *Server) handleDisclosureAnswer(w http.ResponseWriter, r *http.Request) error {
	return requestStep(s, w, r, func(ctx context.Context, a *identity.Actor, id int64, in answerRequest) error {
		_, err := s.svc.Disclosure.Answer(ctx, a, id, disclosure.AnswerInput{Type: in.Type, Reason: in.Reason, Text: in.Text, ReferTo: in.ReferTo})
		return err
	})
}

func (s *Server) handleDisclosureLetter(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Disclosure.Request(r.Context(), a, id)
	if err != nil {
		return err
	}
	l, err := disclosure.LetterFor(v, disclosure.EventKind(r.PathValue("kind")))
	if err != nil {
		return apperr.Wrap(err, apperr.NotFound, "该文书不存在")
	}
	return writeJSON(w, http.StatusOK, map[string]any{"title": l.Title, "number": l.Number, "addressee": l.Addressee,
		"paragraphs": l.Paragraphs, "agency": l.Agency, "date": l.Date})
}

// reportPath reads the agency and year of a report route.
func reportPath(r *http.Request) (int64, int, error) {
	agency, err := pathID(r, "agency")
	if err != nil {
		return 0, 0, err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return 0, 0, apperr.Field("year", "年度应为四位数字")
	}
	return agency, year, nil
}
