package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

func (s *Server) registerComplaintRoutes() {
	s.mux.HandleFunc("GET /complaints", s.h(s.handleComplaintsHome))
	s.mux.HandleFunc("GET /complaints/new", s.h(s.handleComplaintForm))
	s.mux.HandleFunc("POST /complaints/new", s.h(s.handleComplaintAboutCase))
	s.mux.HandleFunc("POST /complaints", s.h(s.handleComplaintSubmit))
	s.mux.HandleFunc("GET /complaints/track", s.h(s.handleTrackForm))
	s.mux.HandleFunc("POST /complaints/track", s.h(s.handleTrack))
	s.mux.HandleFunc("POST /complaints/track/act", s.h(s.handleTrackAct))
	s.mux.HandleFunc("GET /complaints/{id}", s.requireLogin(s.handleComplaint))
	s.mux.HandleFunc("POST /complaints/{id}/actions", s.requireLogin(s.handleComplaintAction))
	s.mux.HandleFunc("POST /complaints/{id}/phone", s.requireStaff(s.handleComplaintPhone))
	s.mux.HandleFunc("GET /staff/complaints", s.requireStaff(s.handleComplaintQueue))
}

type complaintsHomePage struct {
	Page
	Mine []complaint.Item
}

// handleComplaintsHome is the entry for complainants: file one, follow
// one by number, and (logged in) the list of their own.
func (s *Server) handleComplaintsHome(w http.ResponseWriter, r *http.Request) error {
	p := complaintsHomePage{Page: s.page(w, r, "投诉与咨询")}
	if a := httpkit.ActorFrom(r.Context()); a != nil {
		var err error
		if p.Mine, err = s.svc.Complaints.Mine(r.Context(), a); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "complaints/home", p)
}

type complaintFormPage struct {
	Page
	Form     form
	Subjects []complaint.SubjectKind
	Windows  []*org.Window
	Regions  []*org.Region
	Desk     bool // a supervisor recording a complaint from the hotline, the hall or a letter
}

func (s *Server) handleComplaintForm(w http.ResponseWriter, r *http.Request) error {
	f := newForm(nil, nil)
	q := r.URL.Query()
	f.Values.Set("kind", "complaint")
	f.Values.Set("subject", "platform")
	switch {
	case q.Get("case") != "":
		f.Values.Set("subject", "case")
		f.Values.Set("case_number", q.Get("case"))
	case q.Get("window") != "":
		f.Values.Set("subject", "window")
		f.Values.Set("window_id", q.Get("window"))
	case q.Get("item") != "":
		f.Values.Set("subject", "item")
		f.Values.Set("item_code", q.Get("item"))
	}
	return s.complaintForm(w, r, http.StatusOK, f)
}

// handleComplaintAboutCase opens the form about a case from its progress
// page, with the number and the 查询密码 the visitor looked it up with,
// posted so that the code stays out of addresses and logs.
func (s *Server) handleComplaintAboutCase(w http.ResponseWriter, r *http.Request) error {
	f := newForm(nil, nil)
	f.Values.Set("kind", "complaint")
	f.Values.Set("subject", "case")
	f.Values.Set("case_number", r.PostFormValue("case_number"))
	f.Values.Set("query_code", r.PostFormValue("query_code"))
	return s.complaintForm(w, r, http.StatusOK, f)
}

// complaintForm shows the complaint form. Its hidden key, kept while the
// form comes back with errors, makes a form sent twice file once.
func (s *Server) complaintForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	if f.Get("key") == "" {
		f.Values.Set("key", newKey())
	}
	ws, err := s.svc.Org.Windows(r.Context(), org.WindowFilter{})
	if err != nil {
		return err
	}
	regions, err := s.svc.Org.Regions(r.Context(), org.RegionFilter{MaxLevel: org.LevelCounty})
	if err != nil {
		return err
	}
	p := complaintFormPage{Page: s.page(w, r, "投诉与咨询"), Form: f, Subjects: complaint.Subjects, Windows: ws, Regions: regions,
		Desk: httpkit.ActorFrom(r.Context()).Has(identity.RoleSupervisor)}
	return s.render(w, status, "complaints/new", p)
}

