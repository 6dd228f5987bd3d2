package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

func (s *Server) registerDocRoutes() {
	s.mux.HandleFunc("GET /disclosure/docs", s.requireStaff(s.handleStaffDocs))
	s.mux.HandleFunc("GET /disclosure/docs/new", s.requireStaff(s.handleDocNew))
	s.mux.HandleFunc("POST /disclosure/docs", s.requireStaff(s.handleDocSave))
	s.mux.HandleFunc("GET /disclosure/docs/{id}", s.requireStaff(s.handleStaffDoc))
	s.mux.HandleFunc("GET /disclosure/docs/{id}/edit", s.requireStaff(s.handleDocEdit))
	s.mux.HandleFunc("POST /disclosure/docs/{id}", s.requireStaff(s.handleDocSave))
	s.mux.HandleFunc("POST /disclosure/docs/{id}/{action}", s.requireStaff(s.handleDocAction))
}

type staffDocsPage struct {
	Page
	AgencyID int64
	Agencies []option
	Status   string
	Statuses []option
	Docs     []*disclosure.Document
	Total    int
}

func (s *Server) handleStaffDocs(w http.ResponseWriter, r *http.Request) error {
	agency, err := s.firstAgency(r)
	if err != nil {
		return err
	}
	p := staffDocsPage{Page: s.page(w, r, "公开目录管理"), AgencyID: agency, Status: r.URL.Query().Get("status")}
	f := disclosure.DocFilter{AgencyID: agency, Status: disclosure.Status(p.Status), Limit: 200}
	if p.Docs, p.Total, err = s.svc.Disclosure.StaffDocuments(r.Context(), httpkit.ActorFrom(r.Context()), f); err != nil {
		return err
	}
	for _, st := range []disclosure.Status{disclosure.StatusDraft, disclosure.StatusReview, disclosure.StatusReviewed,
		disclosure.StatusApproved, disclosure.StatusPublished, disclosure.StatusWithheld} {
		p.Statuses = append(p.Statuses, option{string(st), st.Label()})
	}
	if p.Agencies, err = s.agencyOptions(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/docs", p)
}

type docFormPage struct {
	Page
	Form       form
	Doc        *disclosure.Document
	Agencies   []option
	Genres     []option
	Categories []option
	Topics     []option
	Modes      []option
	Reasons    []option
	Policies   []option
}

func (s *Server) docForm(w http.ResponseWriter, r *http.Request, status int, d *disclosure.Document, f form) error {
	p := docFormPage{Page: s.page(w, r, "起草政府信息"), Form: f, Doc: d}
	if d != nil {
		p.Title = "编辑草稿：" + d.Title
	}
	var err error
	if p.Agencies, err = s.draftAgencyOptions(r); err != nil {
		return err
	}
	for _, g := range disclosure.Genres {
		p.Genres = append(p.Genres, option{string(g), g.Label()})
	}
	for _, c := range disclosure.Categories {
		p.Categories = append(p.Categories, option{c.Code, c.Label})
	}
	for _, t := range disclosure.Topics {
		p.Topics = append(p.Topics, option{t, t})
	}
	for _, m := range []disclosure.Mode{disclosure.ModeActive, disclosure.ModeOnRequest, disclosure.ModeWithheld} {
		p.Modes = append(p.Modes, option{string(m), m.Label()})
	}
	for _, c := range disclosure.WithholdReasons {
		p.Reasons = append(p.Reasons, option{c.Code, c.Label})
	}
	p.Policies, err = s.policyOptions(r.Context(), httpkit.ActorFrom(r.Context()), f.Get("agency_id"))
	if err != nil {
		return err
	}
	return s.render(w, status, "disclosure/doc_form", p)
}

// policyOptions lists the policies an interpretation may explain.
func (s *Server) policyOptions(ctx context.Context, a *identity.Actor, agency string) ([]option, error) {
	id, _ := strconv.ParseInt(agency, 10, 64)
	if id == 0 {
		return nil, nil
	}
	docs, _, err := s.svc.Disclosure.StaffDocuments(ctx, a, disclosure.DocFilter{AgencyID: id, Limit: 500})
	if apperr.Is(err, apperr.Forbidden) {
		return nil, nil
	}
	var out []option
	for _, d := range docs {
		if d.Genre.IsPolicy() {
			out = append(out, option{idStr(d.ID), d.Title})
		}
	}
	return out, err
}

func (s *Server) handleDocNew(w http.ResponseWriter, r *http.Request) error {
	agency, err := s.firstAgency(r)
	if err != nil {
		return err
	}
	v := url.Values{"agency_id": {idStr(agency)}, "mode": {"active"}, "body_format": {"markdown"}, "topic": {"综合政务"},
		"interprets_id": {r.URL.Query().Get("interprets")}}
	if v.Get("interprets_id") != "" {
		v.Set("genre", string(disclosure.GenreInterp))
	}
	return s.docForm(w, r, http.StatusOK, nil, newForm(v, nil))
}

func (s *Server) handleDocEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDoc(r)
	if err != nil {
		return err
	}
	v := url.Values{"agency_id": {idStr(d.AgencyID)}, "title": {d.Title}, "doc_no": {d.DocNo}, "topic": {d.Topic},
		"genre": {string(d.Genre)}, "category": {d.Category}, "summary": {d.Summary}, "body_format": {d.BodyFormat},
		"body": {d.BodySource}, "mode": {string(d.Mode)}, "withhold_basis": {d.WithholdBasis}, "formed_on": {d.FormedOn.String()}}
	if d.NeedsInterp {
		v.Set("needs_interp", "1")
	}
	if d.InterpretsID != nil {
		v.Set("interprets_id", idStr(*d.InterpretsID))
	}
	return s.docForm(w, r, http.StatusOK, d, newForm(v, nil))
}

