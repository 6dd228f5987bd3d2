package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"openhall/internal/cases"
	"openhall/internal/store"
	"openhall/internal/store/postgres"
)

// TestLockedLoadSeesCommit: a transaction that waits for the lock of a
// case another transaction is changing reads the case as that transaction
// left it, history included, once it commits. (PostgreSQL reads a case and
// its history in one statement whose snapshot predates the wait.)
func TestLockedLoadSeesCommit(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv, filed := fileOne(t, b)
		ctx, id := context.Background(), filed.ID
		saved, seen := make(chan struct{}), make(chan *cases.Case, 1)
		go func() {
			<-saved
			var c *cases.Case
			err := sv.Stores.InTx(ctx, func(ctx context.Context) error {
				var err error
				c, err = sv.Stores.Cases.LoadCase(ctx, id, true)
				return err
			})
			if err != nil {
				t.Error(err)
			}
			seen <- c
		}()
		var want *cases.Case
		var once sync.Once // a transaction may run twice on SQLite
		err := sv.Stores.InTx(ctx, func(ctx context.Context) error {
			c, err := sv.Stores.Cases.LoadCase(ctx, id, true)
			if err != nil {
				return err
			}
			base := c.Version
			c.Apply(cases.Event{Kind: cases.EventWithdrawn, At: time.Now().UTC().Truncate(time.Microsecond), Branch: -1,
				Reason: "申请人撤回"})
			err = sv.Stores.Cases.SaveCase(ctx, c, base, c.Events[len(c.Events)-1:], nil, cases.Dues{})
			want = c
			once.Do(func() { close(saved) })
			waitForLockWaiter(t, sv.Stores)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got := <-seen
		if got == nil || got.Version != want.Version || len(got.Events) != len(want.Events) || got.Status != want.Status ||
			got.Events[len(got.Events)-1].Reason != "申请人撤回" || len(got.Materials) != len(want.Materials) {
			t.Fatalf("read after waiting for the lock: %+v, want version %d with %d events", got, want.Version, len(want.Events))
		}
	})
}

// waitForLockWaiter returns once another connection waits for a lock
// (PostgreSQL) or after a moment (SQLite, whose writers queue before
// they begin).
func waitForLockWaiter(t *testing.T, s *store.Stores) {
	db, ok := s.Backend.(*postgres.DB)
	if !ok {
		time.Sleep(100 * time.Millisecond)
		return
	}
	for range 500 {
		var n int
		err := db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM pg_locks WHERE NOT granted`).Scan(&n)
		if err != nil {
			t.Error(err)
			return
		}
		if n > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("no transaction waited for the case's lock")
}
