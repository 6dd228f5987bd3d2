package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/httpkit"
)

// The public disclosure portal (政府信息公开平台, Art 24): per agency its
// guide, catalogue by category and by topic, document pages, feeds and a
// sitemap, and one search box over everything.
func (s *Server) registerPortalRoutes() {
	s.mux.HandleFunc("GET /open", s.h(s.handlePortal))
	s.mux.HandleFunc("GET /open/search", s.h(s.handleSearch))
	s.mux.HandleFunc("GET /open/agencies/{id}", s.h(s.handleAgencyPortal))
	s.mux.HandleFunc("GET /open/agencies/{id}/docs", s.h(s.handleCatalogue))
	s.mux.HandleFunc("GET /open/docs/{id}", s.h(s.handleDocPage))
	s.mux.HandleFunc("GET /open/docs/{id}/print", s.h(s.handleDocPrint))
	s.mux.HandleFunc("GET /open/attachments/{id}", s.h(s.handleAttachment))
	s.mux.HandleFunc("GET /open/agencies/{id}/feed.atom", s.h(s.handleFeed))
	s.mux.HandleFunc("GET /open/agencies/{id}/feed.rss", s.h(s.handleFeed))
	s.mux.HandleFunc("GET /open/sitemap.xml", s.h(s.handleSitemap))
	s.mux.HandleFunc("GET /open/agencies/{id}/reports/{year}/xlsx", s.h(s.handlePublishedReportXLSX))
	s.registerApplyRoutes()
}

type portalPage struct {
	Page
	Agencies []*disclosure.Agency
}

func (s *Server) handlePortal(w http.ResponseWriter, r *http.Request) error {
	as, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/portal", portalPage{Page: s.page(w, r, "政府信息公开"), Agencies: as})
}

type searchPage struct {
	Page
	Query      search.Query
	Result     *search.Result
	Agencies   []*disclosure.Agency
	Categories []disclosure.Category
	Topics     []string
	Validities []disclosure.Validity
	Prev, Next string
}

// handleSearch is the portal's search box: any query is answered, however
// long or odd; filters narrow it.
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	q := searchQuery(r.URL.Query())
	p := searchPage{Page: s.page(w, r, "站内检索：办事与政府信息"), Query: q, Categories: disclosure.Categories, Topics: disclosure.Topics,
		Validities: disclosure.Validities}
	var err error
	if p.Agencies, err = s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{}); err != nil {
		return err
	}
	if strings.TrimSpace(q.Text) != "" {
		if p.Result, err = s.svc.Disclosure.Search().Search(r.Context(), q); err != nil {
			return err
		}
		p.Prev, p.Next = pageLinks(r.URL.Query(), q.Offset, q.Limit, p.Result.Total)
	}
	return s.render(w, http.StatusOK, "disclosure/search", p)
}

// searchQuery reads a search from the URL; bad numbers are ignored.
func searchQuery(v url.Values) search.Query {
	atoi := func(k string) int { n, _ := strconv.Atoi(v.Get(k)); return n }
	scope, _ := strconv.ParseInt(v.Get("agency"), 10, 64)
	q := search.Query{Text: v.Get("q"), Kind: kindParam(v.Get("kind")), Scope: scope, Category: v.Get("category"), Topic: v.Get("topic"),
		Validity: v.Get("validity"), Year: atoi("year"), Sort: search.Sort(v.Get("sort")), Offset: atoi("offset"), Limit: 20}
	if q.Sort != search.ByDate {
		q.Sort = search.ByRelevance
	}
	return q
}

// kindParam keeps a known kind of item; anything else means every kind.
func kindParam(k string) string {
	if k == search.KindService || k == search.KindDocument {
		return k
	}
	return ""
}

// pageLinks returns the query strings of the previous and next pages.
func pageLinks(v url.Values, offset, limit, total int) (string, string) {
	link := func(o int) string {
		c := url.Values{}
		for k, x := range v {
			c[k] = x
		}
		c.Set("offset", strconv.Itoa(o))
		return "?" + c.Encode()
	}
	var prev, next string
	if offset > 0 {
		prev = link(max(offset-limit, 0))
	}
	if offset+limit < total {
		next = link(offset + limit)
	}
	return prev, next
}

type agencyPortalPage struct {
	Page
	Agency     *disclosure.Agency
	Guide      template.HTML // sanitised by disclosure.RenderBody
	Categories []countedOption
	Topics     []countedOption
	Latest     []*disclosure.Document
	Reports    []*disclosure.PublishedReport // published annual reports (Art 49–50), newest year first
}

