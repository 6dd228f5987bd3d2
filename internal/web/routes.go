package web

import (
	"io/fs"
	"net/http"
)

// registerRoutes lists every page.
func (s *Server) registerRoutes() {
	static, _ := fs.Sub(assets, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	// Browsers ask for /favicon.ico whatever the pages name; answer with
	// the icon rather than a page.
	s.mux.Handle("GET /favicon.ico", cacheStatic(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, static, "favicon.svg")
	})))
	s.mux.HandleFunc("GET /{$}", s.h(s.handleHome))
	s.mux.HandleFunc("POST /display", s.h(s.handleDisplay))
	s.mux.HandleFunc("POST /region", s.h(s.handleRegion))
	s.registerAuthRoutes()
	s.mux.HandleFunc("GET /staff", s.requireStaff(s.handleStaffHome))
	s.registerOrgRoutes()
	s.registerUserRoutes()
	s.registerCalendarRoutes()
	s.registerAuditRoutes()
	s.registerCaseRoutes()
	s.registerCertsRoutes()
	s.registerNotifyRoutes()
	s.registerCatalogRoutes()
	s.registerDisclosureRoutes()
	s.registerHallRoutes()
	s.registerSupervisionRoutes()
	s.registerRatingRoutes()
	s.registerComplaintRoutes()
	s.registerParticipationRoutes()
	s.registerPowerRoutes()
	s.registerPublicityRoutes()
	s.registerOpenDataRoutes()
	s.registerBudgetRoutes()
	s.mux.HandleFunc("/", s.h(s.handleNotFound))
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
