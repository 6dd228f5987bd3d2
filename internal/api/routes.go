package api

import "net/http"

// registerRoutes lists every endpoint; openapi.json documents each one and
// a test checks that the two agree.
func (s *Server) registerRoutes() {
	s.mux.HandleFunc("GET /api/v1/openapi.json", s.handleOpenAPI)
	s.registerSessionRoutes()
	s.mux.HandleFunc("/api/v1/", s.h(func(w http.ResponseWriter, r *http.Request) error { return errNoRoute(r) }))
}
