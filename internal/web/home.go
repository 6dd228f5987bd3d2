package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// The home page is where every journey starts: a search box over the
// service items, 个人办事 and 法人办事 by life event and theme, 部门办事,
// the popular items, the 一件事, 我的办件 and the progress lookup. A visitor
// may choose their region (kept in a cookie; staff default to their own):
// a township's or village's own items then come first. What it lists is
// built at most every homeTTL per region, and anonymous visitors get the
// page rendered once per region and display mode, their CSRF token put in.

const (
	homeTTL      = 30 * time.Second
	regionCookie = "oh_region"
)

type homePage struct {
	Page
	homeData
}

// homeData is what the home page lists for one region.
type homeData struct {
	Region       *org.Region // the visitor's chosen region, nil for none
	Regions      []option    // the regions one may choose, county level and below
	Local        []*catalog.Item
	Hot          []*catalog.Item
	Bundles      []*hall.Bundle
	Depts        []deptGroup
	PersonThemes []string
	LegalThemes  []string
}

// deptGroup is the departments of one region, for 部门办事.
type deptGroup struct {
	Region string
	Depts  []option
}

// homeCache keeps the home page's lists, and its anonymous renderings, per
// region for a while.
type homeCache struct {
	mu    sync.Mutex
	data  map[int64]homeEntry
	pages map[string]homeRender
}

type homeEntry struct {
	at   time.Time
	data homeData
}

type homeRender struct {
	at   time.Time
	page []byte
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	regionID := s.homeRegion(r, a)
	if cacheable(r) {
		return s.anonymousHome(w, r, regionID)
	}
	d, err := s.homeLists(r.Context(), regionID)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "home", homePage{Page: s.page(w, r, "阳光政务大厅"), homeData: d})
}

func (s *Server) anonymousHome(w http.ResponseWriter, r *http.Request, regionID int64) error {
	d := displayOf(r)
	key := strconv.FormatInt(regionID, 10) + " " + d.Classes()
	s.home.mu.Lock()
	cached, ok := s.home.pages[key]
	s.home.mu.Unlock()
	if !ok || time.Since(cached.at) > homeTTL {
		data, err := s.homeLists(r.Context(), regionID)
		if err != nil {
			return err
		}
		p := homePage{Page: Page{Title: "阳光政务大厅", CSRF: csrfMark, Nav: navFor(nil, r.URL.Path), Display: d, Path: r.URL.Path}, homeData: data}
		b, err := s.fragment("home", "layout", p)
		if err != nil {
			return err
		}
		cached = homeRender{at: time.Now(), page: b}
		s.home.mu.Lock()
		if s.home.pages == nil || len(s.home.pages) > 1000 {
			s.home.pages = map[string]homeRender{}
		}
		s.home.pages[key] = cached
		s.home.mu.Unlock()
	}
	out := bytes.ReplaceAll(cached.page, []byte(csrfMark), []byte(s.sessions.CSRFToken(w, r)))
	return writeHTML(w, http.StatusOK, out)
}

// homeRegion is the region the visitor chose, or a staff member's own;
// 0 for none.
func (s *Server) homeRegion(r *http.Request, a *identity.Actor) int64 {
	if c, err := r.Cookie(regionCookie); err == nil {
		if id, err := strconv.ParseInt(c.Value, 10, 64); err == nil && id > 0 {
			return id
		}
	}
	if path := hall.HomeRegion(a); path != "" {
		if rs, err := s.svc.Org.Regions(r.Context(), org.RegionFilter{PathPrefix: path}); err == nil {
			for _, reg := range rs {
				if reg.Path == path {
					return reg.ID
				}
			}
		}
	}
	return 0
}

