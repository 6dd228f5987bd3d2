package sqlite

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/cases"
)

// What a case keeps beside its row (table case_details), its drafts, and
// the due dates recomputed when the calendar changes.

// insertDetails writes a new case's details, if any.
func (s *CasesStore) insertDetails(ctx context.Context, id int64, d *cases.Details) error {
	if d == nil {
		return nil
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO case_details (case_id, query_code, intake_due) VALUES (?, ?, ?)`,
		id, d.QueryCode, d.IntakeDue)
	return mapError(err)
}

// setIntakeDue writes the intake due date into a case's details when the
// events saved moved it.
func (s *CasesStore) setIntakeDue(ctx context.Context, id int64, due cases.Dues) error {
	if !due.IntakeMoved {
		return nil
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE case_details SET intake_due = ? WHERE case_id = ?`, due.Intake, id)
	return mapError(err)
}

// FindDetails returns the details of cases by id.
func (s *CasesStore) FindDetails(ctx context.Context, ids []int64) (map[int64]cases.Details, error) {
	out := map[int64]cases.Details{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT case_id, query_code, intake_due FROM case_details
		WHERE case_id IN (`+placeholders(len(ids))+`)`, int64Args(ids)...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var d cases.Details
		if err := rows.Scan(&id, &d.QueryCode, &d.IntakeDue); err != nil {
			return nil, mapError(err)
		}
		out[id] = d
	}
	return out, mapError(rows.Err())
}

// ResetQueryCode replaces a case's query code everywhere it is kept.
func (s *CasesStore) ResetQueryCode(ctx context.Context, id int64, hash, sealed []byte) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		res, err := q.ExecContext(ctx, `UPDATE cases SET query_code_hash = ? WHERE id = ?`, hash, id)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, "办件不存在")
		}
		if _, err := q.ExecContext(ctx, `UPDATE case_progress SET query_code_hash = ? WHERE case_id = ?`, hash, id); err != nil {
			return mapError(err)
		}
		_, err = q.ExecContext(ctx, `INSERT INTO case_details (case_id, query_code) VALUES (?, ?)
			ON CONFLICT (case_id) DO UPDATE SET query_code = excluded.query_code`, id, sealed)
		return mapError(err)
	})
}

// UpdateDraft rewrites a draft's form, applicant, fee and materials.
func (s *CasesStore) UpdateDraft(ctx context.Context, c *cases.Case) error {
	row, err := caseRowOf(c)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		res, err := q.ExecContext(ctx, `UPDATE cases SET form = ?, applicant = ?, applicant_name = ?, fee_due = ?, updated_at = ?
			WHERE id = ? AND status = 'draft' AND version = ?`, row.form, row.applicant, c.Applicant.Name, c.Fee.DueFen,
			micro(s.db.now()), c.ID, c.Version)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "草稿已被提交或修改，请刷新后重试")
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM case_materials WHERE case_id = ?`, c.ID); err != nil {
			return mapError(err)
		}
		return s.insertHistory(ctx, c.ID, nil, c.Materials, 0)
	})
}

// FindOpenCaseIDs lists open cases with a due date on or after from.
func (s *CasesStore) FindOpenCaseIDs(ctx context.Context, from string, afterID int64, limit int) ([]int64, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT c.id FROM cases c
		WHERE c.status IN ('submitted', 'supplement', 'review', 'correction', 'payment') AND c.id > ?
		AND (c.promised_due >= ? OR c.legal_due >= ?
			OR EXISTS (SELECT 1 FROM case_branches b WHERE b.case_id = c.id AND b.due >= ?)
			OR EXISTS (SELECT 1 FROM case_details d WHERE d.case_id = c.id AND d.intake_due >= ?))
		ORDER BY c.id LIMIT ?`, afterID, from, from, from, from, limit)
	return collect(rows, err, func(r scanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// UpdateDues rewrites the due dates kept for queues.
func (s *CasesStore) UpdateDues(ctx context.Context, c *cases.Case, due cases.Dues) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		res, err := q.ExecContext(ctx, `UPDATE cases SET promised_due = ?, legal_due = ? WHERE id = ? AND version = ?`,
			due.Promised, due.Legal, c.ID, c.Version)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "办件已被他人处理，请刷新后重试")
		}
		for i, d := range due.Branches {
			if _, err := q.ExecContext(ctx, `UPDATE case_branches SET due = ? WHERE case_id = ? AND idx = ?`, d, c.ID, i); err != nil {
				return mapError(err)
			}
		}
		_, err = q.ExecContext(ctx, `UPDATE case_details SET intake_due = ? WHERE case_id = ?`, due.Intake, c.ID)
		return mapError(err)
	})
}
