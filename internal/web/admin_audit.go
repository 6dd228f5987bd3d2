package web

import (
	"net/http"
	"strconv"

	"openhall/internal/audit"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

func (s *Server) registerAuditRoutes() {
	s.mux.HandleFunc("GET /admin/audit", s.requireStaff(s.handleAudit))
	s.mux.HandleFunc("POST /admin/audit/verify", s.requireStaff(s.handleAuditVerify))
}

type auditPage struct {
	Page
	Entries   []*audit.Entry
	Filter    audit.Filter
	Report    *audit.Report
	Older     int64
	CanVerify bool // the chain is verified by administrators of the whole deployment
}

// auditPage lists the entries in the reader's reach (identity.AuditReach).
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, report *audit.Report) error {
	a := httpkit.ActorFrom(r.Context())
	reach, err := identity.AuditReach(a)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f := audit.Filter{ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), Action: q.Get("action"), BeforeID: before,
		Limit: 100, Within: reach}
	entries, err := s.svc.Audit.Find(r.Context(), f)
	if err != nil {
		return err
	}
	p := auditPage{Page: s.page(w, r, "审计日志"), Entries: entries, Filter: f, Report: report,
		CanVerify: identity.CanVerifyAudit(a) == nil}
	if len(entries) == f.Limit {
		p.Older = entries[len(entries)-1].ID
	}
	return s.render(w, http.StatusOK, "admin/audit", p)
}

func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) error {
	return s.auditPage(w, r, nil)
}

// handleAuditVerify seals what is pending and re-walks the whole chain.
func (s *Server) handleAuditVerify(w http.ResponseWriter, r *http.Request) error {
	if err := identity.CanVerifyAudit(httpkit.ActorFrom(r.Context())); err != nil {
		return err
	}
	if _, err := s.svc.Audit.Seal(r.Context()); err != nil {
		return err
	}
	report, err := s.svc.Audit.Verify(r.Context())
	if err != nil {
		return err
	}
	return s.auditPage(w, r, report)
}
