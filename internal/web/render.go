package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/pii"
	"openhall/internal/rating"
	"openhall/internal/supervision"
)

//go:embed templates static
var assets embed.FS

// templates holds one parsed template set per page: the layout, every
// partial, and the page's own file.
type templates struct {
	pages map[string]*template.Template
}

var chinaTime = time.FixedZone("CST", 8*3600)

func funcs() template.FuncMap {
	return template.FuncMap{
		"dict":         dict,
		"maskID":       pii.MaskIDNumber,
		"maskPhone":    pii.MaskMobile,
		"maskName":     pii.MaskName,
		"datetime":     func(t time.Time) string { return fmtTime(t, "2006-01-02 15:04") },
		"date":         func(t time.Time) string { return fmtTime(t, "2006-01-02") },
		"roleLabel":    func(r identity.Role) string { return r.Label() },
		"deref":        func(p *int64) int64 { return derefID(p) },
		"has":          func(ids []int64, id int64) bool { return containsID(ids, id) },
		"add":          func(a, b int) int { return a + b },
		"query":        url.QueryEscape,
		"trimEdit":     trimEdit,
		"clock":        clockText,
		"yuan":         func(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) },
		"join":         strings.Join,
		"inc":          func(i int) int { return i + 1 },
		"sub":          func(a, b int64) int64 { return a - b },
		"fieldType":    fieldInputType,
		"materialName": materialName,
		"idStr":        idStr,
		"clockDue":     clockDue,
		"intakeText":   intakeText,
		"specialDays":  specialDaysText,
		"fieldUnit":    fieldUnit,
		"num":          fmtNum,
		"needName":     needName,
		"eventDays":    eventDays,
		"latestNotice": latestNotice,
		"keptName":     keptName,
		"sub1":         func(n int) int { return n - 1 },
		"labelUnit":    labelUnit,
		"pct":          pct,
		"num1":         func(v float64) string { return fmt.Sprintf("%.1f", v) },
		"provNote":     calendar.ProvisionalNote,
		"deref64":      func(p *float64) float64 { return *p },
		"slice1":       func(r supervision.Row) []supervision.Row { return []supervision.Row{r} },
		"ratingLevels": func() []rating.Level { return rating.Levels },
		"indicators":   func(online bool) []rating.Indicator { return indicatorsFor(online) },
		"codeLabel":    rating.CodeLabel,
		"redact":       pii.Redact,
		"percent":      func(x float64) string { return fmt.Sprintf("%.1f%%", x) },
		"neg":          func(n int) int { return -n },
		"day":          dayText,
	}
}

// dayText shows a civil date, "" for none (never 1970-01-01).
func dayText(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}

func fmtTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format(layout)
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// dict builds a map for passing several values to a partial.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

