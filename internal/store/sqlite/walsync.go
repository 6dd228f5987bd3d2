package sqlite

import (
	"fmt"
	"os"

	"openhall/internal/apperr"
)

// Durable commits, pipelined.
//
// With synchronous=FULL SQLite makes every commit durable by an fsync of
// the write-ahead log inside COMMIT, while it holds the write lock: the
// writer sits idle for the fsync (about half a millisecond on a plain
// disk) and the next batch waits behind it. The writer's connection
// therefore commits with synchronous=NORMAL, which writes the WAL frames
// but does not sync them, and hands the committed units to the syncer. The
// syncer fsyncs the WAL file and only then tells each caller its
// transaction is stored; meanwhile the writer runs the next batch. One
// fsync covers every batch committed before it started.
//
// The promise stays that of synchronous=FULL: InTx returns nil only after
// the frames of its transaction are on disk. The WAL is written in order
// and recovered as a prefix, so a transaction that is durable has every
// transaction committed before it durable too. Frames the syncer has not
// covered yet can be lost to a power cut (never to a crash of the process,
// as they are in the kernel's cache), but nobody was told they were
// stored. A checkpoint (checkpoint.go) syncs the WAL before copying it
// into the database file even under NORMAL, and the job
// queue's connection keeps synchronous=FULL, so a job's claim is durable
// with whatever inserted the job.
//
// What a reader may see early: a query outside InTx can read a commit
// whose sync is still running. Every write that follows it goes through
// the writer and is acknowledged only after a sync that covers both.

// syncBatch is a committed batch waiting for the sync that makes it durable.
type syncBatch []*unit

// maxPendingSyncs bounds the committed batches waiting for the syncer;
// beyond it the writer waits, so a slow disk slows writers down instead of
// piling up work in memory.
const maxPendingSyncs = 64

// acknowledge hands the batch, whose units carry their own errors, to the
// syncer; without one (synchronous=NORMAL was asked for) it answers now.
func (db *DB) acknowledge(batch []*unit) {
	if db.syncs == nil {
		for _, u := range batch {
			u.finish(u.err)
		}
		return
	}
	db.syncs <- batch
}

// syncLoop makes committed batches durable and answers their callers: it
// takes every batch waiting, syncs once, and answers them all.
func (db *DB) syncLoop() {
	defer db.wg.Done()
	for first := range db.syncs {
		batches := []syncBatch{first}
		batches = db.takeWaiting(batches)
		err := db.syncWAL()
		for _, b := range batches {
			for _, u := range b {
				if u.err == nil {
					u.err = err
				}
				u.finish(u.err)
			}
		}
	}
}

// takeWaiting appends the batches already waiting for a sync.
func (db *DB) takeWaiting(batches []syncBatch) []syncBatch {
	for {
		select {
		case b, ok := <-db.syncs:
			if !ok {
				return batches
			}
			batches = append(batches, b)
		default:
			return batches
		}
	}
}

// fsyncWAL flushes the database's write-ahead log to disk. It opens the
// file afresh each time: SQLite may truncate it, and one extra open is
// nothing beside an fsync. On Linux and the BSDs fsync flushes the file,
// whichever descriptor wrote it.
func fsyncWAL(path string) error {
	f, err := os.OpenFile(path+"-wal", os.O_RDWR, 0)
	if err != nil {
		return apperr.Wrap(fmt.Errorf("open write-ahead log: %w", err), apperr.Unavailable, "数据写入磁盘失败，请稍后重试")
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return apperr.Wrap(fmt.Errorf("sync write-ahead log: %w", err), apperr.Unavailable, "数据写入磁盘失败，请稍后重试")
	}
	return nil
}
