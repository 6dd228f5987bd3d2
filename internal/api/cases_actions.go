package api

import (
	"net/http"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
)

// actionRequest is the body of POST /api/v1/cases/{id}/actions.
type actionRequest struct {
	Kind      cases.CommandKind `json:"kind"`
	Version   int               `json:"version"`
	Branch    int               `json:"branch"`
	ToStep    int               `json:"to_step"`
	Reason    string            `json:"reason"`
	Items     []string          `json:"items"`
	Needs     []string          `json:"needs"`
	Answers   []string          `json:"answers"`
	Days      int               `json:"days"`
	Code      string            `json:"code"`
	Decision  cases.Decision    `json:"decision"`
	AmountFen int64             `json:"amount_fen"`
	Materials []materialRef     `json:"materials"`
}

// handleCaseAction performs one command. An illegal transition, or a case
// changed since `version`, answers 409.
func (s *Server) handleCaseAction(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in actionRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	// Without the version seen, a request sent twice (a retry, a double
	// click) would act twice, the second time on the next step.
	if in.Version < 1 {
		return apperr.Field("version", "请提供所见的办件版本 version（读取办件时返回），以免重复提交的操作再次生效")
	}
	ms, err := s.materials(r.Context(), a, in.Materials)
	if err != nil {
		return err
	}
	act := cases.Action{Version: in.Version, Materials: ms, Command: cases.Command{Kind: in.Kind, Branch: in.Branch,
		ToStep: in.ToStep, Reason: in.Reason, Items: in.Items, Needs: in.Needs, Answers: in.Answers, Days: in.Days, Code: in.Code,
		Decision: in.Decision, AmountFen: in.AmountFen}}
	c, err := s.svc.Cases.Act(r.Context(), a, id, act)
	if err != nil {
		return err
	}
	cl, err := s.svc.Cases.Viewed(a, c)
	if err != nil {
		return err
	}
	out, err := s.caseWithClocks(r, c, cl)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// summaryJSON is a case in a list.
type summaryJSON struct {
	ID          int64          `json:"id"`
	Number      string         `json:"number"`
	Status      cases.Status   `json:"status"`
	StatusLabel string         `json:"status_label"`
	Decision    cases.Decision `json:"decision"`
	ItemName    string         `json:"item_name"`
	Applicant   string         `json:"applicant"` // masked
	Channel     cases.Channel  `json:"channel"`
	SubmittedAt *time.Time     `json:"submitted_at"`
	PromisedDue string         `json:"promised_due"`
	LegalDue    string         `json:"legal_due"`
	Branch      int            `json:"branch"`
	StepDue     string         `json:"step_due"`
	IntakeDue   string         `json:"intake_due"`
}

type summariesJSON struct {
	Items []summaryJSON `json:"items"`
	Total int           `json:"total"`
}

func toSummaries(list []*cases.Summary, total int) summariesJSON {
	out := summariesJSON{Items: []summaryJSON{}, Total: total}
	for _, c := range list {
		sm := summaryJSON{ID: c.ID, Number: c.Number, Status: c.Status, StatusLabel: c.Status.Label(), Decision: c.Decision,
			ItemName: c.ItemName, Applicant: maskName(c.ApplicantName), Channel: c.Channel, PromisedDue: c.PromisedDue,
			LegalDue: c.LegalDue, Branch: c.Branch, StepDue: c.StepDue, IntakeDue: c.IntakeDue}
		if !c.SubmittedAt.IsZero() {
			t := c.SubmittedAt
			sm.SubmittedAt = &t
		}
		out.Items = append(out.Items, sm)
	}
	return out
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request, list func() ([]*cases.Summary, int, error)) error {
	if _, err := actor(r); err != nil {
		return err
	}
	items, total, err := list()
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSummaries(items, total))
}

func (s *Server) handleMyCases(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	offset := q.int("offset", 0, 0, 1_000_000)
	if err := q.err(); err != nil {
		return err
	}
	return s.listCases(w, r, func() ([]*cases.Summary, int, error) {
		return s.svc.Cases.Mine(r.Context(), httpkit.ActorFrom(r.Context()), offset)
	})
}

func (s *Server) handleIntake(w http.ResponseWriter, r *http.Request) error {
	return s.listCases(w, r, func() ([]*cases.Summary, int, error) {
		return s.svc.Cases.IntakeQueue(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	})
}

func (s *Server) handleApprovals(w http.ResponseWriter, r *http.Request) error {
	return s.listCases(w, r, func() ([]*cases.Summary, int, error) {
		return s.svc.Cases.ApprovalQueue(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	})
}

// progressRequest is the body of POST /api/v1/progress; the code travels in
// the body so that it stays out of URLs and logs.
type progressRequest struct {
	Number string `json:"number"`
	Code   string `json:"code"`
}

// handleProgress is the public progress lookup.
func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) error {
	var in progressRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	p, err := s.svc.Cases.Lookup(r.Context(), in.Number, in.Code, httpkit.ClientAddr(r))
	if err != nil {
		return err
	}
	out := progressJSON{Number: p.Number, ItemName: p.ItemName, Applicant: p.Applicant, Status: p.Status,
		StatusLabel: p.Status.Label(), Decision: p.Decision, Events: []eventJSON{}, Clocks: toClocks(p.Clocks)}
	for _, e := range p.Events {
		out.Events = append(out.Events, toEvent(e))
	}
	return writeJSON(w, http.StatusOK, out)
}

type progressJSON struct {
	Number      string         `json:"number"`
	ItemName    string         `json:"item_name"`
	Applicant   string         `json:"applicant"`
	Status      cases.Status   `json:"status"`
	StatusLabel string         `json:"status_label"`
	Decision    cases.Decision `json:"decision"`
	Events      []eventJSON    `json:"events"`
	Clocks      *clocksJSON    `json:"clocks"`
}
