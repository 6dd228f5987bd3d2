package api

import (
	"net/http"
	"strings"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/httpkit"
	"openhall/internal/opendata"
)

// registerOpenDataRoutes serves the open data catalogue: listing, rows
// (with a key for 有条件开放 data), the staff's description and uploads,
// conditional access, and the DCAT-AP and data.json exports.
func (s *Server) registerOpenDataRoutes() {
	s.handle("GET /api/v1/opendata/datasets", s.handleDatasets)
	s.handle("POST /api/v1/opendata/datasets", s.handleDatasetCreate)
	s.handle("GET /api/v1/opendata/datasets/{name}", s.handleDataset)
	s.handle("PUT /api/v1/opendata/datasets/{name}", s.handleDatasetUpdate)
	s.handle("GET /api/v1/opendata/datasets/{name}/rows", s.handleDatasetRows)
	s.handle("POST /api/v1/opendata/datasets/{name}/upload", s.handleDatasetUpload)
	s.handle("POST /api/v1/opendata/datasets/{name}/status", s.handleDatasetStatus)
	s.handle("POST /api/v1/opendata/datasets/{name}/applications", s.handleApply)
	s.handle("GET /api/v1/opendata/applications", s.handleApplications)
	s.handle("GET /api/v1/opendata/applications/{id}", s.handleApplication)
	s.handle("POST /api/v1/opendata/applications/{id}/decision", s.handleDecision)
	s.handle("POST /api/v1/opendata/applications/{id}/keys", s.handleIssueKey)
	s.handle("DELETE /api/v1/opendata/applications/{id}/keys/{key}", s.handleRevokeKey)
	s.handle("GET /api/v1/opendata/catalog.jsonld", s.handleDCAT("jsonld", "application/ld+json"))
	s.handle("GET /api/v1/opendata/catalog.ttl", s.handleDCAT("ttl", "text/turtle"))
	s.handle("GET /api/v1/opendata/data.json", s.handleDataJSON)
	s.registerCKANRoutes()
}

