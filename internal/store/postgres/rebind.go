package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// rebound runs SQL whose filters are assembled from fragments written with
// ? placeholders (the participation, ratings, complaints, open-data and
// budget lists), numbering them for PostgreSQL. Fixed statements write $n.
type rebound struct{ q querier }

func (db *DB) r(ctx context.Context) rebound { return rebound{db.q(ctx)} }

func (r rebound) row(ctx context.Context, sql string, args ...any) pgx.Row {
	return r.q.QueryRow(ctx, rebind(sql), args...)
}

func (r rebound) rows(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return r.q.Query(ctx, rebind(sql), args...)
}

func (r rebound) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return r.q.Exec(ctx, rebind(sql), args...)
}

// rebind numbers ? placeholders as $1, $2 …; the SQL so written has no ? in
// literals.
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}
