// Package sqlite stores OpenHall's data in one SQLite file through the pure-Go
// modernc driver. Reads use a pool of connections; every write goes through
// one writer goroutine that groups the transactions of concurrent requests
// into one SQLite transaction (group commit), so that durable commits with
// synchronous=FULL are shared instead of paid per request; the fsync that
// makes them durable runs beside the writer (walsync.go).
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/memo"
	"openhall/internal/store"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Options configure Open.
type Options struct {
	Path string // database file; created if missing
	Sync string // "full" (default) or "normal"
	Now  func() time.Time
	// RunTwice runs every write transaction's function twice, the first
	// run rolled back: a test mode (see TwiceEnv), also on when TwiceEnv is 1.
	RunTwice bool
	// syncWAL replaces the syncer's fsync in tests.
	syncWAL func() error
}

// DB is an open SQLite database.
type DB struct {
	path  string
	read  *sql.DB   // concurrent readers, query_only
	write *sql.DB   // one connection, held by the writer goroutine as wconn
	wconn *sql.Conn // the writer's connection: every write transaction runs on it
	jobs  *sql.DB   // one connection of the job queue's own (River polls on it)
	now   func() time.Time
	count *store.Counters
	// recentCases are the cases the writer last loaded or saved
	// (cases_recent.go).
	recentCases *memo.Cache[int64, *cases.Case]
	// storedProcs are the keys of procedures known to be stored
	// (storeProcedure).
	storedProcs *memo.Cache[string, bool]

	// twice runs every write transaction's function twice, the first run
	// rolled back (TwiceEnv; a test mode, see rehearse).
	twice bool

	units   chan *unit
	closing chan struct{}
	// syncs carries committed batches to the syncer, which makes them
	// durable before answering (walsync.go); nil when synchronous=NORMAL
	// was asked for, or the file is not in WAL mode.
	syncs   chan syncBatch
	syncWAL func() error
	// checkpoints carries the writer's requests for a checkpoint to the
	// checkpointer, which runs them on ckpt (checkpoint.go); nil when the
	// file is not in WAL mode. walPages counts, on the writer, the pages
	// written to the log since the last request.
	checkpoints  chan struct{}
	ckpt         *sql.DB
	walPages     int
	checkpointed atomic.Int64
	logLong      atomic.Bool  // the log needs the writer's checkpoint to start again
	restarts     atomic.Int64 // checkpoints the writer ran for that
	wg           sync.WaitGroup
	once         sync.Once
}

// TwiceEnv names the environment variable that, set to 1, runs every write
// transaction's function twice with the first run rolled back. The writer
// may run a function again whenever another function of its batch fails;
// scripts/test sets it for the whole suite, so that a function that is not
// safe to repeat fails its tests instead of failing in production once in a
// while.
const TwiceEnv = "OPENHALL_TX_TWICE"

var sqliteHeader = []byte("SQLite format 3\x00")

// Open opens (creating if needed) the database file and starts the writer.
// It does not migrate; see Migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	if err := checkFile(o.Path); err != nil {
		return nil, err
	}
	if o.Sync == "" {
		o.Sync = "full"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	count := &store.Counters{}
	write := openDB(dsn(o.Path, o.Sync, false), count)
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read := openDB(dsn(o.Path, o.Sync, true), count)
	// Readers are many: a read that misses a connection's page cache waits
	// in a pread (mmap_size stays at its default, 0: no memory-mapped reads), and meanwhile others run.
	read.SetMaxOpenConns(max(16, runtime.NumCPU()*8))
	read.SetMaxIdleConns(max(16, runtime.NumCPU()*8))
	jobs := openDB(dsn(o.Path, o.Sync, false), count)
	jobs.SetMaxOpenConns(1)
	db := &DB{path: o.Path, read: read, write: write, jobs: jobs, now: o.Now, count: count,
		twice: o.RunTwice || os.Getenv(TwiceEnv) == "1", units: make(chan *unit, 256), closing: make(chan struct{}),
		syncWAL: o.syncWAL, recentCases: newRecentCases(nil), storedProcs: newStoredProcs()}
	if err := db.Ping(ctx); err != nil {
		db.closePools()
		return nil, err
	}
	wconn, err := write.Conn(ctx)
	if err != nil {
		db.closePools()
		return nil, mapOpenError(o.Path, err)
	}
	db.wconn = wconn
	if err := db.startCheckpointer(ctx, o.Sync); err != nil {
		db.closePools()
		return nil, mapOpenError(o.Path, err)
	}
	if err := db.startSyncer(ctx, o.Sync); err != nil {
		if db.checkpoints != nil {
			close(db.checkpoints)
		}
		db.closePools()
		return nil, mapOpenError(o.Path, err)
	}
	db.wg.Add(1)
	go db.writeLoop()
	return db, nil
}

