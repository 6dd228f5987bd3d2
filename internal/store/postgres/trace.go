package postgres

import (
	"context"
	"strings"

	"openhall/internal/store"

	"github.com/jackc/pgx/v5"
)

// counting is the pool's tracer: it counts statements, round trips and
// commits of every connection, the job queue's included.
type counting struct{ c *store.Counters }

func (t counting) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	t.c.Statements.Add(1)
	t.c.RoundTrips.Add(1)
	if len(d.SQL) == len("commit") && strings.EqualFold(d.SQL, "commit") {
		t.c.Commits.Add(1)
	}
	return ctx
}

func (counting) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (t counting) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	t.c.RoundTrips.Add(1)
	return ctx
}

func (t counting) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	t.c.Statements.Add(1)
	if strings.EqualFold(d.SQL, "commit") {
		t.c.Commits.Add(1)
	}
}

func (counting) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// Counters are the pool's counts.
func (db *DB) Counters() *store.Counters { return db.counters }
