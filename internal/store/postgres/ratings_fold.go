package postgres

import (
	"context"

	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"
)

// FoldCounts adds the ratings above the fold's mark, up to limit of them
// in id order, to the counts and moves the mark past them, in one
// transaction. It holds the fold's row, which every insert of ratings
// holds from before it takes its ids until it commits: no rating below
// the mark can commit after it has moved, on any node.
func (s *RatingsStore) FoldCounts(ctx context.Context, limit int) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		n = 0
		from, err := s.lockFold(ctx)
		if err != nil {
			return err
		}
		rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sqlcommon.FoldColumns+` FROM ratings WHERE id > $1 ORDER BY id LIMIT $2`, from, limit)
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

var scanFolded = shared(sqlcommon.ScanFolded)

// lockFold locks the fold's row for the rest of the transaction and
// returns its mark: every rating up to it is in the counts.
func (s *RatingsStore) lockFold(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT folded_id FROM rating_fold FOR UPDATE`).Scan(&id)
	return id, mapError(err)
}
