package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/httpkit"
	"openhall/internal/opendata"
)

func (s *Server) registerOpenDataStaffRoutes() {
	s.mux.HandleFunc("GET /staff/opendata", s.requireStaff(s.handleOpenDataDesk))
	s.mux.HandleFunc("GET /staff/opendata/datasets/new", s.requireStaff(s.handleDatasetNew))
	s.mux.HandleFunc("POST /staff/opendata/datasets", s.requireStaff(s.handleDatasetSave))
	s.mux.HandleFunc("GET /staff/opendata/datasets/{id}", s.requireStaff(s.handleDatasetEdit))
	s.mux.HandleFunc("POST /staff/opendata/datasets/{id}", s.requireStaff(s.handleDatasetSave))
	s.mux.HandleFunc("POST /staff/opendata/datasets/{id}/upload", s.requireStaff(s.handleDatasetUpload))
	s.mux.HandleFunc("POST /staff/opendata/datasets/{id}/status", s.requireStaff(s.handleDatasetStatus))
	s.mux.HandleFunc("GET /staff/opendata/applications/{id}", s.requireStaff(s.handleStaffApplication))
	s.mux.HandleFunc("POST /staff/opendata/applications/{id}/decision", s.requireStaff(s.handleDecide))
}

type openDataDeskPage struct {
	Page
	Datasets []deskDataset
	Apps     []appRow
	Pending  int
	CanAdd   bool // the actor manages some publisher's data
}

// deskDataset is a dataset on the desk; one the actor only oversees (a
// 监察人员, an administrator) links to its public page, which shows it to
// them even unpublished, not to the managers' form.
type deskDataset struct {
	*opendata.Dataset
	Manage bool
}

// handleOpenDataDesk is the publisher's workbench: its datasets (uploaded
// and generated) and the applications awaiting a decision, due first.
func (s *Server) handleOpenDataDesk(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	ds, err := s.svc.OpenData.StaffDatasets(r.Context(), a, opendata.DatasetFilter{Sort: "name"})
	if err != nil {
		return err
	}
	apps, err := s.svc.OpenData.Applications(r.Context(), a, opendata.ApplicationFilter{})
	if err != nil {
		return err
	}
	rows, err := s.appRows(r, apps)
	if err != nil {
		return err
	}
	p := openDataDeskPage{Page: s.page(w, r, "开放数据管理"), Apps: rows}
	if p.Datasets, p.CanAdd, err = s.deskDatasets(r, ds); err != nil {
		return err
	}
	for _, app := range rows {
		if app.Status == opendata.AppPending {
			p.Pending++
		}
	}
	return s.render(w, http.StatusOK, "opendata/desk", p)
}

// deskDatasets marks the datasets the actor manages, and whether they
// manage any publisher at all.
func (s *Server) deskDatasets(r *http.Request, ds []*opendata.Dataset) ([]deskDataset, bool, error) {
	ags, err := s.svc.OpenData.ManagedPublishers(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return nil, false, err
	}
	managed := map[int64]bool{}
	for _, ag := range ags {
		managed[ag.ID] = true
	}
	out := make([]deskDataset, len(ds))
	for i, d := range ds {
		out[i] = deskDataset{d, managed[d.PublisherID]}
	}
	return out, len(ags) > 0, nil
}

type datasetFormPage struct {
	Page
	D          *opendata.Dataset // nil for a new one
	Form       form
	Upload     form
	Publishers []option
	Themes     []option
	Freqs      []option
	Licenses   []option
	Tiers      []option
}

func (s *Server) datasetForm(w http.ResponseWriter, r *http.Request, d *opendata.Dataset, f, up form) (*datasetFormPage, error) {
	title := "新建数据集"
	if d != nil {
		title = "管理数据集：" + d.Title
	}
	p := &datasetFormPage{Page: s.page(w, r, title), D: d, Form: f, Upload: up, Themes: termOptions(opendata.Themes),
		Freqs: termOptions(opendata.Frequencies), Licenses: termOptions(opendata.Licenses), Tiers: tierOptions()}
	ags, err := s.svc.OpenData.ManagedPublishers(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return nil, err
	}
	for _, ag := range ags {
		p.Publishers = append(p.Publishers, option{idStr(ag.ID), ag.Name})
	}
	if len(p.Publishers) == 0 {
		return nil, apperr.New(apperr.Forbidden, "您不是任何发布单位的公开专员或部门负责人，不能管理开放数据")
	}
	return p, nil
}

func (s *Server) handleDatasetNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.datasetForm(w, r, nil, newForm(url.Values{"frequency": {"monthly"}, "license": {"cc-by-4.0"}, "tier": {"open"},
		"columns": {"name|名称|text\ncount|数量|integer"}}, nil), newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "opendata/form", p)
}

// datasetValues fills the form from a dataset.
func datasetValues(d *opendata.Dataset) url.Values {
	var cols []string
	for _, c := range d.Columns {
		line := c.Name + "|" + c.Title + "|" + string(c.Type)
		if c.Personal {
			line += "|personal"
		}
		cols = append(cols, line)
	}
	v := url.Values{"publisher_id": {idStr(d.PublisherID)}, "name": {d.Name}, "title": {d.Title}, "description": {d.Description},
		"theme": {d.Theme}, "keywords": {strings.Join(d.Keywords, "，")}, "frequency": {d.Frequency}, "spatial": {d.Spatial},
		"license": {d.License}, "contact_name": {d.ContactName}, "contact_email": {d.ContactEmail}, "contact_phone": {d.ContactPhone},
		"tier": {string(d.Tier)}, "tier_reason": {d.TierReason}, "columns": {strings.Join(cols, "\n")}}
	if d.TemporalFrom != (calendar.Date{}) {
		v.Set("temporal_from", d.TemporalFrom.String())
	}
	if d.TemporalTo != (calendar.Date{}) {
		v.Set("temporal_to", d.TemporalTo.String())
	}
	return v
}

