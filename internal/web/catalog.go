package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/httpkit"
	"openhall/internal/org"

	qrcode "github.com/skip2/go-qrcode"
)

// registerCatalogRoutes serves the public catalogue: browse and search,
// the printable guide page and the downloadable forms.
func (s *Server) registerCatalogRoutes() {
	s.mux.HandleFunc("GET /items", s.h(s.handleItems))
	s.mux.HandleFunc("GET /items/{code}", s.h(s.handleGuide))
	s.mux.HandleFunc("GET /items/{code}/qr.svg", s.h(s.handleGuideQR))
	s.mux.HandleFunc("GET /catalog/files/{id}", s.h(s.handleCatalogFile))
	s.registerCatalogStaffRoutes()
}

type itemsPage struct {
	Page
	Query      url.Values
	Items      []*catalog.Item
	Total      int
	Prev, Next string // page links, "" when none
	Depts      []option
	Levels     []option
	Themes     []option
	Searched   bool
}

const itemsPerPage = 20

// handleItems lists published items by department, level, audience and
// theme, or the hits of a search.
func (s *Server) handleItems(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	q := catalog.SearchQuery{Text: v.Get("q")}
	q.DepartmentID, _ = strconv.ParseInt(v.Get("department"), 10, 64)
	q.Level, q.Theme = catalog.Level(v.Get("level")), v.Get("theme")
	switch v.Get("audience") {
	case "person":
		q.Audience = catalog.AudiencePerson
	case "legal":
		q.Legal = true
	}
	page, _ := strconv.Atoi(v.Get("page"))
	page = max(page, 1)
	q.Offset, q.Limit = (page-1)*itemsPerPage, itemsPerPage
	its, total, err := s.svc.Catalog.Search(r.Context(), q)
	if err != nil {
		return err
	}
	p := itemsPage{Page: s.page(w, r, "办事指南"), Query: v, Items: its, Total: total, Searched: q.Text != ""}
	p.Prev, p.Next = pageLink(v, page-1, page > 1), pageLink(v, page+1, page*itemsPerPage < total)
	if err := s.browseOptions(r, &p); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "catalog/items", p)
}

func pageLink(v url.Values, n int, ok bool) string {
	if !ok {
		return ""
	}
	c := url.Values{}
	for k, x := range v {
		c[k] = x
	}
	c.Set("page", strconv.Itoa(n))
	return "/items?" + c.Encode()
}

func (s *Server) browseOptions(r *http.Request, p *itemsPage) error {
	ds, err := s.svc.Org.Departments(r.Context(), org.DepartmentFilter{})
	if err != nil {
		return err
	}
	for _, d := range ds {
		p.Depts = append(p.Depts, option{idStr(d.ID), d.Name})
	}
	for _, l := range catalog.Levels() {
		p.Levels = append(p.Levels, option{string(l), l.Label()})
	}
	for _, t := range append(append([]string{}, catalog.PersonThemes...), catalog.LegalThemes...) {
		p.Themes = append(p.Themes, option{t, t})
	}
	return nil
}

// guidePage is the guide page: the layout around the viewer's actions and
// the guide's body.
type guidePage struct {
	Page
	Actions template.HTML
	Body    template.HTML
}

// guideBody is what the guide's body shows; it depends on the version and
// the page's address only, so it is rendered once per view.
type guideBody struct {
	Item    *catalog.Item
	Version *catalog.Version
	G       *catalog.Guide
	History []catalog.HistoryEntry
	URL     string
}

// LimitText writes a time limit for people.
func (guideBody) LimitText(l calendar.Limit) string { return catalog.LimitText(l) }

// FeeText says how a fee is computed.
func (guideBody) FeeText(f catalog.Fee) string { return f.Describe() }

// CounterMinutes is the total time at the window over the steps.
func (b guideBody) CounterMinutes() int {
	n := 0
	for _, st := range b.G.Steps {
		n += st.CounterMin
	}
	return n
}

// WaitMinutes is the total waiting time over the steps.
func (b guideBody) WaitMinutes() int {
	n := 0
	for _, st := range b.G.Steps {
		n += st.WaitMin
	}
	return n
}

// Accepting reports whether the item takes applications now.
func (b guideBody) Accepting() bool { return b.Item.Accepting() }

// StatusSince is the date of a suspension or cancellation, "" when active.
func (b guideBody) StatusSince() string {
	if b.Item.StatusDate == (calendar.Date{}) {
		return ""
	}
	return b.Item.StatusDate.String()
}

