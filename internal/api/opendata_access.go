package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/opendata"
)

type applicationJSON struct {
	ID          int64              `json:"id"`
	Dataset     string             `json:"dataset"`
	Title       string             `json:"dataset_title"`
	Applicant   string             `json:"applicant"`
	Purpose     string             `json:"purpose"`
	Fields      []string           `json:"fields"`
	PeriodFrom  string             `json:"period_from"`
	PeriodTo    string             `json:"period_to"`
	Status      opendata.AppStatus `json:"status"`
	SubmittedOn string             `json:"submitted_on"`
	DecideBy    string             `json:"decide_by"`
	Provisional int                `json:"provisional_year,omitempty"`
	DecidedOn   string             `json:"decided_on,omitempty"`
	Reason      string             `json:"reason,omitempty"`
	RateLimit   int                `json:"rate_limit,omitempty"`
	Keys        []keyJSON          `json:"keys,omitempty"`
}

type keyJSON struct {
	ID       int64      `json:"id"`
	Prefix   string     `json:"prefix"`
	Created  time.Time  `json:"created"`
	Revoked  *time.Time `json:"revoked,omitempty"`
	LastUsed *time.Time `json:"last_used,omitempty"`
}

func (s *Server) toApplication(r *http.Request, app *opendata.Application) (applicationJSON, error) {
	c, err := s.svc.OpenData.Clock(r.Context(), app)
	if err != nil {
		return applicationJSON{}, err
	}
	return applicationJSON{ID: app.ID, Dataset: app.DatasetName, Title: app.DatasetTitle, Applicant: app.Applicant,
		Purpose: app.Purpose, Fields: app.Fields, PeriodFrom: app.PeriodFrom.String(), PeriodTo: app.PeriodTo.String(),
		Status: app.Status, SubmittedOn: app.SubmittedOn.String(), DecideBy: c.Due.String(), Provisional: c.Provisional,
		DecidedOn: dateOrEmpty(app.DecidedOn), Reason: app.Reason, RateLimit: app.RateLimit}, nil
}

type applyRequest struct {
	Purpose    string   `json:"purpose"`
	Fields     []string `json:"fields"`
	PeriodFrom string   `json:"period_from"`
	PeriodTo   string   `json:"period_to"`
}

func (s *Server) handleApply(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in applyRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	app, err := s.svc.OpenData.Apply(r.Context(), a, r.PathValue("name"), opendata.ApplicationInput{Purpose: in.Purpose,
		Fields: in.Fields, PeriodFrom: in.PeriodFrom, PeriodTo: in.PeriodTo})
	if err != nil {
		return err
	}
	out, err := s.toApplication(r, app)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, out)
}

// handleApplications lists the actor's own applications, or with
// scope=review those awaiting the publishers the actor manages.
func (s *Server) handleApplications(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var apps []*opendata.Application
	if r.URL.Query().Get("scope") == "review" {
		apps, err = s.svc.OpenData.Applications(r.Context(), a, opendata.ApplicationFilter{Status: opendata.AppStatus(r.URL.Query().Get("status"))})
	} else {
		apps, err = s.svc.OpenData.MyApplications(r.Context(), a)
	}
	if err != nil {
		return err
	}
	out := []applicationJSON{}
	for _, app := range apps {
		j, err := s.toApplication(r, app)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"applications": out})
}

func (s *Server) handleApplication(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	return s.writeApplication(w, r, a, id, http.StatusOK)
}

func (s *Server) writeApplication(w http.ResponseWriter, r *http.Request, a *identity.Actor, id int64, status int) error {
	app, err := s.svc.OpenData.Application(r.Context(), a, id)
	if err != nil {
		return err
	}
	out, err := s.toApplication(r, app)
	if err != nil {
		return err
	}
	keys, _, err := s.svc.OpenData.Keys(r.Context(), a, id)
	if err != nil {
		return err
	}
	for _, k := range keys {
		kj := keyJSON{ID: k.ID, Prefix: k.Prefix, Created: k.CreatedAt, Revoked: optTime(k.RevokedAt), LastUsed: optTime(k.LastUsedAt)}
		out.Keys = append(out.Keys, kj)
	}
	return writeJSON(w, status, out)
}

