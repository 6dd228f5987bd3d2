package api

import (
	"context"
	"net/http"

	"openhall/internal/consult"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

func (s *Server) registerSurveyRoutes() {
	s.handle("GET /api/v1/surveys", s.handleSurveys)
	s.handle("POST /api/v1/surveys", s.handleSurveyCreate)
	s.handle("GET /api/v1/surveys/{id}", s.handleSurvey)
	s.handle("POST /api/v1/surveys/{id}/publish", s.surveyStep((*consult.Service).PublishSurvey))
	s.handle("POST /api/v1/surveys/{id}/close", s.surveyStep((*consult.Service).CloseSurvey))
	s.handle("POST /api/v1/surveys/{id}/responses", s.handleSurveyRespond)
	s.handle("GET /api/v1/surveys/{id}/results", s.handleSurveyResults)
}

type surveyJSON struct {
	ID        int64              `json:"id"`
	AgencyID  int64              `json:"agency_id"`
	Agency    string             `json:"agency"`
	Title     string             `json:"title"`
	Intro     string             `json:"intro"`
	Questions []consult.Question `json:"questions"`
	Status    string             `json:"status"`
	Closed    bool               `json:"closed"`
	OpensOn   *string            `json:"opens_on"`
	ClosesOn  *string            `json:"closes_on"`
}

func (s *Server) toSurvey(sv *consult.Survey) surveyJSON {
	return surveyJSON{ID: sv.ID, AgencyID: sv.AgencyID, Agency: sv.AgencyName, Title: sv.Title, Intro: sv.Intro, Questions: sv.Questions,
		Status: string(sv.Status), Closed: sv.Closed(s.svc.Consult.Today()), OpensOn: datePtr(sv.OpensOn), ClosesOn: datePtr(sv.ClosesOn)}
}

func (s *Server) handleSurveys(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := consult.SurveyFilter{Public: true, Offset: q.int("offset", 0, 0, 1<<30), Limit: q.int("limit", 50, 1, 200)}
	if id := q.id("agency_id"); id != nil {
		f.AgencyID = *id
	}
	if err := q.err(); err != nil {
		return err
	}
	svs, _, err := s.svc.Consult.Surveys(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(svs, s.toSurvey))
}

type surveyRequest struct {
	AgencyID  int64              `json:"agency_id"`
	Title     string             `json:"title"`
	Intro     string             `json:"intro"`
	Questions []consult.Question `json:"questions"`
	ClosesOn  string             `json:"closes_on"`
}

func (s *Server) handleSurveyCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req surveyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	sv, err := s.svc.Consult.CreateSurvey(r.Context(), a, consult.SurveyInput(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, s.toSurvey(sv))
}

func (s *Server) handleSurvey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sv, err := s.svc.Consult.Survey(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.toSurvey(sv))
}

// surveyStep publishes or closes a survey.
func (s *Server) surveyStep(step func(*consult.Service, context.Context, *identity.Actor, int64) (*consult.Survey, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, id, err := actorAndID(r)
		if err != nil {
			return err
		}
		sv, err := step(s.svc.Consult, r.Context(), a, id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, s.toSurvey(sv))
	}
}

type responseRequest struct {
	Answers []consult.Answer `json:"answers"`
}

// handleSurveyRespond records one answer per account: the API needs a
// login (the portal also takes anonymous answers per device).
func (s *Server) handleSurveyRespond(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	var req responseRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.svc.Consult.Respond(r.Context(), a, id, "", req.Answers); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]string{"status": "recorded"})
}

type questionResultJSON struct {
	Text     string   `json:"text"`
	Kind     string   `json:"kind"`
	Options  []string `json:"options,omitempty"`
	Counts   []int    `json:"counts,omitempty"`
	Percents []int    `json:"percents,omitempty"`
	Texts    int      `json:"texts"`
}

func (s *Server) handleSurveyResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	sv, err := s.svc.Consult.Survey(r.Context(), a, id)
	if err != nil {
		return err
	}
	res, err := s.svc.Consult.Results(r.Context(), a, sv)
	if err != nil {
		return err
	}
	out := struct {
		Responses int                  `json:"responses"`
		Questions []questionResultJSON `json:"questions"`
	}{Responses: res.Responses, Questions: []questionResultJSON{}}
	for _, q := range res.Questions {
		out.Questions = append(out.Questions, questionResultJSON{Text: q.Question.Text, Kind: string(q.Question.Kind),
			Options: q.Question.Options, Counts: q.Counts, Percents: q.Percents, Texts: len(q.Texts)})
	}
	return writeJSON(w, http.StatusOK, out)
}
