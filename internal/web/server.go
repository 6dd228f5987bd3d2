// Package web is the server-rendered HTML UI: html/template pages embedded
// in the binary, plain forms that work without JavaScript (a little script
// only enhances them), zh-CN first, keyboard-usable, with a large-text and
// high-contrast mode for older users. Handlers parse the request, make one
// service call and render or redirect; rules live in the domain services.
package web

import (
	"errors"
	"log/slog"
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/opendata"
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
	origins  *http.CrossOriginProtection // checks the preference forms
	live     *liveConns                  // the counter tablets' live channels
}

// New returns the UI server; it panics if a template does not parse, so a
// broken template never reaches production.
func New(d httpkit.Deps) *Server {
	s := &Server{svc: d.Services, sessions: d.Sessions, log: d.Log, mux: http.NewServeMux(),
		origins: http.NewCrossOriginProtection(), live: &liveConns{}}
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

// csrf checks the token of every unsafe request. The body is limited
// first, to what the route accepts. A multipart form is not parsed: its
// plain fields up to the first file are read (the token is the first field
// of every form), and the handler streams the files from there (see
// readUploads); nothing reaches the temporary directory.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		r, err := s.openBody(w, r)
		if err == nil {
			err = s.checkSource(r)
		}
		if err != nil {
			s.renderRefused(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isPreference reports whether a path takes a form that sets only the
// visitor's own preference cookies (display mode, region), which every
// page shows, anonymous pages too. Such forms carry no token, so that a
// page for anonymous visitors is the same for all of them and kept whole;
// they are refused when the browser says the form came from another site
// (Sec-Fetch-Site, else Origin).
func isPreference(path string) bool {
	return path == "/display" || path == "/region"
}

// checkSource checks that an unsafe request comes from our own pages: by
// its CSRF token, or for a preference form by its origin.
func (s *Server) checkSource(r *http.Request) error {
	if !isPreference(r.URL.Path) {
		return s.sessions.CheckCSRF(r)
	}
	if s.origins.Check(r) != nil {
		return apperr.New(apperr.Forbidden, "请求来源无法验证（来自其他网站的提交），请在本站页面上重新操作")
	}
	return nil
}

// openBody limits the body of an unsafe request and, for a multipart form,
// reads its plain fields before the first file into r.PostForm.
func (s *Server) openBody(w http.ResponseWriter, r *http.Request) (*http.Request, error) {
	if !httpkit.IsMultipart(r) {
		httpkit.LimitBody(w, r, maxFormBytes)
		var tooLarge *http.MaxBytesError
		if err := r.ParseForm(); errors.As(err, &tooLarge) {
			return r, httpkit.TooLargeError(tooLarge.Limit)
		}
		return r, nil
	}
	p, err := httpkit.OpenParts(w, r, s.uploadLimit(r))
	if err != nil {
		return r, err
	}
	r.PostForm, r.Form = p.Values, p.Values
	return r.WithContext(httpkit.WithParts(r.Context(), p)), nil
}

// uploadLimit is the most a multipart form to r's route may carry: the
// files the route takes, its form and the multipart framing. Filings and
// supplements are lowered further to the item's materials (readUploads).
func (s *Server) uploadLimit(r *http.Request) int64 {
	_, pattern := s.mux.Handler(r)
	return uploadRoutes[pattern] + maxFormBytes + httpkit.MultipartOverhead
}

// uploadRoutes are the routes that take files, with the most their files
// may hold together.
var uploadRoutes = map[string]int64{
	"POST /apply/{version}":                     maxFilingBytes,
	"POST /cases/{id}/materials":                maxFilingBytes,
	"POST /cases/{id}/edit":                     maxFilingBytes,
	"POST /bundles/{id}/apply":                  maxFilingBytes,
	"POST /staff/powers/versions/{id}/{action}": maxWorkbookBytes,
	"POST /staff/publicity/import":              maxWorkbookBytes,
	"POST /staff/ratings/import":                maxImportBytes,
	"POST /staff/opendata/datasets/{id}/upload": opendata.MaxUploadBytes,
	"POST /staff/budgets/{id}/import":           maxBudgetBytes,
	"POST /admin/calendar/import":               maxScheduleBytes,
	"POST /staff/catalog/import":                maxWorkbookBytes,
	"POST /staff/catalog/files":                 maxCatalogFileBytes,
	"POST /disclosure/docs/{id}/{action}":       maxAttachmentBytes,
	"POST /disclosure/requests/{id}/{action}":   maxAttachmentBytes,
}

// maxFormBytes bounds a posted form without files, and the fields of one
// with files. maxFilingBytes bounds the files of a filing before its item
// is known (readUploads then lowers it to the item's materials).
const (
	maxFormBytes   = httpkit.MaxFieldBytes
	maxFilingBytes = 64 << 20
)

// readUploads reads the files of the multipart form csrf opened, each by
// its field's rule, after lowering the body's limit to limit (0 keeps the
// route's). The form's fields are then complete in r.PostForm. The account
// may name the files stored later (a form shown again keeps them).
func (s *Server) readUploads(r *http.Request, limit int64, rules func(field string) (httpkit.FileRule, bool)) ([]httpkit.Upload, error) {
	p := httpkit.PartsFrom(r.Context())
	if p == nil {
		return nil, apperr.New(apperr.Invalid, "请使用页面上的表单上传文件")
	}
	if limit > 0 {
		p.Limit(limit + maxFormBytes + httpkit.MultipartOverhead)
	}
	ups, err := p.Files(r.Context(), s.svc.Blobs, rules)
	var sums []string
	for _, up := range ups {
		if up.Blob.SHA256 != "" {
			sums = append(sums, up.Blob.SHA256)
		}
	}
	if gerr := s.svc.Cases.Received(r.Context(), actorOf(r), sums); gerr != nil {
		return nil, gerr
	}
	return ups, err
}

// memoryFile is the rule of a single file field kept in memory.
func memoryFile(field string, max int64) func(string) (httpkit.FileRule, bool) {
	return func(f string) (httpkit.FileRule, bool) {
		return httpkit.FileRule{MaxBytes: max, Memory: true}, f == field
	}
}

// formError reports whether err is the person's to correct on the form.
func formError(err error) bool {
	return apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.TooLarge)
}

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