func (s *Server) handleDecision(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	var in struct {
		Approve   bool   `json:"approve"`
		Reason    string `json:"reason"`
		RateLimit int    `json:"rate_limit"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if _, err := s.svc.OpenData.Decide(r.Context(), a, id, opendata.DecisionInput{Approve: in.Approve, Reason: in.Reason,
		RateLimit: in.RateLimit}); err != nil {
		return err
	}
	return s.writeApplication(w, r, a, id, http.StatusOK)
}

func (s *Server) handleIssueKey(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	raw, k, err := s.svc.OpenData.IssueKey(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"id": k.ID, "key": raw, "prefix": k.Prefix,
		"note": "密钥只显示这一次，请妥善保存；调用接口时放在请求头 X-API-Key 中"})
}

func (s *Server) handleRevokeKey(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	keyID, err := pathID(r, "key")
	if err != nil {
		return err
	}
	if err := s.svc.OpenData.RevokeKey(r.Context(), a, id, keyID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// registerCKANRoutes serves the CKAN-compatible read API where CKAN
// clients look for it: /api/3/action/{name} and /api/action/{name}, by
// GET with query parameters or POST with a JSON body.
func (s *Server) registerCKANRoutes() {
	for _, p := range []string{"/api/3/action/{action}", "/api/action/{action}"} {
		s.handleCKAN("GET " + p)
		s.handleCKAN("POST " + p)
	}
}

func (s *Server) handleCKAN(pattern string) {
	s.routes = append(s.routes, pattern)
	s.mux.HandleFunc(pattern, s.serveCKAN)
}

// serveCKAN answers in CKAN's envelope: {"help", "success", "result"} or
// {"success": false, "error": {"__type", "message"}}.
func (s *Server) serveCKAN(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	help := httpkit.BaseURL(r) + "/api/3/action/help_show?name=" + action
	params, err := ckanParams(r)
	var result any
	if err == nil {
		result, err = s.svc.OpenData.CKAN(r.Context(), httpkit.BaseURL(r), action, params)
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	if err == nil {
		writeJSON(w, http.StatusOK, map[string]any{"help": help, "success": true, "result": result})
		return
	}
	var ce *opendata.CKANError
	if !errors.As(err, &ce) {
		code := apperr.CodeOf(err)
		if code == apperr.Internal || code == apperr.Unavailable {
			httpkit.LogFailure(s.log, r, "ckan action failed", err)
		}
		ce = &opendata.CKANError{Status: httpkit.WriteStatus(w, err), Type: "Internal Error", Message: apperr.MessageOf(err)}
	}
	writeJSON(w, ce.Status, map[string]any{"help": help, "success": false, "error": map[string]string{"__type": ce.Type, "message": ce.Message}})
}

// ckanParams reads an action's parameters from the query string, a JSON
// body or a form body; values become strings as CKAN's do.
func ckanParams(r *http.Request) (map[string]string, error) {
	p := map[string]string{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	if r.Method != http.MethodPost {
		return p, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		if err := r.ParseForm(); err != nil {
			return nil, &opendata.CKANError{Status: 400, Type: "Bad request", Message: "表单无法解析"}
		}
		for k, v := range r.PostForm {
			p[k] = v[0]
		}
		return p, nil
	}
	var body map[string]any
	err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&body)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, &opendata.CKANError{Status: 400, Type: "Bad request", Message: "JSON Error: 请求体不是合法的 JSON 对象"}
	}
	for k, v := range body {
		switch x := v.(type) {
		case string:
			p[k] = x
		case nil:
		default:
			b, _ := json.Marshal(x)
			p[k] = strings.Trim(string(b), `"`)
		}
	}
	return p, nil
}
