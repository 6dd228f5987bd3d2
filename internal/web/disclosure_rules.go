package web

import (
	"net/http"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
)

func (s *Server) registerPublishRuleRoutes() {
	s.mux.HandleFunc("GET /disclosure/publish-rules", s.requireStaff(s.handlePublishRules))
	s.mux.HandleFunc("POST /disclosure/publish-rules", s.requireStaff(s.handlePublishRuleSave))
	s.mux.HandleFunc("POST /disclosure/publish-rules/{category}/delete", s.requireStaff(s.handlePublishRuleDelete))
}

type publishRulesPage struct {
	Page
	Rules      []*disclosure.PublishRule
	Categories []option
	CanManage  bool
	Form       form
}

// handlePublishRules shows the publication period of every category; an
// administrator also sees the form to add another law's period.
func (s *Server) handlePublishRules(w http.ResponseWriter, r *http.Request) error {
	return s.publishRulesPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) publishRulesPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	rules, err := s.svc.Disclosure.PublishRules(r.Context())
	if err != nil {
		return err
	}
	p := publishRulesPage{Page: s.page(w, r, "公开时限"), Rules: rules, Form: f,
		CanManage: disclosure.CanManagePublishRules(httpkit.ActorFrom(r.Context())) == nil}
	for _, c := range disclosure.Categories {
		p.Categories = append(p.Categories, option{c.Code, c.Label})
	}
	return s.render(w, status, "disclosure/publish_rules", p)
}

func (s *Server) handlePublishRuleSave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	in := disclosure.PublishRuleInput{Category: v.Get("category"), Calendar: v.Get("unit") == "days", Basis: v.Get("basis")}
	days, convErr := strconv.Atoi(strings.TrimSpace(v.Get("days")))
	in.Days = days
	var err error
	if convErr != nil {
		err = apperr.Field("days", "公开期限应为 1 至 365 之间的整数")
	} else {
		_, err = s.svc.Disclosure.SetPublishRule(r.Context(), httpkit.ActorFrom(r.Context()), in)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.publishRulesPage(w, r, http.StatusUnprocessableEntity, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/publish-rules", "已保存公开时限："+disclosure.CategoryLabel(in.Category))
}

func (s *Server) handlePublishRuleDelete(w http.ResponseWriter, r *http.Request) error {
	category := r.PathValue("category")
	if err := s.svc.Disclosure.DeletePublishRule(r.Context(), httpkit.ActorFrom(r.Context()), category); err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/publish-rules", "已删除该类别的公开时限，恢复按第二十六条计算")
}
