package sqlite

import (
	"context"

	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"
)

// FoldCounts adds the ratings above the fold's mark, up to limit of them
// in id order, to the counts and moves the mark past them, in one
// transaction. Ratings take their ids under the write lock, so none below
// the mark can commit after it has moved.
func (s *RatingsStore) FoldCounts(ctx context.Context, limit int) (int, error) {
	var n int
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		n = 0
		from, err := s.foldedID(ctx)
		if err != nil {
			return err
		}
		rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+sqlcommon.FoldColumns+` FROM ratings WHERE id > ? ORDER BY id LIMIT ?`, from, limit)
		rs, err := collect(rows, err, scanFolded)
		if err != nil || len(rs) == 0 {
			return err
		}
		if err := s.addCounts(ctx, rating.CountsOf(rs, 1)); err != nil {
			return err
		}
		if _, err := s.db.q(ctx).ExecContext(ctx, `UPDATE rating_fold SET folded_id = ?`, rs[len(rs)-1].ID); err != nil {
			return mapError(err)
		}
		n = len(rs)
		return nil
	})
	return n, err
}

var scanFolded = shared(sqlcommon.ScanFolded)

// foldedID is the fold's mark: every rating up to it is in the counts.
func (s *RatingsStore) foldedID(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT folded_id FROM rating_fold`).Scan(&id)
	return id, mapError(err)
}
