package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/org"
	"openhall/internal/powers"
	"openhall/internal/tabular"
)

// The public power and responsibility lists (权责清单) with discretion
// benchmarks, and the departments' pages to keep them.
func (s *Server) registerPowerRoutes() {
	s.mux.HandleFunc("GET /powers", s.h(s.handlePowers))
	s.mux.HandleFunc("GET /powers/benchmark-template.xlsx", s.h(s.handleBenchmarkTemplate))
	s.mux.HandleFunc("GET /items/{code}/powers", s.h(s.handleItemPowers))
	s.mux.HandleFunc("GET /powers/{id}", s.h(s.handlePower))
	s.mux.HandleFunc("GET /powers/{id}/benchmarks.xlsx", s.h(s.handleBenchmarkDownload))
	s.registerPowerStaffRoutes()
}

type powersPage struct {
	Page
	Query      url.Values
	Powers     []*powers.Power
	Total      int
	Types      []option
	Depts      []option
	Item       *catalog.Item // the item the list is for, on /powers/items/{code}
	Prev, Next string
}

// handlePowers lists published powers, searched in names, codes, bases and
// the benchmarks' violations, filtered by department and type.
func (s *Server) handlePowers(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	offset := atoiDefault(v.Get("offset"), 0)
	f := powers.Filter{Type: catalog.ItemType(v.Get("type")), Offset: offset, Limit: 20}
	f.DepartmentID, _ = strconv.ParseInt(v.Get("department"), 10, 64)
	ps, n, err := s.svc.Powers.Public(r.Context(), v.Get("q"), f)
	if err != nil {
		return err
	}
	p := powersPage{Page: s.page(w, r, "权责清单"), Query: v, Powers: ps, Total: n}
	p.Prev, p.Next = offsetLinks(v, offset, 20, offset+20 < n)
	for _, t := range catalog.ItemTypes() {
		if t != catalog.TypePower {
			p.Types = append(p.Types, option{string(t), t.Label()})
		}
	}
	ds, err := s.svc.Org.Departments(r.Context(), org.DepartmentFilter{})
	for _, d := range ds {
		p.Depts = append(p.Depts, option{idStr(d.ID), d.Name})
	}
	return s.renderPowers(w, r, p, err)
}

func (s *Server) renderPowers(w http.ResponseWriter, r *http.Request, p powersPage, err error) error {
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "powers/list", p)
}

// handleItemPowers lists the powers a service item exercises: the link
// from the item's guide.
func (s *Server) handleItemPowers(w http.ResponseWriter, r *http.Request) error {
	it, err := s.svc.Catalog.ItemByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	ps, err := s.svc.Powers.ForItem(r.Context(), it.ID)
	p := powersPage{Page: s.page(w, r, it.Name+" · 对应的权责清单"), Powers: ps, Total: len(ps), Item: it, Query: url.Values{}}
	return s.renderPowers(w, r, p, err)
}

type powerPage struct {
	Page
	D     *powers.Detail
	V     *powers.Version // the version shown: the published one
	Items []*catalog.Item
}

func (s *Server) handlePower(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := s.svc.Powers.Get(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	p := powerPage{Page: s.page(w, r, d.Power.Name), D: d, V: d.Published}
	if p.V == nil && len(d.Versions) > 0 {
		p.V = d.Versions[0]
	}
	for _, iid := range p.V.Content.ItemIDs {
		if it, err := s.svc.Catalog.Item(r.Context(), iid); err == nil && it.Public() {
			p.Items = append(p.Items, it)
		}
	}
	return s.render(w, http.StatusOK, "powers/power", p)
}

func (s *Server) handleBenchmarkTemplate(w http.ResponseWriter, r *http.Request) error {
	return sendWorkbook(w, "裁量基准导入模板.xlsx", func(b *bytes.Buffer) error { return powers.WriteBenchmarks(b, nil) })
}

func (s *Server) handleBenchmarkDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	d, err := s.svc.Powers.Get(r.Context(), nil, id)
	if err != nil {
		return err
	}
	if d.Published == nil {
		return apperr.New(apperr.NotFound, "该职权尚未公布")
	}
	return sendWorkbook(w, d.Power.Code+"-裁量基准.xlsx", func(b *bytes.Buffer) error {
		return powers.WriteBenchmarks(b, d.Published.Content.Benchmarks)
	})
}

// sendWorkbook writes a workbook made by write as a download.
func sendWorkbook(w http.ResponseWriter, name string, write func(*bytes.Buffer) error) error {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", tabular.ContentType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	_, err := buf.WriteTo(w)
	return err
}