func (s *Server) staffDataset(r *http.Request) (*opendata.Dataset, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.svc.OpenData.DatasetByID(r.Context(), httpkit.ActorFrom(r.Context()), id)
}

func (s *Server) handleDatasetEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDataset(r)
	if err != nil {
		return err
	}
	p, err := s.datasetForm(w, r, d, newForm(datasetValues(d), nil), newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "opendata/form", p)
}

// parseColumns reads the columns field: one column a line, as
// 列名|标题|类型 with an optional |personal.
func parseColumns(text string) ([]opendata.Column, error) {
	var out []opendata.Column
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "｜", "|"))
		if line == "" {
			continue
		}
		p := strings.Split(line, "|")
		if len(p) < 3 || len(p) > 4 {
			return nil, apperr.Field("columns", fmt.Sprintf("第 %d 行应为“列名|标题|类型”，如 count|数量|integer", i+1))
		}
		c := opendata.Column{Name: strings.TrimSpace(p[0]), Title: strings.TrimSpace(p[1]), Type: opendata.ColumnType(strings.TrimSpace(p[2]))}
		c.Personal = len(p) == 4 && strings.TrimSpace(p[3]) == "personal"
		out = append(out, c)
	}
	return out, nil
}

func (s *Server) handleDatasetSave(w http.ResponseWriter, r *http.Request) error {
	var id int64
	var d *opendata.Dataset
	if r.PathValue("id") != "" {
		var err error
		if d, err = s.staffDataset(r); err != nil {
			return err
		}
		id = d.ID
	}
	v := r.PostForm
	saved, err := s.saveDatasetForm(r, id, v)
	if apperr.Is(err, apperr.Invalid) {
		p, perr := s.datasetForm(w, r, d, newForm(v, err), newForm(nil, nil))
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusUnprocessableEntity, "opendata/form", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/opendata/datasets/"+idStr(saved.ID), "已保存数据集描述")
}

func (s *Server) saveDatasetForm(r *http.Request, id int64, v url.Values) (*opendata.Dataset, error) {
	cols, err := parseColumns(v.Get("columns"))
	if err != nil {
		return nil, err
	}
	pub, err := requiredID(v, "publisher_id", "发布单位")
	if err != nil {
		return nil, err
	}
	in := opendata.DatasetInput{PublisherID: pub, Name: v.Get("name"), Title: v.Get("title"), Description: v.Get("description"),
		Theme: v.Get("theme"), Keywords: v.Get("keywords"), Frequency: v.Get("frequency"), TemporalFrom: v.Get("temporal_from"),
		TemporalTo: v.Get("temporal_to"), Spatial: v.Get("spatial"), License: v.Get("license"), ContactName: v.Get("contact_name"),
		ContactEmail: v.Get("contact_email"), ContactPhone: v.Get("contact_phone"), Tier: opendata.Tier(v.Get("tier")),
		TierReason: v.Get("tier_reason"), Columns: cols}
	return s.svc.OpenData.SaveDataset(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
}

func (s *Server) handleDatasetUpload(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDataset(r)
	if err != nil {
		return err
	}
	up, err := s.uploaded(r, "file", opendata.MaxUploadBytes)
	if err == nil {
		_, err = s.svc.OpenData.Upload(r.Context(), httpkit.ActorFrom(r.Context()), d.ID, up.Name, up.Data)
	}
	if formError(err) || apperr.Is(err, apperr.Conflict) {
		p, perr := s.datasetForm(w, r, d, newForm(datasetValues(d), nil), newForm(nil, err))
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusUnprocessableEntity, "opendata/form", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/opendata/datasets/"+idStr(d.ID), "数据文件已通过校验，生成了新版本")
}

func (s *Server) handleDatasetStatus(w http.ResponseWriter, r *http.Request) error {
	d, err := s.staffDataset(r)
	if err != nil {
		return err
	}
	st := opendata.Status(r.PostForm.Get("status"))
	if _, err := s.svc.OpenData.SetStatus(r.Context(), httpkit.ActorFrom(r.Context()), d.ID, st); err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/opendata/datasets/"+idStr(d.ID), "数据集已"+map[opendata.Status]string{
		opendata.StatusPublished: "发布", opendata.StatusWithdrawn: "撤回"}[st])
}

func (s *Server) handleStaffApplication(w http.ResponseWriter, r *http.Request) error {
	p, err := s.applicationData(w, r, "", newForm(nil, nil))
	if err != nil {
		return err
	}
	p.Decide = true
	return s.render(w, http.StatusOK, "opendata/application", p)
}

func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := r.PostForm
	rate := 0
	if t := strings.TrimSpace(v.Get("rate_limit")); t != "" {
		if rate, err = strconv.Atoi(t); err != nil {
			rate = -1
		}
	}
	in := opendata.DecisionInput{Approve: v.Get("decision") == "approve", Reason: v.Get("reason"), RateLimit: rate}
	_, err = s.svc.OpenData.Decide(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	if apperr.Is(err, apperr.Invalid) {
		p, perr := s.applicationData(w, r, "", newForm(v, err))
		if perr != nil {
			return perr
		}
		p.Decide = true
		return s.render(w, http.StatusUnprocessableEntity, "opendata/application", p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/opendata/applications/"+idStr(id), "已审核该申请")
}
