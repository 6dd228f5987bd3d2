package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"sync"

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

type guidePage struct {
	Page
	Item    *catalog.Item
	Version *catalog.Version
	G       *catalog.Guide
	History []catalog.HistoryEntry
	QR      template.HTML
	URL     string
}

// LimitText writes a time limit for people.
func (guidePage) LimitText(l calendar.Limit) string { return catalog.LimitText(l) }

// FeeText says how a fee is computed.
func (guidePage) FeeText(f catalog.Fee) string { return f.Describe() }

// Totals sums the time spent at the window and waiting over the steps.
func (p guidePage) Totals() (counter, wait int) {
	for _, st := range p.G.Steps {
		counter, wait = counter+st.CounterMin, wait+st.WaitMin
	}
	return counter, wait
}

// CounterMinutes is the total time at the window.
func (p guidePage) CounterMinutes() int { c, _ := p.Totals(); return c }

// WaitMinutes is the total waiting time.
func (p guidePage) WaitMinutes() int { _, w := p.Totals(); return w }

// Accepting reports whether the item takes applications now.
func (p guidePage) Accepting() bool { return p.Item.Accepting() }

// handleGuide shows the complete guide in effect today, or a published
// version by ?version=, with its change history and a QR code of the page.
func (s *Server) handleGuide(w http.ResponseWriter, r *http.Request) error {
	it, err := s.svc.Catalog.ItemByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	var v *catalog.Version
	if id, perr := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64); perr == nil {
		v, _, err = s.svc.Catalog.VersionFor(r.Context(), httpkit.ActorFrom(r.Context()), id)
		if err == nil && v.ItemID != it.ID {
			err = fmt.Errorf("version %d is not of item %d", id, it.ID)
		}
	} else {
		v, err = s.svc.Catalog.CurrentVersion(r.Context(), it.ID)
	}
	if err != nil {
		return err
	}
	h, err := s.svc.Catalog.History(r.Context(), it)
	if err != nil {
		return err
	}
	abs := absoluteURL(r, "/items/"+it.ImplCode)
	p := guidePage{Page: s.page(w, r, v.Guide.Name), Item: it, Version: v, G: &v.Guide, History: h, URL: abs, QR: qrSVG(abs)}
	return s.render(w, http.StatusOK, "catalog/guide", p)
}

// absoluteURL is the page's own address as the visitor reached it.
func absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if httpkit.IsTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// qrCache keeps the QR codes already drawn: the guide page is the most
// visited page, and drawing a code costs more than the rest of the page.
var qrCache = struct {
	sync.Mutex
	m map[string]template.HTML
}{m: map[string]template.HTML{}}

// qrSVG draws a QR code (ISO/IEC 18004) of text as inline SVG, which
// prints sharply and needs no image request.
func qrSVG(text string) template.HTML {
	qrCache.Lock()
	svg, ok := qrCache.m[text]
	qrCache.Unlock()
	if ok {
		return svg
	}
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return ""
	}
	bits := q.Bitmap()
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="160" height="160" role="img" aria-label="本页二维码"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bits), len(bits))
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	svg = template.HTML(b.String()) // built here from numbers only
	qrCache.Lock()
	if len(qrCache.m) > 50000 {
		qrCache.m = map[string]template.HTML{}
	}
	qrCache.m[text] = svg
	qrCache.Unlock()
	return svg
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

// StatusSince is the date of a suspension or cancellation, "" when active.
func (p guidePage) StatusSince() string {
	if p.Item.StatusDate == (calendar.Date{}) {
		return ""
	}
	return p.Item.StatusDate.String()
}
