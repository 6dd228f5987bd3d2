package api

import (
	"net/http"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
)

// The service hall's API: 一件事 (bundles, their combined form, filing and
// progress), appointments, favourites and the home page's entries.

func (s *Server) registerHallRoutes() {
	s.handle("GET /api/v1/entries", s.handleEntries)
	s.handle("GET /api/v1/bundles", s.handleBundles)
	s.handle("POST /api/v1/bundles", s.handleBundleCreate)
	s.handle("GET /api/v1/bundles/{id}", s.handleBundle)
	s.handle("PUT /api/v1/bundles/{id}", s.handleBundleUpdate)
	s.handle("POST /api/v1/bundles/{id}/status", s.handleBundleStatus)
	s.handle("POST /api/v1/bundles/{id}/applications", s.handleBundleFile)
	s.handle("GET /api/v1/bundle-applications", s.handleBundleApplications)
	s.handle("GET /api/v1/bundle-applications/{id}", s.handleBundleApplication)
	s.handle("POST /api/v1/bundle-progress", s.handleBundleProgress)
	s.handle("GET /api/v1/appointments", s.handleAppointments)
	s.handle("POST /api/v1/appointments", s.handleAppointmentCreate)
	s.handle("GET /api/v1/queues/appointments", s.handleAppointmentQueue)
	s.handle("POST /api/v1/appointments/{id}/answer", s.handleAppointmentAnswer)
	s.handle("POST /api/v1/appointments/{id}/cancel", s.handleAppointmentCancel)
	s.handle("GET /api/v1/favourites", s.handleFavourites)
	s.handle("PUT /api/v1/favourites/{code}", s.handleFavourite(true))
	s.handle("DELETE /api/v1/favourites/{code}", s.handleFavourite(false))
}

type itemRefJSON struct {
	ImplCode   string `json:"impl_code"`
	Name       string `json:"name"`
	Department string `json:"department"`
	Online     bool   `json:"online"`
	URL        string `json:"url"`
}

func toItemRefs(its []*catalog.Item) []itemRefJSON {
	out := []itemRefJSON{}
	for _, it := range its {
		out = append(out, itemRefJSON{it.ImplCode, it.Name, it.DepartmentName, it.Online, "/items/" + it.ImplCode})
	}
	return out
}

type entriesJSON struct {
	Hot          []itemRefJSON `json:"hot"`
	Local        []itemRefJSON `json:"local"`
	Bundles      []bundleJSON  `json:"bundles"`
	PersonThemes []string      `json:"person_themes"`
	LegalThemes  []string      `json:"legal_themes"`
}

// handleEntries is what the home page offers: popular items, a township's
// or village's own items (?region=), the 一件事 and the themes.
func (s *Server) handleEntries(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	region := q.id("region")
	if err := q.err(); err != nil {
		return err
	}
	out := entriesJSON{Local: []itemRefJSON{}, Bundles: []bundleJSON{}, PersonThemes: catalog.PersonThemes, LegalThemes: catalog.LegalThemes}
	hot, err := s.svc.Hall.HotItems(r.Context())
	if err != nil {
		return err
	}
	out.Hot = toItemRefs(hot)
	path := ""
	if region != nil {
		local, reg, err := s.svc.Hall.LocalItems(r.Context(), *region)
		if err != nil {
			return err
		}
		out.Local, path = toItemRefs(local), reg.Path
	}
	bs, err := s.svc.Hall.Bundles(r.Context(), path)
	if err != nil {
		return err
	}
	for _, b := range bs {
		out.Bundles = append(out.Bundles, toBundle(b))
	}
	return writeJSON(w, http.StatusOK, out)
}

// bundleJSON is a bundle's definition.
type bundleJSON struct {
	ID        int64              `json:"id"`
	RegionID  int64              `json:"region_id"`
	Region    string             `json:"region"`
	Name      string             `json:"name"`
	Audience  string             `json:"audience"`
	Status    string             `json:"status"`
	Summary   string             `json:"summary"`
	Items     []hall.BundleItem  `json:"items"`
	Fields    []hall.SharedField `json:"fields"`
	UpdatedAt time.Time          `json:"updated_at"`
}

