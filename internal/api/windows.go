package api

import (
	"context"
	"net/http"
	"time"

	"openhall/internal/identity"
	"openhall/internal/org"
)

// registerWindowRoutes serves the windows of the centres. The public view
// names the staff at a window by account id only, never by personal data.
func (s *Server) registerWindowRoutes() {
	s.handle("GET /api/v1/windows", s.handleWindows)
	s.handle("GET /api/v1/windows/{id}", s.handleWindow)
	s.handle("POST /api/v1/windows", s.handleWindowSave)
	s.handle("PUT /api/v1/windows/{id}", s.handleWindowSave)
}

// windowJSON is a service window.
type windowJSON struct {
	ID            int64          `json:"id"`
	CentreID      int64          `json:"centre_id"`
	CentreName    string         `json:"centre_name"`
	Number        string         `json:"number"`
	Name          string         `json:"name"`
	Kind          org.WindowKind `json:"kind"`
	KindLabel     string         `json:"kind_label"`
	DepartmentIDs []int64        `json:"department_ids"`
	StaffIDs      []int64        `json:"staff_ids"`
	CreatedAt     time.Time      `json:"created_at"`
	UpdatedAt     time.Time      `json:"updated_at"`
}

func toWindow(w *org.Window) windowJSON {
	return windowJSON{ID: w.ID, CentreID: w.CentreID, CentreName: w.CentreName, Number: w.Number, Name: w.Name,
		Kind: w.Kind, KindLabel: w.Kind.Label(), DepartmentIDs: ids(w.DepartmentIDs), StaffIDs: ids(w.StaffIDs),
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

// windowRequest is the body of POST /api/v1/windows and PUT /api/v1/windows/{id}.
type windowRequest struct {
	CentreID      int64          `json:"centre_id"`
	Number        string         `json:"number"`
	Name          string         `json:"name"`
	Kind          org.WindowKind `json:"kind"`
	DepartmentIDs []int64        `json:"department_ids"`
	StaffIDs      []int64        `json:"staff_ids"`
}

func (s *Server) handleWindows(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := org.WindowFilter{CentreID: q.id("centre_id")}
	if err := q.err(); err != nil {
		return err
	}
	ws, err := s.svc.Org.Windows(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(ws, toWindow))
}

func (s *Server) handleWindow(w http.ResponseWriter, r *http.Request) error {
	return getOne(w, r, s.svc.Org.Window, toWindow)
}

// handleWindowSave creates (POST) or replaces (PUT) a window with the
// departments it serves and the staff who sit at it.
func (s *Server) handleWindowSave(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in windowRequest) (*org.Window, error) {
		return s.svc.Org.SaveWindow(ctx, a, id, org.WindowInput{CentreID: in.CentreID, Number: in.Number, Name: in.Name,
			Kind: in.Kind, DepartmentIDs: in.DepartmentIDs, StaffIDs: in.StaffIDs})
	}, toWindow)
}
