package web

import (
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/opendata"
)

func (s *Server) registerOpenDataAccessRoutes() {
	s.mux.HandleFunc("GET /opendata/datasets/{name}/apply", s.requireLogin(s.handleDataApplyForm))
	s.mux.HandleFunc("POST /opendata/datasets/{name}/apply", s.requireLogin(s.handleDataApplySubmit))
	s.mux.HandleFunc("GET /my/opendata", s.requireLogin(s.handleMyApplications))
	s.mux.HandleFunc("GET /my/opendata/{id}", s.requireLogin(s.handleMyApplication))
	s.mux.HandleFunc("POST /my/opendata/{id}/keys", s.requireLogin(s.handleIssueKey))
	s.mux.HandleFunc("POST /my/opendata/{id}/keys/{key}/revoke", s.requireLogin(s.handleRevokeKey))
}

type dataApplyPage struct {
	Page
	D      *opendata.Dataset
	Form   form
	Fields []option
}

func (s *Server) dataApplyData(w http.ResponseWriter, r *http.Request, f form) (*dataApplyPage, error) {
	d, err := s.svc.OpenData.Dataset(r.Context(), httpkit.ActorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return nil, err
	}
	if d.Tier != opendata.TierConditional {
		return nil, apperr.New(apperr.Conflict, "“%s”不是有条件开放的数据集，无需申请", d.Title)
	}
	p := &dataApplyPage{Page: s.page(w, r, "申请使用："+d.Title), D: d, Form: f}
	for _, c := range d.Columns {
		p.Fields = append(p.Fields, option{c.Name, c.Title + "（" + c.Name + "）"})
	}
	if r.Method == http.MethodGet {
		today := s.svc.OpenData.Today()
		p.Form.Values.Set("period_from", today.String())
		p.Form.Values.Set("period_to", today.AddDays(365).String())
	}
	return p, nil
}

func (s *Server) handleDataApplyForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.dataApplyData(w, r, newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "opendata/apply", p)
}

func (s *Server) handleDataApplySubmit(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	app, err := s.svc.OpenData.Apply(r.Context(), httpkit.ActorFrom(r.Context()), r.PathValue("name"), opendata.ApplicationInput{
		Purpose: v.Get("purpose"), Fields: v["fields"], PeriodFrom: v.Get("period_from"), PeriodTo: v.Get("period_to")})
	if apperr.Is(err, apperr.Invalid) {
		p, perr := s.dataApplyData(w, r, newForm(v, err))
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusUnprocessableEntity, "opendata/apply", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/my/opendata/"+idStr(app.ID), "申请已提交，发布单位将在 10 个工作日内审核")
}

type appRow struct {
	*opendata.Application
	Clock opendata.AppClock
}

type myApplicationsPage struct {
	Page
	Apps []appRow
}

func (s *Server) appRows(r *http.Request, apps []*opendata.Application) ([]appRow, error) {
	out := make([]appRow, 0, len(apps))
	for _, app := range apps {
		c, err := s.svc.OpenData.Clock(r.Context(), app)
		if err != nil {
			return nil, err
		}
		out = append(out, appRow{app, c})
	}
	return out, nil
}

func (s *Server) handleMyApplications(w http.ResponseWriter, r *http.Request) error {
	apps, err := s.svc.OpenData.MyApplications(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	rows, err := s.appRows(r, apps)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "opendata/my", myApplicationsPage{Page: s.page(w, r, "我的数据申请"), Apps: rows})
}

type applicationPage struct {
	Page
	App     appRow
	Keys    []*opendata.Key
	Uses    []opendata.KeyUse
	NewKey  string // shown once, right after it was made
	TryURL  string
	Mine    bool
	Decide  bool
	Form    form
	Columns []opendata.Column
}

func (s *Server) applicationData(w http.ResponseWriter, r *http.Request, newKey string, f form) (*applicationPage, error) {
	a := httpkit.ActorFrom(r.Context())
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	app, err := s.svc.OpenData.Application(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.appRows(r, []*opendata.Application{app})
	if err != nil {
		return nil, err
	}
	p := &applicationPage{Page: s.page(w, r, "数据使用申请："+app.DatasetTitle), App: rows[0], NewKey: newKey, Form: f,
		TryURL: opendata.RowsURL("", app.DatasetName), Mine: a.UserID == app.UserID}
	if p.Keys, p.Uses, err = s.svc.OpenData.Keys(r.Context(), a, id); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) handleMyApplication(w http.ResponseWriter, r *http.Request) error {
	p, err := s.applicationData(w, r, "", newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "opendata/application", p)
}

// handleIssueKey makes a key and shows it on the page it answers with, the
// only time it is shown (it is not stored in clear, nor put in a cookie).
func (s *Server) handleIssueKey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	raw, _, err := s.svc.OpenData.IssueKey(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	p, err := s.applicationData(w, r, raw, newForm(nil, nil))
	if err != nil {
		return err
	}
	p.Flash = &flash{Kind: flashSuccess, Message: "已生成接口密钥。密钥只显示这一次，请立即复制保存。"}
	return s.render(w, http.StatusOK, "opendata/application", p)
}

func (s *Server) handleRevokeKey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	key, err := pathID(r.PathValue("key"))
	if err != nil {
		return err
	}
	if err := s.svc.OpenData.RevokeKey(r.Context(), httpkit.ActorFrom(r.Context()), id, key); err != nil {
		return err
	}
	back := "/my/opendata/" + idStr(id)
	if r.PostForm.Get("back") == "staff" {
		back = "/staff/opendata/applications/" + idStr(id)
	}
	return s.redirect(w, r, back, "密钥已吊销，立即失效")
}

func keyQuery(key string) string { return url.Values{"key": {key}}.Encode() }
