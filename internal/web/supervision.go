package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/budget"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/supervision"
)

func (s *Server) registerSupervisionRoutes() {
	s.mux.HandleFunc("GET /supervision", s.requireStaff(s.handleSupWorkbench))
	s.mux.HandleFunc("GET /supervision/cases", s.requireStaff(s.handleSupCases))
	s.mux.HandleFunc("GET /supervision/cases.xlsx", s.requireStaff(s.handleSupCasesXLSX))
	s.mux.HandleFunc("GET /supervision/cases/{id}", s.requireStaff(s.handleCaseFile))
	s.mux.HandleFunc("POST /supervision/cases/{id}/urge", s.requireStaff(s.handleUrge))
	s.registerSupervisionOrderRoutes()
	s.registerSupervisionCardRoutes()
	s.registerSupervisionEvalRoutes()
	s.registerIndicatorRoutes()
}

// supervision returns the service, or an error when supervision is off.
func (s *Server) supervision() (*supervision.Service, error) {
	if s.svc.Supervision == nil {
		return nil, apperr.New(apperr.NotFound, "电子监察未启用")
	}
	return s.svc.Supervision, nil
}

type supWorkbenchPage struct {
	Page
	W         *supervision.Workbench
	Dept      int64
	DeptQ     template.URL // "dept=5&" for the figures' links, or ""
	DeptName  string
	Weeks     []supervision.WeekCount
	CardChart chart
	Budget    *budget.Watch // nil for staff who supervise no budgets
}

// handleSupWorkbench is the supervisor's live view: every figure links to the
// cases behind it.
func (s *Server) handleSupWorkbench(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	dept, _ := strconv.ParseInt(r.URL.Query().Get("dept"), 10, 64)
	wb, err := sv.Workbench(r.Context(), a, dept)
	if err != nil {
		return err
	}
	weeks, err := sv.CardsByWeek(r.Context(), a, dept, 12)
	if err != nil {
		return err
	}
	p := supWorkbenchPage{Page: s.page(w, r, "电子监察"), W: wb, Dept: dept, Weeks: weeks, CardChart: weeksChart(weeks)}
	if p.Budget, err = s.svc.Budget.Watch(r.Context(), a); apperr.Is(err, apperr.Forbidden) {
		p.Budget = nil
	} else if err != nil {
		return err
	}
	if dept != 0 {
		p.DeptName, p.DeptQ = sv.DeptName(r.Context(), dept), template.URL("dept="+strconv.FormatInt(dept, 10)+"&")
	}
	return s.render(w, http.StatusOK, "supervision/workbench", p)
}

func weeksChart(ws []supervision.WeekCount) chart {
	c := chart{Title: "近 12 周红黄牌（按产生时间）", Series: []series{{Name: "黄牌", Colour: "#d9a400"}, {Name: "红牌", Colour: "#c0392b"}}}
	for _, wk := range ws {
		c.Labels = append(c.Labels, wk.Week[5:])
		c.Series[0].Values = append(c.Series[0].Values, float64(wk.Yellow))
		c.Series[1].Values = append(c.Series[1].Values, float64(wk.Red))
	}
	return c
}

type supCasesPage struct {
	Page
	Rows    []*supervision.WatchRow
	Total   int
	Form    form
	Query   template.URL // the filter as a query string, for paging and export
	Offset  int
	Next    int
	Prev    int
	Depts   map[int64]string
	Windows map[int64]string
	filterOptions
}

