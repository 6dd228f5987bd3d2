package api

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"openhall/internal/audit"
	"openhall/internal/identity"
)

// registerAuditRoutes serves the audit log and its chain verification.
func (s *Server) registerAuditRoutes() {
	s.handle("GET /api/v1/audit", s.handleAudit)
	s.handle("POST /api/v1/audit/verify", s.handleAuditVerify)
}

// auditEntryJSON is one entry of the log; hashes are hexadecimal.
type auditEntryJSON struct {
	ID         int64           `json:"id"`
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actor_id"`
	ActorLabel string          `json:"actor_label"`
	Scope      string          `json:"scope"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	Detail     json.RawMessage `json:"detail"`
	Digest     string          `json:"digest"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
}

func toAuditEntry(e *audit.Entry) auditEntryJSON {
	detail := json.RawMessage(e.Detail)
	if !json.Valid(detail) {
		detail = json.RawMessage("null")
	}
	return auditEntryJSON{ID: e.ID, Seq: e.Seq, At: e.At, ActorID: e.ActorID, ActorLabel: e.ActorLabel, Scope: e.Scope,
		Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Detail: detail,
		Digest: hex.EncodeToString(e.Digest), PrevHash: hex.EncodeToString(e.PrevHash), Hash: hex.EncodeToString(e.Hash)}
}

// auditReportJSON is the outcome of a chain verification (audit.Report).
type auditReportJSON struct {
	Checked  int64         `json:"checked"`
	Pending  int64         `json:"pending"`
	Head     auditHeadJSON `json:"head"`
	OK       bool          `json:"ok"`
	BadSeq   int64         `json:"bad_seq"`
	BadID    int64         `json:"bad_id"`
	Problem  string        `json:"problem"`
	Verified bool          `json:"verified"`
}

// auditHeadJSON is the stored end of the chain.
type auditHeadJSON struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

func toAuditReport(r *audit.Report) auditReportJSON {
	return auditReportJSON{Checked: r.Checked, Pending: r.Pending, Head: auditHeadJSON{Seq: r.Head.Seq, Hash: hex.EncodeToString(r.Head.Hash)},
		OK: r.OK, BadSeq: r.BadSeq, BadID: r.BadID, Problem: r.Problem, Verified: r.Verified}
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	reach, err := identity.AuditReach(a)
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := audit.Filter{ObjectType: q.str("object_type"), ObjectID: q.str("object_id"), ActorID: q.id("actor_id"),
		Action: q.str("action"), BeforeID: or(q.id("before"), 0), Limit: q.int("limit", 100, 1, 500), Within: reach}
	if err := q.err(); err != nil {
		return err
	}
	entries, err := s.svc.Audit.Find(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(entries, toAuditEntry))
}

// handleAuditVerify seals what is pending, then re-walks the whole chain.
func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	if err := identity.CanVerifyAudit(a); err != nil {
		return err
	}
	if _, err := s.svc.Audit.Seal(r.Context()); err != nil {
		return err
	}
	report, err := s.svc.Audit.Verify(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAuditReport(report))
}
