package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// option is one choice of a select or checkbox group.
type option struct{ Value, Label string }

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func (s *Server) registerOrgRoutes() {
	admin := func(fn handlerFunc) http.HandlerFunc { return s.requireRole(identity.RoleSysAdmin, fn) }
	s.mux.HandleFunc("GET /admin/regions", admin(s.handleRegions))
	s.mux.HandleFunc("GET /admin/regions/new", admin(s.handleRegionNew))
	s.mux.HandleFunc("POST /admin/regions", admin(s.handleRegionSave))
	s.mux.HandleFunc("GET /admin/regions/{id}/edit", admin(s.handleRegionEdit))
	s.mux.HandleFunc("POST /admin/regions/{id}", admin(s.handleRegionSave))
	s.registerUnitRoutes(admin)
}

type regionsPage struct {
	Page
	Regions []*org.Region
}

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.svc.Org.AdminRegions(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin/regions", regionsPage{Page: s.page(w, r, "区域管理"), Regions: rs})
}

type regionFormPage struct {
	Page
	Form    form
	Region  *org.Region // nil when creating
	Parents []option
	Levels  []option
	Global  bool // an administrator of the whole deployment, who alone adds a top-level region
}

func (s *Server) regionForm(w http.ResponseWriter, r *http.Request, status int, region *org.Region, f form) error {
	a := httpkit.ActorFrom(r.Context())
	rs, err := s.svc.Org.AdminRegions(r.Context(), a)
	if err != nil {
		return err
	}
	p := regionFormPage{Page: s.page(w, r, "新建区域"), Form: f, Region: region, Global: a.IsGlobalAdmin()}
	if region != nil {
		p.Title = "编辑区域：" + region.Name
	}
	for _, x := range rs {
		if x.Level < org.LevelVillage {
			p.Parents = append(p.Parents, option{idStr(x.ID), fmt.Sprintf("%s（%s，%s）", x.Name, x.Code, x.Level.Label())})
		}
	}
	for _, l := range org.Levels {
		p.Levels = append(p.Levels, option{strconv.Itoa(int(l)), fmt.Sprintf("%d %s", l, l.Label())})
	}
	return s.render(w, status, "admin/region_form", p)
}

func (s *Server) handleRegionNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm(url.Values{"parent_id": {r.URL.Query().Get("parent")}}, nil)
	return s.regionForm(w, r, http.StatusOK, nil, f)
}

func (s *Server) handleRegionEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	region, err := s.svc.Org.Region(r.Context(), id)
	if err != nil {
		return err
	}
	f := newForm(url.Values{"code": {region.Code}, "name": {region.Name}, "level": {strconv.Itoa(int(region.Level))}}, nil)
	return s.regionForm(w, r, http.StatusOK, region, f)
}

// handleRegionSave creates (no id) or updates a region.
func (s *Server) handleRegionSave(w http.ResponseWriter, r *http.Request) error {
	a, v := httpkit.ActorFrom(r.Context()), r.PostForm
	parent, err := optionalID(v, "parent_id")
	level, _ := strconv.Atoi(v.Get("level"))
	in := org.RegionInput{ParentID: parent, Code: v.Get("code"), Name: v.Get("name"), Level: org.Level(level)}
	var region *org.Region
	if err == nil && r.PathValue("id") == "" {
		region, err = s.svc.Org.CreateRegion(r.Context(), a, in)
	} else if err == nil {
		var id int64
		if id, err = pathID(r.PathValue("id")); err == nil {
			region, err = s.svc.Org.UpdateRegion(r.Context(), a, id, in)
		}
	}
	if apperr.Is(err, apperr.Invalid) {
		existing, _ := s.existingRegion(r)
		return s.regionForm(w, r, http.StatusUnprocessableEntity, existing, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/regions", "已保存区域："+region.Name)
}

func (s *Server) existingRegion(r *http.Request) (*org.Region, error) {
	if r.PathValue("id") == "" {
		return nil, nil
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.svc.Org.Region(r.Context(), id)
}