// startSyncer moves the fsync of a durable commit out of the writer (see
// walsync.go) when the database is in WAL mode and synchronous=FULL was
// asked for; otherwise the writer's commits keep the file's own setting.
func (db *DB) startSyncer(ctx context.Context, sync string) error {
	var mode string
	if err := db.wconn.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return err
	}
	if sync != "full" || mode != "wal" {
		return nil
	}
	if _, err := db.wconn.ExecContext(ctx, `PRAGMA synchronous=NORMAL`); err != nil {
		return err
	}
	db.syncs = make(chan syncBatch, maxPendingSyncs)
	if db.syncWAL == nil {
		db.syncWAL = func() error { return fsyncWAL(db.path) }
	}
	db.wg.Add(1)
	go db.syncLoop()
	return nil
}

// dsn builds the connection string. busy_timeout comes first so that the
// following pragmas already wait instead of failing when another process
// (an `openhall` CLI command next to a running server) holds the lock.
func dsn(path, sync string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+sync+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(memory)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		// Small: a reader drops its whole cache at its first read after
		// any commit, under the page cache's one process-wide lock.
		q.Add("_pragma", "cache_size(-2000)")
	} else {
		q.Add("_pragma", "cache_size(-16000)")
		// Checkpoints run beside the writer (checkpoint.go).
		q.Add("_pragma", "wal_autocheckpoint(0)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// checkFile refuses early, with a message an operator understands, a file
// that exists but is not an SQLite database, and creates the directory of a
// new one.
func checkFile(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("无法创建数据目录 %s", filepath.Dir(path)))
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("无法读取数据库文件 %s", path))
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil // an empty file becomes a new database
	}
	if !bytes.Equal(head[:n], sqliteHeader) {
		return apperr.New(apperr.Unavailable, "数据库文件 %s 已损坏或不是 SQLite 数据库；请从备份恢复，或移走该文件后重新初始化", path)
	}
	return nil
}

// Ping checks that both pools can reach the file.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.read.QueryRowContext(ctx, `PRAGMA schema_version`).Scan(&n); err != nil {
		return mapOpenError(db.path, err)
	}
	if err := db.jobs.PingContext(ctx); err != nil {
		return mapOpenError(db.path, err)
	}
	return nil
}

// Close stops the writer after the queued transactions and closes the pools.
func (db *DB) Close() error {
	db.once.Do(func() { close(db.closing) })
	db.wg.Wait()
	return db.closePools()
}

func (db *DB) closePools() error {
	if db.wconn != nil {
		db.wconn.Close()
	}
	errs := []error{db.read.Close(), db.write.Close(), db.jobs.Close()}
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.Close())
	}
	return errors.Join(errs...)
}

// Path returns the database file.
func (db *DB) Path() string { return db.path }

// JobsDB is the job queue's single-connection pool. Jobs are still
// inserted in the writer's transactions; River polls and completes jobs on
// this connection, waiting for the writer through SQLite's busy timeout.
func (db *DB) JobsDB() *sql.DB { return db.jobs }

// Counters are the counts of every connection, the job queue's included.
func (db *DB) Counters() *store.Counters { return db.count }

// Backend names the storage backend.
func (db *DB) Backend() string { return "sqlite" }

// Stores returns the backend with every domain store.
func (db *DB) Stores() *store.Stores {
	return &store.Stores{Backend: db, Audit: db.Audit(), Calendar: db.Calendar(), Cases: db.Cases(),
		Identity: db.Identity(), Org: db.Org(), Settings: db.Settings(),
		Certs: db.Certs(), Notify: db.Notify(), Catalog: db.Catalog(),
		Disclosure: db.Disclosure(), Search: db.Search(), Hall: db.Hall(),
		Supervision: db.Supervision(),
		Ratings:     db.Ratings(), Complaints: db.Complaints(), Hotline: db.Complaints(),
		Consult: db.Consult(), Mailbox: db.Mailbox(), Powers: db.Powers(), Publicity: db.Publicity(),
		OpenData: db.OpenData(), Budget: db.Budget()}
}

// Analyze has nothing to do on SQLite: it never gathers statistics on its
// own, and the queries are planned without them. With sqlite_stat1 present
// (PRAGMA optimize after loading 10,000 datasets) the planner answered a
// name-sorted catalogue search by looking up each match and sorting them
// (1.6 ms to 5 ms), and package_search p95 went from 37–40 ms to 73–80 ms.
func (db *DB) Analyze(context.Context) error { return nil }
