package api

import (
	"context"
	"net/http"
	"time"

	"openhall/internal/identity"
	"openhall/internal/org"
)

// registerUnitRoutes serves service centres and the departments stationed
// in them. A PUT replaces every field, as the service's Save does.
func (s *Server) registerUnitRoutes() {
	s.handle("GET /api/v1/centres", s.handleCentres)
	s.handle("GET /api/v1/centres/{id}", s.handleCentre)
	s.handle("POST /api/v1/centres", s.handleCentreSave)
	s.handle("PUT /api/v1/centres/{id}", s.handleCentreSave)
	s.handle("GET /api/v1/departments", s.handleDepartments)
	s.handle("GET /api/v1/departments/{id}", s.handleDepartment)
	s.handle("POST /api/v1/departments", s.handleDepartmentSave)
	s.handle("PUT /api/v1/departments/{id}", s.handleDepartmentSave)
}

// centreJSON is a service centre.
type centreJSON struct {
	ID         int64          `json:"id"`
	RegionID   int64          `json:"region_id"`
	RegionName string         `json:"region_name"`
	Name       string         `json:"name"`
	Kind       org.CentreKind `json:"kind"`
	KindLabel  string         `json:"kind_label"`
	Address    string         `json:"address"`
	Phone      string         `json:"phone"`
	Hours      string         `json:"hours"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

func toCentre(c *org.Centre) centreJSON {
	return centreJSON{ID: c.ID, RegionID: c.RegionID, RegionName: c.RegionName, Name: c.Name, Kind: c.Kind,
		KindLabel: c.Kind.Label(), Address: c.Address, Phone: c.Phone, Hours: c.Hours, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

// centreRequest is the body of POST /api/v1/centres and PUT /api/v1/centres/{id}.
type centreRequest struct {
	RegionID int64          `json:"region_id"`
	Name     string         `json:"name"`
	Kind     org.CentreKind `json:"kind"`
	Address  string         `json:"address"`
	Phone    string         `json:"phone"`
	Hours    string         `json:"hours"`
}

func (s *Server) handleCentres(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := org.CentreFilter{RegionID: q.id("region_id")}
	if err := q.err(); err != nil {
		return err
	}
	cs, err := s.svc.Org.Centres(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(cs, toCentre))
}

func (s *Server) handleCentre(w http.ResponseWriter, r *http.Request) error {
	return getOne(w, r, s.svc.Org.Centre, toCentre)
}

// handleCentreSave creates (POST) or replaces (PUT) a centre.
func (s *Server) handleCentreSave(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in centreRequest) (*org.Centre, error) {
		return s.svc.Org.SaveCentre(ctx, a, id, org.CentreInput{RegionID: in.RegionID, Name: in.Name, Kind: in.Kind,
			Address: in.Address, Phone: in.Phone, Hours: in.Hours})
	}, toCentre)
}

// departmentJSON is a government department.
type departmentJSON struct {
	ID         int64     `json:"id"`
	RegionID   int64     `json:"region_id"`
	RegionName string    `json:"region_name"`
	CentreID   *int64    `json:"centre_id"`
	CentreName string    `json:"centre_name"`
	Name       string    `json:"name"`
	CreditCode string    `json:"credit_code"`
	Phone      string    `json:"phone"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func toDepartment(d *org.Department) departmentJSON {
	return departmentJSON{ID: d.ID, RegionID: d.RegionID, RegionName: d.RegionName, CentreID: d.CentreID, CentreName: d.CentreName,
		Name: d.Name, CreditCode: d.CreditCode, Phone: d.Phone, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// departmentRequest is the body of POST /api/v1/departments and PUT /api/v1/departments/{id}.
type departmentRequest struct {
	RegionID   int64  `json:"region_id"`
	CentreID   *int64 `json:"centre_id"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	Phone      string `json:"phone"`
}

func (s *Server) handleDepartments(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := org.DepartmentFilter{RegionID: q.id("region_id"), CentreID: q.id("centre_id")}
	if err := q.err(); err != nil {
		return err
	}
	ds, err := s.svc.Org.Departments(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(ds, toDepartment))
}

func (s *Server) handleDepartment(w http.ResponseWriter, r *http.Request) error {
	return getOne(w, r, s.svc.Org.Department, toDepartment)
}

// handleDepartmentSave creates (POST) or replaces (PUT) a department.
func (s *Server) handleDepartmentSave(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in departmentRequest) (*org.Department, error) {
		return s.svc.Org.SaveDepartment(ctx, a, id, org.DepartmentInput{RegionID: in.RegionID, CentreID: in.CentreID,
			Name: in.Name, CreditCode: in.CreditCode, Phone: in.Phone})
	}, toDepartment)
}
