// Package web is the server-rendered HTML UI: html/template pages embedded
// in the binary, plain forms that work without JavaScript (a little script
// only enhances them), zh-CN first, keyboard-usable, with a large-text and
// high-contrast mode for older users. Handlers parse the request, make one
// service call and render or redirect; rules live in the domain services.
package web

import (
	"log/slog"
	"net/http"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/svc"
)

// Server is the HTML UI.
type Server struct {
	svc      *svc.Services
	sessions *httpkit.Sessions
	log      *slog.Logger
	tpl      *templates
	mux      *http.ServeMux
	home     homeCache
	points   pointsCache
}

// New returns the UI server; it panics if a template does not parse, so a
// broken template never reaches production.
func New(d httpkit.Deps) *Server {
	s := &Server{svc: d.Services, sessions: d.Sessions, log: d.Log, mux: http.NewServeMux()}
	s.tpl = mustParseTemplates(s.dateFuncs())
	s.registerRoutes()
	return s
}

// Handler returns the UI with authentication and CSRF checks applied.
func (s *Server) Handler() http.Handler {
	return s.sessions.Authenticate(s.csrf(httpkit.Routed(s.mux)))
}

// handlerFunc is a page handler that returns an error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// h adapts a handlerFunc, rendering its error as a page.
func (s *Server) h(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.renderError(w, r, err)
		}
	}
}

// csrf checks the token of every unsafe request.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			limit := int64(maxFormBytes)
			if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
				limit = maxUploadBytes
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if err := s.sessions.CheckCSRF(r); err != nil {
				s.renderError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// maxFormBytes bounds a posted form; maxUploadBytes a form with files (each
// file has its own, smaller limit).
const (
	maxFormBytes   = 1 << 20
	maxUploadBytes = 64 << 20
)

// requireLogin sends anonymous visitors to the login page and back.
func (s *Server) requireLogin(fn handlerFunc) http.HandlerFunc {
	return s.h(func(w http.ResponseWriter, r *http.Request) error {
		if httpkit.ActorFrom(r.Context()) == nil {
			return s.toLogin(w, r)
		}
		return fn(w, r)
	})
}

// requireStaff gates staff pages; the services decide the details.
func (s *Server) requireStaff(fn handlerFunc) http.HandlerFunc {
	return s.requireLogin(func(w http.ResponseWriter, r *http.Request) error {
		if !httpkit.ActorFrom(r.Context()).IsStaff() {
			return apperr.New(apperr.Forbidden, "该页面仅供工作人员使用")
		}
		return fn(w, r)
	})
}

// requireRole gates pages of one role.
func (s *Server) requireRole(role identity.Role, fn handlerFunc) http.HandlerFunc {
	return s.requireLogin(func(w http.ResponseWriter, r *http.Request) error {
		if !httpkit.ActorFrom(r.Context()).Has(role) {
			return apperr.New(apperr.Forbidden, "该页面仅供%s使用", role.Label())
		}
		return fn(w, r)
	})
}

// toLogin redirects to the login page, remembering where to come back to.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) error {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = "/"
	}
	if err := httpkit.AuthError(r.Context()); err != nil {
		s.setFlash(w, r, flashWarning, apperr.MessageOf(err))
	}
	http.Redirect(w, r, "/login?next="+urlQueryEscape(next), http.StatusSeeOther)
	return nil
}
