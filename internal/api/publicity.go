package api

import (
	"bytes"
	"net/http"
	"strconv"

	"openhall/internal/httpkit"
	"openhall/internal/publicity"
	"openhall/internal/tabular"
)

// registerPublicityRoutes serves the 双公示 register: search, entries, and
// the departments' entering, importing, withdrawing and revoking.
func (s *Server) registerPublicityRoutes() {
	s.handle("GET /api/v1/publicity", s.handleRegisterSearch)
	s.handle("GET /api/v1/publicity/{id}", s.handleRegisterEntry)
	s.handle("POST /api/v1/publicity/penalties", s.handlePenalty)
	s.handle("POST /api/v1/publicity/penalties/import", s.handlePenaltyImport)
	s.handle("POST /api/v1/publicity/{id}/withdraw", s.entryStatus("withdraw"))
	s.handle("POST /api/v1/publicity/{id}/revoke", s.entryStatus("revoke"))
}

type registerPageJSON struct {
	Items      []publicity.EntryJSON `json:"items"`
	NextBefore *int64                `json:"next_before"`
}

// handleRegisterSearch answers a search newest decision first; next_before
// is the cursor of the next page (null on the last).
func (s *Server) handleRegisterSearch(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	sq := publicity.Search{Q: q.str("q"), Kind: publicity.Kind(q.str("kind")), Limit: q.int("limit", 20, 1, 100)}
	q.f.Check(sq.Kind != "" && sq.Kind != publicity.KindPermit && sq.Kind != publicity.KindPenalty, "kind", "参数 kind 应为 permit 或 penalty")
	if id := q.id("department_id"); id != nil {
		sq.DepartmentID = *id
	}
	if b := q.str("before"); b != "" {
		var err error
		sq.Before, err = strconv.ParseInt(b, 10, 64)
		q.f.Check(err != nil || sq.Before <= 0, "before", "参数 before 应为上一页给出的 next_before")
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.svc.Publicity.Search(r.Context(), sq)
	if err != nil {
		return err
	}
	out := registerPageJSON{Items: []publicity.EntryJSON{}}
	for _, e := range page.Entries {
		out.Items = append(out.Items, publicity.ToJSON(e))
	}
	if page.Next != 0 {
		out.NextBefore = &page.Next
	}
	return writeJSON(w, http.StatusOK, out)
}

type entryJSON struct {
	publicity.EntryJSON
	OutsideReason   string `json:"outside_reason,omitempty"`
	Due             string `json:"due"`
	OnTime          bool   `json:"on_time"`
	ProvisionalYear int    `json:"provisional_year"`
	ProvisionalNote string `json:"provisional_note,omitempty"`
}

func (s *Server) handleRegisterEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	e, err := s.svc.Publicity.Entry(r.Context(), a, id)
	if err != nil {
		return err
	}
	if e.Status == publicity.StatusWithdrawn && publicity.CanEnter(a, e.RegionPath, e.DepartmentID) != nil {
		// A withdrawn penalty is shown as its withdrawal notice only.
		e.HolderName, e.CreditCode, e.Content, e.Basis, e.PenaltyKinds, e.FineFen, e.OutsideReason = "", "", "", "", nil, 0, ""
	}
	return s.writeEntry(w, http.StatusOK, e)
}

func (s *Server) writeEntry(w http.ResponseWriter, status int, e *publicity.Entry) error {
	t, err := s.svc.Publicity.Timeliness(e)
	if err != nil {
		return err
	}
	return writeJSON(w, status, entryJSON{EntryJSON: publicity.ToJSON(e), OutsideReason: e.OutsideReason, Due: t.Due.String(),
		OnTime: t.OnTime, ProvisionalYear: t.Provisional, ProvisionalNote: t.Note()})
}

type penaltyRequest struct {
	DepartmentID  int64    `json:"department_id"`
	Number        string   `json:"number"`
	HolderKind    string   `json:"holder_kind"`
	HolderName    string   `json:"holder_name"`
	CreditCode    string   `json:"credit_code"`
	Title         string   `json:"title"`
	Content       string   `json:"content"`
	Basis         string   `json:"basis"`
	Kinds         []string `json:"kinds"`
	Fine          string   `json:"fine"`
	DecidedOn     string   `json:"decided_on"`
	PowerCode     string   `json:"power_code"`
	BenchmarkSeq  int      `json:"benchmark_seq"`
	OutsideReason string   `json:"outside_reason"`
}

func (s *Server) handlePenalty(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req penaltyRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	e, err := s.svc.Publicity.EnterPenalty(r.Context(), a, publicity.PenaltyInput(req))
	if err != nil {
		return err
	}
	return s.writeEntry(w, http.StatusCreated, e)
}

// handlePenaltyImport enters every row of an .xlsx body for a department,
// all or nothing; a refused file answers 422 with one field per problem.
func (s *Server) handlePenaltyImport(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	dept := q.id("department_id")
	q.required("department_id")
	if err := q.err(); err != nil {
		return err
	}
	data, err := readBody(r)
	if err != nil {
		return err
	}
	rows, err := publicity.ReadPenalties(bytes.NewReader(data), *dept)
	var es []*publicity.Entry
	if err == nil {
		es, err = s.svc.Publicity.ImportPenalties(r.Context(), a, rows)
	}
	if list := tabular.ProblemsOf(err); len(list) > 0 {
		return problemsError(err, list)
	}
	if err != nil {
		return err
	}
	out := listJSON[publicity.EntryJSON]{Items: []publicity.EntryJSON{}}
	for _, e := range es {
		out.Items = append(out.Items, publicity.ToJSON(e))
	}
	return writeJSON(w, http.StatusCreated, out)
}

// entryStatus withdraws a penalty or revokes a permit, with the reason.
func (s *Server) entryStatus(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, id, err := actorAndID(r)
		if err != nil {
			return err
		}
		var req rejectRequest
		if err := decode(r, &req); err != nil {
			return err
		}
		var e *publicity.Entry
		if action == "withdraw" {
			e, err = s.svc.Publicity.Withdraw(r.Context(), a, id, req.Reason)
		} else {
			e, err = s.svc.Publicity.Revoke(r.Context(), a, id, req.Reason)
		}
		if err != nil {
			return err
		}
		return s.writeEntry(w, http.StatusOK, e)
	}
}
