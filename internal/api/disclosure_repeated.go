package api

import (
	"net/http"

	"openhall/internal/disclosure"
)

// Information requested repeatedly (政府信息公开条例第四十四条): request
// topics, the report and the draft for proactive disclosure.

func (s *Server) registerRepeatedRoutes() {
	s.handle("GET /api/v1/disclosure/requests/{id}/topic", s.handleDisclosureRequestTopic)
	s.handle("PUT /api/v1/disclosure/requests/{id}/topic", s.handleDisclosureRequestTag)
	s.handle("GET /api/v1/disclosure/repeated-requests", s.handleDisclosureRepeated)
	s.handle("POST /api/v1/disclosure/repeated-requests/drafts", s.handleDisclosureRepeatedDraft)
}

type requestTopicJSON struct {
	RequestID int64  `json:"request_id"`
	Topic     string `json:"topic"`
}

type repeatedTopicJSON struct {
	Topic      string   `json:"topic"`
	Requests   int      `json:"requests"`
	Applicants int      `json:"applicants"`
	First      string   `json:"first_received_on"`
	Last       string   `json:"last_received_on"`
	Numbers    []string `json:"numbers"`
	DocID      *int64   `json:"doc_id"`
}

type repeatedDraftRequest struct {
	AgencyID int64  `json:"agency_id"`
	Topic    string `json:"topic"`
	From     string `json:"from"`
	To       string `json:"to"`
	Min      int    `json:"min"`
}

func (s *Server) handleDisclosureRequestTopic(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	topic, err := s.svc.Disclosure.RequestTopic(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, requestTopicJSON{id, topic})
}

func (s *Server) handleDisclosureRequestTag(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Topic string `json:"topic"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	topic, err := s.svc.Disclosure.TagRequest(r.Context(), a, id, in.Topic)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, requestTopicJSON{id, topic})
}

func (s *Server) handleDisclosureRepeated(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	rq := disclosure.RepeatQuery{AgencyID: int64(q.requiredInt("agency", 1, 1<<62)), From: q.str("from"), To: q.str("to"),
		Min: q.int("min", 0, 0, 1000)}
	if err := q.err(); err != nil {
		return err
	}
	topics, err := s.svc.Disclosure.RepeatedRequests(r.Context(), a, rq)
	if err != nil {
		return err
	}
	out := make([]repeatedTopicJSON, len(topics))
	for i, t := range topics {
		out[i] = repeatedTopicJSON{t.Topic, t.Requests, t.Applicants, t.First, t.Last, t.Numbers, t.DocID}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleDisclosureRepeatedDraft(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in repeatedDraftRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.Disclosure.DraftFromRepeated(r.Context(), a, disclosure.RepeatQuery{AgencyID: in.AgencyID, From: in.From,
		To: in.To, Min: in.Min}, in.Topic)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toDoc(d))
}
