package postgres

import (
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

// shared adapts a scan function of sqlcommon to collect.
func shared[T any](scan func(sqlcommon.Scanner) (T, error)) func(pgx.Row) (T, error) {
	return func(r pgx.Row) (T, error) { return scan(r) }
}

// dialect is PostgreSQL's, for the filters built in sqlcommon.
var dialect = sqlcommon.Postgres
