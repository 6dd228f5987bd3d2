package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/budget"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
)

func (s *Server) registerBudgetRoutes() {
	s.mux.HandleFunc("GET /budgets", s.h(s.handleBudgets))
	s.mux.HandleFunc("GET /budgets/template.xlsx", s.h(s.handleBudgetTemplate))
	s.mux.HandleFunc("GET /budgets/{id}", s.h(s.handleBudget))
	s.mux.HandleFunc("GET /staff/budgets", s.requireStaff(s.handleBudgetDesk))
	s.mux.HandleFunc("POST /staff/budgets", s.requireStaff(s.handleBudgetCreate))
	s.mux.HandleFunc("GET /staff/budgets/{id}", s.requireStaff(s.handleStaffBudget))
	s.mux.HandleFunc("POST /staff/budgets/{id}", s.requireStaff(s.handleBudgetUpdate))
	s.mux.HandleFunc("POST /staff/budgets/{id}/import", s.requireStaff(s.handleBudgetImport))
	s.mux.HandleFunc("POST /staff/budgets/{id}/submit", s.requireStaff(s.handleBudgetSubmit))
	s.mux.HandleFunc("GET /staff/budgets/{id}/workbook.xlsx", s.requireStaff(s.handleBudgetWorkbook))
}

type budgetsPage struct {
	Page
	Sets     []*budget.View
	Figures  []budget.YearTimeliness
	Agencies []option
	Form     form
}

func (s *Server) handleBudgets(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	f := budget.SetFilter{}
	if id, err := optionalID(v, "agency"); err == nil && id != nil {
		f.AgencyID = *id
	}
	sets, err := s.svc.Budget.Published(r.Context(), f)
	if err != nil {
		return err
	}
	p := budgetsPage{Page: s.page(w, r, "预决算公开"), Sets: sets, Form: newForm(v, nil)}
	if p.Agencies, err = s.agencyOptions(r); err != nil {
		return err
	}
	if p.Figures, err = s.svc.Budget.RecentTimeliness(r.Context(), ""); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "budget/index", p)
}

type budgetPage struct {
	Page
	Set     *budget.View
	Cmp     *budget.Comparison
	Chart   *barChart
	Tables  []budget.TableChanges
	Staff   bool
	Form    form
	Import  form
	Problem []budget.CellError
	Doc     *disclosure.Document
}

