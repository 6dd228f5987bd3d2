package api

import (
	"net/http"
	"strconv"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/consult"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// registerConsultRoutes serves consultations on drafts and their comments.
// The consult service decides who may do what.
func (s *Server) registerConsultRoutes() {
	s.handle("GET /api/v1/consultations", s.handleConsultations)
	s.handle("POST /api/v1/consultations", s.handleConsultSave)
	s.handle("GET /api/v1/consultations/{id}", s.handleConsultation)
	s.handle("PUT /api/v1/consultations/{id}", s.handleConsultSave)
	s.handle("POST /api/v1/consultations/{id}/publish", s.handleConsultPublish)
	s.handle("POST /api/v1/consultations/{id}/conclude", s.handleConsultConclude)
	s.handle("GET /api/v1/consultations/{id}/comments", s.handleComments)
	s.handle("POST /api/v1/consultations/{id}/comments", s.handleComment)
	s.handle("POST /api/v1/comments/{id}/hide", s.commentAction("hide"))
	s.handle("POST /api/v1/comments/{id}/restore", s.commentAction("restore"))
	s.handle("POST /api/v1/comments/{id}/answer", s.commentAction("answer"))
	s.registerSurveyRoutes()
}

type consultationJSON struct {
	ID               int64             `json:"id"`
	AgencyID         int64             `json:"agency_id"`
	Agency           string            `json:"agency"`
	Title            string            `json:"title"`
	Draft            string            `json:"draft"`
	Sections         []consult.Section `json:"sections"`
	Explanation      string            `json:"explanation"`
	Channels         string            `json:"channels"`
	Days             int               `json:"days"`
	ShortReason      string            `json:"short_reason"`
	RealName         bool              `json:"real_name"`
	Status           consult.Status    `json:"status"`
	OpensOn          *string           `json:"opens_on"`
	LastDay          *string           `json:"last_day"`
	ProvisionalYear  int               `json:"provisional_year"`
	ProvisionalNote  string            `json:"provisional_note,omitempty"`
	Open             bool              `json:"open"`
	Counts           *countsJSON       `json:"counts,omitempty"`
	Decision         string            `json:"decision,omitempty"`
	ResultDocumentID *int64            `json:"result_document_id"`
	FeedbackOn       *string           `json:"feedback_on"`
	URL              string            `json:"url"`
	UpdatedAt        time.Time         `json:"updated_at"`
}

type countsJSON struct {
	Received  int            `json:"received"`
	Hidden    int            `json:"hidden"`
	Visible   int            `json:"visible"`
	Answered  int            `json:"answered"`
	Adopted   int            `json:"adopted"`
	Partial   int            `json:"partial"`
	Rejected  int            `json:"rejected"`
	BySection map[string]int `json:"by_section"`
	Summary   string         `json:"summary"`
}

func toCounts(n consult.Counts) *countsJSON {
	c := &countsJSON{Received: n.Total, Hidden: n.Hidden, Visible: n.Visible, Answered: n.Answered, Adopted: n.Adopted,
		Partial: n.Partial, Rejected: n.Rejected, BySection: map[string]int{}, Summary: n.Summary()}
	for k, v := range n.BySection {
		c.BySection[itoa(int64(k))] = v
	}
	return c
}

// toConsultation describes c with its period measured today.
func (s *Server) toConsultation(c *consult.Consultation) (consultationJSON, error) {
	j := consultationJSON{ID: c.ID, AgencyID: c.AgencyID, Agency: c.AgencyName, Title: c.Title, Draft: c.Draft, Sections: c.Sections,
		Explanation: c.Explanation, Channels: c.Channels, Days: c.Days, ShortReason: c.ShortReason, RealName: c.RealName,
		Status: c.Status, ResultDocumentID: c.ResultDocID, URL: consult.URL(c.ID), UpdatedAt: c.UpdatedAt}
	if c.Status == consult.StatusConcluded {
		j.Decision, j.FeedbackOn = c.Decision, datePtr(c.FeedbackOn)
	}
	if c.Status == consult.StatusDraft {
		return j, nil
	}
	p, err := s.svc.Consult.Period(c)
	if err != nil {
		return j, err
	}
	j.OpensOn, j.LastDay, j.ProvisionalYear, j.ProvisionalNote = datePtr(p.Opens), datePtr(p.Last), p.Provisional, p.Note()
	j.Open = c.Status == consult.StatusOpen && p.Accepts(s.svc.Consult.Today())
	return j, nil
}

func (s *Server) handleConsultations(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := consult.Filter{Status: consult.Status(q.str("status")), Offset: q.int("offset", 0, 0, 1<<30), Limit: q.int("limit", 50, 1, 200)}
	if id := q.id("agency_id"); id != nil {
		f.AgencyID = *id
	}
	if err := q.err(); err != nil {
		return err
	}
	cs, _, err := s.svc.Consult.List(r.Context(), f)
	if err != nil {
		return err
	}
	out := listJSON[consultationJSON]{Items: []consultationJSON{}}
	for _, c := range cs {
		j, err := s.toConsultation(c)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, j)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleConsultation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.svc.Consult.Get(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.writeConsultation(w, r, http.StatusOK, c)
}

func (s *Server) writeConsultation(w http.ResponseWriter, r *http.Request, status int, c *consult.Consultation) error {
	j, err := s.toConsultation(c)
	if err != nil {
		return err
	}
	n, err := s.svc.Consult.Counts(r.Context(), c.ID)
	if err != nil {
		return err
	}
	j.Counts = toCounts(n)
	return writeJSON(w, status, j)
}

type consultationRequest struct {
	AgencyID    int64  `json:"agency_id"`
	Title       string `json:"title"`
	Draft       string `json:"draft"`
	Explanation string `json:"explanation"`
	Channels    string `json:"channels"`
	Days        int    `json:"days"`
	ShortReason string `json:"short_reason"`
	RealName    bool   `json:"real_name"`
}

func (s *Server) handleConsultSave(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req consultationRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	id, err := editID(r)
	if err != nil {
		return err
	}
	in := consult.Input(req)
	var c *consult.Consultation
	if id == 0 {
		c, err = s.svc.Consult.Create(r.Context(), a, in)
	} else {
		c, err = s.svc.Consult.Update(r.Context(), a, id, in)
	}
	if err != nil {
		return err
	}
	return s.writeConsultation(w, r, savedStatus(id), c)
}

func (s *Server) handleConsultPublish(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	c, err := s.svc.Consult.Publish(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.writeConsultation(w, r, http.StatusOK, c)
}

type concludeRequest struct {
	Decision         string `json:"decision"`
	ResultDocumentID *int64 `json:"result_document_id"`
}

func (s *Server) handleConsultConclude(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	var req concludeRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	c, err := s.svc.Consult.Conclude(r.Context(), a, id, consult.ConcludeInput{Decision: req.Decision, ResultDocID: req.ResultDocumentID})
	if err != nil {
		return err
	}
	return s.writeConsultation(w, r, http.StatusOK, c)
}

// actorAndID returns the logged-in actor and the path's id.
func actorAndID(r *http.Request) (*identity.Actor, int64, error) {
	a, err := actor(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathID(r, "id")
	return a, id, err
}

// datePtr is a civil date for JSON: null for none, never a zero date.
func datePtr(d calendar.Date) *string {
	if d == (calendar.Date{}) {
		return nil
	}
	v := d.String()
	return &v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
