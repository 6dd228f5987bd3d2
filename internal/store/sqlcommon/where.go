package sqlcommon

import (
	"fmt"
	"strings"
	"time"
)

// Dialect is what the backends' filters differ in.
type Dialect interface {
	// Placeholder is the n-th (from 1) argument's placeholder.
	Placeholder(n int) string
	// In is a condition that col is one of ids.
	In(w *Where, col string, ids []int64) string
	// InText is a condition that the text col is one of vals.
	InText(w *Where, col string, vals []string) string
	// Prefix is a condition that the text col starts with p.
	Prefix(w *Where, col, p string) string
	// Position is the 1-based position of q in the text col, 0 if absent.
	Position(w *Where, col, q string) string
	// Time is a time as the backend stores it.
	Time(t time.Time) any
}

// Where builds the conditions of a WHERE clause and their arguments, in
// the order they appear in the statement.
type Where struct {
	d     Dialect
	conds []string
	Args  []any
}

// NewWhere starts a WHERE clause that matches every row.
func NewWhere(d Dialect) *Where { return &Where{d: d, conds: []string{"1 = 1"}} }

// Arg appends one argument and returns its placeholder.
func (w *Where) Arg(a any) string {
	w.Args = append(w.Args, a)
	return w.d.Placeholder(len(w.Args))
}

// Add appends a condition whose '?' marks take args in order.
func (w *Where) Add(cond string, args ...any) {
	for _, a := range args {
		i := strings.IndexByte(cond, '?')
		if i < 0 {
			panic(fmt.Sprintf("sqlcommon: %d arguments for %q", len(args), cond))
		}
		cond = cond[:i] + w.Arg(a) + cond[i+1:]
	}
	w.conds = append(w.conds, cond)
}

// In is the dialect's condition that col is one of ids.
func (w *Where) In(col string, ids []int64) string { return w.d.In(w, col, ids) }

// InText is the dialect's condition that col is one of vals.
func (w *Where) InText(col string, vals []string) string { return w.d.InText(w, col, vals) }

// Prefix is the dialect's condition that col starts with p.
func (w *Where) Prefix(col, p string) string { return w.d.Prefix(w, col, p) }

// Contains is the dialect's condition that col contains q.
func (w *Where) Contains(col, q string) string { return w.d.Position(w, col, q) + " > 0" }

// Position is the dialect's position of q in col (0 when absent).
func (w *Where) Position(col, q string) string { return w.d.Position(w, col, q) }

// Time is t as the backend stores it.
func (w *Where) Time(t time.Time) any { return w.d.Time(t) }

// AnyOf appends the disjunction of conds, if there are any.
func (w *Where) AnyOf(conds []string) {
	if len(conds) > 0 {
		w.conds = append(w.conds, "("+strings.Join(conds, " OR ")+")")
	}
}

// SQL is the conditions joined with AND.
func (w *Where) SQL() string { return strings.Join(w.conds, " AND ") }