func (s *Server) budgetData(w http.ResponseWriter, r *http.Request, staff bool) (*budgetPage, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	a := httpkit.ActorFrom(r.Context())
	v, err := s.svc.Budget.Set(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	if !staff && !v.Published() {
		return nil, apperr.New(apperr.NotFound, "预决算不存在或尚未公开")
	}
	cmp, err := s.svc.Budget.Compare(r.Context(), v)
	if err != nil {
		return nil, err
	}
	p := &budgetPage{Page: s.page(w, r, v.Title()), Set: v, Cmp: cmp, Tables: cmp.Tables, Staff: staff, Chart: sanGongChart(cmp),
		Form: newForm(url.Values{"approved_on": {v.ApprovedOn.String()}, "explanation": {v.Explanation}}, nil), Import: newForm(nil, nil)}
	if staff && v.DocID != nil {
		if p.Doc, err = s.svc.Disclosure.Document(r.Context(), a, *v.DocID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// sanGongChart compares the "三公" items with last year's.
func sanGongChart(c *budget.Comparison) *barChart {
	var labels []string
	var values [][]float64
	for _, ch := range c.SanGong {
		if ch.Code == "S21" || ch.Code == "S22" {
			continue
		}
		prev := 0.0
		if ch.Previous != nil {
			prev = float64(ch.Previous[0]) / 100
		}
		labels, values = append(labels, clipLabel(ch.Name)), append(values, []float64{prev, float64(ch.Current[0]) / 100})
	}
	return newBarChart("“三公”经费（万元）", []string{strconv.Itoa(c.PrevYear) + " 年", strconv.Itoa(c.Year) + " 年"}, labels, values)
}

func (s *Server) handleBudget(w http.ResponseWriter, r *http.Request) error {
	p, err := s.budgetData(w, r, false)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "budget/set", p)
}

// handleBudgetTemplate serves the blank template of a kind (?kind=,
// a department's by default).
func (s *Server) handleBudgetTemplate(w http.ResponseWriter, r *http.Request) error {
	sc, err := budget.TemplateSchema(r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	return writeWorkbook(w, sc, sc.Name, nil)
}

func writeWorkbook(w http.ResponseWriter, sc *budget.Schema, title string, lines []budget.Line) error {
	var buf bytes.Buffer
	if err := budget.WriteWorkbook(&buf, sc, title, lines); err != nil {
		return err
	}
	w.Header().Set("Content-Type", budget.XLSXType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"budget.xlsx\"; filename*=UTF-8''"+url.PathEscape(budget.FileName(title)))
	_, err := buf.WriteTo(w)
	return err
}

type budgetDeskPage struct {
	Page
	Sets     []*budget.View
	Agencies []option
	Kinds    []option
	Form     form
	Warnings int
}

func (s *Server) budgetDesk(w http.ResponseWriter, r *http.Request, f form) (*budgetDeskPage, error) {
	a := httpkit.ActorFrom(r.Context())
	sets, err := s.svc.Budget.Staff(r.Context(), a, budget.SetFilter{})
	if err != nil {
		return nil, err
	}
	all, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	p := &budgetDeskPage{Page: s.page(w, r, "预决算编报"), Sets: sets, Form: f,
		Kinds: kindOptions()}
	for _, ag := range s.svc.Budget.Agencies(r.Context(), a, all) {
		p.Agencies = append(p.Agencies, option{idStr(ag.ID), ag.Name})
	}
	for _, v := range sets {
		if v.Clock.Warn() {
			p.Warnings++
		}
	}
	if f.Get("year") == "" {
		p.Form.Values.Set("year", strconv.Itoa(s.svc.Budget.Today().Year()))
		p.Form.Values.Set("kind", string(budget.KindBudget))
	}
	return p, nil
}

func kindOptions() []option {
	out := make([]option, 0, len(budget.Kinds))
	for _, k := range budget.Kinds {
		out = append(out, option{string(k), k.Label()})
	}
	return out
}

func (s *Server) handleBudgetDesk(w http.ResponseWriter, r *http.Request) error {
	p, err := s.budgetDesk(w, r, newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "budget/desk", p)
}

func (s *Server) handleBudgetCreate(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	agency, _ := optionalID(v, "agency_id")
	year, _ := strconv.Atoi(v.Get("year"))
	set, err := s.svc.Budget.CreateSet(r.Context(), httpkit.ActorFrom(r.Context()), budget.SetInput{AgencyID: derefID(agency),
		Year: year, Kind: budget.Kind(v.Get("kind")), ApprovedOn: v.Get("approved_on"), Explanation: v.Get("explanation")})
	if apperr.Is(err, apperr.Invalid) {
		p, perr := s.budgetDesk(w, r, newForm(v, err))
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusUnprocessableEntity, "budget/desk", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/budgets/"+idStr(set.ID), "已建立，请下载模板填写后导入报表")
}

func (s *Server) handleStaffBudget(w http.ResponseWriter, r *http.Request) error {
	p, err := s.budgetData(w, r, true)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "budget/staff_set", p)
}

// rerender shows the staff page again with a failed form's input and
// message, keeping everything saved.
func (s *Server) rerenderBudget(w http.ResponseWriter, r *http.Request, mod func(p *budgetPage)) error {
	p, err := s.budgetData(w, r, true)
	if err != nil {
		return err
	}
	mod(p)
	return s.render(w, http.StatusUnprocessableEntity, "budget/staff_set", p)
}

func (s *Server) handleBudgetUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := r.PostForm
	_, err = s.svc.Budget.UpdateSet(r.Context(), httpkit.ActorFrom(r.Context()), id, budget.SetInput{ApprovedOn: v.Get("approved_on"),
		Explanation: v.Get("explanation")})
	if apperr.Is(err, apperr.Invalid) {
		return s.rerenderBudget(w, r, func(p *budgetPage) { p.Form = newForm(v, err) })
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/budgets/"+idStr(id), "已保存")
}

// maxBudgetBytes bounds an uploaded budget workbook.
const maxBudgetBytes = 10 << 20

func (s *Server) handleBudgetImport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	up, err := s.uploaded(r, "file", maxBudgetBytes)
	if err == nil {
		_, err = s.svc.Budget.Import(r.Context(), httpkit.ActorFrom(r.Context()), id, up.Data)
	}
	if formError(err) {
		return s.rerenderBudget(w, r, func(p *budgetPage) {
			p.Import, p.Problem = newForm(nil, err), budget.Problems(err)
			p.Import.Errors = nil // the problems list names the cells
		})
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/budgets/"+idStr(id), "报表已导入，各表核对平衡")
}

func (s *Server) handleBudgetSubmit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	set, err := s.svc.Budget.Submit(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if apperr.Is(err, apperr.Invalid) {
		return s.rerenderBudget(w, r, func(p *budgetPage) { p.Form = newForm(p.Form.Values, err) })
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/docs/"+idStr(*set.DocID), "已生成“财政预算、决算信息”公开文档并送保密审查；审查、审批后发布即完成公开")
}

func (s *Server) handleBudgetWorkbook(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Budget.Set(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeWorkbook(w, v.Kind.Schema(), v.Title(), v.Lines)
}
