package api

import (
	"net/http"
	"time"

	"openhall/internal/org"
	"openhall/internal/supervision"
)

// The public indicators, in the open-data form of the /indicators pages.

func (s *Server) registerIndicatorRoutes() {
	s.handle("GET /api/v1/public/indicators", s.handlePublicCentres)
	s.handle("GET /api/v1/public/indicators/centres/{id}", s.handlePublicCentre)
	s.handle("GET /api/v1/public/indicators/departments/{id}", s.handlePublicDept)
	s.handle("GET /api/v1/public/audit-heads", s.handlePublicHeads)
}

type publicCentreJSON struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Region string `json:"region"`
	Kind   string `json:"kind"`
}

func (s *Server) handlePublicCentres(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	cs, err := sv.PublicCentres(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(cs, func(c *org.Centre) publicCentreJSON {
		return publicCentreJSON{c.ID, c.Name, c.RegionName, string(c.Kind)}
	}))
}

func (s *Server) handlePublicCentre(w http.ResponseWriter, r *http.Request) error {
	return s.publicFigures(w, r, func(sv *supervision.Service, id int64) (*supervision.PublicFigures, error) {
		return sv.PublicCentre(r.Context(), id)
	})
}

func (s *Server) handlePublicDept(w http.ResponseWriter, r *http.Request) error {
	return s.publicFigures(w, r, func(sv *supervision.Service, id int64) (*supervision.PublicFigures, error) {
		return sv.PublicDepartment(r.Context(), id)
	})
}

func (s *Server) publicFigures(w http.ResponseWriter, r *http.Request, fn func(*supervision.Service, int64) (*supervision.PublicFigures, error)) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := fn(sv, id)
	if err != nil {
		return err
	}
	if f.Extra == nil {
		f.Extra = []supervision.Figure{}
	}
	return writeJSON(w, http.StatusOK, f)
}

type headJSON struct {
	Date        string    `json:"date"`
	Seq         int64     `json:"seq"`
	Hash        string    `json:"hash"`
	PublishedAt time.Time `json:"published_at"`
}

func (s *Server) handlePublicHeads(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	q := newQuery(r)
	limit := q.int("limit", 30, 1, 400)
	if err := q.err(); err != nil {
		return err
	}
	hs, err := sv.Heads(r.Context(), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(hs, func(h supervision.PublishedHead) headJSON {
		return headJSON{h.Date, h.Seq, h.Hash, h.PublishedAt}
	}))
}
