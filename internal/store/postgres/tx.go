package postgres

import (
	"context"
	"fmt"

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

// TxFromContext returns the transaction carried by ctx, if any.
func TxFromContext(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(pgx.Tx)
	return tx, ok
}

// q returns the transaction in ctx, or the pool.
func (db *DB) q(ctx context.Context) querier {
	if tx, ok := TxFromContext(ctx); ok {
		return tx
	}
	return db.pool
}

// InTx runs fn in a transaction and commits it; called inside another InTx
// it joins the outer transaction. PostgreSQL groups the WAL flushes of
// concurrent commits itself, so each caller gets its own transaction.
func (db *DB) InTx(ctx context.Context, fn func(context.Context) error) (err error) {
	if _, ok := TxFromContext(ctx); ok {
		return fn(ctx)
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return mapError(fmt.Errorf("begin transaction: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			panic(p)
		}
	}()
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return mapError(tx.Commit(ctx))
}
