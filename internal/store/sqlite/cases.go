package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/store"
)

// CasesStore implements cases.Store. A case is stored as a row (the
// projection used by queries), its events, its branches and its materials;
// loading replays the events over the stored procedure, which is stored
// once per distinct procedure and decoded once per process.
type CasesStore struct {
	db    *DB
	procs *cases.ProcedureCache
}

// Cases returns the cases store.
func (db *DB) Cases() *CasesStore { return &CasesStore{db: db, procs: &cases.ProcedureCache{}} }

// CreateCase inserts a new case with its number, made from the id it is
// about to get: the writer's transaction holds SQLite's write lock, so no
// one else can take that id first.
func (s *CasesStore) CreateCase(ctx context.Context, c *cases.Case, key string, codeHash []byte, d *cases.Details) error {
	row, err := caseRowOf(c)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM cases`).Scan(&c.ID); err != nil {
			return mapError(err)
		}
		c.Number = cases.FormatNumber(c.Procedure.RegionCode, c.CreatedAt, c.ID)
		if err := s.storeProcedure(ctx, row); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `INSERT INTO cases (id, number, status, item_version_id, item_code, item_name, region_path,
			department_id, applicant_user_id, applicant, applicant_name, agent_id, channel, procedure, procedure_key, form, fee_due,
			version, idempotency_key, query_code_hash, created_at, submitted_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Number, c.Status, c.Procedure.ItemVersionID, c.Procedure.ItemCode, c.Procedure.ItemName, c.Procedure.RegionPath,
			c.Procedure.DepartmentID, nullable(c.Applicant.UserID), row.applicant, c.Applicant.Name, nullable(c.AgentID),
			c.Channel, row.key, row.form, c.Fee.DueFen, c.Version, key, codeHash, micro(c.CreatedAt),
			micro(c.SubmittedAt), micro(c.CreatedAt))
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该申请已经提交过")
		}
		if err != nil {
			return mapError(err)
		}
		if err := s.insertHistory(ctx, c.ID, c.Events, c.Materials, 0); err != nil {
			return err
		}
		if err := s.insertDetails(ctx, c.ID, d); err != nil {
			return err
		}
		return s.insertProgress(ctx, c, row, codeHash)
	})
}

// caseRow holds the JSON columns of a case and its procedure's key.
type caseRow struct {
	applicant, procedure, form string
	key                        []byte
}