// handleComplaintSubmit files a complaint. Its number and 查询码 are shown
// once, in the message after filing.
func (s *Server) handleComplaintSubmit(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	windowID, _ := strconv.ParseInt(v.Get("window_id"), 10, 64)
	regionID, _ := strconv.ParseInt(v.Get("region_id"), 10, 64)
	in := complaint.Input{Kind: complaint.Kind(v.Get("kind")), Subject: complaint.SubjectKind(v.Get("subject")), CaseNumber: v.Get("case_number"),
		QueryCode: v.Get("query_code"), Addr: httpkit.ClientAddr(r), WindowID: windowID, StaffName: v.Get("staff_name"), ItemCode: v.Get("item_code"), RegionID: regionID, Content: v.Get("content"),
		Anonymous: v.Get("anonymous") == "1", Consent: v.Get("consent") == "1", Name: v.Get("name"), Phone: v.Get("phone"),
		Channel: complaint.Channel(v.Get("channel")), Ticket: v.Get("hotline_ticket"), Key: v.Get("key")}
	a := httpkit.ActorFrom(r.Context())
	filed, err := s.svc.Complaints.Submit(r.Context(), a, in)
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.TooMany:
		// Too many wrong 查询密码 too: the form comes back with what was
		// written and when to try again, nothing lost.
		return s.complaintForm(w, r, httpkit.WriteStatus(w, err), newForm(v, err))
	case apperr.Conflict: // its key filed another complaint: a new key
		v.Del("key")
		return s.complaintForm(w, r, httpkit.WriteStatus(w, err), newForm(v, err))
	}
	if err != nil {
		return err
	}
	c := filed.Complaint
	msg := fmt.Sprintf("%s已提交。编号：%s，查询码：%s（请妥善保存，凭编号和查询码可查询办理进度和答复）", c.Kind.Label(), c.Number, filed.QueryCode)
	if filed.Repeated {
		msg = "该表单已提交过，未重复登记。" + msg
	}
	if a != nil && (c.Complainant.UserID == a.UserID || a.Has(identity.RoleSupervisor)) {
		return s.redirect(w, r, fmt.Sprintf("/complaints/%d", c.ID), msg)
	}
	return s.redirect(w, r, "/complaints/track?number="+url.QueryEscape(c.Number), msg)
}

type complaintPage struct {
	Page
	View        *complaint.View
	Departments []*org.Department
	Levels      []int
	LevelLabels map[int]string
	Number      string // for a complainant who proved themselves with the 查询码
	Code        string
	Form        form
}

func (s *Server) handleComplaint(w http.ResponseWriter, r *http.Request) error {
	return s.complaintPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) complaintPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Complaints.Get(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.renderComplaint(w, r, status, v, f, "", "", "")
}

// handleComplaintPhone shows the complaint with the complainant's phone in
// full, once the service has recorded the showing.
func (s *Server) handleComplaintPhone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Complaints.ShowPhone(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.renderComplaint(w, r, http.StatusOK, v, newForm(nil, nil), "", "", "")
}

// renderComplaint shows a complaint; number and code are set for a
// complainant who opened it with them, note is a message of this request.
func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, status int, v *complaint.View, f form, number, code, note string) error {
	p := complaintPage{Page: s.page(w, r, v.Complaint.Kind.Label()+" "+v.Complaint.Number), View: v, Levels: []int{1, 2, 3, 4, 5},
		LevelLabels: levelLabels(), Number: number, Code: code, Form: f}
	if note != "" {
		p.Flash = &flash{Kind: flashSuccess, Message: note}
	}
	if v.Desk {
		var err error
		if p.Departments, err = s.assignable(r.Context(), v.Complaint); err != nil {
			return err
		}
	}
	return s.render(w, status, "complaints/complaint", p)
}

