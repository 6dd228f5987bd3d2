package web

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"openhall/internal/disclosure"
	"openhall/internal/httpkit"

	"github.com/gorilla/feeds"
)

// siteURL is the absolute base of links in feeds and the sitemap, taken
// from the request so that every deployment links to itself.
func siteURL(r *http.Request) string { return httpkit.BaseURL(r) }

// handleFeed serves an agency's latest publications as Atom or RSS.
func (s *Server) handleFeed(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agencyFromPath(r)
	if err != nil {
		return err
	}
	docs, _, err := s.svc.Disclosure.PublishedDocuments(r.Context(), disclosure.DocFilter{AgencyID: ag.ID, Limit: 50})
	if err != nil {
		return err
	}
	base := siteURL(r)
	f := &feeds.Feed{Title: ag.Name + " 政府信息公开", Link: &feeds.Link{Href: base + "/open/agencies/" + idStr(ag.ID)},
		Description: ag.Name + "主动公开的政府信息", Updated: time.Now()}
	for _, d := range docs {
		f.Items = append(f.Items, &feeds.Item{Title: d.Title, Link: &feeds.Link{Href: base + disclosure.DocURL(d.ID)},
			Id: base + disclosure.DocURL(d.ID), Description: d.Summary, Created: d.PublishedOn.Time(), Updated: d.UpdatedAt})
	}
	var body string
	if strings.HasSuffix(r.URL.Path, ".rss") {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		body, err = f.ToRss()
	} else {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
		body, err = f.ToAtom()
	}
	if err != nil {
		return err
	}
	_, err = w.Write([]byte(body))
	return err
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemap struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

// maxSitemapURLs is the sitemap protocol's limit per file.
const maxSitemapURLs = 50000

// handleSitemap lists the portal's agency pages and published documents.
func (s *Server) handleSitemap(w http.ResponseWriter, r *http.Request) error {
	ctx, base := r.Context(), siteURL(r)
	as, err := s.svc.Disclosure.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return err
	}
	sm := sitemap{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: []sitemapURL{{Loc: base + "/open"}}}
	for _, ag := range as {
		sm.URLs = append(sm.URLs, sitemapURL{Loc: base + "/open/agencies/" + idStr(ag.ID)})
	}
	docs, _, err := s.svc.Disclosure.PublishedDocuments(ctx, disclosure.DocFilter{Limit: maxSitemapURLs - len(sm.URLs)})
	if err != nil {
		return err
	}
	for _, d := range docs {
		sm.URLs = append(sm.URLs, sitemapURL{Loc: base + disclosure.DocURL(d.ID), LastMod: d.UpdatedAt.Format("2006-01-02")})
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(sm)
}
