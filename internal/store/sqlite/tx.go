package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"openhall/internal/apperr"
	"openhall/internal/memo"
)

// maxBatch bounds how many request transactions share one SQLite transaction.
const maxBatch = 128

type txKey struct{}

// unit is one caller's transaction waiting for the writer.
type unit struct {
	ctx  context.Context
	fn   func(context.Context) error
	done chan error
	err  error
	// held is what this attempt's reads would have caches keep, released
	// once its transaction commits: an attempt rolled back or run again
	// keeps nothing.
	held *memo.Held
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// TxFromContext returns the write transaction carried by ctx, if any.
func TxFromContext(ctx context.Context) (*sql.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(*sql.Tx)
	return tx, ok
}

// q returns the transaction in ctx, or the read pool.
func (db *DB) q(ctx context.Context) querier {
	if tx, ok := TxFromContext(ctx); ok {
		return tx
	}
	return db.read
}

var errClosed = apperr.New(apperr.Unavailable, "服务正在关闭，请稍后重试")

// InTx runs fn in a write transaction and returns once that transaction is
// durably committed (or fn's error once it is rolled back). Called inside
// another InTx it joins the outer transaction. fn runs on the writer
// goroutine, possibly in the same SQLite transaction as other callers' fns,
// so fn must only touch the database through ctx and must not wait for
// other writes. fn may run more than once (see runBatch), so it must set
// afresh whatever it reports and have no effect outside the database.
func (db *DB) InTx(ctx context.Context, fn func(context.Context) error) error {
	if _, ok := TxFromContext(ctx); ok {
		return fn(ctx)
	}
	u := &unit{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.units <- u:
	case <-ctx.Done():
		return ctx.Err()
	case <-db.closing:
		return errClosed
	}
	return <-u.done
}

func (db *DB) writeLoop() {
	defer db.wg.Done()
	for {
		select {
		case u := <-db.units:
			db.runBatch(db.collect(u))
		case <-db.closing:
			db.drain()
			if db.syncs != nil {
				close(db.syncs)
			}
			if db.checkpoints != nil {
				close(db.checkpoints)
			}
			return
		}
	}
}

// collect takes u and whatever else is already waiting.
func (db *DB) collect(u *unit) []*unit {
	batch := []*unit{u}
	for len(batch) < maxBatch {
		select {
		case u := <-db.units:
			batch = append(batch, u)
		default:
			return batch
		}
	}
	return batch
}

// drain finishes what was queued before Close.
func (db *DB) drain() {
	for {
		select {
		case u := <-db.units:
			db.runBatch(db.collect(u))
		default:
			return
		}
	}
}

// runBatch runs the units in one transaction. They run first side by side
// without savepoints, which cost the writer a statement journal per unit;
// if any fails, that attempt is rolled back and the batch runs again with
// each unit in a savepoint of its own, so that a failure undoes only its
// own work.
func (db *DB) runBatch(batch []*unit) {
	if db.twice {
		db.rehearse(batch)
		db.runIsolated(batch)
		return
	}
	if len(batch) == 1 {
		db.runOne(batch[0])
		return
	}
	tx, err := db.begin()
	if err != nil {
		finish(batch, err)
		return
	}
	for _, u := range batch {
		if u.err = run(tx, u); u.err != nil {
			tx.Rollback()
			db.runIsolated(batch)
			return
		}
	}
	db.commit(tx, batch)
}

// commit commits the batch's transaction and hands the units to the syncer
// (see walsync.go); a failed commit fails every unit at once.
func (db *DB) commit(tx *sql.Tx, batch []*unit) {
	if err := mapError(tx.Commit()); err != nil {
		finish(batch, err)
		return
	}
	db.noteWritten()
	db.acknowledge(batch)
}

// finish tells u's caller err, first releasing what its reads would keep if
// its transaction committed.
func (u *unit) finish(err error) {
	if err == nil {
		u.held.Release()
	}
	u.done <- err
}

// rehearse is the first, discarded run of every unit in the run-twice
// test mode: each unit runs to its end, whatever the others did, and the
// transaction is rolled back. The units then run for real, so a function
// that keeps something from its first run (a record whose ID the first
// insert set, a result it only assigns on success, an effect outside the
// database) gives a wrong answer in every test that uses it, not just in
// the rare batch where another caller fails.
func (db *DB) rehearse(batch []*unit) {
	tx, err := db.begin()
	if err != nil {
		return
	}
	for _, u := range batch {
		runSaved(tx, u)
	}
	tx.Rollback()
}

// runIsolated runs the units in one transaction, each in a savepoint.
func (db *DB) runIsolated(batch []*unit) {
	tx, err := db.begin()
	if err != nil {
		finish(batch, err)
		return
	}
	for _, u := range batch {
		u.err = runSaved(tx, u)
	}
	if err := mapError(tx.Commit()); err != nil {
		for _, u := range batch {
			if u.err == nil {
				u.err = err
			}
			u.finish(u.err)
		}
		return
	}
	db.noteWritten()
	db.acknowledge(batch)
}

func (db *DB) begin() (*sql.Tx, error) {
	tx, err := db.wconn.BeginTx(context.Background(), nil)
	if err != nil {
		return nil, mapError(fmt.Errorf("begin transaction: %w", err))
	}
	return tx, nil
}

// runOne runs a lone unit without savepoints.
func (db *DB) runOne(u *unit) {
	tx, err := db.begin()
	if err != nil {
		u.done <- err
		return
	}
	if u.err = run(tx, u); u.err != nil {
		tx.Rollback()
		u.done <- u.err
		return
	}
	db.commit(tx, []*unit{u})
}

// runSaved runs u inside a savepoint so its failure undoes only its own work.
func runSaved(tx *sql.Tx, u *unit) error {
	if _, err := tx.Exec(`SAVEPOINT unit`); err != nil {
		return mapError(err)
	}
	err := run(tx, u)
	if err != nil {
		if _, rbErr := tx.Exec(`ROLLBACK TO unit`); rbErr != nil {
			err = errors.Join(err, mapError(rbErr))
		}
	}
	if _, relErr := tx.Exec(`RELEASE unit`); relErr != nil && err == nil {
		err = mapError(relErr)
	}
	return err
}

// run calls the unit's fn with the transaction in its context, turning a
// panic into an error so that one bad request cannot stop the writer.
func run(tx *sql.Tx, u *unit) (err error) {
	if err := u.ctx.Err(); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in transaction: %v", p)
		}
	}()
	// The unit's statements run without its cancellation: a unit takes
	// microseconds, and a cancelable context makes the driver start a
	// goroutine per statement to interrupt it.
	ctx, held := memo.Hold(context.WithValue(context.WithoutCancel(u.ctx), txKey{}, tx))
	u.held = held
	return u.fn(ctx)
}

func finish(batch []*unit, err error) {
	for _, u := range batch {
		u.finish(err)
	}
}
