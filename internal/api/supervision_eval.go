package api

import (
	"net/http"

	"openhall/internal/supervision"
)

func (s *Server) registerSupervisionEvalRoutes() {
	s.handle("GET /api/v1/supervision/evaluation", s.handleSupEvaluation)
	s.handle("POST /api/v1/supervision/evaluation/freeze", s.handleSupFreeze)
	s.handle("GET /api/v1/supervision/rules/{centre}", s.handleSupRules)
	s.handle("PUT /api/v1/supervision/rules/{centre}", s.handleSupSaveRules)
}

// evaluationArgs reads a centre and a period.
func evaluationArgs(q *query) (int64, supervision.Period) {
	centre := deref(q.id("centre_id"))
	q.f.Check(centre == 0, "centre_id", "请提供参数 centre_id（服务中心编号）")
	p, err := supervision.ParsePeriod(q.required("period"))
	if err != nil && q.str("period") != "" {
		q.f.AddErr("period", err)
	}
	return centre, p
}

func (s *Server) handleSupEvaluation(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	centre, p := evaluationArgs(q)
	if err := q.err(); err != nil {
		return err
	}
	ev, err := sv.Evaluate(r.Context(), a, centre, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ev)
}

func (s *Server) handleSupFreeze(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	var in struct {
		CentreID int64  `json:"centre_id"`
		Period   string `json:"period"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := supervision.ParsePeriod(in.Period)
	if err != nil {
		return err
	}
	ev, err := sv.Freeze(r.Context(), a, in.CentreID, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, ev)
}

func (s *Server) handleSupRules(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	centre, err := pathID(r, "centre")
	if err != nil {
		return err
	}
	rules, err := sv.RulesOf(r.Context(), a, centre)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRules(rules))
}

func (s *Server) handleSupSaveRules(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	centre, err := pathID(r, "centre")
	if err != nil {
		return err
	}
	var in rulesJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	saved, err := sv.SaveRules(r.Context(), a, centre, in.rules())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRules(saved))
}