type datasetJSON struct {
	ID           int64             `json:"id"`
	Name         string            `json:"name"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	PublisherID  int64             `json:"publisher_id"`
	Publisher    string            `json:"publisher"`
	Theme        string            `json:"theme"`
	Keywords     []string          `json:"keywords"`
	Frequency    string            `json:"frequency"`
	TemporalFrom string            `json:"temporal_from,omitempty"`
	TemporalTo   string            `json:"temporal_to,omitempty"`
	Spatial      string            `json:"spatial,omitempty"`
	License      string            `json:"license"`
	ContactName  string            `json:"contact_name"`
	ContactEmail string            `json:"contact_email,omitempty"`
	ContactPhone string            `json:"contact_phone,omitempty"`
	Tier         opendata.Tier     `json:"tier"`
	TierReason   string            `json:"tier_reason,omitempty"`
	Source       string            `json:"source"`
	Columns      []opendata.Column `json:"columns"`
	Status       opendata.Status   `json:"status"`
	Version      int               `json:"version"`
	Rows         int64             `json:"rows"`
	Downloads    int64             `json:"downloads"`
	Formats      []string          `json:"formats"`
	Issued       *time.Time        `json:"issued,omitempty"`
	Modified     *time.Time        `json:"modified,omitempty"`
	URL          string            `json:"url"`
	Versions     []dataVersionJSON `json:"versions,omitempty"`
}

type dataVersionJSON struct {
	Number  int       `json:"number"`
	Rows    int64     `json:"rows"`
	SHA256  string    `json:"sha256"`
	Note    string    `json:"note"`
	Pruned  bool      `json:"pruned"`
	Created time.Time `json:"created"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func dateOrEmpty(d calendar.Date) string {
	if d == (calendar.Date{}) {
		return ""
	}
	return d.String()
}

func toDataset(base string, d *opendata.Dataset) datasetJSON {
	formats := d.Formats()
	if formats == nil {
		formats = []string{}
	}
	kw := d.Keywords
	if kw == nil {
		kw = []string{}
	}
	return datasetJSON{ID: d.ID, Name: d.Name, Title: d.Title, Description: d.Description, PublisherID: d.PublisherID,
		Publisher: d.PublisherName, Theme: d.Theme, Keywords: kw, Frequency: d.Frequency, TemporalFrom: dateOrEmpty(d.TemporalFrom),
		TemporalTo: dateOrEmpty(d.TemporalTo), Spatial: d.Spatial, License: d.License, ContactName: d.ContactName,
		ContactEmail: d.ContactEmail, ContactPhone: d.ContactPhone, Tier: d.Tier, TierReason: d.TierReason, Source: d.Source,
		Columns: d.Columns, Status: d.Status, Version: d.Version, Rows: d.RowCount, Downloads: d.Downloads, Formats: formats,
		Issued: optTime(d.IssuedAt), Modified: optTime(d.ModifiedAt), URL: opendata.DatasetURL(base, d.Name)}
}

type datasetPage struct {
	Datasets []datasetJSON `json:"datasets"`
	Total    int           `json:"total"`
}

func (s *Server) handleDatasets(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := opendata.DatasetFilter{Q: q.str("q"), Theme: q.str("theme"), Tier: opendata.Tier(q.str("tier")),
		Limit: q.int("limit", 20, 1, opendata.MaxPage), Offset: q.int("offset", 0, 0, 1<<30)}
	if id := q.id("publisher_id"); id != nil {
		f.PublisherID = *id
	}
	q.f.Check(f.Tier != "" && !f.Tier.Valid(), "tier", "参数 tier 应为 open、conditional 或 closed")
	if err := q.err(); err != nil {
		return err
	}
	ds, total, err := s.svc.OpenData.Search(r.Context(), f)
	if err != nil {
		return err
	}
	page := datasetPage{Datasets: make([]datasetJSON, len(ds)), Total: total}
	for i, d := range ds {
		page.Datasets[i] = toDataset(httpkit.BaseURL(r), d)
	}
	return writeJSON(w, http.StatusOK, page)
}

func (s *Server) handleDataset(w http.ResponseWriter, r *http.Request) error {
	d, err := s.svc.OpenData.Dataset(r.Context(), httpkit.ActorFrom(r.Context()), r.PathValue("name"))
	if err != nil {
		return err
	}
	vs, err := s.svc.OpenData.Versions(r.Context(), d)
	if err != nil {
		return err
	}
	out := toDataset(httpkit.BaseURL(r), d)
	for _, v := range vs {
		out.Versions = append(out.Versions, dataVersionJSON{Number: v.Number, Rows: v.RowCount, SHA256: v.SHA256, Note: v.Note,
			Pruned: v.Pruned, Created: v.CreatedAt})
	}
	return writeJSON(w, http.StatusOK, out)
}

// apiKey reads an open-data key: X-API-Key, "Authorization: Bearer …" (or
// CKAN's bare Authorization), or the key parameter.
func apiKey(r *http.Request) string {
	if k := r.Header.Get("X-API-Key"); k != "" {
		return strings.TrimSpace(k)
	}
	if a := strings.TrimSpace(r.Header.Get("Authorization")); a != "" {
		return strings.TrimSpace(strings.TrimPrefix(a, "Bearer "))
	}
	return strings.TrimSpace(r.URL.Query().Get("key"))
}

type rowsJSON struct {
	Dataset string              `json:"dataset"`
	Version int                 `json:"version"`
	Fields  []string            `json:"fields"`
	Offset  int                 `json:"offset"`
	Total   int64               `json:"total"`
	Rows    []map[string]string `json:"rows"`
}

func (s *Server) handleDatasetRows(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	offset, limit := q.int("offset", 0, 0, 1<<30), q.int("limit", 100, 1, opendata.MaxRowsPage)
	if err := q.err(); err != nil {
		return err
	}
	p, err := s.svc.OpenData.Rows(r.Context(), httpkit.ActorFrom(r.Context()), r.PathValue("name"), apiKey(r), offset, limit)
	if err != nil {
		return err
	}
	rows := p.Rows
	if rows == nil {
		rows = []map[string]string{}
	}
	return writeJSON(w, http.StatusOK, rowsJSON{Dataset: p.Dataset.Name, Version: p.Version.Number, Fields: p.Fields,
		Offset: p.Offset, Total: p.Version.RowCount, Rows: rows})
}

// datasetRequest is the body that describes an uploaded dataset.
type datasetRequest struct {
	PublisherID  int64             `json:"publisher_id"`
	Name         string            `json:"name"`
	Title        string            `json:"title"`
	Description  string            `json:"description"`
	Theme        string            `json:"theme"`
	Keywords     []string          `json:"keywords"`
	Frequency    string            `json:"frequency"`
	TemporalFrom string            `json:"temporal_from"`
	TemporalTo   string            `json:"temporal_to"`
	Spatial      string            `json:"spatial"`
	License      string            `json:"license"`
	ContactName  string            `json:"contact_name"`
	ContactEmail string            `json:"contact_email"`
	ContactPhone string            `json:"contact_phone"`
	Tier         opendata.Tier     `json:"tier"`
	TierReason   string            `json:"tier_reason"`
	Columns      []opendata.Column `json:"columns"`
}

func (in datasetRequest) input() opendata.DatasetInput {
	return opendata.DatasetInput{PublisherID: in.PublisherID, Name: in.Name, Title: in.Title, Description: in.Description,
		Theme: in.Theme, Keywords: strings.Join(in.Keywords, ","), Frequency: in.Frequency, TemporalFrom: in.TemporalFrom,
		TemporalTo: in.TemporalTo, Spatial: in.Spatial, License: in.License, ContactName: in.ContactName,
		ContactEmail: in.ContactEmail, ContactPhone: in.ContactPhone, Tier: in.Tier, TierReason: in.TierReason, Columns: in.Columns}
}

func (s *Server) handleDatasetCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveDataset(w, r, 0, http.StatusCreated)
}

