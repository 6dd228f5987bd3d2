package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A batch whose units run without savepoints is retried with each unit
// isolated when one fails: the failing unit's writes are gone, every other
// unit's are committed, and each unit ran to completion at least once.
func TestBatchRetriesIsolatedAfterFailure(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "b.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.wconn.ExecContext(ctx, `CREATE TABLE kv (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	release := holdWriter(t, db)
	const n = 6
	boom := errors.New("boom")
	var runs [n]atomic.Int32
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = db.InTx(ctx, func(ctx context.Context) error {
				runs[i].Add(1)
				if _, err := db.q(ctx).ExecContext(ctx, `INSERT INTO kv (k) VALUES (?)`, fmt.Sprint(i)); err != nil {
					return err
				}
				if i == 3 {
					return boom
				}
				return nil
			})
		})
	}
	waitQueued(t, db, n)
	close(release)
	wg.Wait()
	checkBatchOutcome(t, db, errs, boom)
	for i := range n {
		if r := runs[i].Load(); r < 1 || r > 2 || (i == 3 && r != 2) {
			t.Fatalf("unit %d ran %d times (the failing one twice: tried, then isolated)", i, r)
		}
	}
}

// holdWriter keeps the writer busy until release is closed, so that the
// next units queue up and are taken as one batch.
func holdWriter(t *testing.T, db *DB) chan struct{} {
	release, started := make(chan struct{}), make(chan struct{})
	var once sync.Once
	go db.InTx(context.Background(), func(context.Context) error {
		once.Do(func() { close(started) })
		<-release
		return nil
	})
	<-started
	return release
}

// In the run-twice mode every unit runs twice, the first run rolled back
// whatever it returned, so a function that keeps state from its first run
// shows it in every test; the results are those of the second run.
func TestRunTwiceMode(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "t.db"), RunTwice: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.wconn.ExecContext(ctx, `CREATE TABLE kv (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	reused := 0 // set by the first run only: the mistake the mode exposes
	err = db.InTx(ctx, func(ctx context.Context) error {
		runs.Add(1)
		if reused == 0 {
			reused = 1
			_, err := db.q(ctx).ExecContext(ctx, `INSERT INTO kv (k) VALUES ('first')`)
			return err
		}
		return errors.New("second run saw the first run's state")
	})
	if runs.Load() != 2 || err == nil {
		t.Fatalf("ran %d times, error %v; want 2 runs and the second run's error", runs.Load(), err)
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM kv`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the first run's insert was kept: %d rows, %v", n, err)
	}
}

func waitQueued(t *testing.T, db *DB, n int) {
	deadline := time.Now().Add(10 * time.Second)
	for len(db.units) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d units queued", len(db.units), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func checkBatchOutcome(t *testing.T, db *DB, errs []error, boom error) {
	t.Helper()
	for i, err := range errs {
		if (i == 3) != errors.Is(err, boom) || (i != 3 && err != nil) {
			t.Fatalf("unit %d: %v", i, err)
		}
	}
	var keys string
	if err := db.read.QueryRow(`SELECT group_concat(k, ',') FROM (SELECT k FROM kv ORDER BY k)`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != "0,1,2,4,5" {
		t.Fatalf("committed keys %q, want 0,1,2,4,5", keys)
	}
}
