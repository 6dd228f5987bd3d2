package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The writer's commits do not checkpoint; the checkpointer copies the log
// into the database file once the writer has written checkpointPages
// pages to it, and not before.
func TestCheckpointsBesideWriter(t *testing.T) {
	ctx := context.Background()
	db, path := openBlobs(t)
	assertNoAutoCheckpoint(t, db)
	write := func(n, size int) {
		t.Helper()
		for i := 0; i < n; i++ {
			err := db.InTx(ctx, func(ctx context.Context) error {
				_, err := db.q(ctx).ExecContext(ctx, `INSERT INTO blobs (b) VALUES (randomblob(?))`, size)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	write(20, 100)
	time.Sleep(100 * time.Millisecond)
	if n := db.checkpointed.Load(); n != 0 {
		t.Fatalf("%d checkpoints after 20 small commits; want none before %d pages", n, checkpointPages)
	}
	before := fileSize(t, path)
	write(60, 100_000) // about 25 pages each: 1,500 pages in all
	deadline := time.Now().Add(10 * time.Second)
	for db.checkpointed.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if db.checkpointed.Load() == 0 {
		t.Fatal("no checkpoint after 1,500 pages written to the log")
	}
	if after := fileSize(t, path); after < before+checkpointPages*4096/2 {
		t.Fatalf("database file %d bytes after the checkpoint, %d before: the log was not copied into it", after, before)
	}
}

// openBlobs opens a new database with a table of blobs; it is closed when
// the test ends.
func openBlobs(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "blobs.db")
	db, err := Open(context.Background(), Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.wconn.ExecContext(context.Background(), `CREATE TABLE blobs (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// assertNoAutoCheckpoint checks that neither connection that writes would
// checkpoint inside a commit.
func assertNoAutoCheckpoint(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	var w, j int
	if err := db.wconn.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&w); err != nil {
		t.Fatal(err)
	}
	if err := db.jobs.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&j); err != nil {
		t.Fatal(err)
	}
	if w != 0 || j != 0 {
		t.Fatalf("wal_autocheckpoint: writer %d, job queue %d; want 0 and 0", w, j)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// Under a steady load the log starts again now and then instead of growing
// with everything written: the writer checkpoints itself once a checkpoint
// finds the log longer than restartPages.
func TestLogStartsAgainUnderSteadyLoad(t *testing.T) {
	ctx := context.Background()
	db, path := openBlobs(t)
	const writers, each = 8, 100 // 100 KB each: about 20,000 pages in all
	var longest atomic.Int64
	done := make(chan struct{})
	go watchSize(path+"-wal", &longest, done)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range each {
				err := db.InTx(ctx, func(ctx context.Context) error {
					_, err := db.q(ctx).ExecContext(ctx, `INSERT INTO blobs (b) VALUES (randomblob(100000))`)
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(done)
	if max := int64(3 * restartPages * 4096); longest.Load() > max {
		t.Fatalf("the log grew to %d bytes under a steady load (%d restarts); want at most %d", longest.Load(), db.restarts.Load(), max)
	}
}

// watchSize records the largest size of the file at path until done.
func watchSize(path string, largest *atomic.Int64, done chan struct{}) {
	for {
		if fi, err := os.Stat(path); err == nil && fi.Size() > largest.Load() {
			largest.Store(fi.Size())
		}
		select {
		case <-done:
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
}
