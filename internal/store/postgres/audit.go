package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"openhall/internal/audit"

	"github.com/jackc/pgx/v5"
)

// AuditStore implements audit.Store.
type AuditStore struct{ db *DB }

// Audit returns the audit log's store.
func (db *DB) Audit() *AuditStore { return &AuditStore{db} }

const auditColumns = `id, COALESCE(seq, 0), at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest, COALESCE(prev_hash, ''::bytea), COALESCE(hash, ''::bytea)`

// AppendAuditEntry inserts an unsealed entry; the column tx takes the id of
// the appending transaction by default. In a transaction the insert is
// queued and sent with the commit (or the next read), in one statement with
// the entries appended with it.
func (s *AuditStore) AppendAuditEntry(ctx context.Context, e *audit.Entry) error {
	return s.db.writeRow(ctx, nil, `INSERT INTO audit_log (at, actor_id, actor_label, scope, action, object_type, object_id,
		detail, digest)`, e.At, e.ActorID, e.ActorLabel, e.Scope, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.Digest)
}

// sealable selects, after a mark and in mark order, the entries of
// transactions that began writing before every transaction of this
// database still running: none of those can commit an entry behind them.
// The bound is the smallest id among the snapshot's running transactions
// (or the first one not yet assigned), leaving out the transactions that
// pg_stat_activity shows in other databases. An id it cannot place counts
// as this database's, which only delays sealing.
const sealable = `WITH snap AS (SELECT pg_current_snapshot() AS s),
	others AS (SELECT backend_xid::text::bigint AS x FROM pg_stat_activity WHERE backend_xid IS NOT NULL
		AND datid <> (SELECT oid FROM pg_database WHERE datname = current_database())),
	bound AS (SELECT COALESCE(min(x::text::bigint), (SELECT pg_snapshot_xmax(s)::text::bigint FROM snap)) AS b
		FROM snap, pg_snapshot_xip(snap.s) AS x WHERE x::text::bigint % 4294967296 NOT IN (SELECT x FROM others))
	SELECT ` + auditColumns + `, tx FROM audit_log, bound
	WHERE tx IS NOT NULL AND (tx, id) > ($1, $2) AND tx < bound.b ORDER BY tx, id LIMIT $3`

// SealAuditEntries links the entries that can no longer be preceded and
// stores their links as one seal. The row lock on audit_head is the chain
// lock: sealers on several nodes take turns.
func (s *AuditStore) SealAuditEntries(ctx context.Context, max int, seal func(audit.Head, []*audit.Entry) audit.Head) (int, error) {
	n := 0
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		var head audit.Head
		err := q.QueryRow(ctx, `SELECT seq, hash, mark_tx, mark_id FROM audit_head WHERE id = 1 FOR UPDATE`).
			Scan(&head.Seq, &head.Hash, &head.Mark.Tx, &head.Mark.ID)
		if err != nil {
			return mapError(err)
		}
		rows, err := q.Query(ctx, sealable, head.Mark.Tx, head.Mark.ID, max)
		pending, err := collect(rows, err, scanMarked)
		if err != nil || len(pending) == 0 {
			return err
		}
		head = seal(head, pending)
		if err := s.insertSeal(ctx, q, audit.NewSeal(pending, s.db.now())); err != nil {
			return err
		}
		n = len(pending)
		_, err = q.Exec(ctx, `UPDATE audit_head SET seq = $1, hash = $2, mark_tx = $3, mark_id = $4 WHERE id = 1`,
			head.Seq, head.Hash, head.Mark.Tx, head.Mark.ID)
		return mapError(err)
	})
	return n, err
}

