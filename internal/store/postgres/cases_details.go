package postgres

import (
	"context"
	"encoding/json"

	"openhall/internal/apperr"
	"openhall/internal/cases"

	"github.com/jackc/pgx/v5"
)

// What a case keeps beside its row (table case_details), its drafts, and
// the due dates recomputed when the calendar changes.

// FindDetails returns the details of cases by id.
func (s *CasesStore) FindDetails(ctx context.Context, ids []int64) (map[int64]cases.Details, error) {
	out := map[int64]cases.Details{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT case_id, query_code, intake_due FROM case_details WHERE case_id = ANY($1)`, ids)
	type row struct {
		id int64
		d  cases.Details
	}
	rs, err := collect(rows, err, func(r pgx.Row) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.d.QueryCode, &x.d.IntakeDue)
		return x, err
	})
	for _, x := range rs {
		out[x.id] = x.d
	}
	return out, err
}

// ResetQueryCode replaces a case's query code everywhere it is kept.
func (s *CasesStore) ResetQueryCode(ctx context.Context, id int64, hash, sealed []byte) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		tag, err := q.Exec(ctx, `UPDATE cases SET query_code_hash = $1 WHERE id = $2`, hash, id)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.NotFound, "办件不存在")
		}
		if _, err := q.Exec(ctx, `UPDATE case_progress SET query_code_hash = $1 WHERE case_id = $2`, hash, id); err != nil {
			return mapError(err)
		}
		_, err = q.Exec(ctx, `INSERT INTO case_details (case_id, query_code) VALUES ($1, $2)
			ON CONFLICT (case_id) DO UPDATE SET query_code = excluded.query_code`, id, sealed)
		return mapError(err)
	})
}

// UpdateDraft rewrites a draft's form, applicant, fee and materials.
func (s *CasesStore) UpdateDraft(ctx context.Context, c *cases.Case) error {
	form, err1 := json.Marshal(c.Form)
	app, err2 := json.Marshal(c.Applicant)
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		tag, err := q.Exec(ctx, `UPDATE cases SET form = $1, applicant = $2, applicant_name = $3, fee_due = $4, updated_at = $5
			WHERE id = $6 AND status = 'draft' AND version = $7`, form, app, c.Applicant.Name, c.Fee.DueFen,
			s.db.now(), c.ID, c.Version)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "草稿已被提交或修改，请刷新后重试")
		}
		b, err := historyBatch(c.ID, nil, c.Materials, 0)
		if err != nil {
			return err
		}
		if _, err := q.Exec(ctx, `DELETE FROM case_materials WHERE case_id = $1`, c.ID); err != nil {
			return mapError(err)
		}
		return s.sendBatch(ctx, b)
	})
}

// FindOpenCaseIDs lists open cases with a due date on or after from.
func (s *CasesStore) FindOpenCaseIDs(ctx context.Context, from string, afterID int64, limit int) ([]int64, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT c.id FROM cases c
		WHERE c.status IN ('submitted', 'supplement', 'review', 'correction', 'payment') AND c.id > $1
		AND (c.promised_due >= $2 OR c.legal_due >= $2
			OR EXISTS (SELECT 1 FROM case_branches b WHERE b.case_id = c.id AND b.due >= $2)
			OR EXISTS (SELECT 1 FROM case_details d WHERE d.case_id = c.id AND d.intake_due >= $2))
		ORDER BY c.id LIMIT $3`, afterID, from, limit)
	return collect(rows, err, func(r pgx.Row) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// UpdateDues rewrites the due dates kept for queues.
func (s *CasesStore) UpdateDues(ctx context.Context, c *cases.Case, due cases.Dues) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		tag, err := q.Exec(ctx, `UPDATE cases SET promised_due = $1, legal_due = $2 WHERE id = $3 AND version = $4`,
			due.Promised, due.Legal, c.ID, c.Version)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "办件已被他人处理，请刷新后重试")
		}
		b := &pgx.Batch{}
		for i, d := range due.Branches {
			b.Queue(`UPDATE case_branches SET due = $1 WHERE case_id = $2 AND idx = $3`, d, c.ID, i)
		}
		b.Queue(`UPDATE case_details SET intake_due = $1 WHERE case_id = $2`, due.Intake, c.ID)
		return s.sendBatch(ctx, b)
	})
}

// historyBatch queues the inserts of events and materials appended to a
// case (materials numbered after the materialsBefore it has).
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

// sendBatch runs queued statements in one round trip of the transaction
// carried by ctx.
func (s *CasesStore) sendBatch(ctx context.Context, b *pgx.Batch) error {
	return mapError(s.db.q(ctx).(batcher).SendBatch(ctx, b).Close())
}
