package web

import (
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/consult"
	"openhall/internal/httpkit"
)

type consultFormPage struct {
	Page
	Form     form
	C        *consult.Consultation
	Agencies []option
}

func (s *Server) handleConsultNew(w http.ResponseWriter, r *http.Request) error {
	return s.consultForm(w, r, http.StatusOK, nil, newForm(url.Values{"days": {"30"}, "real_name": {"1"}}, nil))
}

func (s *Server) handleConsultEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.managedConsultation(r)
	if err != nil {
		return err
	}
	v := url.Values{"agency_id": {idStr(c.AgencyID)}, "title": {c.Title}, "draft": {c.Draft}, "explanation": {c.Explanation},
		"channels": {c.Channels}, "days": {strconv.Itoa(c.Days)}, "short_reason": {c.ShortReason}}
	if c.RealName {
		v.Set("real_name", "1")
	}
	return s.consultForm(w, r, http.StatusOK, c, newForm(v, nil))
}

func (s *Server) consultForm(w http.ResponseWriter, r *http.Request, status int, c *consult.Consultation, f form) error {
	ags, err := s.managedAgencies(r)
	if err != nil {
		return err
	}
	if len(ags) == 0 {
		return apperr.New(apperr.Forbidden, "只有公开专员或部门负责人可以发起意见征集")
	}
	title := "发起意见征集"
	if c != nil {
		title = "修改征求意见稿"
	}
	return s.render(w, status, "participate/consult_form", consultFormPage{Page: s.page(w, r, title), Form: f, C: c, Agencies: ags})
}

func (s *Server) managedConsultation(r *http.Request) (*consult.Consultation, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	a := httpkit.ActorFrom(r.Context())
	c, err := s.svc.Consult.Get(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	if !s.svc.Consult.CanManage(r.Context(), a, c) {
		return nil, apperr.New(apperr.Forbidden, "只有本机关的公开专员可以管理该征集")
	}
	return c, nil
}

func consultInput(v url.Values) consult.Input {
	agency, _ := strconv.ParseInt(v.Get("agency_id"), 10, 64)
	days, err := strconv.Atoi(v.Get("days"))
	if err != nil {
		days = 0
	}
	return consult.Input{AgencyID: agency, Title: v.Get("title"), Draft: v.Get("draft"), Explanation: v.Get("explanation"),
		Channels: v.Get("channels"), Days: days, ShortReason: v.Get("short_reason"), RealName: v.Get("real_name") != ""}
}

// handleConsultSave creates or edits a draft; a refused form keeps its text.
func (s *Server) handleConsultSave(w http.ResponseWriter, r *http.Request) error {
	a, in := httpkit.ActorFrom(r.Context()), consultInput(r.PostForm)
	var c *consult.Consultation
	var err error
	if r.PathValue("id") == "" {
		c, err = s.svc.Consult.Create(r.Context(), a, in)
	} else {
		var id int64
		if id, err = pathID(r.PathValue("id")); err == nil {
			c, err = s.svc.Consult.Update(r.Context(), a, id, in)
		}
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.consultForm(w, r, http.StatusUnprocessableEntity, c, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/consultations/"+idStr(c.ID), "已保存征求意见稿："+c.Title)
}

// handleConsultManage is the office's page: the draft, the comments with
// moderation and answer forms, and the steps of the workflow.
func (s *Server) handleConsultManage(w http.ResponseWriter, r *http.Request) error {
	return s.showConsultation(w, r, http.StatusOK, "participate/consult_manage", newForm(nil, nil))
}

func (s *Server) handleConsultPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	c, err := s.svc.Consult.Publish(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if apperr.Is(err, apperr.Conflict) {
		return s.showConsultation(w, r, http.StatusConflict, "participate/consult_manage", newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/consultations/"+idStr(c.ID), "已发布，开始征求意见")
}

func (s *Server) handleConsultConclude(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	in := consult.ConcludeInput{Decision: r.PostForm.Get("decision")}
	if doc, err := optionalID(r.PostForm, "result_doc_id"); err == nil {
		in.ResultDocID = doc
	}
	c, err := s.svc.Consult.Conclude(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showConsultation(w, r, http.StatusUnprocessableEntity, "participate/consult_manage", newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, consult.URL(c.ID)+"#feedback", "已公布意见采纳情况")
}

// handleCommentAction hides, restores or answers one comment and returns
// to the page the office was on.
func (s *Server) handleCommentAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx, a, v := r.Context(), httpkit.ActorFrom(r.Context()), r.PostForm
	var cm *consult.Comment
	switch r.PathValue("action") {
	case "hide":
		cm, err = s.svc.Consult.Hide(ctx, a, id, v.Get("reason"))
	case "restore":
		cm, err = s.svc.Consult.Restore(ctx, a, id)
	case "answer":
		cm, err = s.svc.Consult.Answer(ctx, a, id, consult.Verdict(v.Get("verdict")), v.Get("reason"))
	default:
		return apperr.New(apperr.NotFound, "页面不存在")
	}
	if err != nil {
		return s.commentRefused(w, r, err)
	}
	back := "/staff/consultations/" + idStr(cm.ConsultationID) + "?" + v.Get("back") + "#c" + idStr(cm.ID)
	return s.redirect(w, r, back, "第 "+strconv.Itoa(cm.Seq)+" 条意见已处理")
}

// commentRefused returns to the office's page with the reason as a
// warning; the page keeps its place.
func (s *Server) commentRefused(w http.ResponseWriter, r *http.Request, err error) error {
	if !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	msg := apperr.MessageOf(err)
	for _, m := range apperr.FieldsOf(err) {
		msg = m
	}
	s.setFlash(w, r, flashWarning, msg)
	back := "/staff/consultations/" + strconv.FormatInt(int64(atoiDefault(r.PostForm.Get("consultation"), 0)), 10) + "?" + r.PostForm.Get("back")
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
