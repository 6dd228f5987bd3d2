package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/store"
)

// A case is written in one statement: the case row with its events,
// materials, progress row and (once) its procedure, as data-modifying
// parts of one WITH; a change likewise updates the row, appends events and
// materials and writes the branch rows that changed. The statement is
// queued in the transaction and goes to the server with the audit entry
// and the commit, in one round trip.

// procedures remembers which procedure keys this process has seen
// committed, so that a case filed under a known procedure does not send it.
type procedures struct {
	mu    sync.RWMutex
	known map[string]bool
}

func (p *procedures) has(key []byte) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.known[string(key)]
}

func (p *procedures) add(key []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.known == nil || len(p.known) > 4096 {
		p.known = map[string]bool{}
	}
	p.known[string(key)] = true
}

// args numbers statement arguments as they are added.
type args []any

func (a *args) add(v any) string {
	*a = append(*a, v)
	return fmt.Sprintf("$%d", len(*a))
}

// list adds several arguments and returns their placeholders, comma-separated.
func (a *args) list(vs ...any) string {
	ps := make([]string, len(vs))
	for i, v := range vs {
		ps[i] = a.add(v)
	}
	return strings.Join(ps, ", ")
}

// CreateCase queues the insert of a new case. Its id comes from this
// node's block of the sequence, so its number is known before the insert.
func (s *CasesStore) CreateCase(ctx context.Context, c *cases.Case, key string, codeHash []byte, d *cases.Details) error {
	a, err1 := json.Marshal(c.Applicant)
	p, err2 := json.Marshal(c.Procedure)
	f, err3 := json.Marshal(c.Form)
	if err := firstErr(err1, err2, err3); err != nil {
		return fmt.Errorf("encode case: %w", err)
	}
	id, err := s.ids.next(ctx)
	if err != nil {
		return err
	}
	c.ID = id
	c.Number = cases.FormatNumber(c.Procedure.RegionCode, c.CreatedAt, c.ID)
	pk := cases.ProcedureKey(p)
	var as args
	idp, num, name, hash, proc := as.add(c.ID), as.add(c.Number), as.add(c.Applicant.Name), as.add(codeHash), as.add(pk)
	created := as.add(c.CreatedAt)
	sql := `WITH c AS (INSERT INTO cases (id, number, status, item_version_id, item_code, item_name, region_path,
		department_id, applicant_user_id, applicant, applicant_name, agent_id, channel, procedure_key, form, fee_due, version,
		idempotency_key, query_code_hash, created_at, submitted_at, updated_at) VALUES (` + idp + `, ` + num + `, ` +
		as.list(c.Status, c.Procedure.ItemVersionID, c.Procedure.ItemCode, c.Procedure.ItemName, c.Procedure.RegionPath,
			c.Procedure.DepartmentID, nullable(c.Applicant.UserID), a) + `, ` + name + `, ` + as.list(nullable(c.AgentID), c.Channel) +
		`, ` + proc + `, ` + as.list(f, c.Fee.DueFen, c.Version, key) + `, ` + hash + `, ` + created + `, ` +
		as.add(nullTime(c.SubmittedAt)) + `, ` + created + `)),
	`
	parts, err := historyParts(&as, idp, c.Events, c.Materials, 0)
	if err != nil {
		return err
	}
	sql += parts
	if !s.procs.has(pk) {
		sql += `,
	pr AS (INSERT INTO case_procedures (key, procedure) VALUES (` + proc + `, ` + as.add(p) + `) ON CONFLICT DO NOTHING)`
		s.db.afterCommit(ctx, func() { s.procs.add(pk) })
	}
	if d != nil {
		sql += `,
	d AS (INSERT INTO case_details (case_id, query_code, intake_due) VALUES (` + idp + `, ` + as.list(d.QueryCode, d.IntakeDue) + `))`
	}
	sql += `
	INSERT INTO case_progress (number, case_id, query_code_hash, procedure_key, applicant_name, events)
	VALUES (` + num + `, ` + idp + `, ` + hash + `, ` + proc + `, ` + name + `, ` + as.add(cases.AppendEvents(nil, c.Events)) + `)`
	return s.db.write(ctx, duplicateFiling, sql, as...)
}

// duplicateFiling reports a second case with one idempotency key.
func duplicateFiling(err error) error {
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "该申请已经提交过")
	}
	return mapError(err)
}

