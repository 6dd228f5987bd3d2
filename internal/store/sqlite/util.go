package sqlite

import (
	"time"
)

// rowsIter is the part of *sql.Rows the scan helpers use.
type rowsIter interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// collect scans every row of a query with scan.
func collect[T any](rows rowsIter, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, mapError(err)
		}
		out = append(out, v)
	}
	return out, mapError(rows.Err())
}

// micro stores a time as Unix microseconds.
func micro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicro reads a stored time; 0 is the zero time.
func fromMicro(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

// nullID stores an optional id.
func nullID(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}

// boolInt stores a bool.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
