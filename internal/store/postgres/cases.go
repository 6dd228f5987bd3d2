package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"

	"github.com/jackc/pgx/v5"
)

// CasesStore implements cases.Store. A case is stored as a row (the
// projection used by queries), its events, its branches and its materials;
// loading replays the events over the stored procedure, decoded once per
// distinct procedure.
type CasesStore struct {
	db    *DB
	procs *cases.ProcedureCache
}

// Cases returns the cases store.
func (db *DB) Cases() *CasesStore { return &CasesStore{db: db, procs: &cases.ProcedureCache{}} }

// CreateCase inserts a new case with its number, taken from the id sequence
// before the insert.
func (s *CasesStore) CreateCase(ctx context.Context, c *cases.Case, key string, codeHash []byte) error {
	a, err1 := json.Marshal(c.Applicant)
	p, err2 := json.Marshal(c.Procedure)
	f, err3 := json.Marshal(c.Form)
	if err := firstErr(err1, err2, err3); err != nil {
		return fmt.Errorf("encode case: %w", err)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if err := q.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('cases', 'id'))`).Scan(&c.ID); err != nil {
			return mapError(err)
		}
		c.Number = cases.FormatNumber(c.Procedure.RegionCode, c.CreatedAt, c.ID)
		_, err := q.Exec(ctx, `INSERT INTO cases (id, number, status, item_version_id, item_code, item_name, region_path, department_id,
			applicant_user_id, applicant, applicant_name, agent_id, channel, procedure, form, fee_due, version, idempotency_key,
			query_code_hash, created_at, submitted_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
			$15, $16, $17, $18, $19, $20, $21, $22)`, c.ID, c.Number, c.Status, c.Procedure.ItemVersionID, c.Procedure.ItemCode,
			c.Procedure.ItemName, c.Procedure.RegionPath, c.Procedure.DepartmentID, nullable(c.Applicant.UserID), a, c.Applicant.Name,
			nullable(c.AgentID), c.Channel, p, f, c.Fee.DueFen, c.Version, key, codeHash, c.CreatedAt, nullTime(c.SubmittedAt), c.CreatedAt)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该申请已经提交过")
		}
		if err != nil {
			return mapError(err)
		}
		b, err := historyBatch(c.ID, c.Events, c.Materials, 0)
		if err != nil {
			return err
		}
		queueProgressInsert(b, c, p, codeHash)
		return s.sendBatch(ctx, b)
	})
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

// historyBatch queues the events and materials to append.
func historyBatch(id int64, evs []cases.Event, ms []cases.MaterialFile, materialsBefore int) (*pgx.Batch, error) {
	b := &pgx.Batch{}
	for _, e := range evs {
		d, err := e.DetailJSON()
		if err != nil {
			return nil, err
		}
		b.Queue(`INSERT INTO case_events (case_id, seq, kind, at, actor_id, actor_label, branch, detail)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, e.Seq, e.Kind, e.At, e.ActorID, e.ActorLabel, e.Branch, d)
	}
	for i, m := range ms {
		b.Queue(`INSERT INTO case_materials (case_id, seq, code, file_name, sha256, size, mime, round, added_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, materialsBefore+i+1, m.Code, m.FileName, m.SHA256, m.Size, m.MIME, m.Round, m.Added)
	}
	return b, nil
}

// sendBatch runs queued statements in one round trip.
func (s *CasesStore) sendBatch(ctx context.Context, b *pgx.Batch) error {
	tx, ok := TxFromContext(ctx)
	if !ok {
		return fmt.Errorf("case history written outside a transaction")
	}
	return mapError(tx.SendBatch(ctx, b).Close())
}

// SaveCase writes a case after new events, if nobody changed it meanwhile.
func (s *CasesStore) SaveCase(ctx context.Context, c *cases.Case, from int, evs []cases.Event, ms []cases.MaterialFile, due cases.Dues) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tag, err := s.db.q(ctx).Exec(ctx, `UPDATE cases SET status = $1, decision = $2, completion = $3, fee_paid = $4, fee_receipt = $5,
			rounds = $6, certificate = $7, version = $8, promised_due = $9, legal_due = $10, submitted_at = $11, accepted_at = $12,
			closed_at = $13, updated_at = $14 WHERE id = $15 AND version = $16`, c.Status, c.Decision, c.Completion, c.Fee.PaidFen,
			c.Fee.Receipt, c.Rounds, c.Certificate, c.Version, due.Promised, due.Legal, nullTime(c.SubmittedAt), nullTime(c.AcceptedAt),
			nullTime(c.ClosedAt), evs[len(evs)-1].At, c.ID, from)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "办件已被他人处理，请刷新后重试")
		}
		b, err := historyBatch(c.ID, evs, ms, len(c.Materials)-len(ms))
		if err != nil {
			return err
		}
		queueProgressUpdate(b, c)
		queueBranches(b, c, due)
		return s.sendBatch(ctx, b)
	})
}

// queueBranches queues the rewrite of a case's branch rows.
func queueBranches(b *pgx.Batch, c *cases.Case, due cases.Dues) {
	b.Queue(`DELETE FROM case_branches WHERE case_id = $1`, c.ID)
	for i, br := range c.Branches {
		state, _ := json.Marshal(br)
		d := ""
		if i < len(due.Branches) {
			d = due.Branches[i]
		}
		b.Queue(`INSERT INTO case_branches (case_id, idx, department_id, step, step_role, done, state, due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, i, c.Procedure.Branches[i].DepartmentID, br.Step,
			c.CurrentStep(&c.Branches[i]).Role, br.Done || c.Status == cases.StatusClosed, state, d)
	}
}

const caseColumns = `id, COALESCE(number, ''), procedure, applicant, form, COALESCE(agent_id, 0), channel, fee_due, query_code_hash`

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
	c, hash, err := s.readCase(br, withMaterials)
	if closeErr := br.Close(); err == nil && closeErr != nil {
		err = mapError(closeErr)
	}
	if err != nil {
		return nil, nil, err
	}
	return c, hash, nil
}

// readCase reads the results of loadWhere's statements.
func (s *CasesStore) readCase(br pgx.BatchResults, withMaterials bool) (*cases.Case, []byte, error) {
	var c cases.Case
	var proc, app, form []byte
	var hash []byte
	err := br.QueryRow().Scan(&c.ID, &c.Number, &proc, &app, &form, &c.AgentID, &c.Channel, &c.Fee.DueFen, &hash)
	if err != nil {
		return nil, nil, notFound(err, "办件不存在")
	}
	err = firstErr(s.procs.Decode(proc, &c.Procedure), json.Unmarshal(app, &c.Applicant), json.Unmarshal(form, &c.Form))
	if err != nil {
		return nil, nil, fmt.Errorf("decode case %d: %w", c.ID, err)
	}
	evs, err := events(br.Query())
	if err != nil {
		return nil, nil, err
	}
	for _, e := range evs {
		c.Apply(e)
	}
	if withMaterials {
		c.Materials, err = materials(br.Query())
	}
	return &c, hash, err
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
