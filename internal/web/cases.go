package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/supervision"
)

func (s *Server) registerCaseRoutes() {
	s.mux.HandleFunc("GET /apply/{version}", s.requireLogin(s.handleApplyForm))
	s.mux.HandleFunc("POST /apply/{version}", s.requireLogin(s.handleApply))
	s.mux.HandleFunc("GET /cases", s.requireLogin(s.handleMyCases))
	s.mux.HandleFunc("GET /cases/{id}", s.requireLogin(s.handleCase))
	s.mux.HandleFunc("GET /cases/{id}/edit", s.requireLogin(s.handleDraftForm))
	s.mux.HandleFunc("POST /cases/{id}/edit", s.requireLogin(s.handleDraft))
	s.mux.HandleFunc("POST /cases/{id}/reveal", s.requireStaff(s.handleReveal))
	s.mux.HandleFunc("POST /cases/{id}/query-code", s.requireLogin(s.handleResetQueryCode))
	s.mux.HandleFunc("POST /cases/{id}/actions", s.requireLogin(s.handleCaseAction))
	s.mux.HandleFunc("POST /cases/{id}/materials", s.requireLogin(s.handleSupplement))
	s.mux.HandleFunc("GET /cases/{id}/materials/{seq}", s.requireLogin(s.handleMaterial))
	s.mux.HandleFunc("GET /cases/{id}/docs/{doc}", s.requireLogin(s.handleCaseDoc))
	s.mux.HandleFunc("GET /progress", s.h(s.handleProgressForm))
	s.mux.HandleFunc("POST /progress", s.h(s.handleProgress))
	s.mux.HandleFunc("GET /staff/intake", s.requireStaff(s.handleIntakeQueue))
	s.mux.HandleFunc("GET /staff/approvals", s.requireStaff(s.handleApprovalQueue))
}

type applyPage struct {
	Page
	Form      form
	Procedure *cases.Procedure
	Action    string // where the form posts: a new application or the draft
	ForOther  bool   // a clerk or agent files for someone
	Proxy     bool   // a 代办员: needs the signed 委托书
	Key       string
	Draft     *cases.Case // the draft being resumed, if any
}

// LimitText says a limit as the item's guide does ("当场办结" for none).
func (applyPage) LimitText(l calendar.Limit) string { return catalog.LimitText(l) }

func newKey() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// applyPage shows the application form of a version in effect that the
// viewer may file: refused, with the reason, for an item not filed online,
// not for the viewer's kind of applicant, or no longer in effect.
func (s *Server) applyPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	version, err := pathID(r.PathValue("version"))
	if err != nil {
		return err
	}
	p, err := s.svc.Cases.Procedure(r.Context(), version)
	if err != nil {
		return err
	}
	return s.showApply(w, r, status, f, p, "/apply/"+idStr(version), nil)
}

func (s *Server) showApply(w http.ResponseWriter, r *http.Request, status int, f form, p *cases.Procedure, action string, draft *cases.Case) error {
	a := httpkit.ActorFrom(r.Context())
	if err := cases.CanFile(a, p, a.IsStaff()); err != nil {
		return err
	}
	key := f.Get("key")
	if key == "" {
		key = newKey()
	}
	page := applyPage{Page: s.page(w, r, "申请："+p.ItemName), Form: f, Procedure: p, Action: action, Draft: draft,
		ForOther: a.IsStaff(), Proxy: a.Has(identity.RoleProxyAgent) && !a.Has(identity.RoleWindowClerk), Key: key}
	return s.render(w, status, "cases/apply", page)
}

func (s *Server) handleApplyForm(w http.ResponseWriter, r *http.Request) error {
	return s.applyPage(w, r, http.StatusOK, newForm(nil, nil))
}

