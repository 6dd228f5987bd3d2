package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/powers"
	"openhall/internal/publicity"
	"openhall/internal/tabular"
)

func (s *Server) registerPublicityStaffRoutes() {
	s.mux.HandleFunc("GET /staff/publicity", s.requireStaff(s.handlePublicityDesk))
	s.mux.HandleFunc("GET /staff/publicity/penalties/new", s.requireStaff(s.handlePenaltyNew))
	s.mux.HandleFunc("POST /staff/publicity/penalties", s.requireStaff(s.handlePenaltyEnter))
	s.mux.HandleFunc("POST /staff/publicity/import", s.requireStaff(s.handlePenaltyImport))
	s.mux.HandleFunc("POST /staff/publicity/entries/{id}/{action}", s.requireStaff(s.handleEntryAction))
	s.mux.HandleFunc("GET /admin/publicity-periods", s.requireRole(identity.RoleSysAdmin, s.handlePeriods))
	s.mux.HandleFunc("POST /admin/publicity-periods", s.requireRole(identity.RoleSysAdmin, s.handlePeriodsSave))
}

type publicityDeskPage struct {
	Page
	Entries    []*publicity.Entry
	Total      int
	Depts      []option
	Message    string
	Import     []string
	Prev, Next string
}

func (s *Server) handlePublicityDesk(w http.ResponseWriter, r *http.Request) error {
	return s.publicityDesk(w, r, http.StatusOK, nil)
}

func (s *Server) publicityDesk(w http.ResponseWriter, r *http.Request, status int, importErr error) error {
	offset := atoiDefault(r.URL.Query().Get("offset"), 0)
	es, n, err := s.svc.Publicity.Entries(r.Context(), actorOf(r), "", offset)
	if err != nil {
		return err
	}
	p := publicityDeskPage{Page: s.page(w, r, "双公示管理"), Entries: es, Total: n, Depts: s.editableDepts(r)}
	p.Prev, p.Next = offsetLinks(r.URL.Query(), offset, 50, offset+50 < n)
	if importErr != nil {
		p.Message, p.Import = apperr.MessageOf(importErr), tabular.ProblemsOf(importErr)
	}
	return s.render(w, status, "publicity/desk", p)
}

type penaltyFormPage struct {
	Page
	Form       form
	Depts      []option
	Holders    []option
	Kinds      []option
	Benchmarks []option
}

func (s *Server) handlePenaltyNew(w http.ResponseWriter, r *http.Request) error {
	return s.penaltyForm(w, r, http.StatusOK, newForm(url.Values{"holder_kind": {string(publicity.HolderLegal)}}, nil))
}

func (s *Server) penaltyForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	p := penaltyFormPage{Page: s.page(w, r, "录入行政处罚决定"), Form: f, Depts: s.editableDepts(r)}
	for _, h := range []publicity.HolderKind{publicity.HolderLegal, publicity.HolderBusiness, publicity.HolderPerson} {
		p.Holders = append(p.Holders, option{string(h), h.Label()})
	}
	for _, k := range powers.PenaltyKinds {
		p.Kinds = append(p.Kinds, option{k, k})
	}
	var err error
	if p.Benchmarks, err = s.benchmarkOptions(r, p.Depts); err != nil {
		return err
	}
	return s.render(w, status, "publicity/penalty_form", p)
}

// benchmarkOptions lists the benchmark rows of the published penalty powers
// of the departments, as "职权编码#序号".
func (s *Server) benchmarkOptions(r *http.Request, depts []option) ([]option, error) {
	var out []option
	for _, d := range depts {
		id, _ := strconv.ParseInt(d.Value, 10, 64)
		ps, _, err := s.svc.Powers.Public(r.Context(), "", powers.Filter{DepartmentID: id, Type: catalog.TypePenalty, Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			v, err := s.svc.Powers.PublishedVersion(r.Context(), p)
			if err != nil {
				return nil, err
			}
			for i, b := range v.Content.Benchmarks {
				out = append(out, option{p.Code + "#" + strconv.Itoa(i+1),
					p.Code + " 第 " + strconv.Itoa(i+1) + " 条：" + b.Violation + "（" + b.Level.Label() + "，" + b.Range() + "）"})
			}
		}
	}
	return out, nil
}

// penaltyInput reads the form.
func penaltyInput(v url.Values) publicity.PenaltyInput {
	dept, _ := strconv.ParseInt(v.Get("department_id"), 10, 64)
	code, seq, _ := strings.Cut(v.Get("benchmark"), "#")
	n, _ := strconv.Atoi(seq)
	return publicity.PenaltyInput{DepartmentID: dept, Number: v.Get("number"), HolderKind: v.Get("holder_kind"),
		HolderName: v.Get("holder_name"), CreditCode: v.Get("credit_code"), Title: v.Get("title"), Content: v.Get("content"),
		Basis: v.Get("basis"), Kinds: v["kinds"], Fine: v.Get("fine"), DecidedOn: v.Get("decided_on"), PowerCode: code,
		BenchmarkSeq: n, OutsideReason: v.Get("outside_reason")}
}

func (s *Server) handlePenaltyEnter(w http.ResponseWriter, r *http.Request) error {
	e, err := s.svc.Publicity.EnterPenalty(r.Context(), actorOf(r), penaltyInput(r.PostForm))
	if apperr.Is(err, apperr.Invalid) {
		f := newForm(r.PostForm, err)
		for _, k := range []string{"power_code", "benchmark_seq"} {
			if msg := f.Errors[k]; msg != "" {
				f.Errors["benchmark"] = msg
			}
		}
		return s.penaltyForm(w, r, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/publicity/entries/"+idStr(e.ID), "已公示："+e.Number)
}

// handlePenaltyImport imports a workbook of penalty decisions for one of
// the actor's departments, all or nothing.
func (s *Server) handlePenaltyImport(w http.ResponseWriter, r *http.Request) error {
	up, err := s.uploaded(r, "file", maxWorkbookBytes)
	var es []*publicity.Entry
	if err == nil {
		dept, _ := strconv.ParseInt(r.PostForm.Get("department_id"), 10, 64)
		var rows []publicity.PenaltyRow
		if rows, err = publicity.ReadPenalties(bytes.NewReader(up.Data), dept); err == nil {
			es, err = s.svc.Publicity.ImportPenalties(r.Context(), actorOf(r), rows)
		}
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Forbidden) {
		return s.publicityDesk(w, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/publicity", "已导入并公示 "+strconv.Itoa(len(es))+" 份行政处罚决定")
}

func (s *Server) handleEntryAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	reason := r.PostForm.Get("reason")
	switch r.PathValue("action") {
	case "withdraw":
		_, err = s.svc.Publicity.Withdraw(r.Context(), actorOf(r), id, reason)
	case "revoke":
		_, err = s.svc.Publicity.Revoke(r.Context(), actorOf(r), id, reason)
	default:
		return apperr.New(apperr.NotFound, "页面不存在")
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		s.setFlash(w, r, flashWarning, fieldOrMessage(err))
		http.Redirect(w, r, "/publicity/entries/"+idStr(id), http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/publicity/entries/"+idStr(id), "已更新公示状态")
}

// fieldOrMessage is the most specific message of an error.
func fieldOrMessage(err error) string {
	for _, m := range apperr.FieldsOf(err) {
		return m
	}
	return apperr.MessageOf(err)
}
