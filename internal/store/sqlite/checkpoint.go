package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	msqlite "modernc.org/sqlite"
)

// Checkpoints, beside the writer.
//
// A checkpoint copies the pages of the write-ahead log back into the
// database file, so that the log can start again from its beginning. By
// default SQLite runs one inside the commit that takes the log past 1000
// pages, on the connection that committed: here the writer's, with two
// fsyncs (the log, then the database file) and the copying, while every
// other write waits. Under a steady load that was about a fourteenth of the
// writer's time.
//
// Connections that write therefore open with wal_autocheckpoint=0 (see
// dsn), and the checkpointer runs the checkpoint on a connection of its
// own once the writer has written checkpointPages pages since the last
// one. It is PASSIVE: it waits for no reader and no writer, copies what no
// reader still needs, and syncs the log before copying and the database
// file after, whatever the connection's synchronous setting, so durability
// is what it was. The writer goes on committing meanwhile. A checkpoint that
// fails (a full disk) leaves the log as it was, to be copied by the next
// one; closing the database checkpoints whatever is left.
//
// The log starts again from its beginning only when a write transaction
// begins with every page of it copied. Under a steady load the writer
// commits while the checkpointer copies, so that moment never comes and
// the log would grow for as long as the load lasts (to hundreds of
// megabytes in a minute). When a checkpoint finds the log longer than
// restartPages, the writer therefore runs the next checkpoint itself,
// between two transactions: it copies only what was written since the
// last one, and its next transaction starts the log again.

// checkpointPages is how many pages the writer writes to the log between
// two checkpoints: SQLite's own wal_autocheckpoint default. restartPages
// is how long the log may grow before the writer checkpoints itself.
const (
	checkpointPages = 1000
	restartPages    = 4 * checkpointPages
)

// startCheckpointer opens the checkpointer's connection and starts it, in
// WAL mode (the only mode with checkpoints).
func (db *DB) startCheckpointer(ctx context.Context, sync string) error {
	var mode string
	if err := db.wconn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return err
	}
	if mode != "wal" {
		return nil
	}
	if _, err := pagesWritten(db.wconn); err != nil {
		return fmt.Errorf("count the pages written to the log: %w", err)
	}
	db.ckpt = openDB(dsn(db.path, sync, false), db.count)
	db.ckpt.SetMaxOpenConns(1)
	db.checkpoints = make(chan struct{}, 1)
	db.wg.Add(1)
	go db.checkpointLoop()
	return nil
}

// checkpointLoop runs a checkpoint each time the writer asks for one,
// until the writer closes the channel.
func (db *DB) checkpointLoop() {
	defer db.wg.Done()
	for range db.checkpoints {
		db.checkpoint() // a failure leaves the pages to the next checkpoint
	}
}

// checkpoint runs one passive checkpoint and counts it; a log found longer
// than restartPages is left to the writer's next checkpoint.
func (db *DB) checkpoint() error {
	var busy, logged, copied int
	err := db.ckpt.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied)
	if err == nil {
		db.checkpointed.Add(1)
		if logged >= restartPages {
			db.logLong.Store(true)
		}
	}
	return err
}

// restartLog runs, on the writer between two transactions, the checkpoint
// that lets its next transaction start the log again.
func (db *DB) restartLog() {
	if !db.logLong.CompareAndSwap(true, false) {
		return
	}
	var busy, logged, copied int
	if db.wconn.QueryRowContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied) == nil {
		db.restarts.Add(1)
	}
}

// noteWritten counts the pages the writer's last commit wrote to the log
// and asks for a checkpoint once they reach checkpointPages. The writer
// calls it after each commit.
func (db *DB) noteWritten() {
	if db.checkpoints == nil {
		return
	}
	db.restartLog()
	n, err := pagesWritten(db.wconn)
	if err != nil {
		n = checkpointPages // unknown: better a checkpoint too many
	}
	db.walPages += n
	if db.walPages < checkpointPages {
		return
	}
	db.walPages = 0
	select {
	case db.checkpoints <- struct{}{}:
	default: // one is asked for already
	}
}

// pagesWritten returns the pages the connection wrote since the last call
// (SQLITE_DBSTATUS_CACHE_WRITE, reset on reading); in WAL mode these are
// the frames it appended to the log.
func pagesWritten(c *sql.Conn) (int, error) {
	n := 0
	err := c.Raw(func(dc any) error {
		cc, ok := dc.(*cachingConn)
		if !ok {
			return errors.ErrUnsupported
		}
		st, ok := cc.inner.(interface {
			Status(msqlite.DBStatusOp, bool) (int, int, error)
		})
		if !ok {
			return errors.ErrUnsupported
		}
		var err error
		n, _, err = st.Status(msqlite.DBStatusCacheWrite, true)
		return err
	})
	return n, err
}