func (s *Server) handleDatasetUpdate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDataset(r)
	if err != nil {
		return err
	}
	return s.saveDataset(w, r, d.ID, http.StatusOK)
}

func (s *Server) saveDataset(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in datasetRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := s.svc.OpenData.SaveDataset(r.Context(), a, id, in.input())
	if err != nil {
		return err
	}
	return writeJSON(w, status, toDataset(httpkit.BaseURL(r), d))
}

// staffDataset loads the dataset named in the path for the signed-in actor.
func (s *Server) staffDataset(r *http.Request) (*opendata.Dataset, error) {
	a, err := actor(r)
	if err != nil {
		return nil, err
	}
	return s.svc.OpenData.Dataset(r.Context(), a, r.PathValue("name"))
}

func (s *Server) handleDatasetUpload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDataset(r)
	if err != nil {
		return err
	}
	up, err := readFormFile(w, r, "file", opendata.MaxUploadBytes, "请以 multipart/form-data 的 file 字段上传一个 CSV 或 XLSX 文件（不超过 32 MB）")
	if err != nil {
		return err
	}
	if _, err := s.svc.OpenData.Upload(r.Context(), httpkit.ActorFrom(r.Context()), d.ID, up.Name, up.Data); err != nil {
		return err
	}
	d, err = s.svc.OpenData.DatasetByID(r.Context(), httpkit.ActorFrom(r.Context()), d.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toDataset(httpkit.BaseURL(r), d))
}

func (s *Server) handleDatasetStatus(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDataset(r)
	if err != nil {
		return err
	}
	var in struct {
		Status opendata.Status `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err = s.svc.OpenData.SetStatus(r.Context(), httpkit.ActorFrom(r.Context()), d.ID, in.Status)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toDataset(httpkit.BaseURL(r), d))
}

func (s *Server) handleDCAT(format, mediaType string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		e, err := s.svc.OpenData.ExportCatalog(r.Context(), httpkit.BaseURL(r))
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", mediaType+"; charset=utf-8")
		return e.WriteDCAT(w, format)
	}
}

func (s *Server) handleDataJSON(w http.ResponseWriter, r *http.Request) error {
	e, err := s.svc.OpenData.ExportCatalog(r.Context(), httpkit.BaseURL(r))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return e.WriteDataJSON(w)
}
