package api

import (
	"bytes"
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/budget"
	"openhall/internal/httpkit"
)

// registerBudgetRoutes serves budget disclosure (预决算公开): published sets
// for anyone, entry, import and submission for the agency's staff.
func (s *Server) registerBudgetRoutes() {
	s.handle("GET /api/v1/budgets", s.handleBudgets)
	s.handle("POST /api/v1/budgets", s.handleBudgetCreate)
	s.handle("GET /api/v1/budgets/template.xlsx", s.handleBudgetTemplate)
	s.handle("GET /api/v1/budgets/timeliness", s.handleBudgetTimeliness)
	s.handle("GET /api/v1/budgets/watch", s.handleBudgetWatch)
	s.handle("GET /api/v1/budgets/{id}", s.handleBudget)
	s.handle("PUT /api/v1/budgets/{id}/lines", s.handleBudgetLines)
	s.handle("POST /api/v1/budgets/{id}/import", s.handleBudgetImport)
	s.handle("POST /api/v1/budgets/{id}/submit", s.handleBudgetSubmit)
}

type budgetJSON struct {
	ID          int64              `json:"id"`
	AgencyID    int64              `json:"agency_id"`
	Agency      string             `json:"agency"`
	Year        int                `json:"year"`
	Kind        budget.Kind        `json:"kind"`
	Title       string             `json:"title"`
	Status      budget.Status      `json:"status"`
	ApprovedOn  string             `json:"approved_on"`
	PublishBy   string             `json:"publish_by"`
	Provisional int                `json:"provisional_year,omitempty"`
	PublishedOn string             `json:"published_on,omitempty"`
	ClockState  string             `json:"clock_state"`
	DocID       *int64             `json:"doc_id,omitempty"`
	Explanation string             `json:"explanation,omitempty"`
	Lines       []budget.Line      `json:"lines,omitempty"`
	SanGong     []sanGongJSON      `json:"sangong_comparison,omitempty"`
	Problems    []budget.CellError `json:"problems,omitempty"`
}

// sanGongJSON is one "三公" line against last year (amounts in 0.01 万元).
type sanGongJSON struct {
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Current  budget.Amount `json:"current"`
	Previous *int64        `json:"previous"`
	Change   string        `json:"change"`
}

func toBudget(v *budget.View) budgetJSON {
	return budgetJSON{ID: v.ID, AgencyID: v.AgencyID, Agency: v.AgencyName, Year: v.Year, Kind: v.Kind, Title: v.Title(),
		Status: v.Status, ApprovedOn: v.ApprovedOn.String(), PublishBy: v.Clock.Due.String(), Provisional: v.Clock.Provisional,
		PublishedOn: dateOrEmpty(v.PublishedOn), ClockState: v.Clock.State(), DocID: v.DocID, Explanation: v.Explanation}
}

// budgetFiguresJSON counts sets against the Art 14 clock.
type budgetFiguresJSON struct {
	Total   int `json:"total"`
	OnTime  int `json:"on_time"`
	Late    int `json:"late"`
	Overdue int `json:"overdue"`
	Pending int `json:"pending"`
}

func toBudgetFigures(t budget.Timeliness) budgetFiguresJSON {
	return budgetFiguresJSON{t.Total, t.OnTime, t.Late, t.Overdue, t.Pending}
}

type timelinessJSON struct {
	Year int `json:"year"`
	budgetFiguresJSON
}

func (s *Server) handleBudgetTimeliness(w http.ResponseWriter, r *http.Request) error {
	ys, err := s.svc.Budget.RecentTimeliness(r.Context(), "")
	if err != nil {
		return err
	}
	out := make([]timelinessJSON, 0, len(ys))
	for _, y := range ys {
		out = append(out, timelinessJSON{y.Year, toBudgetFigures(y.Timeliness)})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"years": out})
}

type budgetWatchJSON struct {
	Year      int               `json:"year"`
	Figures   budgetFiguresJSON `json:"figures"`
	Attention []budgetJSON      `json:"attention"`
}