func toBundle(b *hall.Bundle) bundleJSON {
	fields := make([]hall.SharedField, len(b.Fields))
	for i, f := range b.Fields {
		f.Maps = nonNil(f.Maps)
		fields[i] = f
	}
	return bundleJSON{ID: b.ID, RegionID: b.RegionID, Region: b.RegionName, Name: b.Name, Audience: string(b.Audience), Status: string(b.Status),
		Summary: b.Summary, Items: nonNil(b.Items), Fields: fields, UpdatedAt: b.UpdatedAt}
}

func (s *Server) handleBundles(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.svc.Hall.Bundles(r.Context(), "")
	if err != nil {
		return err
	}
	out := []bundleJSON{}
	for _, b := range bs {
		out = append(out, toBundle(b))
	}
	return writeJSON(w, http.StatusOK, out)
}

// bundleFormJSON is a bundle with its combined form.
type bundleFormJSON struct {
	bundleJSON
	FormItems []formItemJSON  `json:"form_items"`
	Materials []materialGroup `json:"materials"`
}

type formItemJSON struct {
	ImplCode      string        `json:"impl_code"`
	Name          string        `json:"name"`
	Department    string        `json:"department"`
	ItemVersionID int64         `json:"item_version_id"`
	When          string        `json:"when"`
	Own           []cases.Field `json:"own_fields"`
}

type materialGroup struct {
	Key      string   `json:"key"`
	Name     string   `json:"name"`
	Upload   bool     `json:"upload"`
	Required bool     `json:"required"`
	Items    []string `json:"items"`
}

// handleBundle returns a bundle with its combined form: the shared fields,
// each item's own fields, and the materials asked for once.
func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := s.svc.Hall.Form(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	out := bundleFormJSON{bundleJSON: toBundle(f.Bundle), FormItems: []formItemJSON{}, Materials: []materialGroup{}}
	for _, it := range f.Items {
		out.FormItems = append(out.FormItems, formItemJSON{ImplCode: it.ImplCode, Name: it.Procedure.ItemName, Department: it.Procedure.Department,
			ItemVersionID: it.VersionID, When: it.When.Text(), Own: nonNil(it.Own)})
	}
	for _, g := range f.Materials {
		mg := materialGroup{Key: g.Key, Name: g.Name, Upload: g.Kind == cases.MaterialUpload, Required: g.Required, Items: []string{}}
		for _, u := range g.Uses {
			mg.Items = append(mg.Items, u.ImplCode)
		}
		out.Materials = append(out.Materials, mg)
	}
	return writeJSON(w, http.StatusOK, out)
}

// bundleRequest creates or changes a bundle.
type bundleRequest struct {
	RegionID int64              `json:"region_id"`
	Name     string             `json:"name"`
	Audience string             `json:"audience"`
	Summary  string             `json:"summary"`
	Items    []hall.BundleItem  `json:"items"`
	Fields   []hall.SharedField `json:"fields"`
}

func (in bundleRequest) input() hall.BundleInput {
	b := hall.BundleInput{RegionID: in.RegionID, Name: in.Name, Audience: hall.Audience(in.Audience)}
	b.Summary, b.Items, b.Fields = in.Summary, in.Items, in.Fields
	return b
}

func (s *Server) saveBundle(w http.ResponseWriter, r *http.Request, id int64, status int) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in bundleRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := s.svc.Hall.SaveBundle(r.Context(), a, id, in.input())
	if err != nil {
		return err
	}
	return writeJSON(w, status, toBundle(b))
}

func (s *Server) handleBundleCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveBundle(w, r, 0, http.StatusCreated)
}

func (s *Server) handleBundleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.saveBundle(w, r, id, http.StatusOK)
}

type statusRequest struct {
	Status string `json:"status"`
}

func (s *Server) handleBundleStatus(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in statusRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := s.svc.Hall.SetBundleStatus(r.Context(), a, id, hall.BundleStatus(in.Status))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toBundle(b))
}

