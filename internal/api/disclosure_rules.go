package api

import (
	"net/http"

	"openhall/internal/apperr"

	"openhall/internal/disclosure"
)

func (s *Server) registerPublishRuleRoutes() {
	s.handle("GET /api/v1/disclosure/publish-rules", s.handlePublishRules)
	s.handle("PUT /api/v1/disclosure/publish-rules/{category}", s.handlePublishRuleSave)
	s.handle("DELETE /api/v1/disclosure/publish-rules/{category}", s.handlePublishRuleDelete)
}

// publishRuleJSON is a category's publication period.
type publishRuleJSON struct {
	Category      string `json:"category"`
	CategoryLabel string `json:"category_label"`
	Days          int    `json:"days"`
	Unit          string `json:"unit"`
	Basis         string `json:"basis"`
	Period        string `json:"period"`
	Statute       bool   `json:"statute"`
}

type publishRuleRequest struct {
	Days  int    `json:"days"`
	Unit  string `json:"unit"`
	Basis string `json:"basis"`
}

func toPublishRule(r *disclosure.PublishRule) publishRuleJSON {
	unit := "workdays"
	if r.Calendar {
		unit = "days"
	}
	return publishRuleJSON{Category: r.Category, CategoryLabel: r.CategoryLabel(), Days: r.Days, Unit: unit,
		Basis: r.Basis, Period: r.Period(), Statute: r.Statute}
}

func (s *Server) handlePublishRules(w http.ResponseWriter, r *http.Request) error {
	if _, err := actor(r); err != nil {
		return err
	}
	rules, err := s.svc.Disclosure.PublishRules(r.Context())
	if err != nil {
		return err
	}
	out := make([]publishRuleJSON, 0, len(rules))
	for _, p := range rules {
		out = append(out, toPublishRule(p))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) handlePublishRuleSave(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in publishRuleRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Unit != "workdays" && in.Unit != "days" {
		return apperr.Field("unit", "计算方式应为 workdays（工作日）或 days（自然日）")
	}
	p, err := s.svc.Disclosure.SetPublishRule(r.Context(), a, disclosure.PublishRuleInput{Category: r.PathValue("category"),
		Days: in.Days, Calendar: in.Unit == "days", Basis: in.Basis})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toPublishRule(p))
}

func (s *Server) handlePublishRuleDelete(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	if err := s.svc.Disclosure.DeletePublishRule(r.Context(), a, r.PathValue("category")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
