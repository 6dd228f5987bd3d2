package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/cases"

	"github.com/jackc/pgx/v5"
)

// CasesStore implements cases.Store. A case is stored as a row (the
// projection used by queries), its events, its branches and its materials;
// loading replays the events over the stored procedure, which is stored
// once per distinct procedure and decoded once per process.
type CasesStore struct {
	db     *DB
	decode *cases.ProcedureCache
	procs  *procedures
	ids    *idBlock
}

// Cases returns the cases store.
func (db *DB) Cases() *CasesStore {
	return &CasesStore{db: db, decode: &cases.ProcedureCache{}, procs: &procedures{}, ids: newIDBlock(db, "cases", 32)}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// caseColumns read the procedure itself only for cases filed before
// procedures were stored by key.
const caseColumns = `id, COALESCE(number, ''), procedure_key, CASE WHEN procedure_key IS NULL THEN procedure END, applicant, form,
	COALESCE(agent_id, 0), channel, fee_due, query_code_hash, EXISTS (SELECT 1 FROM bundle_cases b WHERE b.case_id = cases.id)`

// LoadCase returns a case rebuilt from its events; with lock, the row stays
// locked until the transaction ends, so concurrent commands queue.
func (s *CasesStore) LoadCase(ctx context.Context, id int64, lock bool) (*cases.Case, error) {
	c, _, err := s.loadWhere(ctx, `id = $1`, lock, true, id)
	return c, err
}

// FindCaseByNumber returns a case and its query-code hash.
func (s *CasesStore) FindCaseByNumber(ctx context.Context, number string) (*cases.Case, []byte, error) {
	return s.loadWhere(ctx, `number = $1`, false, true, number)
}

// FindCaseByIdempotencyKey returns the case created with key.
func (s *CasesStore) FindCaseByIdempotencyKey(ctx context.Context, key string) (*cases.Case, error) {
	c, _, err := s.loadWhere(ctx, `idempotency_key = $1`, false, true, key)
	return c, err
}

// batcher is what the pool and a transaction offer to send several
// statements in one round trip.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// loadWhere reads the case row, its events and (withMaterials) its
// materials in one round trip. The history statements find the case by the same condition, and run
// after the row statement (and its lock, if any).
func (s *CasesStore) loadWhere(ctx context.Context, where string, lock, withMaterials bool, arg any) (*cases.Case, []byte, error) {
	rowSQL := `SELECT ` + caseColumns + ` FROM cases WHERE ` + where
	if lock {
		rowSQL += ` FOR UPDATE`
	}
	b := &pgx.Batch{}
	b.Queue(rowSQL, arg)
	b.Queue(`SELECT seq, kind, at, actor_id, actor_label, branch, detail FROM case_events
		WHERE case_id = (SELECT id FROM cases WHERE `+where+`) ORDER BY seq`, arg)
	if withMaterials {
		b.Queue(`SELECT code, file_name, sha256, size, mime, round, added_at FROM case_materials
			WHERE case_id = (SELECT id FROM cases WHERE `+where+`) ORDER BY seq`, arg)
	}
	br := s.db.q(ctx).(batcher).SendBatch(ctx, b)
	r, err := readCase(br, withMaterials)
	if closeErr := br.Close(); err == nil && closeErr != nil {
		err = mapError(closeErr)
	}
	if err != nil {
		return nil, nil, err
	}
	// Decoded once the batch is closed: a procedure not decoded yet is read
	// with a statement of its own, on the same connection in a transaction.
	c := r.c
	err = firstErr(s.procedure(ctx, r.key, r.proc, c.ID, &c.Procedure), json.Unmarshal(r.app, &c.Applicant),
		json.Unmarshal(r.form, &c.Form))
	if err != nil {
		return nil, nil, fmt.Errorf("decode case %d: %w", c.ID, err)
	}
	for _, e := range r.events {
		c.Apply(e)
	}
	return c, r.hash, nil
}

// caseRead is what loadWhere's statements return, not decoded yet.
type caseRead struct {
	c                          *cases.Case
	key, proc, app, form, hash []byte
	events                     []cases.Event
}

// readCase reads the results of loadWhere's statements.
func readCase(br pgx.BatchResults, withMaterials bool) (caseRead, error) {
	r := caseRead{c: &cases.Case{}}
	c := r.c
	err := br.QueryRow().Scan(&c.ID, &c.Number, &r.key, &r.proc, &r.app, &r.form, &c.AgentID, &c.Channel, &c.Fee.DueFen, &r.hash,
		&c.Bundled)
	if err != nil {
		return r, notFound(err, "办件不存在")
	}
	if r.events, err = events(br.Query()); err != nil {
		return r, err
	}
	if withMaterials {
		c.Materials, err = materials(br.Query())
	}
	return r, err
}

// procedure decodes a case's procedure: the one stored under key, or for a
// case filed before procedures were stored by key, proc.
func (s *CasesStore) procedure(ctx context.Context, key, proc []byte, id int64, p *cases.Procedure) error {
	if key == nil {
		return s.decode.Decode(proc, p)
	}
	return s.decode.DecodeKeyed(string(key), func() ([]byte, error) { return s.storedProcedure(ctx, key, id) }, p)
}

// storedProcedure reads the procedure stored under key or, for a case filed
// before procedures were stored by key (whose progress row still names the
// key of its own JSON), the case's own.
func (s *CasesStore) storedProcedure(ctx context.Context, key []byte, id int64) ([]byte, error) {
	var proc []byte
	err := s.db.q(ctx).QueryRow(ctx, `SELECT COALESCE((SELECT procedure FROM case_procedures WHERE key = $1),
		(SELECT procedure FROM cases WHERE id = $2))`, key, id).Scan(&proc)
	return proc, mapError(err)
}

func events(rows pgx.Rows, err error) ([]cases.Event, error) {
	return collect(rows, err, func(r pgx.Row) (cases.Event, error) {
		var e cases.Event
		var raw []byte
		if err := r.Scan(&e.Seq, &e.Kind, &e.At, &e.ActorID, &e.ActorLabel, &e.Branch, &raw); err != nil {
			return e, err
		}
		e.At = e.At.UTC()
		return e, e.SetDetail(raw)
	})
}

func materials(rows pgx.Rows, err error) ([]cases.MaterialFile, error) {
	return collect(rows, err, func(r pgx.Row) (cases.MaterialFile, error) {
		var m cases.MaterialFile
		err := r.Scan(&m.Code, &m.FileName, &m.SHA256, &m.Size, &m.MIME, &m.Round, &m.Added)
		m.Added = m.Added.UTC()
		return m, err
	})
}

// FindCases lists summaries for queues and "我的办件".
func (s *CasesStore) FindCases(ctx context.Context, f cases.Filter) ([]*cases.Summary, int, error) {
	w := newWhere()
	from, branchCols := `cases c`, `-1, '', 0::bigint`
	if len(f.DepartmentIDs) > 0 {
		from, branchCols = `cases c JOIN case_branches b ON b.case_id = c.id`, `b.idx, b.due, b.department_id`
		w.add("NOT b.done")
		w.add("c.status = 'review'")
		w.add("b.department_id = ANY(?)", f.DepartmentIDs)
		if len(f.StepRoles) > 0 {
			w.add("b.step_role = ANY(?)", roleStrings(f.StepRoles))
		}
	}
	if f.ApplicantUserID != 0 {
		w.add("c.applicant_user_id = ?", f.ApplicantUserID)
	}
	if f.RefundOwed {
		w.add(refundOwed)
	}
	if f.AgentID != 0 {
		w.add("c.agent_id = ?", f.AgentID)
	}
	if len(f.Status) > 0 {
		st := make([]string, len(f.Status))
		for i, x := range f.Status {
			st[i] = string(x)
		}
		w.add("c.status = ANY(?)", st)
	}
	if len(f.RegionPrefixes) > 0 {
		var ors []string
		for _, p := range f.RegionPrefixes {
			ors = append(ors, "c.region_path LIKE "+w.arg(likePrefix(p)))
		}
		w.add("(" + strings.Join(ors, " OR ") + ")")
	}
	limit, offset := w.arg(f.Limit), w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT c.id, COALESCE(c.number, ''), c.status, c.decision, c.item_name, c.applicant_name,
		c.channel, c.submitted_at, c.accepted_at, c.closed_at, c.promised_due, c.legal_due, `+branchCols+`, count(*) OVER ()
		FROM `+from+` WHERE `+w.sql()+` ORDER BY `+summaryOrder(f)+` LIMIT `+limit+` OFFSET `+offset, w.args...)
	total := 0
	out, err := collect(rows, err, func(r pgx.Row) (*cases.Summary, error) {
		var sm cases.Summary
		var sub, acc, clo *time.Time
		err := r.Scan(&sm.ID, &sm.Number, &sm.Status, &sm.Decision, &sm.ItemName, &sm.ApplicantName, &sm.Channel,
			&sub, &acc, &clo, &sm.PromisedDue, &sm.LegalDue, &sm.Branch, &sm.StepDue, &sm.Department, &total)
		sm.SubmittedAt, sm.AcceptedAt, sm.ClosedAt = derefTime(sub), derefTime(acc), derefTime(clo)
		return &sm, err
	})
	return out, total, err
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func roleStrings[T ~string](rs []T) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// summaryOrder sorts approval queues by due date, intake queues by arrival
// and an applicant's cases newest first.
func summaryOrder(f cases.Filter) string {
	switch {
	case len(f.DepartmentIDs) > 0:
		return "b.due = '', b.due, c.accepted_at"
	case len(f.RegionPrefixes) > 0:
		return "c.submitted_at"
	}
	return "c.created_at DESC, c.id DESC"
}

// refundOwed selects closed cases not approved whose paid fee was not
// refunded yet.
const refundOwed = `c.status = 'closed' AND c.decision <> 'approved' AND c.fee_paid > 0
	AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'refunded')`
