package postgres

import (
	"context"
	"fmt"

	"openhall/internal/memo"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

type txKey struct{}

// querier is what the pool and a transaction have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// TxFromContext returns the transaction carried by ctx, if any. It is a
// pipelined transaction (see pipeTx): whatever runs on it sees every write
// queued before.
func TxFromContext(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*pipeTx)
	return tx, ok
}

// q returns the transaction in ctx, or the pool.
func (db *DB) q(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*pipeTx); ok {
		return tx
	}
	return db.pool
}

// write runs a statement whose result nobody reads. Inside a transaction it
// is queued and sent with the next statement that needs an answer, or with
// the commit, in one round trip; its error then fails that statement or the
// commit. mapErr (optional) turns its error into the one to report.
func (db *DB) write(ctx context.Context, mapErr func(error) error, sql string, args ...any) error {
	if tx, ok := ctx.Value(txKey{}).(*pipeTx); ok {
		tx.queue(mapErr, sql, args...)
		return nil
	}
	_, err := db.pool.Exec(ctx, sql, args...)
	if err != nil && mapErr != nil {
		return mapErr(err)
	}
	return mapError(err)
}

// writeRow inserts one row of head (an INSERT naming its columns, without
// VALUES) whose result nobody reads. Inside a transaction it is queued as
// write queues, and rows of the same head queued together go as one
// statement.
func (db *DB) writeRow(ctx context.Context, mapErr func(error) error, head string, args ...any) error {
	if tx, ok := ctx.Value(txKey{}).(*pipeTx); ok {
		tx.queueRow(mapErr, head, args...)
		return nil
	}
	return db.write(ctx, mapErr, head+valueRows(1, len(args)), args...)
}

// afterCommit runs fn once the transaction in ctx has committed (never if
// it rolls back), or at once outside a transaction.
func (db *DB) afterCommit(ctx context.Context, fn func()) {
	if tx, ok := ctx.Value(txKey{}).(*pipeTx); ok {
		tx.after = append(tx.after, fn)
		return
	}
	fn()
}

// InTx runs fn in a transaction and commits it; called inside another InTx
// it joins the outer transaction. PostgreSQL groups the WAL flushes of
// concurrent commits itself, so each caller gets its own transaction.
//
// The transaction is pipelined: BEGIN goes with its first statement, and
// the writes queued by write go with the next read or with COMMIT, so a
// transaction that reads once and then writes costs two round trips. One
// that only writes is sent as one batch without BEGIN and COMMIT, which
// PostgreSQL runs as one implicit transaction: all of it or none.
func (db *DB) InTx(ctx context.Context, fn func(context.Context) error) (err error) {
	if _, ok := TxFromContext(ctx); ok {
		return fn(ctx)
	}
	tx := &pipeTx{pool: db.pool, count: db.counters}
	defer func() {
		if p := recover(); p != nil {
			tx.rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	txCtx, held := memo.Hold(context.WithValue(ctx, txKey{}, tx))
	if err := fn(txCtx); err != nil {
		tx.rollback(context.WithoutCancel(ctx))
		// A statement that failed because the server went away is
		// reported as retryable, whichever store ran it.
		return mapError(err)
	}
	if err := tx.commit(ctx); err != nil {
		return mapError(fmt.Errorf("commit: %w", err))
	}
	held.Release()
	return nil
}