// assignable lists the departments the desk may give c to: those of the
// regions above c's, then of c's region and below (complaint.AssignLine).
func (s *Server) assignable(ctx context.Context, c *complaint.Complaint) ([]*org.Department, error) {
	above, subtree := complaint.AssignLine(c)
	var out []*org.Department
	for _, id := range above {
		ds, err := s.svc.Org.Departments(ctx, org.DepartmentFilter{RegionID: &id})
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	ds, err := s.svc.Org.Departments(ctx, org.DepartmentFilter{PathPrefix: subtree})
	return append(out, ds...), err
}

// commandOf reads a complaint command from a posted form; a number field
// given but not a number is an error naming it, never taken as "none".
func commandOf(r *http.Request) (complaint.Command, int, error) {
	v := r.PostForm
	var f apperr.Fields
	num := func(name, label string) int64 {
		s := strings.TrimSpace(v.Get(name))
		n, err := strconv.ParseInt(s, 10, 64)
		f.Check(s != "" && err != nil, name, label+"须为数字")
		return n
	}
	dept, days, level, version := num("department_id", "承办部门"), num("days", "办理期限"), num("level", "满意度"), num("version", "版本")
	return complaint.Command{Kind: complaint.CommandKind(v.Get("kind")), Text: v.Get("text"), DepartmentID: dept, Days: int(days),
		Level: int(level)}, int(version), f.Err()
}

func (s *Server) handleComplaintAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	cmd, version, err := commandOf(r)
	if err == nil && version < 1 && cmd.Kind.Valid() {
		// The page's forms always send the version they show: a step
		// without one would skip the check that nobody acted meanwhile.
		// An unknown step is told as such first (by Act).
		err = apperr.New(apperr.Invalid, "缺少版本号，请刷新页面后重试")
	}
	if err == nil {
		_, err = s.svc.Complaints.Act(r.Context(), httpkit.ActorFrom(r.Context()), id, cmd, version)
	}
	switch apperr.CodeOf(err) {
	case "":
		return s.redirect(w, r, fmt.Sprintf("/complaints/%d", id), "已"+cmd.Kind.Label())
	case apperr.Invalid, apperr.Conflict:
		return s.complaintPage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	return err
}

type trackPage struct {
	Page
	Form form
}

// handleTrackForm asks for a complaint's number and 查询码; the number is
// filled in after a complaint was filed without login (the page's notice
// gives both, once).
func (s *Server) handleTrackForm(w http.ResponseWriter, r *http.Request) error {
	v := url.Values{}
	if n := strings.TrimSpace(r.URL.Query().Get("number")); n != "" && len(n) <= 32 {
		v.Set("number", n)
	}
	return s.render(w, http.StatusOK, "complaints/track", trackPage{Page: s.page(w, r, "投诉进度查询"), Form: newForm(v, nil)})
}

// handleTrack opens a complaint with its number and 查询码, without login.
func (s *Server) handleTrack(w http.ResponseWriter, r *http.Request) error {
	number, code := r.PostForm.Get("number"), r.PostForm.Get("code")
	v, err := s.svc.Complaints.Track(r.Context(), number, code, httpkit.ClientAddr(r))
	if err != nil {
		c := apperr.CodeOf(err)
		if c != apperr.Invalid && c != apperr.NotFound && c != apperr.TooMany {
			return err
		}
		r.PostForm.Del("code")
		return s.render(w, httpkit.WriteStatus(w, err), "complaints/track", trackPage{Page: s.page(w, r, "投诉进度查询"), Form: newForm(r.PostForm, err)})
	}
	return s.renderComplaint(w, r, http.StatusOK, v, newForm(nil, nil), number, code, "")
}

// handleTrackAct takes a complainant's step (rate, reopen) with the number
// and 查询码.
func (s *Server) handleTrackAct(w http.ResponseWriter, r *http.Request) error {
	number, code := r.PostForm.Get("number"), r.PostForm.Get("code")
	cmd, _, err := commandOf(r)
	if err == nil {
		_, err = s.svc.Complaints.ActByCode(r.Context(), number, code, httpkit.ClientAddr(r), cmd)
	}
	if err != nil && !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	v, verr := s.svc.Complaints.Track(r.Context(), number, code, httpkit.ClientAddr(r))
	if verr != nil {
		return verr
	}
	if err != nil {
		return s.renderComplaint(w, r, httpkit.WriteStatus(w, err), v, newForm(r.PostForm, err), number, code, "")
	}
	return s.renderComplaint(w, r, http.StatusOK, v, newForm(nil, nil), number, code, "已"+cmd.Kind.Label())
}

type complaintQueuePage struct {
	Page
	Items []complaint.Item
	All   bool
	Desk  bool // the complaint desk, who records complaints from the hotline, the hall or a letter
}

// handleComplaintQueue lists the complaints the desk or a department
// handles, the most urgent first.
func (s *Server) handleComplaintQueue(w http.ResponseWriter, r *http.Request) error {
	all := r.URL.Query().Get("all") == "1"
	list, err := s.svc.Complaints.Queue(r.Context(), httpkit.ActorFrom(r.Context()), all)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "complaints/queue", complaintQueuePage{Page: s.page(w, r, "投诉办理"), Items: list, All: all,
		Desk: httpkit.ActorFrom(r.Context()).Has(identity.RoleSupervisor)})
}

// levelLabels names the satisfaction levels of a complaint's answer.
func levelLabels() map[int]string {
	out := map[int]string{}
	for _, l := range rating.Levels {
		out[int(l)] = l.Label()
	}
	return out
}
