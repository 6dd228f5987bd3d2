package postgres

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
)

// The progress row (table case_progress) is what the public lookup reads:
// one indexed read instead of the case row and its events. It is written
// with the case and rewritten with every change, in the same transaction.

// FindCaseForLookup reads a case's progress row and the latest lock of the
// throttle keys in one statement.
func (s *CasesStore) FindCaseForLookup(ctx context.Context, number string, keys []string) (cases.Guarded, error) {
	var g cases.Guarded
	var locked *time.Time
	var id *int64
	var key []byte
	var name *string
	var evs []byte
	err := s.db.q(ctx).QueryRow(ctx, `SELECT (SELECT MAX(locked_until) FROM login_throttle WHERE key = ANY($1)),
		p.case_id, p.query_code_hash, p.procedure_key, p.applicant_name, p.events
		FROM (SELECT 1) one LEFT JOIN case_progress p ON p.number = $2`, keys, number).Scan(&locked, &id, &g.CodeHash, &key, &name, &evs)
	if err != nil {
		return g, mapError(err)
	}
	if locked != nil {
		g.LockedUntil = locked.UTC()
	}
	if id == nil {
		return s.lookupFromEvents(ctx, number, g)
	}
	g.Case, err = s.progressCase(ctx, *id, number, key, *name, evs)
	return g, err
}

// lookupFromEvents finds a case filed before progress rows existed.
func (s *CasesStore) lookupFromEvents(ctx context.Context, number string, g cases.Guarded) (cases.Guarded, error) {
	c, hash, err := s.loadWhere(ctx, `number = $1`, false, false, number)
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
	load := func() ([]byte, error) { return s.storedProcedure(ctx, key, id) }
	list, err := cases.DecodeEvents(evs)
	err = firstErr(err, s.decode.DecodeKeyed(string(key), load, &c.Procedure))
	if err != nil {
		return nil, fmt.Errorf("decode progress of case %d: %w", id, err)
	}
	for _, e := range list {
		c.Apply(e)
	}
	return c, nil
}
