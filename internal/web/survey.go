package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/consult"
	"openhall/internal/httpkit"
)

func (s *Server) registerSurveyRoutes() {
	s.mux.HandleFunc("GET /participate/surveys/{id}", s.h(s.handleSurvey))
	s.mux.HandleFunc("POST /participate/surveys/{id}/answers", s.h(s.handleSurveyAnswer))
	s.mux.HandleFunc("GET /staff/surveys/new", s.requireStaff(s.handleSurveyNew))
	s.mux.HandleFunc("POST /staff/surveys", s.requireStaff(s.handleSurveyCreate))
	s.mux.HandleFunc("GET /staff/surveys/{id}", s.requireStaff(s.handleSurvey))
	s.mux.HandleFunc("POST /staff/surveys/{id}/{action}", s.requireStaff(s.handleSurveyAction))
}

// deviceCookie identifies a browser that answers a survey without logging
// in, so that it answers once.
const deviceCookie = "oh_device"

// device returns the browser's token, giving it one when it has none.
func device(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil && len(c.Value) >= 16 {
		return c.Value
	}
	b := make([]byte, 16)
	rand.Read(b)
	v := hex.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: v, Path: "/participate/surveys", MaxAge: 3 * 365 * 86400,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: httpkit.IsTLS(r)})
	return v
}

type surveyPage struct {
	Page
	S       *consult.Survey
	Results *consult.Results
	Closed  bool
	Manage  bool
	Form    form
	Today   calendar.Date
}

// Choice is the value of option j of question i in the form.
func (surveyPage) Choice(i, j int) string { return strconv.Itoa(j) }

// Name is the form name of question i.
func (surveyPage) Name(i int) string { return "q" + strconv.Itoa(i) }

func (s *Server) handleSurvey(w http.ResponseWriter, r *http.Request) error {
	return s.showSurvey(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) showSurvey(w http.ResponseWriter, r *http.Request, status int, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx, a := r.Context(), httpkit.ActorFrom(r.Context())
	sv, err := s.svc.Consult.Survey(ctx, a, id)
	if err != nil {
		return err
	}
	p := surveyPage{Page: s.page(w, r, sv.Title), S: sv, Closed: sv.Closed(s.svc.Consult.Today()), Form: f,
		Manage: s.svc.Consult.CanManageSurvey(ctx, a, sv), Today: s.svc.Consult.Today()}
	if res, err := s.svc.Consult.Results(ctx, a, sv); err == nil {
		p.Results = res
	}
	if !p.Closed {
		device(w, r)
	}
	return s.render(w, status, "participate/survey", p)
}

// handleSurveyAnswer records one response; a refused one keeps the answers.
func (s *Server) handleSurveyAnswer(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx, a := r.Context(), httpkit.ActorFrom(r.Context())
	sv, err := s.svc.Consult.Survey(ctx, a, id)
	if err != nil {
		return err
	}
	err = s.svc.Consult.Respond(ctx, a, id, device(w, r), surveyAnswers(sv, r.PostForm))
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showSurvey(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/participate/surveys/"+idStr(id), "感谢参与，您的答卷已提交")
}

// surveyAnswers reads the form's answers, one per question.
func surveyAnswers(sv *consult.Survey, v url.Values) []consult.Answer {
	out := make([]consult.Answer, len(sv.Questions))
	for i, q := range sv.Questions {
		name := "q" + strconv.Itoa(i)
		if q.Kind == consult.FreeText {
			out[i].Text = v.Get(name)
			continue
		}
		for _, c := range v[name] {
			n, err := strconv.Atoi(c)
			if err != nil {
				n = -1
			}
			out[i].Choices = append(out[i].Choices, n)
		}
	}
	return out
}

type surveyFormPage struct {
	Page
	Form     form
	Agencies []option
}

func (s *Server) handleSurveyNew(w http.ResponseWriter, r *http.Request) error {
	return s.surveyForm(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	ags, err := s.managedAgencies(r)
	if err != nil {
		return err
	}
	return s.render(w, status, "participate/survey_form", surveyFormPage{Page: s.page(w, r, "发起网上调查"), Form: f, Agencies: ags})
}

func (s *Server) handleSurveyCreate(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	agency, _ := strconv.ParseInt(v.Get("agency_id"), 10, 64)
	qs, err := consult.ParseQuestions(v.Get("questions"))
	var sv *consult.Survey
	if err == nil {
		sv, err = s.svc.Consult.CreateSurvey(r.Context(), httpkit.ActorFrom(r.Context()), consult.SurveyInput{AgencyID: agency,
			Title: v.Get("title"), Intro: v.Get("intro"), Questions: qs, ClosesOn: v.Get("closes_on")})
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.surveyForm(w, r, http.StatusUnprocessableEntity, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/surveys/"+idStr(sv.ID), "已保存调查草稿")
}

func (s *Server) handleSurveyAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	switch r.PathValue("action") {
	case "publish":
		_, err = s.svc.Consult.PublishSurvey(r.Context(), a, id)
	case "close":
		_, err = s.svc.Consult.CloseSurvey(r.Context(), a, id)
	default:
		return apperr.New(apperr.NotFound, "页面不存在")
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showSurvey(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/surveys/"+idStr(id), map[string]string{"publish": "已发布调查", "close": "调查已结束，结果已公开"}[r.PathValue("action")])
}
