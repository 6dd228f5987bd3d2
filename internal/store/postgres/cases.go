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

// caseHistory are the columns loadWhere adds to caseColumns: the case's
// events and materials as JSON arrays, and whether the row read is the
// one the statement's snapshot sees. A statement that waits for the lock
// of a case another transaction changes reads that transaction's row
// once it commits, but its subqueries still read from the snapshot taken
// before: such a read is stale, and its history is read again.
func caseHistory(withMaterials bool) string {
	ms := `'[]'::json`
	if withMaterials {
		ms = `(SELECT COALESCE(json_agg(json_build_object('code', m.code, 'file_name', m.file_name, 'sha256', m.sha256,
			'size', m.size, 'mime', m.mime, 'round', m.round, 'added', m.added_at) ORDER BY m.seq), '[]')
			FROM case_materials m WHERE m.case_id = cases.id)`
	}
	return `, (SELECT COALESCE(json_agg(json_build_object('seq', e.seq, 'kind', e.kind, 'at', e.at, 'actor_id', e.actor_id,
		'actor_label', e.actor_label, 'branch', e.branch, 'detail', e.detail) ORDER BY e.seq), '[]')
		FROM case_events e WHERE e.case_id = cases.id), ` + ms + `,
		cases.ctid = (SELECT x.ctid FROM cases x WHERE x.id = cases.id)`
}

// loadWhere reads the case row with its events and (withMaterials) its
// materials in one statement; with lock, the row stays locked until the
// transaction ends.
func (s *CasesStore) loadWhere(ctx context.Context, where string, lock, withMaterials bool, arg any) (*cases.Case, []byte, error) {
	sql := `SELECT ` + caseColumns + caseHistory(withMaterials) + ` FROM cases WHERE ` + where
	if lock {
		sql += ` FOR UPDATE`
	}
	r, err := s.readCase(ctx, s.db.q(ctx).QueryRow(ctx, sql, arg), withMaterials)
	if err != nil {
		return nil, nil, err
	}
	// Decoded once the row is read: a procedure not decoded yet is read
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

// caseRead is what loadWhere's statement returns, not decoded yet.
type caseRead struct {
	c                          *cases.Case
	key, proc, app, form, hash []byte
	events                     []cases.Event
}

// readCase reads the row of loadWhere's statement; when the history read
// with it was stale, it reads the history again, under the lock now held.
func (s *CasesStore) readCase(ctx context.Context, row pgx.Row, withMaterials bool) (caseRead, error) {
	r := caseRead{c: &cases.Case{}}
	c := r.c
	var evs, ms []byte
	var fresh bool
	err := row.Scan(&c.ID, &c.Number, &r.key, &r.proc, &r.app, &r.form, &c.AgentID, &c.Channel, &c.Fee.DueFen, &r.hash,
		&c.Bundled, &evs, &ms, &fresh)
	if err != nil {
		return r, notFound(err, "办件不存在")
	}
	if !fresh {
		return r, s.rereadHistory(ctx, &r, withMaterials)
	}
	if r.events, err = decodeEvents(evs); err != nil {
		return r, fmt.Errorf("decode events of case %d: %w", c.ID, err)
	}
	if err := json.Unmarshal(ms, &c.Materials); err != nil {
		return r, fmt.Errorf("decode materials of case %d: %w", c.ID, err)
	}
	for i := range c.Materials {
		c.Materials[i].Added = c.Materials[i].Added.UTC()
	}
	return r, nil
}

// rereadHistory reads a case's events and materials with statements of
// their own, which see what was committed before the case was locked.
func (s *CasesStore) rereadHistory(ctx context.Context, r *caseRead, withMaterials bool) error {
	q := s.db.q(ctx)
	var err error
	r.events, err = events(q.Query(ctx, `SELECT seq, kind, at, actor_id, actor_label, branch, detail FROM case_events
		WHERE case_id = $1 ORDER BY seq`, r.c.ID))
	if err != nil || !withMaterials {
		return err
	}
	r.c.Materials, err = materials(q.Query(ctx, `SELECT code, file_name, sha256, size, mime, round, added_at FROM case_materials
		WHERE case_id = $1 ORDER BY seq`, r.c.ID))
	return err
}

// storedEvent is an event as caseHistory encodes it.
type storedEvent struct {
	cases.Event
	Detail json.RawMessage `json:"detail"`
}

func decodeEvents(b []byte) ([]cases.Event, error) {
	var list []storedEvent
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, err
	}
	out := make([]cases.Event, len(list))
	for i, se := range list {
		e := se.Event
		e.At = e.At.UTC()
		if err := e.SetDetail(se.Detail); err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
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
		c.channel, c.submitted_at, c.accepted_at, c.closed_at, c.promised_due, c.legal_due, `+branchCols+`, c.region_path, count(*) OVER ()
		FROM `+from+` WHERE `+w.sql()+` ORDER BY `+summaryOrder(f)+` LIMIT `+limit+` OFFSET `+offset, w.args...)
	total := 0
	out, err := collect(rows, err, func(r pgx.Row) (*cases.Summary, error) {
		var sm cases.Summary
		var sub, acc, clo *time.Time
		err := r.Scan(&sm.ID, &sm.Number, &sm.Status, &sm.Decision, &sm.ItemName, &sm.ApplicantName, &sm.Channel,
			&sub, &acc, &clo, &sm.PromisedDue, &sm.LegalDue, &sm.Branch, &sm.StepDue, &sm.Department, &sm.RegionPath, &total)
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
