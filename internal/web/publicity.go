package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/org"
	"openhall/internal/publicity"
)

// The 双公示 register: public search with downloads, entry pages, and the
// departments' pages to enter, import and withdraw decisions.
func (s *Server) registerPublicityRoutes() {
	s.mux.HandleFunc("GET /publicity", s.h(s.handleDecisionRegister))
	s.mux.HandleFunc("GET /publicity/download.xlsx", s.h(s.handleDecisionRegisterXLSX))
	s.mux.HandleFunc("GET /publicity/download.json", s.h(s.handleDecisionRegisterJSON))
	s.mux.HandleFunc("GET /publicity/penalty-template.xlsx", s.h(s.handlePenaltyTemplate))
	s.mux.HandleFunc("GET /publicity/entries/{id}", s.h(s.handleEntry))
	s.registerPublicityStaffRoutes()
}

type decisionRegisterPage struct {
	Page
	Query   url.Values
	Result  *publicity.Page
	Depts   []option
	NextURL string
	Search  string // the query string of the search, for the downloads
}

// registerSearch reads a search from the URL; bad numbers are ignored.
func registerSearch(v url.Values) publicity.Search {
	q := publicity.Search{Q: v.Get("q"), Kind: publicity.Kind(v.Get("kind"))}
	if q.Kind != publicity.KindPermit && q.Kind != publicity.KindPenalty {
		q.Kind = ""
	}
	q.DepartmentID, _ = strconv.ParseInt(v.Get("department"), 10, 64)
	q.Before, _ = strconv.ParseInt(v.Get("before"), 10, 64)
	return q
}

func (s *Server) handleDecisionRegister(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	res, err := s.svc.Publicity.Search(r.Context(), registerSearch(v))
	if err != nil {
		return err
	}
	p := decisionRegisterPage{Page: s.page(w, r, "行政许可和行政处罚信息公示（双公示）"), Query: v, Result: res}
	dl := url.Values{"q": {v.Get("q")}, "kind": {v.Get("kind")}, "department": {v.Get("department")}}
	p.Search = dl.Encode()
	if res.Next != 0 {
		next := url.Values{}
		for k, x := range v {
			next[k] = x
		}
		next.Set("before", strconv.FormatInt(res.Next, 10))
		p.NextURL = "?" + next.Encode()
	}
	ds, err := s.svc.Org.Departments(r.Context(), org.DepartmentFilter{})
	for _, d := range ds {
		p.Depts = append(p.Depts, option{idStr(d.ID), d.Name})
	}
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "publicity/register", p)
}

func (s *Server) handleDecisionRegisterXLSX(w http.ResponseWriter, r *http.Request) error {
	q := registerSearch(r.URL.Query())
	q.Before = 0
	es, err := s.svc.Publicity.Download(r.Context(), q)
	if err != nil {
		return err
	}
	return sendWorkbook(w, "双公示.xlsx", func(b *bytes.Buffer) error { return publicity.WriteRegister(b, es) })
}

func (s *Server) handleDecisionRegisterJSON(w http.ResponseWriter, r *http.Request) error {
	q := registerSearch(r.URL.Query())
	q.Before = 0
	es, err := s.svc.Publicity.Download(r.Context(), q)
	if err != nil {
		return err
	}
	out := make([]publicity.EntryJSON, len(es))
	for i, e := range es {
		out[i] = publicity.ToJSON(e)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape("双公示.json"))
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"entries": out, "count": len(out)})
}

func (s *Server) handlePenaltyTemplate(w http.ResponseWriter, r *http.Request) error {
	return sendWorkbook(w, "行政处罚决定导入模板.xlsx", func(b *bytes.Buffer) error { return publicity.PenaltySheet.Write(b, nil) })
}

type entryPage struct {
	Page
	E      *publicity.Entry
	T      publicity.Timeliness
	Staff  bool
	Public bool
}

func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	e, err := s.svc.Publicity.Entry(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	p := entryPage{Page: s.page(w, r, e.Title), E: e, Staff: publicity.CanEnter(actorOf(r), e.RegionPath, e.DepartmentID) == nil,
		Public: e.Public(s.svc.Publicity.Today())}
	if p.T, err = s.svc.Publicity.Timeliness(e); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "publicity/entry", p)
}
