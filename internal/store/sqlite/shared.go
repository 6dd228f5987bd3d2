package sqlite

import "openhall/internal/store/sqlcommon"

// shared adapts a scan function of sqlcommon to collect.
func shared[T any](scan func(sqlcommon.Scanner) (T, error)) func(scanner) (T, error) {
	return func(r scanner) (T, error) { return scan(r) }
}

// dialect is SQLite's, for the filters built in sqlcommon.
var dialect = sqlcommon.SQLite
