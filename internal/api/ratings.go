package api

import (
	"errors"
	"maps"
	"net/http"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/rating"
)

// registerRatingRoutes lists the endpoints of 好差评.
func (s *Server) registerRatingRoutes() {
	s.handle("GET /api/v1/cases/{id}/ratings", s.handleCaseRatings)
	s.handle("POST /api/v1/cases/{id}/ratings", s.handleRateCase)
	s.handle("GET /api/v1/ratings", s.handleMyRatings)
	s.handle("GET /api/v1/ratings/figures", s.handleRatingFigures)
	s.handle("GET /api/v1/ratings/export", s.handleRatingExport)
	s.handle("POST /api/v1/ratings/import", s.handleRatingImport)
	s.handle("GET /api/v1/ratings/{id}", s.handleMyRating)
	s.handle("POST /api/v1/ratings/{id}/again", s.handleRateAgain)
	s.handle("GET /api/v1/rating-links/{token}", s.handleRatingLink)
	s.handle("POST /api/v1/rating-links/{token}", s.handleRateLink)
	s.handle("POST /api/v1/counter/ratings", s.handleCounterRating)
	s.handle("GET /api/v1/rating-tickets", s.handleTickets)
	s.handle("GET /api/v1/rating-tickets/{id}", s.handleTicket)
	s.handle("POST /api/v1/rating-tickets/{id}/actions", s.handleTicketAction)
	s.handle("POST /api/v1/rating-tickets/{id}/phone", s.handleTicketPhone)
	s.handle("GET /api/v1/regions/{id}/rating-limits", s.handleRatingLimits)
	s.handle("PUT /api/v1/regions/{id}/rating-limits", s.handleSetRatingLimits)
	s.registerComplaintRoutes()
	s.registerHotlineRoutes()
}

// ratingRequest is a rating as a client sends it.
type ratingRequest struct {
	Level      int            `json:"level"` // 1 非常满意 … 5 非常不满意 (GB/T 39046 A.8)
	Indicators map[string]int `json:"indicators"`
	Comment    string         `json:"comment"`
	Anonymous  bool           `json:"anonymous"`
	Channel    string         `json:"channel"` // pc or mobile
}

func (q ratingRequest) input() rating.Input {
	in := rating.Input{Level: rating.Level(q.Level), Comment: q.Comment, Anonymous: q.Anonymous, Channel: rating.Channel(q.Channel),
		Indicators: map[rating.Indicator]rating.Level{}}
	for k, v := range q.Indicators {
		in.Indicators[rating.Indicator(k)] = rating.Level(v)
	}
	return in
}

type caseRatingsJSON struct {
	Stage      int          `json:"stage"`
	StageLabel string       `json:"stage_label"`
	CanRate    bool         `json:"can_rate"`
	Why        string       `json:"why,omitempty"`
	Ratings    []ratingJSON `json:"items"`
}

