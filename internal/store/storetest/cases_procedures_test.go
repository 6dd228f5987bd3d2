package storetest

import (
	"context"
	"errors"
	"testing"

	"openhall/internal/store"
	"openhall/internal/store/postgres"
	"openhall/internal/store/sqlite"
)

// TestProcedureStoredAfterRollback: a case's procedure is stored once for
// every case filed under it, and a store that skips storing a procedure it
// knows stored must not learn that from a filing that was rolled back: the
// next filing stores it, and the case loads with it.
func TestProcedureStoredAfterRollback(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		svc, ctx := newCases(sv, BuildTree(t, sv), &sideEffects{}), context.Background()
		citizen := registerCitizen(t, sv)
		rollback := errors.New("rolled back")
		err := sv.Stores.InTx(ctx, func(ctx context.Context) error {
			if _, err := svc.File(ctx, citizen, fileInput("rolled-back")); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("filing in a rolled-back transaction: %v", err)
		}
		if n := countRows(t, sv.Stores, `SELECT count(*) FROM case_procedures`); n != 0 {
			t.Fatalf("%d procedures stored after the rollback, want 0", n)
		}
		for _, key := range []string{"first", "second"} {
			filed, err := svc.File(ctx, citizen, fileInput(key))
			if err != nil {
				t.Fatal(err)
			}
			c, err := sv.Stores.Cases.LoadCase(ctx, filed.Case.ID, false)
			if err != nil || c.Procedure.ItemCode != filed.Case.Procedure.ItemCode || c.Procedure.Department == "" {
				t.Fatalf("case %s loads as %+v, %v", key, c, err)
			}
		}
		if n := countRows(t, sv.Stores, `SELECT count(*) FROM case_procedures`); n != 1 {
			t.Fatalf("%d procedures stored for two cases under one, want 1", n)
		}
	})
}

// countRows runs a query that counts, on either backend.
func countRows(t testing.TB, s *store.Stores, query string) int {
	t.Helper()
	var n int
	var err error
	switch db := s.Backend.(type) {
	case *sqlite.DB:
		err = db.JobsDB().QueryRowContext(context.Background(), query).Scan(&n)
	case *postgres.DB:
		err = db.Pool().QueryRow(context.Background(), query).Scan(&n)
	}
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