// handleApply files the application: the uploaded materials are stored
// first (durably, as they stream in), then the case in one transaction. A
// form with errors comes back with what was typed and the files already
// received.
func (s *Server) handleApply(w http.ResponseWriter, r *http.Request) error {
	version, err := pathID(r.PathValue("version"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	p, err := s.svc.Cases.Procedure(r.Context(), version)
	if err != nil {
		return err
	}
	in, err := s.applicationOf(r, p, version, a)
	if err == nil {
		var filed *cases.Filed
		if filed, err = s.svc.Cases.File(r.Context(), a, in); err == nil {
			return s.redirect(w, r, fmt.Sprintf("/cases/%d", filed.Case.ID), filedMessage(filed))
		}
	}
	if formError(err) {
		return s.applyPage(w, r, httpkit.WriteStatus(w, err), s.keptForm(r, in, err))
	}
	if apperr.Is(err, apperr.Conflict) {
		// Nothing was filed by this request (an application with other
		// content holds its key, or the item cannot be filed now): the form
		// comes back as typed, with the reason and a new key.
		f := s.keptForm(r, in, err)
		f.Values.Del("key")
		return s.applyPage(w, r, http.StatusConflict, f)
	}
	return err
}

// keptForm is a failed application form with its files kept.
func (s *Server) keptForm(r *http.Request, in cases.FileInput, err error) form {
	v := url.Values{}
	for k, x := range r.PostForm {
		v[k] = x
	}
	keepUploads(v, "material.", in.Materials)
	if in.Authorization != nil {
		v.Set("kept.authorization", keptRef(*in.Authorization))
	}
	return newForm(v, err)
}

func filedMessage(f *cases.Filed) string {
	if f.Repeated {
		return "该申请此前已提交，办件编号 " + f.Case.Number
	}
	if f.Case.Status == cases.StatusDraft {
		return "草稿已保存，办件编号 " + f.Case.Number + "，可在“我的办件”中继续填写后提交"
	}
	return "申请已提交。办件编号：" + f.Case.Number + "，查询密码：" + f.QueryCode + "（办件页和申请回执上随时可查看）"
}

// applicationOf reads the form: applicant (when filing for someone), the
// item's fields, the uploaded materials and those kept from before.
// p is the procedure applied for (a draft's own when version is 0).
func (s *Server) applicationOf(r *http.Request, p *cases.Procedure, version int64, a *identity.Actor) (cases.FileInput, error) {
	ups, err := s.readUploads(r, p.UploadBytes(), materialRules(p, true))
	v := r.PostForm
	in := cases.FileInput{ItemVersionID: version, Key: first(v, "key"), Draft: first(v, "draft") == "1", Form: map[string]string{}}
	for k, vals := range v {
		if name, ok := strings.CutPrefix(k, "form."); ok && len(vals) > 0 {
			in.Form[name] = vals[0]
		}
	}
	if a.IsStaff() {
		in.Applicant = &cases.Applicant{Kind: first(v, "applicant.kind"), Name: first(v, "applicant.name"),
			IDNumber: first(v, "applicant.id_number"), CreditCode: first(v, "applicant.credit_code"), Phone: first(v, "applicant.phone")}
	}
	for _, up := range ups {
		m := materialOf(up)
		if up.Field == "authorization" {
			in.Authorization = &m
		} else {
			in.Materials = append(in.Materials, m)
		}
	}
	in.Materials = s.withKept(r, "material.", in.Materials)
	if m, ok := s.keptFile(r, first(v, "kept.authorization")); ok && in.Authorization == nil {
		in.Authorization = &m
	}
	return in, err
}

func first(v url.Values, k string) string {
	if len(v[k]) == 0 {
		return ""
	}
	return strings.TrimSpace(v[k][0])
}

// materialRules takes a file for every material of p uploaded online
// (field material.<code>) and, when filing, the signed 委托书.
func materialRules(p *cases.Procedure, filing bool) func(string) (httpkit.FileRule, bool) {
	return func(field string) (httpkit.FileRule, bool) {
		code, ok := strings.CutPrefix(field, "material.")
		ok = ok && p.Uploads(code) || filing && field == "authorization"
		return httpkit.FileRule{MaxBytes: cases.MaxMaterialBytes}, ok
	}
}

// materialOf is an uploaded file as a case material.
func materialOf(up httpkit.Upload) cases.MaterialFile {
	code, _ := strings.CutPrefix(up.Field, "material.")
	return cases.MaterialFile{Code: code, FileName: up.Name, SHA256: up.Blob.SHA256, Size: up.Blob.Size, MIME: up.Blob.MIME}
}

// caseRow is a case in a list, with its due date as the list shows it.
type caseRow struct {
	*cases.Summary
	Overdue bool // a working day has begun since the list's due date
	Lapsed  bool // the due date has passed, with only days off since
}

func (s *Server) rowsOf(list []*cases.Summary) []*caseRow {
	today := s.svc.Catalog.Today()
	out := make([]*caseRow, len(list))
	for i, c := range list {
		due := c.IntakeDue
		if c.Branch >= 0 {
			due = c.StepDue
		}
		out[i] = &caseRow{Summary: c}
		out[i].Overdue, out[i].Lapsed = s.pastDue(c.RegionPath, due, today)
	}
	return out
}

// pastDue tells whether a working-day limit that ended on due is overdue
// today, or has only lapsed: it ended, but no working day has begun since
// (a Friday's limit over the weekend), as the case page says (行政许可法
// Art 82: periods count working days; overdue from the next one). A date
// the calendar cannot place is overdue once past.
func (s *Server) pastDue(regionPath, due string, today calendar.Date) (overdue, lapsed bool) {
	d, err := calendar.ParseDate(due)
	if due == "" || err != nil || !d.Before(today) {
		return false, false
	}
	cal, err := s.svc.Calendar.ForRegion(regionPath)
	if err != nil {
		return true, false
	}
	if n, err := cal.WorkdaysBetween(d, today); err != nil || n > 0 {
		return true, false
	}
	return false, true
}

type casesPage struct {
	Page
	Cases        []*caseRow
	Total        int
	Heading      string
	Queue        string // "", "intake" or "approval"
	Drafts       []*cases.Summary
	Applications []*hall.Application
	Favourites   []*catalog.Item
	Cards        map[int64][]*supervision.Card // the cards in force on queued cases
}

// handleMyCases is 我的办件: a new application, the drafts to resume, the
// 一件事 filed, every case, and the favourite items.
func (s *Server) handleMyCases(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	list, total, err := s.svc.Cases.Mine(r.Context(), a, max(offset, 0))
	if err != nil {
		return err
	}
	heading := "我的办件"
	if a.IsStaff() {
		heading = "我代为申请的办件"
	}
	p := casesPage{Page: s.page(w, r, heading), Cases: s.rowsOf(list), Total: total, Heading: heading}
	if p.Drafts, err = s.svc.Cases.Drafts(r.Context(), a); err != nil {
		return err
	}
	if p.Applications, err = s.svc.Hall.MyApplications(r.Context(), a); err != nil {
		return err
	}
	if p.Favourites, err = s.svc.Hall.Favourites(r.Context(), a); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases/list", p)
}

func (s *Server) handleIntakeQueue(w http.ResponseWriter, r *http.Request) error {
	list, total, err := s.svc.Cases.IntakeQueue(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases/list", casesPage{Page: s.page(w, r, "待受理"), Cases: s.rowsOf(list), Total: total,
		Heading: "待受理的申请（按告知补正期限排序）", Queue: "intake", Cards: s.queueCards(r, list)})
}

func (s *Server) handleApprovalQueue(w http.ResponseWriter, r *http.Request) error {
	list, total, err := s.svc.Cases.ApprovalQueue(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases/list", casesPage{Page: s.page(w, r, "待审批"), Cases: s.rowsOf(list), Total: total,
		Heading: "待我审批的办件（按到期日排序）", Queue: "approval", Cards: s.queueCards(r, list)})
}
