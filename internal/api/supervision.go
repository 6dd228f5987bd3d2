package api

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/supervision"
)

// registerSupervisionRoutes serves electronic supervision (电子监察).
func (s *Server) registerSupervisionRoutes() {
	s.handle("GET /api/v1/supervision/workbench", s.handleSupWorkbench)
	s.handle("GET /api/v1/supervision/cases", s.handleSupCases)
	s.handle("GET /api/v1/supervision/cases/{id}", s.handleSupCase)
	s.handle("POST /api/v1/supervision/cases/{id}/urge", s.handleSupUrge)
	s.handle("GET /api/v1/supervision/cards", s.handleSupCards)
	s.handle("POST /api/v1/supervision/cards", s.handleSupRaiseCard)
	s.handle("GET /api/v1/supervision/cards/{id}", s.handleSupCard)
	s.handle("POST /api/v1/supervision/cards/{id}/resolve", s.handleSupResolveCard)
	s.handle("GET /api/v1/supervision/my-cards", s.handleSupMyCards)
	s.registerSupervisionOrderRoutes()
	s.registerSupervisionEvalRoutes()
	s.registerIndicatorRoutes()
}

// supervision returns the service, or an error when supervision is off.
func (s *Server) supervision() (*supervision.Service, error) {
	if s.svc == nil || s.svc.Supervision == nil {
		return nil, apperr.New(apperr.NotFound, "电子监察未启用")
	}
	return s.svc.Supervision, nil
}

func (s *Server) handleSupWorkbench(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	dept := q.id("department_id")
	if err := q.err(); err != nil {
		return err
	}
	wb, err := sv.Workbench(r.Context(), a, deref(dept))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toWorkbench(wb))
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// caseFilter reads the filter of the supervised case list.
func caseFilter(q *query) supervision.CaseFilter {
	colour, ok := supervision.ParseColour(q.str("colour"))
	q.f.Check(!ok, "colour", "参数 colour 应为 yellow 或 red")
	return supervision.CaseFilter{Status: cases.Status(q.str("status")), DeptID: deref(q.id("department_id")),
		WindowID: deref(q.id("window_id")), ItemCode: q.str("item_code"), UserID: deref(q.id("user_id")), Colour: colour,
		Due: q.str("due"), Paused: q.flag("paused"), IntakeLate: q.flag("intake_late"), From: optDate(q, "from"), To: optDate(q, "to"),
		Offset: q.int("offset", 0, 0, 1_000_000), Limit: q.int("limit", 50, 1, 500)}
}

type watchListJSON struct {
	Items []watchJSON `json:"items"`
	Total int         `json:"total"`
}

func (s *Server) handleSupCases(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := caseFilter(q)
	if err := q.err(); err != nil {
		return err
	}
	rows, total, err := sv.Cases(r.Context(), a, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, watchListJSON{Items: listOf(rows, toWatch).Items, Total: total})
}

func (s *Server) handleSupCase(w http.ResponseWriter, r *http.Request) error {
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
	f, err := sv.CaseFile(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCaseFile(f, sv.Now()))
}

func (s *Server) handleSupUrge(w http.ResponseWriter, r *http.Request) error {
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
	var in struct {
		Message string `json:"message"`
	}
	if err := decodeOptional(r, &in); err != nil {
		return err
	}
	u, err := sv.UrgeCase(r.Context(), a, id, in.Message)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toUrge(u))
}

type cardListJSON struct {
	Items []cardJSON `json:"items"`
	Total int        `json:"total"`
}

func (s *Server) handleSupCards(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	colour, ok := supervision.ParseColour(q.str("colour"))
	q.f.Check(!ok, "colour", "参数 colour 应为 yellow 或 red")
	kind := supervision.Kind(q.str("kind"))
	q.f.Check(kind != "" && !kind.Valid(), "kind", "参数 kind 应为 01–08")
	f := supervision.CardFilter{DeptID: deref(q.id("department_id")), UserID: deref(q.id("user_id")), Colour: colour, Kind: kind,
		InForce: q.flag("in_force"), From: optDate(q, "from"), To: optDate(q, "to"), Offset: q.int("offset", 0, 0, 1_000_000), Limit: q.int("limit", 50, 1, 500)}
	if err := q.err(); err != nil {
		return err
	}
	cards, total, err := sv.Cards(r.Context(), a, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cardListJSON{Items: listOf(cards, toCard).Items, Total: total})
}

func (s *Server) handleSupMyCards(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	offset := q.int("offset", 0, 0, 1_000_000)
	if err := q.err(); err != nil {
		return err
	}
	cards, total, err := sv.MyCards(r.Context(), a, offset)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cardListJSON{Items: listOf(cards, toCard).Items, Total: total})
}

func (s *Server) handleSupCard(w http.ResponseWriter, r *http.Request) error {
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
	c, err := sv.Card(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCard(c))
}

func (s *Server) handleSupRaiseCard(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	var in struct {
		CaseID int64  `json:"case_id"`
		DeptID int64  `json:"department_id"`
		Kind   string `json:"kind"`
		Colour string `json:"colour"`
		Detail string `json:"detail"`
		UserID int64  `json:"user_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	colour, ok := supervision.ParseColour(in.Colour)
	if !ok {
		return apperr.Field("colour", "colour 应为 yellow 或 red")
	}
	c, err := sv.RaiseCard(r.Context(), a, supervision.ManualInput{CaseID: in.CaseID, DeptID: in.DeptID, Kind: supervision.Kind(in.Kind),
		Colour: colour, Detail: in.Detail, UserID: in.UserID})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toCard(c))
}

func (s *Server) handleSupResolveCard(w http.ResponseWriter, r *http.Request) error {
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
	var in struct {
		Resolution string `json:"resolution"`
		Confirmed  bool   `json:"confirmed"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := sv.ResolveCard(r.Context(), a, id, supervision.ResolveInput{Resolution: in.Resolution, Confirmed: in.Confirmed})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toCard(c))
}

// optDate returns an optional date parameter, YYYY-MM-DD.
func optDate(q *query, name string) string {
	s := q.str(name)
	if s != "" {
		_, err := calendar.ParseDate(s)
		q.f.Check(err != nil, name, "参数 "+name+" 应为日期，如 2026-03-01")
	}
	return s
}