// handleBudgetWatch is the supervision view of the Art 14 clock.
func (s *Server) handleBudgetWatch(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	wt, err := s.svc.Budget.Watch(r.Context(), a)
	if err != nil {
		return err
	}
	out := budgetWatchJSON{Year: wt.Year, Figures: toBudgetFigures(wt.Timeliness), Attention: []budgetJSON{}}
	for _, v := range wt.Attention {
		out.Attention = append(out.Attention, toBudget(v))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleBudgets(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := budget.SetFilter{Year: q.int("year", 0, 0, 9999), Kind: budget.Kind(q.str("kind"))}
	if id := q.id("agency_id"); id != nil {
		f.AgencyID = *id
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return apperr.Field("kind", "类型应为 budget、final、gov_budget 或 gov_final")
	}
	if err := q.err(); err != nil {
		return err
	}
	vs, err := s.svc.Budget.Published(r.Context(), f)
	if err != nil {
		return err
	}
	out := []budgetJSON{}
	for _, v := range vs {
		out = append(out, toBudget(v))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"budgets": out})
}

func (s *Server) handleBudget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeBudget(w, r, id, http.StatusOK)
}

func (s *Server) writeBudget(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	v, err := s.svc.Budget.Set(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	cmp, err := s.svc.Budget.Compare(r.Context(), v)
	if err != nil {
		return err
	}
	out := toBudget(v)
	out.Lines = v.Lines
	for _, c := range cmp.SanGong {
		sg := sanGongJSON{Code: c.Code, Name: c.Name, Current: c.Current[0], Change: c.Percent(0)}
		if c.Previous != nil {
			p := int64(c.Previous[0])
			sg.Previous = &p
		}
		out.SanGong = append(out.SanGong, sg)
	}
	return writeJSON(w, status, out)
}

func (s *Server) handleBudgetCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in struct {
		AgencyID    int64       `json:"agency_id"`
		Year        int         `json:"year"`
		Kind        budget.Kind `json:"kind"`
		ApprovedOn  string      `json:"approved_on"`
		Explanation string      `json:"explanation"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	set, err := s.svc.Budget.CreateSet(r.Context(), a, budget.SetInput{AgencyID: in.AgencyID, Year: in.Year, Kind: in.Kind,
		ApprovedOn: in.ApprovedOn, Explanation: in.Explanation})
	if err != nil {
		return err
	}
	return s.writeBudget(w, r, set.ID, http.StatusCreated)
}

// budgetRefusal answers a refused import or entry with every located
// problem.
func budgetRefusal(w http.ResponseWriter, err error) error {
	probs := budget.Problems(err)
	if probs == nil {
		return err
	}
	return writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": errorDetail{Code: apperr.Invalid,
		Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}, "problems": probs})
}

func (s *Server) handleBudgetLines(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	var in struct {
		Lines []budget.Line `json:"lines"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if _, err := s.svc.Budget.SaveLines(r.Context(), a, id, in.Lines); err != nil {
		return budgetRefusal(w, err)
	}
	return s.writeBudget(w, r, id, http.StatusOK)
}

func (s *Server) handleBudgetImport(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	up, err := readFormFile(w, r, "file", maxBudgetBytes, "请以 multipart/form-data 的 file 字段上传按模板填写的 .xlsx 工作簿（不超过 10 MB）")
	if err != nil {
		return err
	}
	if _, err := s.svc.Budget.Import(r.Context(), a, id, up.Data); err != nil {
		return budgetRefusal(w, err)
	}
	return s.writeBudget(w, r, id, http.StatusOK)
}

func (s *Server) handleBudgetSubmit(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	if _, err := s.svc.Budget.Submit(r.Context(), a, id); err != nil {
		return budgetRefusal(w, err)
	}
	return s.writeBudget(w, r, id, http.StatusOK)
}

// handleBudgetTemplate serves the blank template of a kind (?kind=, a
// department's by default).
func (s *Server) handleBudgetTemplate(w http.ResponseWriter, r *http.Request) error {
	sc, err := budget.TemplateSchema(r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := budget.WriteWorkbook(&buf, sc, sc.Name, nil); err != nil {
		return err
	}
	w.Header().Set("Content-Type", budget.XLSXType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(budget.FileName(sc.Name)))
	_, err = buf.WriteTo(w)
	return err
}