// handleGuide shows the complete guide in effect today, or a published
// version by ?version=, with its change history and a QR code of the page.
func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Has("version") {
		return s.handleOldGuide(w, r)
	}
	view, err := s.svc.Catalog.PublicGuide(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	abs := absoluteURL(r, "/items/"+view.Item.ImplCode)
	body, err := view.Rendered("html "+abs, func() ([]byte, error) {
		return s.fragment("catalog/guide", "guide-body", guideBody{Item: view.Item, Version: view.Version, G: &view.Version.Guide,
			History: view.History, URL: abs})
	})
	if err != nil {
		return err
	}
	if cacheable(r) {
		return s.anonymousGuide(w, r, view, abs, body)
	}
	ga, err := s.actionsFor(r.Context(), httpkit.ActorFrom(r.Context()), view.Item, view.Version, abs)
	if err != nil {
		return err
	}
	p := guidePage{Page: s.page(w, r, view.Version.Guide.Name), Body: template.HTML(body)} // rendered by html/template above
	ga.CSRF = p.CSRF()
	if p.Actions, err = s.renderActions(ga); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "catalog/guide", p)
}

// cacheable reports whether the page is the same for every visitor making
// the request but for the CSRF token: no one is logged in and no message
// waits to be shown.
func cacheable(r *http.Request) bool {
	_, err := r.Cookie(flashCookie)
	return httpkit.ActorFrom(r.Context()) == nil && err != nil
}

// anonymousGuide serves the whole page, kept per view and display mode as
// long as the actions block it shows (with the region's proxy points, read
// again every minute) stays the same: the guide page is the most visited
// page, and most of its visitors are not logged in. The page is the same
// for all of them (see isPreference).
func (s *Server) anonymousGuide(w http.ResponseWriter, r *http.Request, view *catalog.PublicView, abs string, body []byte) error {
	d := displayOf(r)
	actions, err := s.anonymousActions(r.Context(), view.Item, view.Version, abs)
	if err != nil {
		return err
	}
	page, err := view.Current("page "+abs+" "+d.Classes(), string(actions), func() (any, error) {
		p := guidePage{Page: Page{Title: view.Version.Guide.Name, Nav: navFor(nil, r.URL.Path), Display: d, Path: r.URL.Path},
			Actions: template.HTML(actions), Body: template.HTML(body)} // both rendered by html/template
		raw, err := s.fragment("catalog/guide", "layout", p)
		if err != nil {
			return nil, err
		}
		return keepPage(raw)
	})
	if err != nil {
		return err
	}
	return page.(*keptPage).write(w, r)
}

// handleOldGuide shows one published version of an item by its id.
func (s *Server) handleOldGuide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.URL.Query().Get("version"))
	if err != nil {
		return err
	}
	v, it, err := s.svc.Catalog.VersionFor(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if it.ImplCode != r.PathValue("code") {
		return apperr.New(apperr.NotFound, "该事项没有这个版本")
	}
	h, err := s.svc.Catalog.History(r.Context(), it)
	if err != nil {
		return err
	}
	abs := absoluteURL(r, "/items/"+it.ImplCode)
	body, err := s.fragment("catalog/guide", "guide-body", guideBody{Item: it, Version: v, G: &v.Guide, History: h, URL: abs})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "catalog/guide", guidePage{Page: s.page(w, r, v.Guide.Name), Body: template.HTML(body)})
}

// fragment renders one named template of a page on its own.
func (s *Server) fragment(page, name string, data any) ([]byte, error) {
	tpl, ok := s.tpl.pages[page]
	if !ok {
		return nil, fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s of %s: %w", name, page, err)
	}
	return buf.Bytes(), nil
}

// absoluteURL is the page's own address as the visitor reached it.
func absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if httpkit.IsTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// handleGuideQR draws a QR code (ISO/IEC 18004) of the guide page's own
// address as SVG, which prints sharply. It is an image of its own, cached
// by browsers, so that the guide page itself stays cheap to serve.
func (s *Server) handleGuideQR(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.svc.Catalog.ItemByCode(r.Context(), r.PathValue("code")); err != nil {
		return err
	}
	q, err := qrcode.New(absoluteURL(r, "/items/"+r.PathValue("code")), qrcode.Medium)
	if err != nil {
		return err
	}
	bits := q.Bitmap()
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bits), len(bits))
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err = b.WriteTo(w)
	return err
}

// handleCatalogFile sends a blank form or sample for download.
func (s *Server) handleCatalogFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := s.svc.Catalog.File(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, err = w.Write(f.Data)
	return err
}

// LimitText writes a time limit for people.
func (itemsPage) LimitText(l calendar.Limit) string { return catalog.LimitText(l) }
