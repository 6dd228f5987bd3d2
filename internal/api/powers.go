package api

import (
	"bytes"
	"net/http"
	"time"

	"openhall/internal/catalog"
	"openhall/internal/httpkit"
	"openhall/internal/powers"
	"openhall/internal/tabular"
)

// registerPowerRoutes serves the power and responsibility lists with their
// discretion benchmarks, and their versioned workflow.
func (s *Server) registerPowerRoutes() {
	s.handle("GET /api/v1/powers", s.handlePowers)
	s.handle("POST /api/v1/powers", s.handlePowerCreate)
	s.handle("GET /api/v1/powers/{id}", s.handlePower)
	s.handle("POST /api/v1/powers/{id}/drafts", s.handlePowerDraft)
	s.handle("GET /api/v1/power-versions/{id}", s.handlePowerVersion)
	s.handle("PUT /api/v1/power-versions/{id}", s.handlePowerVersionSave)
	s.handle("POST /api/v1/power-versions/{id}/submit", s.powerStep("submit"))
	s.handle("POST /api/v1/power-versions/{id}/approve", s.powerStep("approve"))
	s.handle("POST /api/v1/power-versions/{id}/reject", s.powerStep("reject"))
	s.handle("POST /api/v1/power-versions/{id}/benchmarks", s.handleBenchmarkImport)
}

type powerJSON struct {
	ID           int64             `json:"id"`
	DepartmentID int64             `json:"department_id"`
	Department   string            `json:"department"`
	Code         string            `json:"code"`
	Name         string            `json:"name"`
	Type         catalog.ItemType  `json:"type"`
	TypeLabel    string            `json:"type_label"`
	PublishedID  *int64            `json:"published_version_id"`
	Published    *powerVersionJSON `json:"published,omitempty"`
}

type powerVersionJSON struct {
	ID          int64          `json:"id"`
	PowerID     int64          `json:"power_id"`
	Number      int            `json:"number"`
	State       powers.State   `json:"state"`
	Note        string         `json:"note,omitempty"`
	Content     powers.Content `json:"content"`
	PublishedAt *time.Time     `json:"published_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

func toPower(p *powers.Power) powerJSON {
	return powerJSON{ID: p.ID, DepartmentID: p.DepartmentID, Department: p.DeptName, Code: p.Code, Name: p.Name, Type: p.Type,
		TypeLabel: p.Type.Label(), PublishedID: p.PublishedID}
}

func toPowerVersion(v *powers.Version) *powerVersionJSON {
	j := &powerVersionJSON{ID: v.ID, PowerID: v.PowerID, Number: v.Number, State: v.State, Note: v.Note, Content: v.Content, UpdatedAt: v.UpdatedAt}
	if !v.PublishedAt.IsZero() {
		j.PublishedAt = &v.PublishedAt
	}
	c := &j.Content
	c.Bases, c.Duties, c.Accountability = nonNil(c.Bases), nonNil(c.Duties), nonNil(c.Accountability)
	c.ItemIDs, c.Benchmarks = nonNil(c.ItemIDs), nonNil(c.Benchmarks)
	return j
}

func (s *Server) handlePowers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := powers.Filter{Type: catalog.ItemType(q.str("type")), Offset: q.int("offset", 0, 0, 1<<30), Limit: q.int("limit", 20, 1, 100)}
	if id := q.id("department_id"); id != nil {
		f.DepartmentID = *id
	}
	if err := q.err(); err != nil {
		return err
	}
	ps, _, err := s.svc.Powers.Public(r.Context(), q.str("q"), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(ps, toPower))
}

func (s *Server) handlePower(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.Powers.Get(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	j := toPower(d.Power)
	if d.Published != nil {
		j.Published = toPowerVersion(d.Published)
	}
	return writeJSON(w, http.StatusOK, j)
}

type powerRequest struct {
	DepartmentID int64          `json:"department_id"`
	Code         string         `json:"code"`
	Content      powers.Content `json:"content"`
}

func (s *Server) handlePowerCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req powerRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	_, v, err := s.svc.Powers.Create(r.Context(), a, powers.Input(req))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toPowerVersion(v))
}

func (s *Server) handlePowerDraft(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Powers.NewDraft(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toPowerVersion(v))
}

func (s *Server) handlePowerVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, _, err := s.svc.Powers.Version(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPowerVersion(v))
}

func (s *Server) handlePowerVersionSave(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	var c powers.Content
	if err := decode(r, &c); err != nil {
		return err
	}
	v, err := s.svc.Powers.SaveDraft(r.Context(), a, id, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPowerVersion(v))
}

type rejectRequest struct {
	Reason string `json:"reason"`
}

// powerStep submits, approves or rejects a version.
func (s *Server) powerStep(step string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, id, err := actorAndID(r)
		if err != nil {
			return err
		}
		var v *powers.Version
		switch step {
		case "submit":
			v, err = s.svc.Powers.Submit(r.Context(), a, id)
		case "approve":
			v, err = s.svc.Powers.Approve(r.Context(), a, id)
		case "reject":
			var req rejectRequest
			if err := decode(r, &req); err != nil {
				return err
			}
			v, err = s.svc.Powers.Reject(r.Context(), a, id, req.Reason)
		}
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, toPowerVersion(v))
	}
}

// handleBenchmarkImport replaces a draft's benchmark with an .xlsx body
// made from the template, all or nothing; a refused file answers 422 with
// one field per problem, keyed by the cell.
func (s *Server) handleBenchmarkImport(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	rows, err := powers.ReadBenchmarks(bytes.NewReader(data))
	var v *powers.Version
	if err == nil {
		v, err = s.svc.Powers.ImportBenchmarks(r.Context(), a, id, rows)
	}
	if list := tabular.ProblemsOf(err); len(list) > 0 {
		return problemsError(err, list)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPowerVersion(v))
}
