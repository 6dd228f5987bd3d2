package sqlite

import (
	"context"
	"time"

	"openhall/internal/cases"
	"openhall/internal/memo"
)

// Cases the writer has just read or saved.
//
// A command on a case reads the whole case under the writer (its row, its
// events, its materials) before it changes it, and every other write waits
// meanwhile. The writer's connection is the one that wrote the case last,
// so most of that read repeats what this process already knows. The writer
// therefore keeps the cases it loaded under the lock or saved, and a load
// under the lock reads only the stored version: when it is the version
// kept, the copy kept is the case as stored.
//
// That holds because, once a case is past its draft, every change to what
// LoadCase reads adds an event and so bumps the version, and because a case
// is kept only once its transaction has committed (memo's Held): a version
// number is never stored with two different cases. Drafts, whose form and
// materials change without an event, are not kept. A change made by another
// process moves the version like any other, and the case is read again.

// recentLife and recentMax bound the cases kept: beyond recentMax the
// cache starts again empty.
const (
	recentLife = 10 * time.Minute
	recentMax  = 4096
)

func newRecentCases(now func() time.Time) *memo.Cache[int64, *cases.Case] {
	return memo.New[int64, *cases.Case](recentLife, recentMax, now)
}

// recentCase returns a copy of the case kept for id when its stored
// version is still the one kept.
func (s *CasesStore) recentCase(ctx context.Context, id int64) (*cases.Case, bool) {
	c, ok := s.db.recentCases.Get(id)
	if !ok {
		return nil, false
	}
	var v int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT version FROM cases WHERE id = ?`, id).Scan(&v)
	if err != nil || v != c.Version {
		return nil, false
	}
	return c.Clone(), true
}

// keepRecent keeps a copy of c once the transaction of ctx has committed.
func (s *CasesStore) keepRecent(ctx context.Context, c *cases.Case) {
	if c.Status == cases.StatusDraft {
		return
	}
	s.db.recentCases.Keep(ctx, c.ID, c.Clone())
}

// A case's procedure is stored once, under its key, for every case filed
// under the same published version. Filing writes it only while this
// process does not know it stored: a key is kept once the transaction that
// stored it (or found it stored) has committed, and rows of
// case_procedures are never deleted.
const (
	storedProcsLife = time.Hour
	storedProcsMax  = 4096
)

func newStoredProcs() *memo.Cache[string, bool] {
	return memo.New[string, bool](storedProcsLife, storedProcsMax, nil)
}

// storeProcedure stores the procedure of row unless it is known stored.
func (s *CasesStore) storeProcedure(ctx context.Context, row caseRow) error {
	if _, ok := s.db.storedProcs.Get(string(row.key)); ok {
		return nil
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT OR IGNORE INTO case_procedures (key, procedure) VALUES (?, ?)`,
		row.key, row.procedure)
	if err != nil {
		return mapError(err)
	}
	s.db.storedProcs.Keep(ctx, string(row.key), true)
	return nil
}