// historyParts are the WITH parts that append events and materials to the
// case whose id is the placeholder id.
func historyParts(as *args, id string, evs []cases.Event, ms []cases.MaterialFile, materialsBefore int) (string, error) {
	n := len(evs)
	seq, kind, at, actor, label, branch, detail := make([]int32, n), make([]string, n), make([]time.Time, n),
		make([]int64, n), make([]string, n), make([]int32, n), make([]string, n)
	for i, e := range evs {
		d, err := e.DetailJSON()
		if err != nil {
			return "", err
		}
		seq[i], kind[i], at[i], actor[i], label[i], branch[i], detail[i] = int32(e.Seq), string(e.Kind), e.At, e.ActorID,
			e.ActorLabel, int32(e.Branch), string(d)
	}
	sql := `e AS (INSERT INTO case_events (case_id, seq, kind, at, actor_id, actor_label, branch, detail)
		SELECT ` + id + `::bigint, s, k, a, ai, al, b, d::jsonb FROM unnest(` + as.add(seq) + `::int[], ` + as.add(kind) + `::text[], ` +
		as.add(at) + `::timestamptz[], ` + as.add(actor) + `::bigint[], ` + as.add(label) + `::text[], ` + as.add(branch) + `::int[], ` +
		as.add(detail) + `::text[]) AS t(s, k, a, ai, al, b, d))`
	if len(ms) == 0 {
		return sql, nil
	}
	n = len(ms)
	mseq, code, name, sum, size, mime, round, added := make([]int32, n), make([]string, n), make([]string, n),
		make([]string, n), make([]int64, n), make([]string, n), make([]int32, n), make([]time.Time, n)
	for i, m := range ms {
		mseq[i], code[i], name[i], sum[i], size[i], mime[i], round[i], added[i] = int32(materialsBefore+i+1), m.Code,
			m.FileName, m.SHA256, m.Size, m.MIME, int32(m.Round), m.Added
	}
	return sql + `,
	m AS (INSERT INTO case_materials (case_id, seq, code, file_name, sha256, size, mime, round, added_at)
		SELECT ` + id + `::bigint, * FROM unnest(` + as.add(mseq) + `::int[], ` + as.add(code) + `::text[], ` + as.add(name) +
		`::text[], ` + as.add(sum) + `::text[], ` + as.add(size) + `::bigint[], ` + as.add(mime) + `::text[], ` + as.add(round) +
		`::int[], ` + as.add(added) + `::timestamptz[]))`, nil
}

// SaveCase queues the write of a case after events: the row (only the
// columns that changed, besides those every change sets), the new events
// and materials, the progress row, and the branch rows that differ from
// the stored ones. At commit it fails unless the row was at version from.
func (s *CasesStore) SaveCase(ctx context.Context, c *cases.Case, from int, evs []cases.Event, ms []cases.MaterialFile, due cases.Dues) error {
	var as args
	id := as.add(c.ID)
	sql := `WITH u AS (UPDATE cases SET version = ` + as.add(c.Version) + `, updated_at = ` + as.add(evs[len(evs)-1].At) +
		`, promised_due = ` + as.add(due.Promised) + `, legal_due = ` + as.add(due.Legal) + changedColumns(&as, c.Before(len(evs)), c) +
		` WHERE id = ` + id + ` AND version = ` + as.add(from) + ` RETURNING 1),
	`
	parts, err := historyParts(&as, id, evs, ms, len(c.Materials)-len(ms))
	if err != nil {
		return err
	}
	sql += parts + `,
	p AS (UPDATE case_progress SET events = ` + as.add(cases.AppendEvents(nil, c.Events)) + ` WHERE number = ` + as.add(c.Number) + `)`
	if len(c.Branches) > 0 {
		sql += `,
	` + branchParts(&as, id, c, due)
	}
	if due.IntakeMoved {
		sql += `,
	d AS (UPDATE case_details SET intake_due = ` + as.add(due.Intake) + ` WHERE case_id = ` + id + `)`
	}
	sql += `
	SELECT openhall_expect_one((SELECT count(*) FROM u))`
	return s.db.write(ctx, staleCase, sql, as...)
}

func staleCase(err error) error {
	if pgCode(err) == "40001" {
		return apperr.Wrap(err, apperr.Conflict, "办件已被他人处理，请刷新后重试")
	}
	return mapError(err)
}

// branchParts write the branch rows of the case that are new or differ
// from the stored ones; the others are left alone. One upsert rather than
// an update and an insert: PostgreSQL plans it in about half the time, and
// a transition's statement is planned afresh whenever its custom plan looks
// cheaper than the cached one.
func branchParts(as *args, id string, c *cases.Case, due cases.Dues) string {
	n := len(c.Branches)
	idx, dept, step, role, done, state, dues := make([]int32, n), make([]int64, n), make([]int32, n), make([]string, n),
		make([]bool, n), make([]string, n), make([]string, n)
	for i, b := range c.Branches {
		js, _ := json.Marshal(b)
		idx[i], dept[i], step[i], role[i], done[i], state[i] = int32(i), c.Procedure.Branches[i].DepartmentID, int32(b.Step),
			string(c.CurrentStep(&c.Branches[i]).Role), b.Done || c.Status == cases.StatusClosed, string(js)
		if i < len(due.Branches) {
			dues[i] = due.Branches[i]
		}
	}
	return `br AS (INSERT INTO case_branches AS b (case_id, idx, department_id, step, step_role, done, state, due)
		SELECT ` + id + `, idx, dept, step, role, done, state::jsonb, due FROM unnest(` + as.add(idx) + `::int[], ` +
		as.add(dept) + `::bigint[], ` + as.add(step) + `::int[], ` + as.add(role) + `::text[], ` + as.add(done) + `::bool[], ` +
		as.add(state) + `::text[], ` + as.add(dues) + `::text[]) AS v(idx, dept, step, role, done, state, due)
		ON CONFLICT (case_id, idx) DO UPDATE SET step = excluded.step, step_role = excluded.step_role, done = excluded.done,
			state = excluded.state, due = excluded.due
		WHERE (b.step, b.step_role, b.done, b.state, b.due) IS DISTINCT FROM
			(excluded.step, excluded.step_role, excluded.done, excluded.state, excluded.due))`
}

// changedColumns is the SET list of the projection columns whose value
// differs from before, their values numbered in as.
func changedColumns(as *args, before, after *cases.Case) string {
	var b strings.Builder
	for _, col := range store.CaseChanges(before, after, nullTime) {
		b.WriteString(", " + col.Name + " = " + as.add(col.Value))
	}
	return b.String()
}
