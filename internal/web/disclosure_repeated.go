package web

import (
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
)

// The report of information requested repeatedly (政府信息公开条例第四十四条)
// and its one-click draft for proactive disclosure.

func (s *Server) registerRepeatedRoutes() {
	s.mux.HandleFunc("GET /disclosure/repeated", s.requireStaff(s.handleRepeated))
	s.mux.HandleFunc("POST /disclosure/repeated/draft", s.requireStaff(s.handleRepeatedDraft))
}

type repeatedPage struct {
	Page
	Agencies []option
	Agency   int64
	Topics   []disclosure.RepeatedTopic
	Form     form
	Query    url.Values // the report's own address, for the draft forms
	Default  int
}

// repeatQuery reads the report's agency, period and threshold.
func (s *Server) repeatQuery(r *http.Request, v url.Values) (disclosure.RepeatQuery, error) {
	agency, err := s.firstAgencyFrom(r, v)
	if err != nil {
		return disclosure.RepeatQuery{}, err
	}
	q := disclosure.RepeatQuery{AgencyID: agency, From: v.Get("from"), To: v.Get("to")}
	if m := v.Get("min"); m != "" {
		if q.Min, err = strconv.Atoi(m); err != nil {
			return q, apperr.Field("min", "申请件数须为整数")
		}
	}
	return q, nil
}

func (s *Server) repeatedData(w http.ResponseWriter, r *http.Request, v url.Values) (*repeatedPage, error) {
	p := &repeatedPage{Page: s.page(w, r, "重复申请的政府信息（第四十四条）"), Form: newForm(v, nil), Default: disclosure.DefaultRepeatMin,
		Query: url.Values{"from": {v.Get("from")}, "to": {v.Get("to")}, "min": {v.Get("min")}}}
	var err error
	if p.Agencies, err = s.agencyOptions(r); err != nil {
		return nil, err
	}
	q, err := s.repeatQuery(r, v)
	p.Agency = q.AgencyID
	if err == nil {
		p.Topics, err = s.svc.Disclosure.RepeatedRequests(r.Context(), httpkit.ActorFrom(r.Context()), q)
	}
	if apperr.Is(err, apperr.Invalid) {
		p.Form, err = newForm(v, err), nil
	}
	return p, err
}

func (s *Server) handleRepeated(w http.ResponseWriter, r *http.Request) error {
	p, err := s.repeatedData(w, r, r.URL.Query())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(p.Form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, status, "disclosure/repeated", p)
}

func (s *Server) handleRepeatedDraft(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	q, err := s.repeatQuery(r, v)
	var d *disclosure.Document
	if err == nil {
		d, err = s.svc.Disclosure.DraftFromRepeated(r.Context(), httpkit.ActorFrom(r.Context()), q, v.Get("topic"))
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		p, perr := s.repeatedData(w, r, v)
		if perr != nil {
			return perr
		}
		p.Form = newForm(v, err)
		return s.render(w, http.StatusUnprocessableEntity, "disclosure/repeated", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/docs/"+idStr(d.ID)+"/edit", "已起草主动公开稿，请补充拟公开的信息后送审")
}
