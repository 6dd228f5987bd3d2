package api

import (
	"net/http"
	"slices"
)

// registerRoutes lists every endpoint; openapi.json documents each one and
// a test checks that the two agree.
func (s *Server) registerRoutes() {
	s.handle("GET /api/v1/openapi.json", s.handleOpenAPI)
	s.registerSessionRoutes()
	s.registerOrgRoutes()
	s.registerUserRoutes()
	s.registerCalendarRoutes()
	s.registerAuditRoutes()
	s.registerCaseRoutes()
	s.registerCertsRoutes()
	s.registerNotifyRoutes()
	s.registerCatalogRoutes()
	s.registerDisclosureRoutes()
	s.registerOpenDataRoutes()
	s.registerBudgetRoutes()
	s.mux.HandleFunc("/api/v1/", s.h(func(w http.ResponseWriter, r *http.Request) error { return errNoRoute(r) }))
}

// handle registers an endpoint and records its pattern for Routes.
func (s *Server) handle(pattern string, fn handlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.HandleFunc(pattern, s.h(fn))
}

// Routes returns the "METHOD /path" pattern of every documented endpoint,
// so that tests can check each one against openapi.json.
func (s *Server) Routes() []string { return slices.Clone(s.routes) }
