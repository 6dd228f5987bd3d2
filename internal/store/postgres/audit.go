package postgres

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/audit"

	"github.com/jackc/pgx/v5"
)

// AuditStore implements audit.Store.
type AuditStore struct{ db *DB }

// Audit returns the audit log's store.
func (db *DB) Audit() *AuditStore { return &AuditStore{db} }

const auditColumns = `id, COALESCE(seq, 0), at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest, COALESCE(prev_hash, ''::bytea), COALESCE(hash, ''::bytea)`

// AppendAuditEntry inserts an unsealed entry.
func (s *AuditStore) AppendAuditEntry(ctx context.Context, e *audit.Entry) error {
	err := s.db.q(ctx).QueryRow(ctx, `
		INSERT INTO audit_log (at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		e.At, e.ActorID, e.ActorLabel, e.Scope, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.Digest).Scan(&e.ID)
	return mapError(err)
}

// SealAuditEntries links pending entries into the chain. The row lock on
// audit_head is the chain lock: sealers on several nodes take turns.
func (s *AuditStore) SealAuditEntries(ctx context.Context, max int, seal func(audit.Head, []*audit.Entry) audit.Head) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		var head audit.Head
		if err := q.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE`).Scan(&head.Seq, &head.Hash); err != nil {
			return mapError(err)
		}
		pending, err := scanAudit(q.Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT $1`, max))
		if err != nil || len(pending) == 0 {
			return err
		}
		head = seal(head, pending)
		if err := s.saveSealed(ctx, q, pending); err != nil {
			return err
		}
		n = len(pending)
		_, err = q.Exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1`, head.Seq, head.Hash)
		return mapError(err)
	})
	return n, err
}

// saveSealed writes the links of many entries in one statement.
func (s *AuditStore) saveSealed(ctx context.Context, q querier, es []*audit.Entry) error {
	ids, seqs := make([]int64, len(es)), make([]int64, len(es))
	prevs, hashes := make([][]byte, len(es)), make([][]byte, len(es))
	for i, e := range es {
		ids[i], seqs[i], prevs[i], hashes[i] = e.ID, e.Seq, e.PrevHash, e.Hash
	}
	_, err := q.Exec(ctx, `
		UPDATE audit_log a SET seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
		FROM unnest($1::bigint[], $2::bigint[], $3::bytea[], $4::bytea[]) AS u(id, seq, prev_hash, hash)
		WHERE a.id = u.id`, ids, seqs, prevs, hashes)
	if err != nil {
		return fmt.Errorf("store sealed audit entries: %w", mapError(err))
	}
	return nil
}

// WalkAuditChain streams sealed entries in chain order.
func (s *AuditStore) WalkAuditChain(ctx context.Context, fn func(*audit.Entry) error) error {
	rows, err := s.db.pool.Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq IS NOT NULL ORDER BY seq`)
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
	err := s.db.pool.QueryRow(ctx, `
		SELECT seq, hash, (SELECT count(*) FROM audit_log WHERE seq IS NULL) FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &pending)
	return h, pending, mapError(err)
}

// FindAuditEntries lists entries newest first.
func (s *AuditStore) FindAuditEntries(ctx context.Context, f audit.Filter) ([]*audit.Entry, error) {
	w := newWhere()
	if f.ObjectType != "" {
		w.add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		w.add("object_id = ?", f.ObjectID)
	}
	if f.ActorID != nil {
		w.add("actor_id = ?", *f.ActorID)
	}
	if f.Action != "" {
		w.add("action LIKE ?", f.Action+"%")
	}
	if f.BeforeID > 0 {
		w.add("id < ?", f.BeforeID)
	}
	limit := w.arg(f.Limit)
	return scanAudit(s.db.q(ctx).Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+
		w.sql()+` ORDER BY id DESC LIMIT `+limit, w.args...))
}

func scanAuditRow(r pgx.Row, e *audit.Entry) error {
	err := r.Scan(&e.ID, &e.Seq, &e.At, &e.ActorID, &e.ActorLabel, &e.Scope, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Detail, &e.Digest, &e.PrevHash, &e.Hash)
	e.At = e.At.UTC()
	return mapError(err)
}

func scanAudit(rows pgx.Rows, err error) ([]*audit.Entry, error) {
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

// where builds a WHERE clause with numbered placeholders: conditions are
// written with '?' and renumbered as they are added.
type where struct {
	conds []string
	args  []any
}

func newWhere() *where { return &where{conds: []string{"TRUE"}} }

// add appends a condition whose '?' placeholders take args in order.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		cond = strings.Replace(cond, "?", w.arg(a), 1)
	}
	w.conds = append(w.conds, cond)
}

// arg appends one argument and returns its placeholder.
func (w *where) arg(a any) string {
	w.args = append(w.args, a)
	return fmt.Sprintf("$%d", len(w.args))
}

func (w *where) sql() string { return strings.Join(w.conds, " AND ") }
