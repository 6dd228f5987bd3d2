package postgres

import (
	"context"

	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"
)

// foldBarrier is the first key of the advisory lock that every insert of
// ratings holds shared until it commits (the two-key lock space).
const foldBarrier int32 = 0x72617466 // "ratf"

// FoldCounts adds the ratings above the fold's mark, up to limit of them
// in id order, to the counts and moves the mark past them. Ratings are
// inserted by many transactions at once, on any node, and commit in any
// order: the fold first passes the barrier (waiting for the inserts under
// way, not for each other) to learn the highest id that can no longer be
// followed by a lower one, and folds no further.
func (s *RatingsStore) FoldCounts(ctx context.Context, limit int) (int, error) {
	final, err := s.finalID(ctx)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.db.InTx(ctx, func(ctx context.Context) error {
		n = 0
		from, err := s.lockFold(ctx)
		if err != nil {
			return err
		}
		rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sqlcommon.FoldColumns+` FROM ratings WHERE id > $1 AND id <= $2
			ORDER BY id LIMIT $3`, from, final, limit)
		rs, err := collect(rows, err, scanFolded)
		if err != nil || len(rs) == 0 {
			return err
		}
		if err := s.addCounts(ctx, rating.CountsOf(rs, 1)); err != nil {
			return err
		}
		if _, err := s.db.q(ctx).Exec(ctx, `UPDATE rating_fold SET folded_id = $1`, rs[len(rs)-1].ID); err != nil {
			return mapError(err)
		}
		n = len(rs)
		return nil
	})
	return n, err
}

// finalID passes the fold's barrier: once every insert holding it has
// ended, every id taken so far is committed or gone, and any id taken
// later is higher. It returns the highest id stored.
func (s *RatingsStore) finalID(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, foldBarrier); err != nil {
			return mapError(err)
		}
		return mapError(s.db.q(ctx).QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM ratings`).Scan(&id))
	})
	return id, err
}

var scanFolded = shared(sqlcommon.ScanFolded)

// lockFold locks the fold's row for the rest of the transaction and
// returns its mark: every rating up to it is in the counts.
func (s *RatingsStore) lockFold(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT folded_id FROM rating_fold FOR UPDATE`).Scan(&id)
	return id, mapError(err)
}
