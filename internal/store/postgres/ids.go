package postgres

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// idBlock hands out ids of one table from blocks taken from its sequence in
// one statement, so that a row's id is known before its insert is sent and
// the insert can wait in the pipeline. Sequences never hand a value out
// twice, so the nodes of a cluster never collide; an id left unused when a
// node stops is a gap, like the gap of a rolled-back insert. Ids are then
// unique but not in creation order across nodes: nothing may sort by them.
type idBlock struct {
	db    *DB
	table string
	size  int

	mu   sync.Mutex
	seq  string // the sequence's name, looked up once
	free []int64
}

func newIDBlock(db *DB, table string, size int) *idBlock {
	return &idBlock{db: db, table: table, size: size}
}

// next returns an unused id.
func (b *idBlock) next(ctx context.Context) (int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.free) == 0 {
		if err := b.refill(ctx); err != nil {
			return 0, err
		}
	}
	id := b.free[0]
	b.free = b.free[1:]
	return id, nil
}

// refill takes the next block, outside any transaction.
func (b *idBlock) refill(ctx context.Context) error {
	if b.seq == "" {
		err := b.db.pool.QueryRow(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, b.table).Scan(&b.seq)
		if err != nil {
			return mapError(fmt.Errorf("find the id sequence of %s: %w", b.table, err))
		}
	}
	rows, err := b.db.pool.Query(ctx, `SELECT nextval($1::regclass) FROM generate_series(1, $2)`, b.seq, b.size)
	b.free, err = collect(rows, err, func(r pgx.Row) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err == nil && len(b.free) == 0 {
		err = fmt.Errorf("sequence %s gave no values", b.seq)
	}
	return err
}
