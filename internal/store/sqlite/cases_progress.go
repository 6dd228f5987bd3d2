package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"openhall/internal/apperr"
	"openhall/internal/cases"
)

// The progress row (table case_progress) is what the public lookup reads:
// one indexed read instead of the case row and its events. It is written
// with the case and rewritten with every change, in the same transaction.

// insertProgress writes the progress row of a newly created case.
func (s *CasesStore) insertProgress(ctx context.Context, c *cases.Case, row caseRow, codeHash []byte) error {
	evs := cases.AppendEvents(nil, c.Events)
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO case_progress (number, case_id, query_code_hash, procedure_key,
		applicant_name, events) VALUES (?, ?, ?, ?, ?, ?)`, c.Number, c.ID, codeHash, cases.ProcedureKey([]byte(row.procedure)),
		c.Applicant.Name, evs)
	return mapError(err)
}

// updateProgress rewrites the events of a case's progress row; a case filed
// before the table existed has none and keeps being looked up the old way.
func (s *CasesStore) updateProgress(ctx context.Context, c *cases.Case) error {
	evs := cases.AppendEvents(nil, c.Events)
	_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE case_progress SET events = ? WHERE number = ?`, evs, c.Number)
	return mapError(err)
}

// FindCaseForLookup reads a case's progress row and the latest lock of the
// throttle keys in one statement.
func (s *CasesStore) FindCaseForLookup(ctx context.Context, number string, keys []string) (cases.Guarded, error) {
	args := make([]any, 0, len(keys)+1)
	for _, k := range keys {
		args = append(args, k)
	}
	var g cases.Guarded
	var locked int64
	var id sql.NullInt64
	var key []byte
	var name sql.NullString
	var evs []byte
	// A point read ends in microseconds: it is not worth the goroutine the
	// driver starts to interrupt a statement whose context may be canceled.
	err := s.db.q(ctx).QueryRowContext(context.WithoutCancel(ctx), `SELECT (SELECT COALESCE(MAX(locked_until), 0) FROM login_throttle
		WHERE key IN (`+placeholders(len(keys))+`)), p.case_id, p.query_code_hash, p.procedure_key, p.applicant_name, p.events
		FROM (SELECT 1) LEFT JOIN case_progress p ON p.number = ?`, append(args, number)...).Scan(&locked, &id, &g.CodeHash, &key, &name, &evs)
	if err != nil {
		return g, mapError(err)
	}
	g.LockedUntil = fromMicro(locked)
	if !id.Valid {
		return s.lookupFromEvents(ctx, number, g)
	}
	g.Case, err = s.progressCase(ctx, id.Int64, number, key, name.String, evs)
	return g, err
}

// lookupFromEvents finds a case filed before progress rows existed.
func (s *CasesStore) lookupFromEvents(ctx context.Context, number string, g cases.Guarded) (cases.Guarded, error) {
	c, hash, err := s.loadWhere(ctx, `number = ?`, number, false)
	if apperr.Is(err, apperr.NotFound) {
		return g, nil
	}
	g.Case, g.CodeHash = c, hash
	return g, err
}

// progressCase rebuilds a case from its progress row.
func (s *CasesStore) progressCase(ctx context.Context, id int64, number string, key []byte, name string, evs []byte) (*cases.Case, error) {
	c := &cases.Case{ID: id, Number: number}
	c.Applicant.Name = name
	load := func() ([]byte, error) {
		var proc []byte
		err := s.db.q(ctx).QueryRowContext(ctx, `SELECT procedure FROM cases WHERE id = ?`, id).Scan(&proc)
		return proc, mapError(err)
	}
	list, err := cases.DecodeEvents(evs)
	err = firstErr(err, s.procs.DecodeKeyed(string(key), load, &c.Procedure))
	if err != nil {
		return nil, fmt.Errorf("decode progress of case %d: %w", id, err)
	}
	for _, e := range list {
		c.Apply(e)
	}
	return c, nil
}
