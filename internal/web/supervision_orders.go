package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/org"
	"openhall/internal/supervision"
)

func (s *Server) registerSupervisionOrderRoutes() {
	s.mux.HandleFunc("GET /supervision/orders", s.requireStaff(s.handleOrders))
	s.mux.HandleFunc("GET /supervision/orders.xlsx", s.requireStaff(s.handleOrdersXLSX))
	s.mux.HandleFunc("GET /supervision/orders/new", s.requireStaff(s.handleOrderForm))
	s.mux.HandleFunc("POST /supervision/orders", s.requireStaff(s.handleIssueOrder))
	s.mux.HandleFunc("GET /supervision/orders/{id}", s.requireStaff(s.handleOrder))
	s.mux.HandleFunc("POST /supervision/orders/{id}/answer", s.requireStaff(s.handleAnswerOrder))
	s.mux.HandleFunc("POST /supervision/orders/{id}/close", s.requireStaff(s.handleCloseOrder))
}

type ordersPage struct {
	Page
	Orders  []*supervision.Order
	Total   int
	Status  string
	Overdue string
	Late    map[int64]bool // past their deadline without feedback
	Query   template.URL   // the filters, for the export link
}

func (s *Server) handleOrders(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, err := orderFilterOf(q)
	if err != nil {
		return err
	}
	f.Limit = 200
	list, total, err := sv.Orders(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	late := map[int64]bool{}
	for _, o := range list {
		late[o.ID] = o.Overdue(sv.Now())
	}
	return s.render(w, http.StatusOK, "supervision/orders", ordersPage{Page: s.page(w, r, "督办"), Orders: list, Total: total,
		Status: q.Get("status"), Overdue: f.Overdue, Late: late, Query: template.URL(q.Encode())})
}

// orderFilterOf reads the 督办 list's filters: status, overdue, department.
func orderFilterOf(q url.Values) (supervision.OrderFilter, error) {
	f := supervision.OrderFilter{Status: supervision.OrderStatus(q.Get("status")), Overdue: q.Get("overdue")}
	if f.Status != "" && f.Status != supervision.OrderOpen && f.Status != supervision.OrderAnswered && f.Status != supervision.OrderClosed {
		return f, apperr.Field("status", "督办状态无效")
	}
	if d := q.Get("dept"); d != "" {
		id, err := strconv.ParseInt(d, 10, 64)
		if err != nil || id <= 0 {
			return f, apperr.Field("dept", "被督办部门无效")
		}
		f.DeptID = id
	}
	return f, nil
}

// handleOrdersXLSX exports the 督办 list with its filters.
func (s *Server) handleOrdersXLSX(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	f, err := orderFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Limit = supervision.ExportLimit
	list, _, err := sv.Orders(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	now := sv.Now()
	data, err := supervision.OrdersXLSX(list, func(o *supervision.Order) bool { return o.Overdue(now) })
	if err != nil {
		return err
	}
	return sendXLSX(w, "督办清单.xlsx", data)
}

type orderFormPage struct {
	Page
	Form  form
	Depts []*org.Department
}

// handleOrderForm is the form of a 督办 on a department's work (one on a
// case is issued from the case's page).
func (s *Server) handleOrderForm(w http.ResponseWriter, r *http.Request) error {
	return s.orderForm(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) orderForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	if _, err := s.supervision(); err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	scope, err := supervision.SupervisorScope(a)
	if err != nil {
		return err
	}
	all, err := s.svc.Org.Departments(r.Context(), org.DepartmentFilter{})
	if err != nil {
		return err
	}
	var depts []*org.Department
	for _, d := range all {
		_, path, err := s.svc.Org.DepartmentRegion(r.Context(), d.ID)
		if err == nil && supervision.CanSupervise(a, path, d.ID) == nil && scope.Covers(path, d.ID) {
			depts = append(depts, d)
		}
	}
	return s.render(w, status, "supervision/order_new", orderFormPage{Page: s.page(w, r, "发起督办"), Form: f, Depts: depts})
}

// handleIssueOrder issues a 督办 from the case page or the department form.
func (s *Server) handleIssueOrder(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	var fs apperr.Fields
	num := func(name string) int {
		n, err := strconv.Atoi(r.PostFormValue(name))
		fs.Check(r.PostFormValue(name) != "" && err != nil, name, "请输入整数")
		return n
	}
	caseID, dept := num("case_id"), num("dept_id")
	in := supervision.OrderInput{CaseID: int64(caseID), DeptID: int64(dept), Content: r.PostFormValue("content"), Days: num("days"), Level: num("level")}
	var o *supervision.Order
	if err = fs.Err(); err == nil {
		o, err = sv.IssueOrder(r.Context(), httpkit.ActorFrom(r.Context()), in)
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Forbidden) && caseID == 0 {
		if caseID != 0 {
			r.SetPathValue("id", strconv.Itoa(caseID))
			return s.caseFilePage(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
		}
		return s.orderForm(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/supervision/orders/"+strconv.FormatInt(o.ID, 10),
		"已发出"+o.LevelLabel()+" "+o.Number+"，反馈期限 "+o.Due.String()+o.DueNote())
}

type orderPage struct {
	Page
	O         *supervision.Order
	Form      form
	CanAnswer bool
	CanClose  bool
	Overdue   bool
}

func (s *Server) orderPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	o, err := sv.Order(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := orderPage{Page: s.page(w, r, "督办 "+o.Number), O: o, Form: f, Overdue: o.Overdue(sv.Now()),
		CanAnswer: o.Status == supervision.OrderOpen && supervision.CanAnswerOrder(a, o.RegionPath, o.DeptID) == nil,
		CanClose:  o.Status != supervision.OrderClosed && supervision.CanSupervise(a, o.RegionPath, o.DeptID) == nil}
	return s.render(w, status, "supervision/order", p)
}

func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) error {
	return s.orderPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) handleAnswerOrder(w http.ResponseWriter, r *http.Request) error {
	return s.changeOrder(w, r, "反馈已提交", func(sv *supervision.Service, id int64) error {
		_, err := sv.AnswerOrder(r.Context(), httpkit.ActorFrom(r.Context()), id, r.PostFormValue("feedback"))
		return err
	})
}

func (s *Server) handleCloseOrder(w http.ResponseWriter, r *http.Request) error {
	return s.changeOrder(w, r, "督办已办结", func(sv *supervision.Service, id int64) error {
		_, err := sv.CloseOrder(r.Context(), httpkit.ActorFrom(r.Context()), id, r.PostFormValue("result"))
		return err
	})
}

func (s *Server) changeOrder(w http.ResponseWriter, r *http.Request, done string, fn func(*supervision.Service, int64) error) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	err = fn(sv, id)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.orderPage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/supervision/orders/"+strconv.FormatInt(id, 10), done)
}
