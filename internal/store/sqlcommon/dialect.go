package sqlcommon

import (
	"fmt"
	"strings"
	"time"
)

// SQLite numbers nothing ('?'), lists a set's members and compares a
// prefix with substr; it stores times as Unix microseconds.
var SQLite Dialect = sqliteDialect{}

// Postgres numbers its placeholders ($n), passes a set as one array and
// matches a prefix with LIKE; it stores times as timestamptz.
var Postgres Dialect = postgresDialect{}

type sqliteDialect struct{}

func (sqliteDialect) Placeholder(int) string { return "?" }

func (sqliteDialect) In(w *Where, col string, ids []int64) string {
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = w.Arg(id)
	}
	return col + " IN (" + strings.Join(marks, ", ") + ")"
}

func (sqliteDialect) InText(w *Where, col string, vals []string) string {
	marks := make([]string, len(vals))
	for i, v := range vals {
		marks[i] = w.Arg(v)
	}
	return col + " IN (" + strings.Join(marks, ", ") + ")"
}

func (sqliteDialect) Prefix(w *Where, col, p string) string {
	// The prefixes are region paths, ASCII codes: bytes are characters.
	n := w.Arg(len(p))
	return fmt.Sprintf("substr(%s, 1, %s) = %s", col, n, w.Arg(p))
}

func (sqliteDialect) Position(w *Where, col, q string) string {
	return "instr(" + col + ", " + w.Arg(q) + ")"
}

func (sqliteDialect) Time(t time.Time) any {
	if t.IsZero() {
		return int64(0)
	}
	return t.UnixMicro()
}

type postgresDialect struct{}

func (postgresDialect) Placeholder(n int) string { return fmt.Sprintf("$%d", n) }

func (postgresDialect) In(w *Where, col string, ids []int64) string {
	return col + " = ANY(" + w.Arg(ids) + ")"
}

func (postgresDialect) InText(w *Where, col string, vals []string) string {
	return col + " = ANY(" + w.Arg(vals) + ")"
}

func (postgresDialect) Prefix(w *Where, col, p string) string {
	return col + " LIKE " + w.Arg(LikePrefix(p))
}

func (postgresDialect) Position(w *Where, col, q string) string {
	return "strpos(" + col + ", " + w.Arg(q) + ")"
}

func (postgresDialect) Time(t time.Time) any { return t }

// LikePrefix is a LIKE pattern matching the strings that start with p.
func LikePrefix(p string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(p) + "%"
}

// Texts converts a slice of a string type for InText.
func Texts[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
