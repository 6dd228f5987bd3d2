package api

import (
	"net/http"
	"net/url"

	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// reportJSON is an annual report with its computed tables.
type reportJSON struct {
	AgencyID   int64                                    `json:"agency_id"`
	Year       int                                      `json:"year"`
	Section1   string                                   `json:"section1"`
	Section5   string                                   `json:"section5"`
	Section6   string                                   `json:"section6"`
	DocID      *int64                                   `json:"doc_id"`
	Table2     disclosure.Table2                        `json:"table2"`
	Table3     map[string][disclosure.Table3Columns]int `json:"table3"`
	Table3Rows []disclosure.Table3Row                   `json:"table3_rows"`
	Table4     disclosure.Table4                        `json:"table4"`
	Checks     []disclosure.Check                       `json:"checks"`
}

type reportRequest struct {
	Section1    string `json:"section1"`
	Section5    string `json:"section5"`
	Section6    string `json:"section6"`
	Permits     int    `json:"permits"`
	Penalties   int    `json:"penalties"`
	Enforcement int    `json:"enforcement"`
	FeesWan     string `json:"fees_wan"`
}

// reportRequestOf reads who asks for which agency's report of which year.
func reportRequestOf(r *http.Request) (*identity.Actor, int64, int, error) {
	a, err := actor(r)
	if err != nil {
		return nil, 0, 0, err
	}
	agency, year, err := reportPath(r)
	return a, agency, year, err
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, status int) error {
	a, agency, year, err := reportRequestOf(r)
	if err != nil {
		return err
	}
	rep, t, err := s.svc.Disclosure.AnnualReport(r.Context(), a, agency, year)
	if err != nil {
		return err
	}
	return writeJSON(w, status, reportJSON{AgencyID: agency, Year: year, Section1: rep.Section1, Section5: rep.Section5,
		Section6: rep.Section6, DocID: rep.DocID, Table2: t.Table2, Table3: t.Table3, Table3Rows: disclosure.Table3Rows,
		Table4: t.Table4, Checks: t.Checks})
}

func (s *Server) handleDisclosureReport(w http.ResponseWriter, r *http.Request) error {
	return s.report(w, r, http.StatusOK)
}

func (s *Server) handleDisclosureReportSave(w http.ResponseWriter, r *http.Request) error {
	a, agency, year, err := reportRequestOf(r)
	if err != nil {
		return err
	}
	var in reportRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	_, err = s.svc.Disclosure.SaveReport(r.Context(), a, agency, year, disclosure.ReportInput{Section1: in.Section1,
		Section5: in.Section5, Section6: in.Section6, Permits: in.Permits, Penalties: in.Penalties, Enforcement: in.Enforcement, FeesWan: in.FeesWan})
	if err != nil {
		return err
	}
	return s.report(w, r, http.StatusOK)
}

func (s *Server) handleDisclosureReportDocument(w http.ResponseWriter, r *http.Request) error {
	a, agency, year, err := reportRequestOf(r)
	if err != nil {
		return err
	}
	d, err := s.svc.Disclosure.MakeReportDocument(r.Context(), a, agency, year)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toDoc(d))
}

func (s *Server) handleDisclosureReportXLSX(w http.ResponseWriter, r *http.Request) error {
	a, agency, year, err := reportRequestOf(r)
	if err != nil {
		return err
	}
	_, t, err := s.svc.Disclosure.AnnualReport(r.Context(), a, agency, year)
	if err != nil {
		return err
	}
	ag, err := s.svc.Disclosure.Agency(r.Context(), agency)
	if err != nil {
		return err
	}
	data, err := disclosure.ReportXLSX(ag, year, t)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", disclosure.XLSXType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(disclosure.ReportFileName(ag, year)))
	_, err = w.Write(data)
	return err
}
