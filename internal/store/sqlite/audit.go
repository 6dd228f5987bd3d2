package sqlite

import (
	"context"
	"strconv"
	"strings"

	"openhall/internal/audit"
)

// AuditStore implements audit.Store.
type AuditStore struct{ db *DB }

// Audit returns the audit log's store.
func (db *DB) Audit() *AuditStore { return &AuditStore{db} }

const auditColumns = `id, IFNULL(seq, 0), at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest, IFNULL(prev_hash, x''), IFNULL(hash, x'')`

// AppendAuditEntry inserts an unsealed entry.
func (s *AuditStore) AppendAuditEntry(ctx context.Context, e *audit.Entry) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `
			INSERT INTO audit_log (at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.At.UnixMicro(), e.ActorID, e.ActorLabel, e.Scope, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.Digest)
		if err != nil {
			return mapError(err)
		}
		e.ID, err = res.LastInsertId()
		return err
	})
}

// SealAuditEntries links the entries committed after the head's mark and
// stores their links as one seal. The single writer is the chain lock on
// SQLite, and it commits entries in row order, so the row id is the mark.
func (s *AuditStore) SealAuditEntries(ctx context.Context, max int, seal func(audit.Head, []*audit.Entry) audit.Head) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		n = 0
		q := s.db.q(ctx)
		head, err := s.head(ctx, q)
		if err != nil {
			return err
		}
		pending, err := scanAudit(q.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id > ? AND seq IS NULL
			ORDER BY id LIMIT ?`, head.Mark.ID, max))
		if err != nil || len(pending) == 0 {
			return err
		}
		for _, e := range pending {
			e.Mark = audit.Mark{ID: e.ID}
		}
		head = seal(head, pending)
		if err := s.insertSeal(ctx, q, audit.NewSeal(pending, s.db.now())); err != nil {
			return err
		}
		n = len(pending)
		_, err = q.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = ?, mark_tx = ?, mark_id = ? WHERE id = 1`,
			head.Seq, head.Hash, head.Mark.Tx, head.Mark.ID)
		return mapError(err)
	})
	return n, err
}

func (s *AuditStore) head(ctx context.Context, q querier) (audit.Head, error) {
	var h audit.Head
	err := q.QueryRowContext(ctx, `SELECT seq, hash, mark_tx, mark_id FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &h.Mark.Tx, &h.Mark.ID)
	return h, mapError(err)
}

func (s *AuditStore) insertSeal(ctx context.Context, q querier, sl *audit.Seal) error {
	_, err := q.ExecContext(ctx, `INSERT INTO audit_seals (first_seq, min_id, max_id, through_tx, through_id, ids, prev_hash,
		hashes, sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sl.FirstSeq, sl.MinID(), sl.MaxID(), sl.Through.Tx, sl.Through.ID,
		sl.EncodeIDs(), sl.PrevHash, sl.Hashes, micro(sl.SealedAt))
	return mapError(err)
}

// WalkAuditChain streams the entries linked in their own rows in chain order.
func (s *AuditStore) WalkAuditChain(ctx context.Context, fn func(*audit.Entry) error) error {
	return s.walk(ctx, fn, `SELECT `+auditColumns+` FROM audit_log WHERE seq IS NOT NULL ORDER BY seq`)
}

// WalkAuditMarked streams the entries sealed (or to be sealed) in batches
// up to through, in row order.
func (s *AuditStore) WalkAuditMarked(ctx context.Context, through audit.Mark, fn func(*audit.Entry) error) error {
	return s.walk(ctx, func(e *audit.Entry) error {
		e.Mark = audit.Mark{ID: e.ID}
		return fn(e)
	}, `SELECT `+auditColumns+` FROM audit_log WHERE seq IS NULL AND id <= ? ORDER BY id`, through.ID)
}

func (s *AuditStore) walk(ctx context.Context, fn func(*audit.Entry) error, query string, args ...any) error {
	rows, err := s.db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		e := &audit.Entry{}
		if err := scanAuditRow(rows, e); err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

const sealColumns = `first_seq, through_tx, through_id, ids, prev_hash, hashes, sealed_at`

// WalkAuditSeals streams the seals in chain order.
func (s *AuditStore) WalkAuditSeals(ctx context.Context, fn func(*audit.Seal) error) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+sealColumns+` FROM audit_seals ORDER BY first_seq`)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		sl, err := scanSeal(rows)
		if err != nil {
			return err
		}
		if err := fn(sl); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

// FindAuditSeals returns the seals whose IDs overlap [minID, maxID].
func (s *AuditStore) FindAuditSeals(ctx context.Context, minID, maxID int64) ([]*audit.Seal, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+sealColumns+` FROM audit_seals WHERE max_id >= ? AND min_id <= ?
		ORDER BY first_seq`, minID, maxID)
	return collect(rows, err, scanSeal)
}

func scanSeal(r scanner) (*audit.Seal, error) {
	sl := &audit.Seal{}
	var ids []byte
	var at int64
	if err := r.Scan(&sl.FirstSeq, &sl.Through.Tx, &sl.Through.ID, &ids, &sl.PrevHash, &sl.Hashes, &at); err != nil {
		return nil, mapError(err)
	}
	sl.SealedAt = fromMicro(at)
	return sl, sl.DecodeIDs(ids)
}

// AuditHead returns the stored head and the number of unsealed entries.
func (s *AuditStore) AuditHead(ctx context.Context) (audit.Head, int64, error) {
	var h audit.Head
	var pending int64
	err := s.db.read.QueryRowContext(ctx, `SELECT seq, hash, mark_tx, mark_id,
		(SELECT count(*) FROM audit_log WHERE id > audit_head.mark_id AND seq IS NULL) FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &h.Mark.Tx, &h.Mark.ID, &pending)
	return h, pending, mapError(err)
}