// caseFilterOf reads a list's filter from the query, naming bad fields.
func caseFilterOf(q url.Values) (supervision.CaseFilter, error) {
	var fs apperr.Fields
	num := func(name string) int64 {
		v := strings.TrimSpace(q.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseInt(v, 10, 64)
		fs.Check(err != nil || n < 0, name, "请输入编号（数字）")
		return n
	}
	colour, ok := supervision.ParseColour(q.Get("colour"))
	fs.Check(!ok, "colour", "颜色只能是黄牌或红牌")
	f := supervision.CaseFilter{Status: cases.Status(q.Get("status")), DeptID: num("dept"), WindowID: num("window"),
		ItemCode: strings.TrimSpace(q.Get("item")), UserID: num("user"), Colour: colour, Due: q.Get("due"),
		Paused: q.Get("paused") == "1", IntakeLate: q.Get("intake_late") == "1", From: strings.TrimSpace(q.Get("from")),
		To: strings.TrimSpace(q.Get("to")), Offset: int(num("offset"))}
	for name, v := range map[string]string{"from": f.From, "to": f.To} {
		if v != "" {
			_, err := calendar.ParseDate(v)
			fs.Check(err != nil, name, "日期格式应为 YYYY-MM-DD，如 2026-03-01")
		}
	}
	return f, fs.Err()
}

func (s *Server) handleSupCases(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := supCasesPage{Page: s.page(w, r, "在办件监察"), Form: newForm(q, nil), Query: template.URL(withoutOffset(q)),
		filterOptions: s.filterOptions(r.Context(), httpkit.ActorFrom(r.Context()))}
	f, err := caseFilterOf(q)
	if err == nil {
		f.Limit = 50
		p.Rows, p.Total, err = sv.Cases(r.Context(), httpkit.ActorFrom(r.Context()), f)
	}
	if apperr.Is(err, apperr.Invalid) {
		p.Form = newForm(q, err)
		return s.render(w, http.StatusUnprocessableEntity, "supervision/cases", p)
	}
	if err != nil {
		return err
	}
	p.Offset, p.Prev, p.Next = f.Offset, max(f.Offset-50, 0), f.Offset+50
	p.Depts, p.Windows = s.names(r.Context(), sv, p.Rows)
	return s.render(w, http.StatusOK, "supervision/cases", p)
}

// names looks up the departments and windows of listed cases.
func (s *Server) names(ctx context.Context, sv *supervision.Service, rows []*supervision.WatchRow) (map[int64]string, map[int64]string) {
	depts, windows := map[int64]string{}, map[int64]string{}
	for _, r := range rows {
		depts[r.DeptID] = sv.DeptName(ctx, r.DeptID)
		if r.WindowID != 0 {
			windows[r.WindowID] = sv.WindowName(ctx, r.WindowID)
		}
	}
	return depts, windows
}

func withoutOffset(q url.Values) string {
	c := url.Values{}
	for k, v := range q {
		if k != "offset" {
			c[k] = v
		}
	}
	return c.Encode()
}

func (s *Server) handleSupCasesXLSX(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	f, err := caseFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Offset, f.Limit = 0, supervision.ExportLimit
	rows, _, err := sv.Cases(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	data, err := supervision.CasesXLSX(rows, func(id int64) string { return sv.DeptName(r.Context(), id) },
		func(id int64) string { return sv.WindowName(r.Context(), id) })
	if err != nil {
		return err
	}
	return sendXLSX(w, "在办件监察清单.xlsx", data)
}

func sendXLSX(w http.ResponseWriter, name string, data []byte) error {
	w.Header().Set("Content-Type", supervision.XLSXType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err := w.Write(data)
	return err
}

type caseFilePage struct {
	Page
	F     *supervision.CaseFile
	Form  form
	Kinds []supervision.Kind
}

func (s *Server) caseFilePage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	cf, err := sv.CaseFile(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.render(w, status, "supervision/case", caseFilePage{Page: s.page(w, r, "监察：办件 "+cf.Case.Number), F: cf, Form: f, Kinds: supervision.Kinds})
}

func (s *Server) handleCaseFile(w http.ResponseWriter, r *http.Request) error {
	return s.caseFilePage(w, r, http.StatusOK, newForm(nil, nil))
}

// handleUrge sends a 催办 from the case's supervision page.
func (s *Server) handleUrge(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	u, err := sv.UrgeCase(r.Context(), httpkit.ActorFrom(r.Context()), id, r.PostFormValue("message"))
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.caseFilePage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/supervision/cases/"+strconv.FormatInt(id, 10), "已催办："+u.Holders+"（"+strconv.Itoa(u.Recipients)+" 人）")
}

// supervisesAny: the main menu's 电子监察 is for supervisors, department
// heads and administrators.
func supervisesAny(a *identity.Actor) bool {
	return a.Has(identity.RoleSupervisor) || a.Has(identity.RoleDeptHead) || a.Has(identity.RoleSysAdmin)
}

// hasCards: staff who hold steps see their own cards.
func hasCards(a *identity.Actor) bool {
	return a.Has(identity.RoleApprover) || a.Has(identity.RoleDeptHead) || a.Has(identity.RoleWindowClerk)
}

// filterOptions are the choices of a list's filter form: the departments
// and windows in the actor's scope.
type filterOptions struct {
	DeptOpts   []option
	WindowOpts []option
	StatusOpts []option
	DueOpts    []option
	ColourOpts []option
	KindOpts   []option
}

func (s *Server) filterOptions(ctx context.Context, a *identity.Actor) filterOptions {
	o := filterOptions{
		StatusOpts: []option{{"submitted", "待受理"}, {"supplement", "待补正"}, {"review", "审批中"}, {"correction", "退回补正"}},
		DueOpts:    []option{{"today", "今日到期"}, {"week", "本周到期"}, {"overdue", "已超期"}},
		ColourOpts: []option{{"yellow", "黄牌"}, {"red", "红牌"}},
	}
	for _, k := range supervision.Kinds {
		o.KindOpts = append(o.KindOpts, option{string(k), string(k) + " " + k.Label()})
	}
	scope, err := supervision.SupervisorScope(a)
	if err != nil {
		return o
	}
	depts, _ := s.svc.Org.Departments(ctx, org.DepartmentFilter{})
	for _, d := range depts {
		if _, path, err := s.svc.Org.DepartmentRegion(ctx, d.ID); err == nil && scope.Covers(path, d.ID) {
			o.DeptOpts = append(o.DeptOpts, option{strconv.FormatInt(d.ID, 10), d.Name})
		}
	}
	windows, _ := s.svc.Org.Windows(ctx, org.WindowFilter{})
	for _, w := range windows {
		c, err := s.svc.Org.Centre(ctx, w.CentreID)
		if err != nil {
			continue
		}
		if path, err := s.svc.Org.RegionPath(ctx, c.RegionID); err == nil && scope.Covers(path, w.DepartmentIDs...) {
			o.WindowOpts = append(o.WindowOpts, option{strconv.FormatInt(w.ID, 10), w.CentreName + " " + w.Number + " " + w.Name})
		}
	}
	return o
}
