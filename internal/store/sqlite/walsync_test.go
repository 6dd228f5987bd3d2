package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apperr"
)

// heldSync is a syncer fsync that waits until released, counting calls.
type heldSync struct {
	calls   atomic.Int32
	started chan struct{} // one value per call, when it starts
	release chan error    // each call returns the next value
}

func newHeldSync() *heldSync {
	return &heldSync{started: make(chan struct{}, 16), release: make(chan error)}
}

func (h *heldSync) sync() error {
	h.calls.Add(1)
	h.started <- struct{}{}
	return <-h.release
}

func openSynced(t *testing.T, h *heldSync) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "s.db"), syncWAL: h.sync})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop := make(chan struct{})
		go func() { // let Close finish whatever still waits for a sync
			for {
				select {
				case h.release <- nil:
				case <-stop:
					return
				}
			}
		}()
		db.Close()
		close(stop)
	})
	if _, err := db.wconn.ExecContext(ctx, `CREATE TABLE kv (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertKV(db *DB, k string) chan error {
	done := make(chan error, 1)
	go func() {
		done <- db.InTx(context.Background(), func(ctx context.Context) error {
			_, err := db.q(ctx).ExecContext(ctx, `INSERT INTO kv (k) VALUES (?)`, k)
			return err
		})
	}()
	return done
}

func notYet(t *testing.T, done chan error, what string) {
	t.Helper()
	select {
	case err := <-done:
		t.Fatalf("%s returned (%v) before the write-ahead log was synced", what, err)
	case <-time.After(50 * time.Millisecond):
	}
}

// A transaction is acknowledged only once the sync after its commit has
// returned; meanwhile the writer commits the next batch, and one sync
// answers every batch committed before it started.
func TestAcknowledgedAfterSync(t *testing.T) {
	h := newHeldSync()
	db := openSynced(t, h)
	first := insertKV(db, "a")
	<-h.started
	notYet(t, first, "the first write")
	// While the first sync runs, the writer commits two more batches: a
	// held one, then the two writes that queued behind it.
	release := holdWriter(t, db)
	second, third := insertKV(db, "b"), insertKV(db, "c")
	waitQueued(t, db, 2)
	close(release)
	waitRows(t, db, 3)
	for deadline := time.Now().Add(10 * time.Second); len(db.syncs) < 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d committed batches wait for the syncer, want 2", len(db.syncs))
		}
	}
	notYet(t, second, "the second write")
	h.release <- nil
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-h.started
	notYet(t, third, "the third write")
	h.release <- nil
	if err := errors.Join(<-second, <-third); err != nil {
		t.Fatal(err)
	}
	if n := h.calls.Load(); n != 2 {
		t.Fatalf("%d syncs for two rounds of commits", n)
	}
}

// A failed sync fails the transactions it was to make durable, with the
// store's message, and the writer goes on.
func TestSyncFailureFailsWrites(t *testing.T) {
	h := newHeldSync()
	db := openSynced(t, h)
	done := insertKV(db, "a")
	<-h.started
	h.release <- apperr.Wrap(errors.New("EIO"), apperr.Unavailable, "数据写入磁盘失败，请稍后重试")
	if err := <-done; apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("got %v, want the sync's failure", err)
	}
	again := insertKV(db, "b")
	<-h.started
	h.release <- nil
	if err := <-again; err != nil {
		t.Fatalf("the writer stopped after a failed sync: %v", err)
	}
}

// The writer's connection leaves the sync to the syncer; the job queue's
// keeps synchronous=FULL; asking for NORMAL keeps NORMAL with no syncer.
func TestSyncSettings(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		sync         string
		writer, jobs int // PRAGMA synchronous: 1 NORMAL, 2 FULL
		syncer       bool
	}{{"full", 1, 2, true}, {"normal", 1, 1, false}} {
		db, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "s.db"), Sync: tc.sync})
		if err != nil {
			t.Fatal(err)
		}
		var w, j int
		if err := errors.Join(db.wconn.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&w),
			db.jobs.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&j)); err != nil {
			t.Fatal(err)
		}
		if w != tc.writer || j != tc.jobs || (db.syncs != nil) != tc.syncer {
			t.Errorf("%s: writer %d, jobs %d, syncer %v", tc.sync, w, j, db.syncs != nil)
		}
		db.Close()
	}
}

func waitRows(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var got int
		if err := db.read.QueryRow(`SELECT count(*) FROM kv`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d rows committed", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}
