package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/opendata"
)

func (s *Server) registerOpenDataRoutes() {
	s.mux.HandleFunc("GET /opendata", s.h(s.handleOpenData))
	s.mux.HandleFunc("GET /opendata/datasets/{name}", s.h(s.handleOpenDataset))
	for _, f := range []string{opendata.FormatCSV, opendata.FormatJSON, opendata.FormatXLSX} {
		s.mux.HandleFunc("GET /opendata/datasets/{name}/download."+f, s.h(s.handleDownload(f)))
	}
	s.mux.HandleFunc("GET /opendata/licenses/{code}", s.h(s.handleLicense))
	s.registerOpenDataAccessRoutes()
	s.registerOpenDataStaffRoutes()
}

type openDataPage struct {
	Page
	Datasets   []*opendata.Dataset
	Total      int
	Form       form
	Themes     []option
	Publishers []option
	Tiers      []option
	Prev, Next string
}

const openDataPageSize = 20

func tierOptions() []option {
	return []option{{string(opendata.TierOpen), "无条件开放（可下载 CSV、JSON、XLSX）"}, {string(opendata.TierConditional), "有条件开放（申请接口）"},
		{string(opendata.TierClosed), "不予开放（仅列目录）"}}
}

func termOptions(ts []opendata.Term) []option {
	out := make([]option, len(ts))
	for i, t := range ts {
		out[i] = option{t.Code, t.Label}
	}
	return out
}

// handleOpenData is the catalogue: search and browse by theme, publisher
// and openness (which decides the formats).
func (s *Server) handleOpenData(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	offset, _ := strconv.Atoi(v.Get("offset"))
	f := opendata.DatasetFilter{Q: strings.TrimSpace(v.Get("q")), Theme: v.Get("theme"), Tier: opendata.Tier(v.Get("tier")),
		Limit: openDataPageSize, Offset: max(offset, 0)}
	if id, err := optionalID(v, "publisher"); err == nil && id != nil {
		f.PublisherID = *id
	}
	ds, total, err := s.svc.OpenData.Search(r.Context(), f)
	if err != nil {
		return err
	}
	p := openDataPage{Page: s.page(w, r, "开放数据"), Datasets: ds, Total: total, Form: newForm(v, nil),
		Themes: termOptions(opendata.Themes), Tiers: tierOptions()}
	if p.Publishers, err = s.agencyOptions(r); err != nil {
		return err
	}
	p.Prev, p.Next = pageLinks(v, f.Offset, openDataPageSize, total)
	return s.render(w, http.StatusOK, "opendata/index", p)
}

type datasetPage struct {
	Page
	D        *opendata.Dataset
	Preview  [][]string
	Versions []*opendata.Version
	Chart    *barChart
	APIURL   string
	CanApply bool
	Manage   bool
}

func (s *Server) handleOpenDataset(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	d, err := s.svc.OpenData.Dataset(r.Context(), a, r.PathValue("name"))
	if err != nil {
		return err
	}
	p := datasetPage{Page: s.page(w, r, d.Title), D: d, APIURL: opendata.RowsURL("", d.Name),
		CanApply: d.Tier == opendata.TierConditional && d.Status == opendata.StatusPublished}
	if p.Preview, err = s.svc.OpenData.Preview(r.Context(), a, d, 20); err != nil {
		return err
	}
	if p.Versions, err = s.svc.OpenData.Versions(r.Context(), d); err != nil {
		return err
	}
	p.Chart = datasetChart(d, p.Preview)
	ag, err := s.svc.Disclosure.Agency(r.Context(), d.PublisherID)
	if err != nil {
		return err
	}
	p.Manage = opendata.CanManage(a, ag) == nil
	return s.render(w, http.StatusOK, "opendata/dataset", p)
}

// handleDownload answers a version of a dataset in a format: a CSV from its
// kept file, checked before it is sent; otherwise rows go out as they are
// read, so a large dataset never sits in memory.
func (s *Server) handleDownload(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a := httpkit.ActorFrom(r.Context())
		d, err := s.svc.OpenData.Dataset(r.Context(), a, r.PathValue("name"))
		if err != nil {
			return err
		}
		number, _ := strconv.Atoi(r.URL.Query().Get("version"))
		v, err := s.svc.OpenData.Download(r.Context(), a, d, number)
		if err != nil {
			return err
		}
		if err := s.svc.OpenData.CountDownload(r.Context(), d); err != nil {
			return err
		}
		if format == opendata.FormatCSV {
			if served, err := s.svc.OpenData.ServeCSV(w, r, d, v); served || err != nil {
				return err
			}
		}
		name := opendata.DownloadName(d, v, format)
		w.Header().Set("Content-Type", opendata.MediaType(format))
		w.Header().Set("Content-Disposition", "attachment; filename=\""+name+"\"; filename*=UTF-8''"+url.PathEscape(d.Title)+"."+format)
		w.Header().Set("Cache-Control", "no-store")
		if err := s.svc.OpenData.WriteTo(r.Context(), w, d, v, format); err != nil {
			httpkit.LogFailure(s.log, r, "stream dataset", err) // the response has begun: it can only be cut short
		}
		return nil
	}
}

type licensePage struct {
	Page
	Label string
}

func (s *Server) handleLicense(w http.ResponseWriter, r *http.Request) error {
	label := opendata.LicenseLabel(r.PathValue("code"))
	if label == "" {
		return apperr.New(apperr.NotFound, "没有这个开放许可")
	}
	return s.render(w, http.StatusOK, "opendata/license", licensePage{Page: s.page(w, r, "开放许可"), Label: label})
}