// FindAuditEntries lists entries newest first.
func (s *AuditStore) FindAuditEntries(ctx context.Context, f audit.Filter) ([]*audit.Entry, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.ObjectType != "" {
		where, args = append(where, "object_type = ?"), append(args, f.ObjectType)
	}
	if f.ObjectID != "" {
		where, args = append(where, "object_id = ?"), append(args, f.ObjectID)
	}
	if f.ActorID != nil {
		where, args = append(where, "actor_id = ?"), append(args, *f.ActorID)
	}
	if f.Action != "" {
		where, args = append(where, "action LIKE ?"), append(args, f.Action+"%")
	}
	if f.BeforeID > 0 {
		where, args = append(where, "id < ?"), append(args, f.BeforeID)
	}
	if f.Within != nil {
		cond, condArgs, err := s.reachCond(ctx, f.Within)
		if err != nil {
			return nil, err
		}
		where, args = append(where, cond), append(args, condArgs...)
	}
	args = append(args, f.Limit)
	return scanAudit(s.db.q(ctx).QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, args...))
}

// reachCond is the condition on scope of the entries in r: a range per
// region subtree (the index on scope serves it, where LIKE would not: it
// ignores case), and the exact scopes of the centres and departments of
// those regions and of r's departments.
func (s *AuditStore) reachCond(ctx context.Context, r *audit.Reach) (string, []any, error) {
	var conds []string
	var args, exact []any
	for _, path := range r.Regions {
		if path == "" {
			continue // no region's path: Reach does not widen to the deployment
		}
		lo, hi := subtreeRange("region:" + path)
		conds, args = append(conds, "(scope >= ? AND scope < ?)"), append(args, lo, hi)
		units, err := s.regionUnits(ctx, path)
		if err != nil {
			return "", nil, err
		}
		exact = append(exact, units...)
	}
	for _, id := range r.Departments {
		exact = append(exact, "dept:"+strconv.FormatInt(id, 10))
	}
	if len(exact) > 0 {
		conds = append(conds, "scope IN (?"+strings.Repeat(", ?", len(exact)-1)+")")
		args = append(args, exact...)
	}
	if len(conds) == 0 {
		return "0 = 1", nil, nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args, nil
}

// regionUnits returns the audit scopes of the centres and departments of
// the region subtree at path.
func (s *AuditStore) regionUnits(ctx context.Context, path string) ([]any, error) {
	lo, hi := subtreeRange(path)
	rows, err := s.db.q(ctx).QueryContext(ctx, `
		SELECT 'centre:' || c.id FROM centres c JOIN regions r ON r.id = c.region_id WHERE r.path >= ? AND r.path < ?
		UNION ALL
		SELECT 'dept:' || d.id FROM departments d JOIN regions r ON r.id = d.region_id WHERE r.path >= ? AND r.path < ?`,
		lo, hi, lo, hi)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []any
	for rows.Next() {
		var scope string
		if err := rows.Scan(&scope); err != nil {
			return nil, mapError(err)
		}
		out = append(out, scope)
	}
	return out, mapError(rows.Err())
}

// subtreeRange returns the bounds [lo, hi) of the strings that start with
// prefix (not empty): hi is prefix with its last byte raised by one, so
// '0' for the '/' that ends a region's path.
func subtreeRange(prefix string) (lo, hi string) {
	return prefix, prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
}

type scanner interface{ Scan(dest ...any) error }

func scanAuditRow(r scanner, e *audit.Entry) error {
	var at int64
	err := r.Scan(&e.ID, &e.Seq, &at, &e.ActorID, &e.ActorLabel, &e.Scope, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Detail, &e.Digest, &e.PrevHash, &e.Hash)
	e.At = fromMicro(at)
	return mapError(err)
}

func scanAudit(rows rowsIter, err error) ([]*audit.Entry, error) {
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*audit.Entry
	for rows.Next() {
		e := &audit.Entry{}
		if err := scanAuditRow(rows, e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, mapError(rows.Err())
}
