package sqlite

import (
	"context"
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

// SealAuditEntries links pending entries into the chain. The single writer
// is the chain lock on SQLite.
func (s *AuditStore) SealAuditEntries(ctx context.Context, max int, seal func(audit.Head, []*audit.Entry) audit.Head) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		var head audit.Head
		if err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&head.Seq, &head.Hash); err != nil {
			return mapError(err)
		}
		pending, err := scanAudit(q.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT ?`, max))
		if err != nil || len(pending) == 0 {
			return err
		}
		head = seal(head, pending)
		for _, e := range pending {
			if _, err := q.ExecContext(ctx, `UPDATE audit_log SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?`,
				e.Seq, e.PrevHash, e.Hash, e.ID); err != nil {
				return mapError(err)
			}
		}
		n = len(pending)
		_, err = q.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, head.Seq, head.Hash)
		return mapError(err)
	})
	return n, err
}

// WalkAuditChain streams sealed entries in chain order.
func (s *AuditStore) WalkAuditChain(ctx context.Context, fn func(*audit.Entry) error) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq IS NOT NULL ORDER BY seq`)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	var e audit.Entry
	for rows.Next() {
		if err := scanAuditRow(rows, &e); err != nil {
			return err
		}
		if err := fn(&e); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

// AuditHead returns the stored head and the number of unsealed entries.
func (s *AuditStore) AuditHead(ctx context.Context) (audit.Head, int64, error) {
	var h audit.Head
	var pending int64
	err := s.db.read.QueryRowContext(ctx, `
		SELECT seq, hash, (SELECT count(*) FROM audit_log WHERE seq IS NULL) FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &pending)
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
	args = append(args, f.Limit)
	return scanAudit(s.db.q(ctx).QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+
		strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, args...))
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
