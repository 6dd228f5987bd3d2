package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
)

func (s *Server) registerReportRoutes() {
	s.mux.HandleFunc("GET /disclosure/reports", s.requireStaff(s.handleReport))
	s.mux.HandleFunc("POST /disclosure/reports", s.requireStaff(s.handleReportSave))
	s.mux.HandleFunc("POST /disclosure/reports/document", s.requireStaff(s.handleReportDocument))
	s.mux.HandleFunc("GET /disclosure/reports/print", s.requireStaff(s.handleReportPrint))
	s.mux.HandleFunc("GET /disclosure/reports/xlsx", s.requireStaff(s.handleReportXLSX))
}

type reportPage struct {
	Page
	Agency   *disclosure.Agency
	Agencies []option
	Year     int
	Report   *disclosure.Report
	Tables   *disclosure.Tables
	Rows     []disclosure.Table3Row
	Corner   string
	Form     form
	Query    string
	// PermitsCounted: Table 2's 行政许可 row comes from the cases module.
	PermitsCounted bool
}

// reportTarget reads the agency and year of a report page (query or form).
func (s *Server) reportTarget(r *http.Request) (*disclosure.Agency, int, error) {
	v := r.URL.Query()
	if r.Method == http.MethodPost {
		v = r.PostForm
	}
	agency, err := s.firstAgencyFrom(r, v)
	if err != nil {
		return nil, 0, err
	}
	year, err := strconv.Atoi(v.Get("year"))
	if err != nil {
		year = s.svc.Disclosure.Today().Year()
	}
	ag, err := s.svc.Disclosure.Agency(r.Context(), agency)
	return ag, year, err
}

func (s *Server) firstAgencyFrom(r *http.Request, v url.Values) (int64, error) {
	if id, err := optionalID(v, "agency"); err != nil || id != nil {
		return derefID(id), err
	}
	return s.firstAgency(r)
}

func (s *Server) reportData(w http.ResponseWriter, r *http.Request, f form) (*reportPage, error) {
	ag, year, err := s.reportTarget(r)
	if err != nil {
		return nil, err
	}
	rep, t, err := s.svc.Disclosure.AnnualReport(r.Context(), httpkit.ActorFrom(r.Context()), ag.ID, year)
	if err != nil {
		return nil, err
	}
	p := &reportPage{Page: s.page(w, r, fmt.Sprintf("%s%d年政府信息公开工作年度报告", ag.Name, year)), Agency: ag, Year: year,
		Report: rep, Tables: t, Rows: disclosure.Table3Rows, Corner: disclosure.Table3Corner, Form: f,
		Query: url.Values{"agency": {idStr(ag.ID)}, "year": {strconv.Itoa(year)}}.Encode(), PermitsCounted: disclosure.PermitsCounted(ag)}
	if p.Form.Values.Get("section1") == "" && r.Method == http.MethodGet {
		p.Form = newForm(url.Values{"section1": {rep.Section1}, "section5": {rep.Section5}, "section6": {rep.Section6},
			"permits": {strconv.Itoa(rep.Permits)}, "penalties": {strconv.Itoa(rep.Penalties)},
			"enforcement": {strconv.Itoa(rep.Enforcement)}, "fees_wan": {rep.FeesWan}}, nil)
	}
	p.Agencies, err = s.agencyOptions(r)
	return p, err
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reportData(w, r, newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/report", p)
}

func (s *Server) handleReportPrint(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reportData(w, r, newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/report_print", p)
}

func (s *Server) handleReportSave(w http.ResponseWriter, r *http.Request) error {
	ag, year, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	v := r.PostForm
	atoi := func(k string) int { n, _ := strconv.Atoi(v.Get(k)); return n }
	in := disclosure.ReportInput{Section1: v.Get("section1"), Section5: v.Get("section5"), Section6: v.Get("section6"),
		Permits: atoi("permits"), Penalties: atoi("penalties"), Enforcement: atoi("enforcement"), FeesWan: v.Get("fees_wan")}
	_, err = s.svc.Disclosure.SaveReport(r.Context(), httpkit.ActorFrom(r.Context()), ag.ID, year, in)
	if apperr.Is(err, apperr.Invalid) {
		p, perr := s.reportData(w, r, newForm(v, err))
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusUnprocessableEntity, "disclosure/report", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/disclosure/reports?agency=%d&year=%d", ag.ID, year), "已保存年度报告")
}

func (s *Server) handleReportDocument(w http.ResponseWriter, r *http.Request) error {
	ag, year, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	d, err := s.svc.Disclosure.MakeReportDocument(r.Context(), httpkit.ActorFrom(r.Context()), ag.ID, year)
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/docs/"+idStr(d.ID), "已生成年度报告公开文档，请送保密审查后发布")
}

func (s *Server) handleReportXLSX(w http.ResponseWriter, r *http.Request) error {
	ag, year, err := s.reportTarget(r)
	if err != nil {
		return err
	}
	_, t, err := s.svc.Disclosure.AnnualReport(r.Context(), httpkit.ActorFrom(r.Context()), ag.ID, year)
	if err != nil {
		return err
	}
	return writeReportXLSX(w, ag, year, t)
}

// handlePublishedReportXLSX is the public download of a published report's
// tables, as frozen when its document was made.
func (s *Server) handlePublishedReportXLSX(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agencyFromPath(r)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return apperr.New(apperr.NotFound, "页面不存在")
	}
	p, err := s.svc.Disclosure.PublishedReport(r.Context(), ag.ID, year)
	if err != nil {
		return err
	}
	return writeReportXLSX(w, ag, year, p.Tables)
}

func writeReportXLSX(w http.ResponseWriter, ag *disclosure.Agency, year int, t *disclosure.Tables) error {
	data, err := disclosure.ReportXLSX(ag, year, t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", disclosure.XLSXType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(disclosure.ReportFileName(ag, year)))
	_, err = w.Write(data)
	return err
}