func (s *Server) staffDoc(r *http.Request) (*disclosure.Document, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.svc.Disclosure.Document(r.Context(), httpkit.ActorFrom(r.Context()), id)
}

// docInput reads the document form.
func docInput(v url.Values) (disclosure.DocInput, error) {
	agency, err := optionalID(v, "agency_id")
	if err != nil {
		return disclosure.DocInput{}, err
	}
	interprets, err := optionalID(v, "interprets_id")
	return disclosure.DocInput{AgencyID: derefID(agency), Title: v.Get("title"), DocNo: v.Get("doc_no"), Topic: v.Get("topic"),
		Genre: disclosure.Genre(v.Get("genre")), Category: v.Get("category"), Summary: v.Get("summary"),
		BodyFormat: v.Get("body_format"), Body: v.Get("body"), Mode: disclosure.Mode(v.Get("mode")),
		WithholdBasis: v.Get("withhold_basis"), FormedOn: v.Get("formed_on"), NeedsInterp: v.Get("needs_interp") != "",
		InterpretsID: interprets}, err
}

func (s *Server) handleDocSave(w http.ResponseWriter, r *http.Request) error {
	var id int64
	var err error
	if r.PathValue("id") != "" {
		if id, err = pathID(r.PathValue("id")); err != nil {
			return err
		}
	}
	in, err := docInput(r.PostForm)
	var d *disclosure.Document
	if err == nil {
		d, err = s.svc.Disclosure.SaveDocument(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	}
	if apperr.Is(err, apperr.Invalid) {
		existing, _ := s.existingDoc(r)
		return s.docForm(w, r, http.StatusUnprocessableEntity, existing, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/docs/"+idStr(d.ID), "已保存草稿："+d.Title)
}

func (s *Server) existingDoc(r *http.Request) (*disclosure.Document, error) {
	if r.PathValue("id") == "" {
		return nil, nil
	}
	return s.staffDoc(r)
}

// handleDocAction runs one workflow step from the document page.
func (s *Server) handleDocAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	d, err := s.docStep(r, id, action)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Forbidden) {
		return s.showStaffDoc(w, r, http.StatusUnprocessableEntity, id, action, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/docs/"+idStr(id), docMessages[action]+"："+d.Title)
}

var docMessages = map[string]string{"submit": "已送保密审查", "review": "已记录保密审查", "approve": "已审批",
	"publish": "已发布", "rereview": "已记录复审", "validity": "已更新有效性", "attachments": "已上传附件"}

func (s *Server) docStep(r *http.Request, id int64, action string) (*disclosure.Document, error) {
	ctx, a, v := r.Context(), httpkit.ActorFrom(r.Context()), r.PostForm
	review := disclosure.ReviewInput{Conclusion: disclosure.Conclusion(v.Get("conclusion")), Basis: v.Get("basis"),
		Reason: v.Get("reason"), Note: v.Get("note")}
	switch action {
	case "submit":
		return s.svc.Disclosure.Submit(ctx, a, id)
	case "review":
		return s.svc.Disclosure.Review(ctx, a, id, review)
	case "rereview":
		return s.svc.Disclosure.Rereview(ctx, a, id, review)
	case "approve":
		return s.svc.Disclosure.Approve(ctx, a, id)
	case "publish":
		return s.svc.Disclosure.Publish(ctx, a, id)
	case "validity":
		replaced, err := optionalID(v, "replaced_by_id")
		if err != nil {
			return nil, err
		}
		return s.svc.Disclosure.SetValidity(ctx, a, id, disclosure.ValidityInput{Validity: disclosure.Validity(v.Get("validity")),
			ReplacedByID: replaced, On: v.Get("on")})
	case "attachments":
		return s.attach(r, id)
	}
	return nil, apperr.New(apperr.NotFound, "页面不存在")
}

// maxAttachmentBytes bounds a disclosure attachment.
const maxAttachmentBytes = disclosure.MaxAttachmentBytes

func (s *Server) attach(r *http.Request, id int64) (*disclosure.Document, error) {
	up, err := s.uploaded(r, "file", maxAttachmentBytes)
	if err != nil {
		return nil, err
	}
	a := httpkit.ActorFrom(r.Context())
	if _, err := s.svc.Disclosure.AttachToDocument(r.Context(), a, id, up.Name, up.ContentType, up.Data); err != nil {
		return nil, err
	}
	return s.svc.Disclosure.Document(r.Context(), a, id)
}

type staffDocPage struct {
	docPage
	Reviews      []*disclosure.Review
	Deadline     string
	DeadlineRule string // the law and the period, e.g. 《预算法》第十四条：批复之日起 20 日内
	Overdue      bool
	Form         form
	Action       string // the step whose form failed
	Reasons      []option
	Validities   []option
}

func (s *Server) handleStaffDoc(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.showStaffDoc(w, r, http.StatusOK, id, "", newForm(nil, nil))
}

func (s *Server) showStaffDoc(w http.ResponseWriter, r *http.Request, status int, id int64, action string, f form) error {
	dp, err := s.docPageData(w, r)
	if err != nil {
		return err
	}
	p := staffDocPage{docPage: *dp, Form: f, Action: action}
	p.Title = "信息：" + dp.Doc.Title
	if p.Reviews, err = s.svc.Disclosure.Reviews(r.Context(), id); err != nil {
		return err
	}
	if due, err := s.svc.Disclosure.Deadline(r.Context(), dp.Agency, dp.Doc); err == nil {
		p.Deadline, p.DeadlineRule = due.String(), due.Rule.Basis+"："+due.Rule.Period()
		p.Overdue = dp.Doc.Mode == disclosure.ModeActive && due.Overdue(s.svc.Disclosure.Today())
	}
	for _, c := range disclosure.WithholdReasons {
		p.Reasons = append(p.Reasons, option{c.Code, c.Label})
	}
	for _, v := range disclosure.Validities {
		p.Validities = append(p.Validities, option{string(v), v.Label()})
	}
	return s.render(w, status, "disclosure/staff_doc", p)
}