// homeLists builds (or reuses) the lists for a region.
func (s *Server) homeLists(ctx context.Context, regionID int64) (homeData, error) {
	s.home.mu.Lock()
	e, ok := s.home.data[regionID]
	s.home.mu.Unlock()
	if ok && time.Since(e.at) < homeTTL {
		return e.data, nil
	}
	d, err := s.buildHome(ctx, regionID)
	if err != nil {
		return homeData{}, err
	}
	s.home.mu.Lock()
	if s.home.data == nil || len(s.home.data) > 1000 {
		s.home.data = map[int64]homeEntry{}
	}
	s.home.data[regionID] = homeEntry{at: time.Now(), data: d}
	s.home.mu.Unlock()
	return d, nil
}

func (s *Server) buildHome(ctx context.Context, regionID int64) (homeData, error) {
	d := homeData{PersonThemes: catalog.PersonThemes, LegalThemes: catalog.LegalThemes}
	var err error
	if regionID != 0 {
		if d.Local, d.Region, err = s.svc.Hall.LocalItems(ctx, regionID); apperr.Is(err, apperr.NotFound) {
			d.Region, err = nil, nil // a region since removed: as if none was chosen
		}
		if err != nil {
			return d, err
		}
	}
	if d.Hot, err = s.svc.Hall.HotItems(ctx); err != nil {
		return d, err
	}
	path := ""
	if d.Region != nil {
		path = d.Region.Path
	}
	if d.Bundles, err = s.svc.Hall.Bundles(ctx, path); err != nil {
		return d, err
	}
	if d.Depts, err = s.deptGroups(ctx); err != nil {
		return d, err
	}
	d.Regions, err = s.regionChoices(ctx)
	return d, err
}

// deptGroups lists the departments by region, for 部门办事.
func (s *Server) deptGroups(ctx context.Context) ([]deptGroup, error) {
	ds, err := s.svc.Org.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		return nil, err
	}
	rs, err := s.svc.Org.Regions(ctx, org.RegionFilter{})
	if err != nil {
		return nil, err
	}
	var out []deptGroup
	for _, reg := range rs {
		g := deptGroup{Region: reg.Name}
		for _, d := range ds {
			if d.RegionID == reg.ID {
				g.Depts = append(g.Depts, option{idStr(d.ID), d.Name})
			}
		}
		if len(g.Depts) > 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// regionChoices lists the regions of county level and below.
func (s *Server) regionChoices(ctx context.Context) ([]option, error) {
	rs, err := s.svc.Org.Regions(ctx, org.RegionFilter{})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, reg := range rs {
		if reg.Level >= org.LevelCounty {
			out = append(out, option{idStr(reg.ID), reg.Name + "（" + reg.Level.Label() + "）"})
		}
	}
	return out, nil
}

// handleRegion keeps the visitor's choice of region and returns home.
func (s *Server) handleRegion(w http.ResponseWriter, r *http.Request) error {
	v := r.PostFormValue("region_id")
	if id, err := strconv.ParseInt(v, 10, 64); v != "" && (err != nil || id <= 0) {
		return apperr.Field("region_id", "请选择所在地区")
	}
	http.SetCookie(w, &http.Cookie{Name: regionCookie, Value: v, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// staffLink is a shortcut on the staff workbench.
type staffLink struct {
	Label, URL, Hint string
}

type staffPage struct {
	Page
	Roles       []identity.Role
	Links       []staffLink
	MissingYear int // the coming year has no holiday schedule yet
}

// handleStaffHome is the workbench: what each of the actor's roles can do.
func (s *Server) handleStaffHome(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	p := staffPage{Page: s.page(w, r, "工作台"), Roles: a.Roles()}
	if year, missing := s.svc.Calendar.MissingNextYear(); missing {
		p.MissingYear = year
	}
	for _, n := range p.Nav {
		if n.URL != "/" && n.URL != "/staff" && n.URL != "/account" {
			p.Links = append(p.Links, staffLink{Label: n.Label, URL: n.URL})
		}
	}
	return s.render(w, http.StatusOK, "staff", p)
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.New(apperr.NotFound, "您要找的页面不存在，可能已被移动或删除")
}
