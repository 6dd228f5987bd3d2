package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"openhall/internal/store"
	"openhall/internal/store/postgres"
	"openhall/internal/store/sqlite"
)

func execSQLite(t testing.TB, s *store.Stores, query string, args ...any) {
	t.Helper()
	db := s.Backend.(*sqlite.DB)
	if _, err := db.JobsDB().ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

func execPostgres(t testing.TB, s *store.Stores, query string, args ...any) {
	t.Helper()
	db := s.Backend.(*postgres.DB)
	if _, err := db.Pool().Exec(context.Background(), numbered(query), args...); err != nil {
		t.Fatalf("exec %q: %v", query, err)
	}
}

// numbered rewrites ? placeholders as $1, $2 …
func numbered(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
