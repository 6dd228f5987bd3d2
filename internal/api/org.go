package api

import (
	"net/http"
	"time"

	"openhall/internal/org"
)

// registerOrgRoutes serves the organisation structure: regions here,
// centres, departments and windows in units.go and windows.go. Reading it
// needs no login: the structure of government is public information.
func (s *Server) registerOrgRoutes() {
	s.handle("GET /api/v1/regions", s.handleRegions)
	s.handle("GET /api/v1/regions/{id}", s.handleRegion)
	s.handle("POST /api/v1/regions", s.handleRegionCreate)
	s.handle("PATCH /api/v1/regions/{id}", s.handleRegionUpdate)
	s.registerUnitRoutes()
	s.registerWindowRoutes()
}

// regionJSON is an administrative region.
type regionJSON struct {
	ID         int64     `json:"id"`
	ParentID   *int64    `json:"parent_id"`
	Code       string    `json:"code"`
	Name       string    `json:"name"`
	Level      org.Level `json:"level"`
	LevelLabel string    `json:"level_label"`
	Path       string    `json:"path"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func toRegion(r *org.Region) regionJSON {
	return regionJSON{ID: r.ID, ParentID: r.ParentID, Code: r.Code, Name: r.Name, Level: r.Level,
		LevelLabel: r.Level.Label(), Path: r.Path, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// regionCreateRequest is the body of POST /api/v1/regions.
type regionCreateRequest struct {
	ParentID *int64    `json:"parent_id"`
	Code     string    `json:"code"`
	Name     string    `json:"name"`
	Level    org.Level `json:"level"`
}

// regionUpdateRequest is the body of PATCH /api/v1/regions/{id}; absent
// fields stay as they are. A region's parent and level never change.
type regionUpdateRequest struct {
	Code *string `json:"code"`
	Name *string `json:"name"`
}

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := org.RegionFilter{ParentID: q.id("parent_id"), Roots: q.flag("roots"), MaxLevel: org.Level(q.int("max_level", 0, 1, 6))}
	if err := q.err(); err != nil {
		return err
	}
	rs, err := s.svc.Org.Regions(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(rs, toRegion))
}

func (s *Server) handleRegion(w http.ResponseWriter, r *http.Request) error {
	return getOne(w, r, s.svc.Org.Region, toRegion)
}

func (s *Server) handleRegionCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in regionCreateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	reg, err := s.svc.Org.CreateRegion(r.Context(), a, org.RegionInput{ParentID: in.ParentID, Code: in.Code, Name: in.Name, Level: in.Level})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toRegion(reg))
}

// handleRegionUpdate fills absent fields from the stored region, because
// org.Service.UpdateRegion takes the whole code and name.
func (s *Server) handleRegionUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in regionUpdateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	cur, err := s.svc.Org.Region(r.Context(), id)
	if err != nil {
		return err
	}
	reg, err := s.svc.Org.UpdateRegion(r.Context(), a, id, org.RegionInput{Code: or(in.Code, cur.Code), Name: or(in.Name, cur.Name)})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toRegion(reg))
}

// or returns *p, or def when p is nil.
func or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