// bundleFiling is the body of a bundle application: shared answers, each
// item's own fields, and one uploaded file per material group.
type bundleFiling struct {
	Shared map[string]string            `json:"shared"`
	Note   string                       `json:"note"`
	Own    map[string]map[string]string `json:"own"`
	Files  []materialRef                `json:"files"` // code = the material group's key
}

// handleBundleFile files a bundle. The Idempotency-Key header is required.
func (s *Server) handleBundleFile(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if key == "" {
		return apperr.New(apperr.Invalid, "请在 Idempotency-Key 请求头中提供本次提交的唯一标识，重试时使用同一标识")
	}
	var in bundleFiling
	if err := decode(r, &in); err != nil {
		return err
	}
	files, err := s.materials(r.Context(), a, in.Files)
	if err != nil {
		return err
	}
	f := hall.Filing{BundleID: id, Shared: in.Shared, Note: in.Note, Own: in.Own, Files: map[string]cases.MaterialFile{}, Key: key}
	for _, m := range files {
		f.Files[m.Code] = m
	}
	filed, err := s.svc.Hall.FileBundle(r.Context(), a, f)
	if err != nil {
		return err
	}
	v, err := s.svc.Hall.Application(r.Context(), a, filed.Application.ID)
	if err != nil {
		return err
	}
	out := toBundleView(v)
	status := http.StatusCreated
	if filed.Repeated {
		status = http.StatusOK
	} else {
		out.QueryCode = filed.QueryCode
	}
	return writeJSON(w, status, out)
}

// bundleViewJSON is a bundle application with its cases.
type bundleViewJSON struct {
	ID              int64              `json:"id"`
	Number          string             `json:"number"`
	Name            string             `json:"name"`
	Applicant       string             `json:"applicant"`
	CreatedAt       time.Time          `json:"created_at"`
	Due             string             `json:"due"`
	ProvisionalYear int                `json:"provisional_year,omitempty"`
	Open            int                `json:"open"`
	Cases           []bundleMemberJSON `json:"cases"`
	QueryCode       string             `json:"query_code,omitempty"`
}

type bundleMemberJSON struct {
	ID          int64          `json:"id,omitempty"`
	Number      string         `json:"number"`
	ItemName    string         `json:"item_name"`
	Department  string         `json:"department"`
	Status      cases.Status   `json:"status"`
	StatusLabel string         `json:"status_label"`
	Decision    cases.Decision `json:"decision"`
	Clocks      *clocksJSON    `json:"clocks"`
}

func toBundleView(v *hall.View) bundleViewJSON {
	app := v.Application
	out := bundleViewJSON{ID: app.ID, Number: app.Number, Name: app.Name, Applicant: app.ApplicantName, CreatedAt: app.CreatedAt,
		ProvisionalYear: v.Provisional, Open: v.Open, Cases: []bundleMemberJSON{}, QueryCode: v.QueryCode}
	if !v.Due.IsZero() {
		out.Due = v.Due.String()
	}
	for _, c := range v.Cases {
		out.Cases = append(out.Cases, bundleMemberJSON{ID: c.ID, Number: c.Number, ItemName: c.ItemName, Department: c.Department,
			Status: c.Status, StatusLabel: c.Status.Label(), Decision: c.Decision, Clocks: toClocks(c.Clocks)})
	}
	return out
}

func (s *Server) handleBundleApplications(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	apps, err := s.svc.Hall.MyApplications(r.Context(), a)
	if err != nil {
		return err
	}
	out := []bundleViewJSON{}
	for _, app := range apps {
		v, err := s.svc.Hall.Application(r.Context(), a, app.ID)
		if err != nil {
			return err
		}
		out = append(out, toBundleView(v))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleBundleApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Hall.Application(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toBundleView(v))
}

// handleBundleProgress is the public lookup of a bundle application by its
// number and 查询密码.
func (s *Server) handleBundleProgress(w http.ResponseWriter, r *http.Request) error {
	var in progressRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := s.svc.Hall.Lookup(r.Context(), in.Number, in.Code, httpkit.ClientAddr(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toBundleView(v))
}