func caseRowOf(c *cases.Case) (caseRow, error) {
	a, err1 := json.Marshal(c.Applicant)
	p, err2 := json.Marshal(c.Procedure)
	f, err3 := json.Marshal(c.Form)
	if err := firstErr(err1, err2, err3); err != nil {
		return caseRow{}, fmt.Errorf("encode case: %w", err)
	}
	return caseRow{string(a), string(p), string(f), cases.ProcedureKey(p)}, nil
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

// insertHistory appends events (numbered from their Seq) and materials
// (numbered after the materialsBefore already stored), each kind in one
// statement.
func (s *CasesStore) insertHistory(ctx context.Context, id int64, evs []cases.Event, ms []cases.MaterialFile, materialsBefore int) error {
	q := s.db.q(ctx)
	if len(evs) > 0 {
		args := make([]any, 0, 8*len(evs))
		for _, e := range evs {
			detail, err := e.DetailJSON()
			if err != nil {
				return err
			}
			args = append(args, id, e.Seq, e.Kind, micro(e.At), e.ActorID, e.ActorLabel, e.Branch, string(detail))
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO case_events (case_id, seq, kind, at, actor_id, actor_label, branch, detail)
			VALUES `+tuples(len(evs), 8), args...); err != nil {
			return mapError(err)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	args := make([]any, 0, 9*len(ms))
	for i, m := range ms {
		args = append(args, id, materialsBefore+i+1, m.Code, m.FileName, m.SHA256, m.Size, m.MIME, m.Round, micro(m.Added))
	}
	_, err := q.ExecContext(ctx, `INSERT INTO case_materials (case_id, seq, code, file_name, sha256, size, mime, round, added_at)
		VALUES `+tuples(len(ms), 9), args...)
	return mapError(err)
}

// tuples is "(?, …), (?, …)": rows groups of cols placeholders.
func tuples(rows, cols int) string {
	one := "(" + placeholders(cols) + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

// SaveCase writes a case after new events, if nobody changed it meanwhile:
// the row (only the columns that changed, besides those every change
// sets), the new events and materials, the progress row, and the branch
// rows that are new or differ from the stored ones.
func (s *CasesStore) SaveCase(ctx context.Context, c *cases.Case, from int, evs []cases.Event, ms []cases.MaterialFile, due cases.Dues) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		sets, args := changedColumns(c.Before(len(evs)), c)
		args = append(args, c.ID, from)
		res, err := s.db.q(ctx).ExecContext(ctx, `UPDATE cases SET version = ?, updated_at = ?, promised_due = ?, legal_due = ?`+
			sets+` WHERE id = ? AND version = ?`, append([]any{c.Version, micro(evs[len(evs)-1].At), due.Promised, due.Legal}, args...)...)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "办件已被他人处理，请刷新后重试")
		}
		if err := s.insertHistory(ctx, c.ID, evs, ms, len(c.Materials)-len(ms)); err != nil {
			return err
		}
		if err := s.updateProgress(ctx, c); err != nil {
			return err
		}
		if err := s.setIntakeDue(ctx, c.ID, due); err != nil {
			return err
		}
		if err := s.saveBranches(ctx, c, due); err != nil {
			return err
		}
		s.keepRecent(ctx, c)
		return nil
	})
}

// changedColumns is the SET list of the projection columns whose value
// differs from before, and their arguments.
func changedColumns(before, after *cases.Case) (string, []any) {
	var b strings.Builder
	var args []any
	for _, col := range store.CaseChanges(before, after, func(t time.Time) any { return micro(t) }) {
		b.WriteString(", " + col.Name + " = ?")
		args = append(args, col.Value)
	}
	return b.String(), args
}

// saveBranches writes, in one statement, the branch rows that are new or
// differ from the stored ones; an unchanged row is not written.
func (s *CasesStore) saveBranches(ctx context.Context, c *cases.Case, due cases.Dues) error {
	if len(c.Branches) == 0 {
		return nil
	}
	args := make([]any, 0, 8*len(c.Branches))
	for i, b := range c.Branches {
		state, _ := json.Marshal(b)
		d := ""
		if i < len(due.Branches) {
			d = due.Branches[i]
		}
		args = append(args, c.ID, i, c.Procedure.Branches[i].DepartmentID, b.Step, c.CurrentStep(&c.Branches[i]).Role,
			boolInt(b.Done || c.Status == cases.StatusClosed), string(state), d)
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO case_branches (case_id, idx, department_id, step, step_role, done, state, due)
		VALUES `+tuples(len(c.Branches), 8)+` ON CONFLICT (case_id, idx) DO UPDATE SET step = excluded.step,
		step_role = excluded.step_role, done = excluded.done, state = excluded.state, due = excluded.due
		WHERE (step, step_role, done, state, due) IS NOT (excluded.step, excluded.step_role, excluded.done, excluded.state, excluded.due)`,
		args...)
	return mapError(err)
}

// caseColumns read the procedure itself only for cases filed before
// procedures were stored by key.
const caseColumns = `id, IFNULL(number, ''), procedure_key, CASE WHEN procedure_key IS NULL THEN procedure END, applicant, form,
	IFNULL(agent_id, 0), channel, fee_due, query_code_hash, EXISTS (SELECT 1 FROM bundle_cases b WHERE b.case_id = cases.id)`

// LoadCase returns a case, rebuilt from its events. SQLite's single writer
// already serialises changes, so lock takes no lock of its own; under it,
// a case the writer kept is read as its version only (cases_recent.go).
func (s *CasesStore) LoadCase(ctx context.Context, id int64, lock bool) (*cases.Case, error) {
	if !lock {
		c, _, err := s.loadWhere(ctx, `id = ?`, id, true)
		return c, err
	}
	if c, ok := s.recentCase(ctx, id); ok {
		return c, nil
	}
	c, _, err := s.loadWhere(ctx, `id = ?`, id, true)
	if err == nil {
		s.keepRecent(ctx, c)
	}
	return c, err
}

// FindCaseByNumber returns a case and its query-code hash.
func (s *CasesStore) FindCaseByNumber(ctx context.Context, number string) (*cases.Case, []byte, error) {
	return s.loadWhere(ctx, `number = ?`, number, true)
}

// FindCaseByIdempotencyKey returns the case created with key.
func (s *CasesStore) FindCaseByIdempotencyKey(ctx context.Context, key string) (*cases.Case, error) {
	c, _, err := s.loadWhere(ctx, `idempotency_key = ?`, key, true)
	return c, err
}

func (s *CasesStore) loadWhere(ctx context.Context, where string, arg any, withMaterials bool) (*cases.Case, []byte, error) {
	q := s.db.q(ctx)
	var c cases.Case
	var key, proc []byte
	var app, form string
	var hash []byte
	err := q.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE `+where, arg).Scan(&c.ID, &c.Number, &key, &proc, &app,
		&form, &c.AgentID, &c.Channel, &c.Fee.DueFen, &hash, &c.Bundled)
	if err != nil {
		return nil, nil, notFound(err, "办件不存在")
	}
	if err := s.decodeCase(ctx, &c, key, proc, app, form); err != nil {
		return nil, nil, err
	}
	evs, err := s.events(ctx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range evs {
		c.Apply(e)
	}
	if withMaterials {
		c.Materials, err = s.materials(ctx, c.ID)
	}
	return &c, hash, err
}

func (s *CasesStore) decodeCase(ctx context.Context, c *cases.Case, key, proc []byte, app, form string) error {
	err := firstErr(s.procedure(ctx, key, proc, c.ID, &c.Procedure), json.Unmarshal([]byte(app), &c.Applicant),
		json.Unmarshal([]byte(form), &c.Form))
	if err != nil {
		return fmt.Errorf("decode case %d: %w", c.ID, err)
	}
	return nil
}

// procedure decodes a case's procedure: the one stored under key, or for a
// case filed before procedures were stored by key, proc.
func (s *CasesStore) procedure(ctx context.Context, key, proc []byte, id int64, p *cases.Procedure) error {
	if key == nil {
		return s.procs.Decode(proc, p)
	}
	return s.procs.DecodeKeyed(string(key), func() ([]byte, error) { return s.storedProcedure(ctx, key, id) }, p)
}

// storedProcedure reads the procedure stored under key or, for a case filed
// before procedures were stored by key (whose progress row still names the
// key of its own JSON), the case's own.
func (s *CasesStore) storedProcedure(ctx context.Context, key []byte, id int64) ([]byte, error) {
	var proc []byte
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT IFNULL((SELECT procedure FROM case_procedures WHERE key = ?),
		(SELECT procedure FROM cases WHERE id = ?))`, key, id).Scan(&proc)
	return proc, mapError(err)
}

func (s *CasesStore) events(ctx context.Context, id int64) ([]cases.Event, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT seq, kind, at, actor_id, actor_label, branch, detail
		FROM case_events WHERE case_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []cases.Event
	for rows.Next() {
		var e cases.Event
		var at int64
		var raw string
		if err := rows.Scan(&e.Seq, &e.Kind, &at, &e.ActorID, &e.ActorLabel, &e.Branch, &raw); err != nil {
			return nil, err
		}
		if err := e.SetDetail([]byte(raw)); err != nil {
			return nil, fmt.Errorf("decode event %d of case %d: %w", e.Seq, id, err)
		}
		e.At = fromMicro(at)
		out = append(out, e)
	}
	return out, mapError(rows.Err())
}

func (s *CasesStore) materials(ctx context.Context, id int64) ([]cases.MaterialFile, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT code, file_name, sha256, size, mime, round, added_at
		FROM case_materials WHERE case_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []cases.MaterialFile
	for rows.Next() {
		var m cases.MaterialFile
		var added int64
		if err := rows.Scan(&m.Code, &m.FileName, &m.SHA256, &m.Size, &m.MIME, &m.Round, &added); err != nil {
			return nil, err
		}
		m.Added = fromMicro(added)
		out = append(out, m)
	}
	return out, mapError(rows.Err())
}

// FindCases lists summaries for queues and "我的办件".
func (s *CasesStore) FindCases(ctx context.Context, f cases.Filter) ([]*cases.Summary, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	from := `cases c`
	branchCols := `-1, '', 0`
	if len(f.DepartmentIDs) > 0 {
		from = `cases c JOIN case_branches b ON b.case_id = c.id`
		branchCols = `b.idx, b.due, b.department_id`
		where = append(where, "b.done = 0", "c.status = 'review'", "b.department_id IN ("+placeholders(len(f.DepartmentIDs))+")")
		args = append(args, int64Args(f.DepartmentIDs)...)
		if len(f.StepRoles) > 0 {
			where = append(where, "b.step_role IN ("+placeholders(len(f.StepRoles))+")")
			for _, r := range f.StepRoles {
				args = append(args, string(r))
			}
		}
	}
	if f.ApplicantUserID != 0 {
		where, args = append(where, "c.applicant_user_id = ?"), append(args, f.ApplicantUserID)
	}
	if f.RefundOwed {
		where = append(where, refundOwed)
	}
	if f.AgentID != 0 {
		where, args = append(where, "c.agent_id = ?"), append(args, f.AgentID)
	}
	if len(f.Status) > 0 {
		where = append(where, "c.status IN ("+placeholders(len(f.Status))+")")
		for _, st := range f.Status {
			args = append(args, string(st))
		}
	}
	if len(f.RegionPrefixes) > 0 {
		var ors []string
		for _, p := range f.RegionPrefixes {
			ors, args = append(ors, "substr(c.region_path, 1, ?) = ?"), append(args, len(p), p)
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	order := summaryOrder(f)
	args = append(args, f.Limit, f.Offset)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT c.id, IFNULL(c.number, ''), c.status, c.decision, c.item_name, c.applicant_name,
		c.channel, c.submitted_at, c.accepted_at, c.closed_at, c.promised_due, c.legal_due, `+branchCols+`, c.region_path, count(*) OVER ()
		FROM `+from+` WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer rows.Close()
	var out []*cases.Summary
	total := 0
	for rows.Next() {
		var sm cases.Summary
		var sub, acc, clo int64
		if err := rows.Scan(&sm.ID, &sm.Number, &sm.Status, &sm.Decision, &sm.ItemName, &sm.ApplicantName, &sm.Channel,
			&sub, &acc, &clo, &sm.PromisedDue, &sm.LegalDue, &sm.Branch, &sm.StepDue, &sm.Department, &sm.RegionPath, &total); err != nil {
			return nil, 0, err
		}
		sm.SubmittedAt, sm.AcceptedAt, sm.ClosedAt = fromMicro(sub), fromMicro(acc), fromMicro(clo)
		out = append(out, &sm)
	}
	return out, total, mapError(rows.Err())
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

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// refundOwed selects closed cases not approved whose paid fee was not
// refunded yet.
const refundOwed = `c.status = 'closed' AND c.decision <> 'approved' AND c.fee_paid > 0
	AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.kind = 'refunded')`