func (s *AuditStore) insertSeal(ctx context.Context, q querier, sl *audit.Seal) error {
	_, err := q.Exec(ctx, `INSERT INTO audit_seals (first_seq, min_id, max_id, through_tx, through_id, ids, prev_hash, hashes, sealed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, sl.FirstSeq, sl.MinID(), sl.MaxID(), sl.Through.Tx, sl.Through.ID,
		sl.EncodeIDs(), sl.PrevHash, sl.Hashes, sl.SealedAt)
	return mapError(err)
}

// scanMarked scans an entry followed by its transaction id.
func scanMarked(r pgx.Row) (*audit.Entry, error) {
	e := &audit.Entry{}
	err := r.Scan(&e.ID, &e.Seq, &e.At, &e.ActorID, &e.ActorLabel, &e.Scope, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.Detail, &e.Digest, &e.PrevHash, &e.Hash, &e.Mark.Tx)
	e.At, e.Mark.ID = e.At.UTC(), e.ID
	return e, err
}

// WalkAuditChain streams the entries linked in their own rows in chain order.
func (s *AuditStore) WalkAuditChain(ctx context.Context, fn func(*audit.Entry) error) error {
	return s.walk(ctx, fn, `SELECT `+auditColumns+`, 0::bigint FROM audit_log WHERE seq IS NOT NULL ORDER BY seq`)
}

// WalkAuditMarked streams the entries sealed (or to be sealed) in batches
// up to through, in mark order; entries without a transaction id (which
// only tampering makes) come first.
func (s *AuditStore) WalkAuditMarked(ctx context.Context, through audit.Mark, fn func(*audit.Entry) error) error {
	err := s.walk(ctx, fn, `SELECT `+auditColumns+`, -1::bigint FROM audit_log WHERE seq IS NULL AND tx IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	return s.walk(ctx, fn, `SELECT `+auditColumns+`, tx FROM audit_log WHERE tx IS NOT NULL AND (tx, id) <= ($1, $2)
		AND seq IS NULL ORDER BY tx, id`, through.Tx, through.ID)
}

func (s *AuditStore) walk(ctx context.Context, fn func(*audit.Entry) error, query string, args ...any) error {
	rows, err := s.db.pool.Query(ctx, query, args...)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanMarked(rows)
		if err != nil {
			return mapError(err)
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
	rows, err := s.db.pool.Query(ctx, `SELECT `+sealColumns+` FROM audit_seals ORDER BY first_seq`)
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
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sealColumns+` FROM audit_seals WHERE max_id >= $1 AND min_id <= $2
		ORDER BY first_seq`, minID, maxID)
	return collect(rows, err, scanSeal)
}

func scanSeal(r pgx.Row) (*audit.Seal, error) {
	sl := &audit.Seal{}
	var ids []byte
	if err := r.Scan(&sl.FirstSeq, &sl.Through.Tx, &sl.Through.ID, &ids, &sl.PrevHash, &sl.Hashes, &sl.SealedAt); err != nil {
		return nil, mapError(err)
	}
	sl.SealedAt = sl.SealedAt.UTC()
	return sl, sl.DecodeIDs(ids)
}

// AuditHead returns the stored head and the number of unsealed entries.
func (s *AuditStore) AuditHead(ctx context.Context) (audit.Head, int64, error) {
	var h audit.Head
	var pending int64
	err := s.db.pool.QueryRow(ctx, `SELECT seq, hash, mark_tx, mark_id, (SELECT count(*) FROM audit_log
		WHERE tx IS NOT NULL AND (tx, id) > (audit_head.mark_tx, audit_head.mark_id)) FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &h.Mark.Tx, &h.Mark.ID, &pending)
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
	if f.Within != nil {
		if err := s.addReach(ctx, w, f.Within); err != nil {
			return nil, err
		}
	}
	limit := w.arg(f.Limit)
	return scanAudit(s.db.q(ctx).Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE `+
		w.sql()+` ORDER BY id DESC LIMIT `+limit, w.args...))
}

// addReach adds the condition on scope of the entries in r: a prefix LIKE
// per region subtree (audit_log_scope, text_pattern_ops, serves it in any
// collation), and the exact scopes of the centres and departments of those
// regions and of r's departments.
func (s *AuditStore) addReach(ctx context.Context, w *where, r *audit.Reach) error {
	var conds, exact []string
	for _, path := range r.Regions {
		if path == "" {
			continue // no region's path: Reach does not widen to the deployment
		}
		conds = append(conds, "scope LIKE "+w.arg(likePrefix("region:"+path)))
		units, err := s.regionUnits(ctx, path)
		if err != nil {
			return err
		}
		exact = append(exact, units...)
	}
	for _, id := range r.Departments {
		exact = append(exact, "dept:"+strconv.FormatInt(id, 10))
	}
	if len(exact) > 0 {
		conds = append(conds, "scope = ANY("+w.arg(exact)+")")
	}
	if len(conds) == 0 {
		conds = []string{"FALSE"}
	}
	w.conds = append(w.conds, "("+strings.Join(conds, " OR ")+")")
	return nil
}

// regionUnits returns the audit scopes of the centres and departments of
// the region subtree at path.
func (s *AuditStore) regionUnits(ctx context.Context, path string) ([]string, error) {
	rows, err := s.db.q(ctx).Query(ctx, `
		SELECT 'centre:' || c.id FROM centres c JOIN regions r ON r.id = c.region_id WHERE r.path LIKE $1
		UNION ALL
		SELECT 'dept:' || d.id FROM departments d JOIN regions r ON r.id = d.region_id WHERE r.path LIKE $1`,
		likePrefix(path))
	if err != nil {
		return nil, mapError(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, mapError(err)
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
