package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"

	"github.com/gorilla/feeds"
)

func (s *Server) registerConsultRoutes() {
	s.mux.HandleFunc("GET /participate/consultations", s.h(s.handleConsultations))
	s.mux.HandleFunc("GET /participate/consultations/feed.atom", s.h(s.handleConsultFeed))
	s.mux.HandleFunc("GET /participate/consultations/{id}", s.h(s.handleConsultation))
	s.mux.HandleFunc("POST /participate/consultations/{id}/comments", s.h(s.handleComment))
	s.mux.HandleFunc("GET /staff/consultations/new", s.requireStaff(s.handleConsultNew))
	s.mux.HandleFunc("POST /staff/consultations", s.requireStaff(s.handleConsultSave))
	s.mux.HandleFunc("GET /staff/consultations/{id}", s.requireStaff(s.handleConsultManage))
	s.mux.HandleFunc("GET /staff/consultations/{id}/edit", s.requireStaff(s.handleConsultEdit))
	s.mux.HandleFunc("POST /staff/consultations/{id}", s.requireStaff(s.handleConsultSave))
	s.mux.HandleFunc("POST /staff/consultations/{id}/publish", s.requireStaff(s.handleConsultPublish))
	s.mux.HandleFunc("POST /staff/consultations/{id}/conclude", s.requireStaff(s.handleConsultConclude))
	s.mux.HandleFunc("POST /staff/comments/{id}/{action}", s.requireStaff(s.handleCommentAction))
}

// commentsPerPage is the size of a page of comments.
const commentsPerPage = 20

type consultPage struct {
	Page
	C        *consult.Consultation
	Period   consult.Period
	Counts   consult.Counts
	Comments []*consult.Comment
	Section  string // the section filter, "" for all
	Sections []option
	Form     form
	Open     bool // takes comments today
	Over     bool // the period is over
	// NoComment says why the account signed in cannot comment (a staff
	// account on a real-name consultation), in place of the form.
	NoComment string
	Manage    bool
	Prev      string
	Next      string
	Docs      []option // the agency's published documents, for the result link
}

// SectionLabel names a section.
func (p consultPage) SectionLabel(seq int) string { return p.C.SectionLabel(seq) }

func (s *Server) handleConsultations(w http.ResponseWriter, r *http.Request) error {
	cs, _, err := s.svc.Consult.List(r.Context(), consult.Filter{Limit: 100})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "participate/consultations", participatePage{Page: s.page(w, r, "意见征集"), Open: cs,
		Today: s.svc.Consult.Today().String()})
}

func (s *Server) handleConsultation(w http.ResponseWriter, r *http.Request) error {
	// ?for=N comes from the 对本条发表意见 link of an article.
	v := url.Values{"section": {r.URL.Query().Get("for")}}
	return s.showConsultation(w, r, http.StatusOK, "participate/consultation", newForm(v, nil))
}

// showConsultation renders the public page (or the staff page) with a page
// of comments chosen by the query (page, section).
func (s *Server) showConsultation(w http.ResponseWriter, r *http.Request, status int, tpl string, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, err := s.svc.Consult.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := consultPage{Page: s.page(w, r, c.Title), C: c, Form: f, Manage: s.svc.Consult.CanManage(r.Context(), a, c)}
	if a != nil {
		p.NoComment = refusal(consult.CanComment(a, c))
	}
	if tpl == "participate/consult_manage" && !p.Manage {
		return apperr.New(apperr.Forbidden, "只有本机关的公开专员可以管理该征集")
	}
	if err := s.fillConsultPage(r, &p); err != nil {
		return err
	}
	return s.render(w, status, tpl, p)
}

func (s *Server) fillConsultPage(r *http.Request, p *consultPage) error {
	ctx, c := r.Context(), p.C
	var err error
	if p.Period, err = s.svc.Consult.Period(c); err != nil {
		return err
	}
	today := s.svc.Consult.Today()
	p.Open, p.Over = c.Status == consult.StatusOpen && p.Period.Accepts(today), p.Period.Over(today)
	if p.Counts, err = s.svc.Consult.Counts(ctx, c.ID); err != nil {
		return err
	}
	p.Sections = []option{{"0", "全文"}}
	for _, sec := range c.Sections {
		p.Sections = append(p.Sections, option{strconv.Itoa(sec.Seq), sec.Label})
	}
	f := consult.CommentFilter{Offset: atoiDefault(r.URL.Query().Get("offset"), 0), Limit: commentsPerPage,
		Unanswered: r.URL.Query().Get("unanswered") == "1"}
	if v := r.URL.Query().Get("section"); v != "" {
		n := atoiDefault(v, 0)
		f.Section, p.Section = &n, v
	}
	if p.Comments, err = s.svc.Consult.Comments(ctx, httpkit.ActorFrom(ctx), c, f); err != nil {
		return err
	}
	p.Prev, p.Next = offsetLinks(r.URL.Query(), f.Offset, commentsPerPage, len(p.Comments) == commentsPerPage)
	if p.Manage && p.Over && c.Status == consult.StatusOpen {
		p.Docs, err = s.agencyDocs(r, c.AgencyID)
	}
	return err
}

// offsetLinks are the query strings of the previous and next pages of a
// list paged by offset.
func offsetLinks(v url.Values, offset, limit int, more bool) (string, string) {
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
	if more {
		next = link(offset + limit)
	}
	return prev, next
}

// agencyDocs lists an agency's latest published documents as options.
func (s *Server) agencyDocs(r *http.Request, agencyID int64) ([]option, error) {
	ds, _, err := s.svc.Disclosure.PublishedDocuments(r.Context(), disclosure.DocFilter{AgencyID: agencyID, Limit: 100})
	out := []option{}
	for _, d := range ds {
		out = append(out, option{idStr(d.ID), d.Title})
	}
	return out, err
}

// handleComment records a comment; a refused one keeps what was typed.
func (s *Server) handleComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	in := consult.CommentInput{Section: atoiDefault(r.PostForm.Get("section"), -1), Body: r.PostForm.Get("body")}
	_, err = s.svc.Consult.Comment(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showConsultation(w, r, http.StatusUnprocessableEntity, "participate/consultation", newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, consult.URL(id)+"#comments", "意见已提交，感谢您的参与")
}

// handleConsultFeed serves the latest consultations as Atom.
func (s *Server) handleConsultFeed(w http.ResponseWriter, r *http.Request) error {
	cs, _, err := s.svc.Consult.List(r.Context(), consult.Filter{Limit: 50})
	if err != nil {
		return err
	}
	base := siteURL(r)
	f := &feeds.Feed{Title: "意见征集", Link: &feeds.Link{Href: base + "/participate/consultations"},
		Description: "公开征求意见的决策草案及意见采纳情况", Updated: time.Now()}
	for _, c := range cs {
		f.Items = append(f.Items, &feeds.Item{Title: c.Title + "（" + c.Status.Label() + "）", Link: &feeds.Link{Href: base + consult.URL(c.ID)},
			Id: base + consult.URL(c.ID), Description: c.AgencyName + "：" + c.Explanation, Created: c.OpensOn.Time(), Updated: c.UpdatedAt})
	}
	body, err := f.ToAtom()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	_, err = w.Write([]byte(body))
	return err
}