// handleCaseRatings lists a case's ratings for someone who sees the case.
func (s *Server) handleCaseRatings(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, _, err := s.svc.Cases.Get(r.Context(), a, id); err != nil {
		return err
	}
	st, err := s.svc.Ratings.ForCase(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := caseRatingsJSON{Stage: int(st.Stage), StageLabel: st.Stage.Label(), CanRate: st.CanRate, Why: st.Why, Ratings: []ratingJSON{}}
	for _, x := range st.Ratings { // those the actor may see (rating.Service.ForCase)
		out.Ratings = append(out.Ratings, toRating(x, x.RaterUserID == a.UserID))
	}
	return writeJSON(w, http.StatusOK, out)
}

// handleRateCase records the applicant's rating of their case.
func (s *Server) handleRateCase(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req ratingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	got, err := s.svc.Ratings.RateCase(r.Context(), a, id, req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRating(got, true))
}

func (s *Server) handleMyRatings(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	list, err := s.svc.Ratings.Mine(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(list, func(x *rating.Rating) ratingJSON { return toRating(x, true) }))
}

// handleMyRating is one of the rater's ratings with its handling.
func (s *Server) handleMyRating(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Ratings.RaterRating(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := toRating(v.Rating, true)
	if v.Ticket != nil {
		out.Extra = toRatingExtra(v)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRateAgain(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req ratingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	got, err := s.svc.Ratings.Again(r.Context(), a, id, "", req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRating(got, true))
}

type linkJSON struct {
	Subject    string `json:"subject"`
	CaseNumber string `json:"case_number,omitempty"`
	ItemName   string `json:"item_name,omitempty"`
	Window     string `json:"window,omitempty"`
	Stage      int    `json:"stage"`
	CanRate    bool   `json:"can_rate"`
	CanAgain   bool   `json:"can_rate_again"`
	Why        string `json:"why,omitempty"`
	Feedback   string `json:"feedback,omitempty"`
	Channel    string `json:"channel"`
}

// handleRatingLink describes what a QR code or SMS link rates (no login).
func (s *Server) handleRatingLink(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.svc.Ratings.LinkFor(r.Context(), httpkit.ActorFrom(r.Context()), r.PathValue("token"))
	if err != nil {
		return err
	}
	out := linkJSON{Subject: string(ls.Kind), Window: ls.Window, CanRate: ls.CanRate, CanAgain: ls.CanAgain, Why: ls.Why, Channel: string(ls.Channel)}
	if ls.Case != nil {
		out.CaseNumber, out.ItemName, out.Stage = ls.Case.Number, ls.Case.ItemName, int(ls.Case.Stage)
	}
	if ls.Feedback != nil {
		out.Feedback = ls.Feedback.Reason
	}
	return writeJSON(w, http.StatusOK, out)
}

type linkRatingRequest struct {
	ratingRequest
	Again bool `json:"again"` // a second evaluation after the feedback
}

// handleRateLink records a rating (or second evaluation) through a link.
func (s *Server) handleRateLink(w http.ResponseWriter, r *http.Request) error {
	var req linkRatingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	a, tok := httpkit.ActorFrom(r.Context()), r.PathValue("token")
	var got *rating.Rating
	var err error
	if req.Again {
		got, err = s.svc.Ratings.Again(r.Context(), a, 0, tok, req.input())
	} else {
		got, err = s.svc.Ratings.RateLink(r.Context(), a, tok, req.input())
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRating(got, false))
}

// handleCounterRating takes a rating from a counter device (an electronic
// 评价器 or the tablet's own client), authenticated by the counter's token
// in X-Counter-Token.
func (s *Server) handleCounterRating(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.Ratings.CounterByToken(r.Context(), strings.TrimSpace(r.Header.Get("X-Counter-Token")))
	if err != nil {
		return err
	}
	var req ratingRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	got, err := s.svc.Ratings.RateCounter(r.Context(), c, req.input())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRating(got, false))
}

func (s *Server) handleTickets(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	all := q.flag("all")
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.svc.Ratings.Tickets(r.Context(), a, !all)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(list, toTicket))
}

func (s *Server) handleTicket(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Ratings.Ticket(r.Context(), a, id)
	if err != nil {
		return err
	}
	out := toTicket(v)
	for _, k := range rating.TicketOptions(a, v.Ticket) {
		out.Options = append(out.Options, string(k))
	}
	return writeJSON(w, http.StatusOK, out)
}

// handleTicketPhone returns the ticket with the rater's phone in full, for
// the call back, once the service has recorded the showing.
func (s *Server) handleTicketPhone(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Ratings.ShowTicketPhone(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toTicket(v))
}

type ticketActionRequest struct {
	Kind    string `json:"kind"`
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	Version *int   `json:"version"` // required: the version seen, checked against the stored one
}

// handleTicketAction takes one step of a ticket.
func (s *Server) handleTicketAction(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req ticketActionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Version == nil || *req.Version < 1 {
		return apperr.Field("version", "缺少字段 version 或其值无效：请传入所见工单的版本号（工单详情的 version，从 1 起），以免覆盖他人刚做的处理")
	}
	cmd := rating.TicketCommand{Kind: rating.TicketCommandKind(req.Kind), Code: req.Code, Reason: req.Reason}
	if _, err := s.svc.Ratings.ActTicket(r.Context(), a, id, cmd, *req.Version); err != nil {
		return codeField(err)
	}
	v, err := s.svc.Ratings.Ticket(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toTicket(v))
}

type limitsJSON struct {
	RegionID     int64  `json:"region_id"`
	Inherited    bool   `json:"inherited"`
	CallbackDays int    `json:"callback_days"`
	RectifyDays  int    `json:"rectify_days"`
	DefaultDays  int    `json:"default_days"`
	UpdatedBy    string `json:"updated_by,omitempty"`
}

// handleRatingLimits answers without login: the limits are public rules
// (rating.Service.RegionLimits).
func (s *Server) handleRatingLimits(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.svc.Ratings.RegionLimits(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, limitsJSON{RegionID: id, Inherited: l.RegionID != id, CallbackDays: l.CallbackDays,
		RectifyDays: l.RectifyDays, DefaultDays: l.DefaultDays, UpdatedBy: l.UpdatedBy})
}

func (s *Server) handleSetRatingLimits(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req limitsJSON
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.RegionID != 0 && req.RegionID != id {
		return apperr.Field("region_id", "region_id 与路径中的地区编号不一致")
	}
	l, err := s.svc.Ratings.SetLimits(r.Context(), a, rating.LimitsInput{RegionID: id, CallbackDays: req.CallbackDays,
		RectifyDays: req.RectifyDays, DefaultDays: req.DefaultDays})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, limitsJSON{RegionID: id, CallbackDays: l.CallbackDays, RectifyDays: l.RectifyDays,
		DefaultDays: l.DefaultDays, UpdatedBy: l.UpdatedBy})
}

// codeField names a ticket command's code as the API does ("code"); the
// service names it by what it is (finding, remedy), as the form's
// fieldsets do.
func codeField(err error) error {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return err
	}
	for _, f := range []string{"finding", "remedy"} {
		if m, ok := e.Fields[f]; ok {
			cp := *e
			cp.Fields = maps.Clone(e.Fields)
			delete(cp.Fields, f)
			cp.Fields["code"] = m
			return &cp
		}
	}
	return err
}
