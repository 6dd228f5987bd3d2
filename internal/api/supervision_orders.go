package api

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/supervision"
)

func (s *Server) registerSupervisionOrderRoutes() {
	s.handle("GET /api/v1/supervision/orders", s.handleSupOrders)
	s.handle("POST /api/v1/supervision/orders", s.handleSupIssueOrder)
	s.handle("GET /api/v1/supervision/orders/{id}", s.handleSupOrder)
	s.handle("POST /api/v1/supervision/orders/{id}/answer", s.handleSupAnswerOrder)
	s.handle("POST /api/v1/supervision/orders/{id}/close", s.handleSupCloseOrder)
}

type orderListJSON struct {
	Items []orderJSON `json:"items"`
	Total int         `json:"total"`
}

func (s *Server) handleSupOrders(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	status := supervision.OrderStatus(q.str("status"))
	q.f.Check(status != "" && status != supervision.OrderOpen && status != supervision.OrderAnswered && status != supervision.OrderClosed,
		"status", "参数 status 应为 open、answered 或 closed")
	f := supervision.OrderFilter{Status: status, DeptID: deref(q.id("department_id")), CaseID: deref(q.id("case_id")),
		Offset: q.int("offset", 0, 0, 1_000_000), Limit: q.int("limit", 50, 1, 500)}
	if q.flag("overdue") {
		f.Overdue = "1"
	}
	if err := q.err(); err != nil {
		return err
	}
	list, total, err := sv.Orders(r.Context(), a, f)
	if err != nil {
		return err
	}
	now := sv.Now()
	return writeJSON(w, http.StatusOK, orderListJSON{Items: listOf(list, func(o *supervision.Order) orderJSON { return toOrder(o, now) }).Items, Total: total})
}

func (s *Server) handleSupIssueOrder(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	var in struct {
		CaseID  int64  `json:"case_id"`
		DeptID  int64  `json:"department_id"`
		Content string `json:"content"`
		Days    int    `json:"days"`
		Level   int    `json:"level"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Level == 0 {
		in.Level = 1
	}
	o, err := sv.IssueOrder(r.Context(), a, supervision.OrderInput{CaseID: in.CaseID, DeptID: in.DeptID, Content: in.Content, Days: in.Days, Level: in.Level})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toOrder(o, sv.Now()))
}

func (s *Server) handleSupOrder(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := sv.Order(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toOrder(o, sv.Now()))
}

func (s *Server) handleSupAnswerOrder(w http.ResponseWriter, r *http.Request) error {
	return s.supOrderText(w, r, "feedback", func(sv *supervision.Service, id int64, text string) (*supervision.Order, error) {
		a, _ := actor(r)
		return sv.AnswerOrder(r.Context(), a, id, text)
	})
}

func (s *Server) handleSupCloseOrder(w http.ResponseWriter, r *http.Request) error {
	return s.supOrderText(w, r, "result", func(sv *supervision.Service, id int64, text string) (*supervision.Order, error) {
		a, _ := actor(r)
		return sv.CloseOrder(r.Context(), a, id, text)
	})
}

// supOrderText runs a change of an order that takes one text field.
func (s *Server) supOrderText(w http.ResponseWriter, r *http.Request, field string,
	fn func(*supervision.Service, int64, string) (*supervision.Order, error)) error {
	if _, err := actor(r); err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	in := map[string]string{}
	if err := decode(r, &in); err != nil {
		return err
	}
	for k := range in {
		if k != field {
			return apperr.Field(k, "未知字段 "+k+"，只接受 "+field)
		}
	}
	o, err := fn(sv, id, in[field])
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toOrder(o, sv.Now()))
}