func mustParseTemplates(extra template.FuncMap) *templates {
	t := &templates{pages: map[string]*template.Template{}}
	err := fs.WalkDir(assets, "templates/pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		tpl, err := template.New(path.Base(p)).Funcs(funcs()).Funcs(extra).ParseFS(assets, "templates/layout.html", "templates/partials/*.html", p)
		if err != nil {
			return fmt.Errorf("parse page %s: %w", name, err)
		}
		t.pages[name] = tpl
		return nil
	})
	if err != nil {
		panic(err)
	}
	return t
}

// Page is what every page's data embeds: the layout reads it.
type Page struct {
	// Reminder is next year's missing holiday schedule, shown to the
	// deployment's administrators from 1 November until it is imported.
	Reminder  int
	Title     string
	Actor     *identity.Actor
	Flash     *flash
	Nav       []navItem
	Display   display
	Path      string
	FormError string // the safe message of a failed submission
	Unread    int    // the actor's unread messages, shown in the header
	csrf      *csrfToken
}

// CSRF is the token the page's forms carry (see csrfToken); "" for a page
// kept for anonymous visitors, which has no form that needs one.
func (p Page) CSRF() string {
	if p.csrf == nil {
		return ""
	}
	return p.csrf.get()
}

// csrfToken is a page's CSRF token, issued when a form on the page first
// asks for it. A visitor without a session is given the token's
// pre-session cookie only then: a page without such a form (a 404, such as
// the icon a browser asks for beside the page) sets no cookie, so it cannot
// replace the cookie that a form loaded at the same time was made for.
// Pages are rendered into a buffer before anything is sent, so the cookie
// still goes out with the page.
type csrfToken struct {
	s      *Server
	w      http.ResponseWriter
	r      *http.Request
	token  string
	issued bool
}

func (c *csrfToken) get() string {
	if !c.issued {
		c.token, c.issued = c.s.sessions.CSRFToken(c.w, c.r), true
	}
	return c.token
}

// page builds the common data of a page.
func (s *Server) page(w http.ResponseWriter, r *http.Request, title string) Page {
	a := httpkit.ActorFrom(r.Context())
	p := Page{Title: title, Actor: a, csrf: &csrfToken{s: s, w: w, r: r}, Flash: s.takeFlash(w, r),
		Nav: navFor(a, r.URL.Path), Display: displayOf(r), Path: r.URL.Path, Unread: s.unread(r)}
	if a.IsGlobalAdmin() {
		if year, missing := s.svc.Calendar.MissingNextYear(); missing {
			p.Reminder = year
		}
	}
	return p
}

// unread counts the actor's unread messages for the header. A failure only
// hides the count: it must not break every page.
func (s *Server) unread(r *http.Request) int {
	n, err := s.svc.Notify.Unread(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		s.log.Warn("count unread messages", "err", err)
	}
	return n
}

// render executes a page into a buffer first, so that a template error
// becomes a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	tpl, ok := s.tpl.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return writeHTML(w, status, buf.Bytes())
}

// writeHTML sends a page rendered in full. Its length is declared, so the
// page goes out in one piece instead of in chunks.
func writeHTML(w http.ResponseWriter, status int, page []byte) error {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(status)
	_, err := w.Write(page)
	return httpkit.SendFailed(err)
}

type errorPage struct {
	Page
	Status  int
	Message string
	Kept    []keptField // what the visitor typed into a refused form (refused.go)
}

// renderError shows a safe message; internal errors are logged, never shown.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if httpkit.Sent(err) || httpkit.Started(w) {
		httpkit.LogFailure(s.log, r, "page request failed", err)
		return
	}
	code := apperr.CodeOf(err)
	if ae := httpkit.AuthError(r.Context()); code == apperr.Unauthenticated && ae != nil && !apperr.Is(ae, apperr.Unauthenticated) {
		err, code = ae, apperr.CodeOf(ae) // the session could not be checked
	}
	if code == apperr.Unauthenticated && httpkit.ActorFrom(r.Context()) == nil && r.Method == http.MethodGet {
		s.toLogin(w, r)
		return
	}
	if code == apperr.Internal || code == apperr.Unavailable {
		httpkit.LogFailure(s.log, r, "page request failed", err)
	}
	status := httpkit.WriteStatus(w, err)
	p := errorPage{Page: s.page(w, r, errorTitle(status)), Status: status, Message: apperr.MessageOf(err)}
	if rerr := s.render(w, status, "error", p); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, p.Message, status)
	}
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusForbidden:
		return "无权访问"
	case http.StatusUnauthorized:
		return "请先登录"
	case http.StatusTooManyRequests:
		return "操作过于频繁"
	case http.StatusConflict:
		return "操作无法完成"
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "提交的信息有误"
	case http.StatusRequestEntityTooLarge:
		return "提交的内容过大"
	case http.StatusServiceUnavailable:
		return "服务暂时不可用"
	}
	return "系统错误"
}

// trimEdit turns the URL of a create or edit form into the URL it posts to.
func trimEdit(p string) string {
	return strings.TrimSuffix(strings.TrimSuffix(p, "/edit"), "/new")
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
