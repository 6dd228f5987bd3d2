package api

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
)

// The 查询密码 kept for the applicant, the audited opening of masked
// personal data, drafts, and the window's fee queue.

func (s *Server) registerCaseDeskRoutes() {
	s.handle("GET /api/v1/cases/{id}/query-code", s.handleQueryCode)
	s.handle("POST /api/v1/cases/{id}/query-code", s.handleQueryCodeReset)
	s.handle("POST /api/v1/cases/{id}/reveal", s.handleReveal)
	s.handle("PUT /api/v1/cases/{id}", s.handleDraftUpdate)
	s.handle("GET /api/v1/queues/fees", s.handleFees)
}

type queryCodeJSON struct {
	Number    string `json:"number"`
	QueryCode string `json:"query_code"`
}

// handleQueryCode returns a case's 查询密码 to its applicant.
func (s *Server) handleQueryCode(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, _, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	code, err := s.svc.Cases.QueryCode(r.Context(), a, c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, queryCodeJSON{Number: c.Number, QueryCode: code})
}

// handleQueryCodeReset gives a case a new 查询密码.
func (s *Server) handleQueryCodeReset(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	code, err := s.svc.Cases.ResetQueryCode(r.Context(), a, id)
	if err != nil {
		return err
	}
	c, _, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, queryCodeJSON{Number: c.Number, QueryCode: code})
}

type revealRequest struct {
	Reason string `json:"reason"`
}

// handleReveal returns a case with the applicant's personal data in full,
// after recording the opening and its reason in the audit log.
func (s *Server) handleReveal(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in revealRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := s.svc.Cases.Reveal(r.Context(), a, id, in.Reason)
	if err != nil {
		return err
	}
	out := s.caseJSON(a, c, nil)
	app := c.Applicant
	out.PersonalMasked = false
	out.Applicant = applicantJSON{Kind: app.Kind, Name: app.Name, IDNumber: app.IDNumber, CreditCode: app.CreditCode, Phone: app.Phone}
	return writeJSON(w, http.StatusOK, out)
}

// handleDraftUpdate saves a draft again or, unless "draft" is true, submits it.
func (s *Server) handleDraftUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in fileRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	fi, err := s.fileInput(r.Context(), a, in, "draft")
	if err != nil {
		return err
	}
	c, err := s.svc.Cases.UpdateDraft(r.Context(), a, id, fi)
	if err != nil {
		return err
	}
	c, cl, err := s.svc.Cases.Get(r.Context(), a, c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s.caseJSON(a, c, &cl))
}

type feeQueueJSON struct {
	Due     []summaryJSON `json:"due"`
	Refunds []summaryJSON `json:"refunds"`
}

// handleFees lists what the clerk's windows collect and pay back.
func (s *Server) handleFees(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	due, refunds, err := s.svc.Cases.FeeQueue(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, feeQueueJSON{Due: toSummaries(due, len(due)).Items, Refunds: toSummaries(refunds, len(refunds)).Items})
}

// withBundle adds to a case the 一件事 it belongs to.
func (s *Server) withBundle(r *http.Request, c *cases.Case, out *caseJSON) error {
	app, err := s.svc.Hall.ApplicationOfCase(r.Context(), c)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	out.BundleID, out.BundleNumber = app.ID, app.Number
	return nil
}

// caseWithClocks is the case JSON of GET and actions, with its bundle.
func (s *Server) caseWithClocks(r *http.Request, c *cases.Case, cl cases.Clocks) (caseJSON, error) {
	out := s.caseJSON(httpkit.ActorFrom(r.Context()), c, &cl)
	return out, s.withBundle(r, c, &out)
}