// countedOption is a catalogue heading with its number of documents.
type countedOption struct {
	Value, Label string
	Count        int
}

func (s *Server) handleAgencyPortal(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agencyFromPath(r)
	if err != nil {
		return err
	}
	p := agencyPortalPage{Page: s.page(w, r, ag.Name+" 政府信息公开"), Agency: ag}
	guide, err := disclosure.RenderBody("markdown", ag.Guide)
	if err != nil {
		return err
	}
	p.Guide = template.HTML(guide)
	ctx := r.Context()
	byCat, err := s.svc.Disclosure.CatalogueCounts(ctx, ag.ID, "category")
	if err != nil {
		return err
	}
	byTopic, err := s.svc.Disclosure.CatalogueCounts(ctx, ag.ID, "topic")
	if err != nil {
		return err
	}
	for _, c := range disclosure.Categories {
		p.Categories = append(p.Categories, countedOption{c.Code, c.Label, byCat[c.Code]})
	}
	for _, t := range disclosure.Topics {
		p.Topics = append(p.Topics, countedOption{t, t, byTopic[t]})
	}
	p.Latest, _, err = s.svc.Disclosure.PublishedDocuments(ctx, disclosure.DocFilter{AgencyID: ag.ID, Limit: 10})
	if err != nil {
		return err
	}
	if p.Reports, err = s.svc.Disclosure.PublishedReports(ctx, ag.ID); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/agency", p)
}

func (s *Server) agencyFromPath(r *http.Request) (*disclosure.Agency, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.svc.Disclosure.Agency(r.Context(), id)
}

type cataloguePage struct {
	Page
	Agency     *disclosure.Agency
	Heading    string
	Docs       []*disclosure.Document
	Total      int
	Prev, Next string
}

func (s *Server) handleCatalogue(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agencyFromPath(r)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	offset, _ := strconv.Atoi(v.Get("offset"))
	f := disclosure.DocFilter{AgencyID: ag.ID, Category: v.Get("category"), Topic: v.Get("topic"), Limit: 20, Offset: max(offset, 0)}
	p := cataloguePage{Page: s.page(w, r, ag.Name+" 政府信息公开目录"), Agency: ag, Heading: "全部信息"}
	if f.Category != "" {
		p.Heading = disclosure.CategoryLabel(f.Category)
	} else if f.Topic != "" {
		p.Heading = "主题分类：" + f.Topic
	}
	if p.Docs, p.Total, err = s.svc.Disclosure.PublishedDocuments(r.Context(), f); err != nil {
		return err
	}
	p.Prev, p.Next = pageLinks(v, f.Offset, f.Limit, p.Total)
	return s.render(w, http.StatusOK, "disclosure/catalogue", p)
}

type docPage struct {
	Page
	Doc         *disclosure.Document
	Agency      *disclosure.Agency
	Policy      *disclosure.Document   // for an interpretation
	Interps     []*disclosure.Document // for a policy
	ReplacedBy  *disclosure.Document
	Attachments []*disclosure.Attachment
	Body        template.HTML // the body as sanitised when it was saved
}

func (s *Server) docPageData(w http.ResponseWriter, r *http.Request) (*docPage, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ctx, a := r.Context(), httpkit.ActorFrom(r.Context())
	d, err := s.svc.Disclosure.Document(ctx, a, id)
	if err != nil {
		return nil, err
	}
	p := &docPage{Page: s.page(w, r, d.Title), Doc: d, Body: template.HTML(d.BodyHTML)}
	if p.Agency, err = s.svc.Disclosure.Agency(ctx, d.AgencyID); err != nil {
		return nil, err
	}
	if d.InterpretsID != nil {
		p.Policy, _ = s.svc.Disclosure.Document(ctx, a, *d.InterpretsID)
	}
	if d.ReplacedByID != nil {
		p.ReplacedBy, _ = s.svc.Disclosure.Document(ctx, a, *d.ReplacedByID)
	}
	if p.Interps, err = s.svc.Disclosure.Interpretations(ctx, d.ID); err != nil {
		return nil, err
	}
	p.Attachments, err = s.svc.Disclosure.Attachments(ctx, "doc", d.ID)
	return p, err
}

func (s *Server) handleDocPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.docPageData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/doc", p)
}

func (s *Server) handleDocPrint(w http.ResponseWriter, r *http.Request) error {
	p, err := s.docPageData(w, r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/doc_print", p)
}

func (s *Server) handleAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	at, err := s.svc.Disclosure.Attachment(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(at.Name))
	_, err = w.Write(at.Content)
	return err
}
