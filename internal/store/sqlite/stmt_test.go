package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"openhall/internal/store"
)

// The statement cache: a query whose statement is still being read gets a
// statement of its own, the cache stops growing at its bound, and bad SQL
// is reported, not cached.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	db := openDB(dsn(filepath.Join(t.TempDir(), "c.db"), "full", false), &store.Counters{})
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := db.ExecContext(ctx, `INSERT INTO t (n) VALUES (?)`, i); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT n FROM t WHERE n >= ? ORDER BY n`
	outer, err := tx.QueryContext(ctx, q, 0)
	if err != nil {
		t.Fatal(err)
	}
	pairs := 0
	for outer.Next() {
		var n int
		outer.Scan(&n)
		inner, err := tx.QueryContext(ctx, q, n)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			pairs++
		}
		inner.Close()
	}
	outer.Close()
	if pairs != 6 {
		t.Fatalf("nested reads of one statement gave %d pairs, want 6", pairs)
	}
	for i := range maxCachedStatements + 10 {
		var n int
		if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d`, i)).Scan(&n); err != nil || n != i {
			t.Fatalf("query %d: %v %d", i, err, n)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO nowhere VALUES (1)`); err == nil {
		t.Fatal("bad SQL accepted")
	}
}
