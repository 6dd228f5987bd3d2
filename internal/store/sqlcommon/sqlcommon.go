// Package sqlcommon holds the Go around the SQL that the SQLite and
// PostgreSQL stores share where their SQL is the same: scanning a row into
// a domain value, and building the WHERE clause of a filter. What differs
// between the two (placeholders, list and prefix matches, how a time or a
// JSON document is stored) is behind Dialect and the scan destinations
// Time and JSON, which accept either backend's representation.
package sqlcommon

import (
	"encoding/json"
	"fmt"
	"time"
)

// Scanner is a row: *sql.Row and *sql.Rows of database/sql, pgx.Row and
// pgx.Rows of pgx.
type Scanner interface{ Scan(dest ...any) error }

// Rows is the part of *sql.Rows and pgx.Rows that Collect uses; the
// caller closes them.
type Rows interface {
	Scanner
	Next() bool
	Err() error
}

// Collect scans every row with scan.
func Collect[T any](rows Rows, scan func(Scanner) (T, error)) ([]T, error) {
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Time is a scan destination for a time column: SQLite keeps Unix
// microseconds (0 for none), PostgreSQL a timestamptz (NULL for none).
// The time read is in UTC.
func Time(t *time.Time) *TimeDest { return &TimeDest{t} }

// TimeDest is what Time returns.
type TimeDest struct{ t *time.Time }

// Scan implements sql.Scanner.
func (d *TimeDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.t = time.Time{}
	case int64:
		*d.t = FromMicro(x)
	case time.Time:
		*d.t = x.UTC()
	default:
		return fmt.Errorf("sqlcommon.Time: cannot scan %T", v)
	}
	return nil
}

// FromMicro reads a time stored as Unix microseconds; 0 is the zero time.
func FromMicro(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

// JSON is a scan destination for a JSON document column (text in SQLite,
// jsonb in PostgreSQL), decoded into dst. NULL and empty text leave dst
// as it is.
func JSON(dst any) *JSONDest { return &JSONDest{dst} }

// JSONDest is what JSON returns.
type JSONDest struct{ dst any }

// Scan implements sql.Scanner.
func (d *JSONDest) Scan(v any) error {
	var b []byte
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("sqlcommon.JSON: cannot scan %T", v)
	}
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, d.dst)
}
