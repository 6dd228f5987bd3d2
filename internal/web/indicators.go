package web

import (
	"net/http"

	"openhall/internal/org"
	"openhall/internal/supervision"
)

// The public indicators (政务服务绩效公开): per centre and department, the
// 按时办结率, working days used against those promised and monthly
// volumes, and the audit chain's head as published each day.

func (s *Server) registerIndicatorRoutes() {
	s.mux.HandleFunc("GET /indicators", s.h(s.handleIndicators))
	s.mux.HandleFunc("GET /indicators/centres/{id}", s.h(s.handleCentreIndicators))
	s.mux.HandleFunc("GET /indicators/departments/{id}", s.h(s.handleDeptIndicators))
}

type indicatorsPage struct {
	Page
	Centres []*org.Centre
	Heads   []supervision.PublishedHead
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	centres, err := sv.PublicCentres(r.Context())
	if err != nil {
		return err
	}
	heads, err := sv.Heads(r.Context(), 30)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "indicators/index", indicatorsPage{Page: s.page(w, r, "政务服务绩效公开"), Centres: centres, Heads: heads})
}

type indicatorPage struct {
	Page
	F      *supervision.PublicFigures
	Trend  chart
	Volume chart
}

func (s *Server) indicatorPage(w http.ResponseWriter, r *http.Request, f *supervision.PublicFigures) error {
	p := indicatorPage{Page: s.page(w, r, f.Name+"绩效指标"), F: f, Trend: trendChart(f.Months),
		Volume: chart{Title: "每月收件与办结", Series: []series{{Name: "收件", Colour: "#1a5fb4"}, {Name: "办结", Colour: "#2e7d32"}}}}
	for _, m := range f.Months {
		p.Volume.Labels = append(p.Volume.Labels, m.Month[2:])
		p.Volume.Series[0].Values = append(p.Volume.Series[0].Values, float64(m.Counts.Received))
		p.Volume.Series[1].Values = append(p.Volume.Series[1].Values, float64(m.Counts.Decided))
	}
	p.Volume.Line = true
	return s.render(w, http.StatusOK, "indicators/figures", p)
}

func (s *Server) handleCentreIndicators(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := sv.PublicCentre(r.Context(), id)
	if err != nil {
		return err
	}
	return s.indicatorPage(w, r, f)
}

func (s *Server) handleDeptIndicators(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := sv.PublicDepartment(r.Context(), id)
	if err != nil {
		return err
	}
	return s.indicatorPage(w, r, f)
}
