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
		applicant_name, events) VALUES (?, ?, ?, ?, ?, ?)`, c.Number, c.ID, codeHash, row.key, c.Applicant.Name, evs)
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
	// A point read ends in microseconds: it is not worth the goroutine the
	// driver starts to interrupt a statement whose context may be canceled.
	rows, err := s.db.q(ctx).QueryContext(context.WithoutCancel(ctx), `SELECT (SELECT COALESCE(MAX(locked_until), 0)
		FROM login_throttle WHERE key IN (`+placeholders(len(keys))+`)), p.case_id, p.query_code_hash, p.procedure_key,
		p.applicant_name, p.events FROM (SELECT 1) LEFT JOIN case_progress p ON p.number = ?`, append(args, number)...)
	if err != nil {
		return cases.Guarded{}, mapError(err)
	}
	r, err := scanProgress(rows)
	if err != nil {
		return cases.Guarded{}, err
	}
	g := cases.Guarded{LockedUntil: fromMicro(r.locked), CodeHash: r.hash}
	if !r.found {
		return s.lookupFromEvents(ctx, number, g)
	}
	g.Case, err = s.progressCase(ctx, r, number)
	return g, err
}

// progressRow is a progress row as read, its events decoded.
type progressRow struct {
	found       bool
	locked, id  int64
	hash        []byte
	key, name   string
	events      []cases.Event
	eventsError error
}

// scanProgress reads the one row of FindCaseForLookup's statement, decoding
// the events straight from the driver's buffer.
func scanProgress(rows *sql.Rows) (progressRow, error) {
	defer rows.Close()
	var r progressRow
	if !rows.Next() {
		return r, mapError(rows.Err())
	}
	var id sql.NullInt64
	var name sql.NullString
	var key, evs sql.RawBytes
	if err := rows.Scan(&r.locked, &id, &r.hash, &key, &name, &evs); err != nil {
		return r, mapError(err)
	}
	r.found, r.id, r.key, r.name = id.Valid, id.Int64, string(key), name.String
	if r.found {
		r.events, r.eventsError = cases.DecodeEvents(evs)
	}
	return r, nil
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
func (s *CasesStore) progressCase(ctx context.Context, r progressRow, number string) (*cases.Case, error) {
	c := &cases.Case{ID: r.id, Number: number}
	c.Applicant.Name = r.name
	load := func() ([]byte, error) { return s.storedProcedure(ctx, []byte(r.key), r.id) }
	err := firstErr(r.eventsError, s.procs.DecodeKeyed(r.key, load, &c.Procedure))
	if err != nil {
		return nil, fmt.Errorf("decode progress of case %d: %w", r.id, err)
	}
	for _, e := range r.events {
		c.Apply(e)
	}
	return c, nil
}
