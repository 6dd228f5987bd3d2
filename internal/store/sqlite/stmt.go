package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"

	"openhall/internal/store"

	msqlite "modernc.org/sqlite"
)

// maxCachedStatements bounds each connection's statement cache; queries
// beyond it (built with a varying number of placeholders) are prepared
// each time.
const maxCachedStatements = 500

// openDB opens a pool whose connections keep their prepared statements.
// Parsing and planning a statement costs more than running most of ours,
// and the driver prepares afresh on every Exec or Query, including the job
// queue's queries that run inside our transactions.
func openDB(dsn string, n *store.Counters) *sql.DB {
	return sql.OpenDB(cachingConnector{dsn: dsn, drv: &msqlite.Driver{}, n: n})
}

type cachingConnector struct {
	dsn string
	drv *msqlite.Driver
	n   *store.Counters
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	inner, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{inner: inner, stmts: map[string]*cachedStmt{}, n: c.n}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

// cachingConn is one driver connection with its statement cache.
// database/sql never uses a connection from two goroutines at once, so the
// cache needs no lock.
type cachingConn struct {
	inner driver.Conn
	stmts map[string]*cachedStmt
	n     *store.Counters
}

// cachedStmt is a prepared statement; busy while rows read from it are open
// (a second query with the same text then gets a statement of its own).
type cachedStmt struct {
	st   driver.Stmt
	busy bool
}

var errNoContext = errors.New("sqlite driver lacks context methods")

// stmt returns the cached statement of query, or a one-off statement (and
// false) when the cached one is busy or the cache is full.
func (c *cachingConn) stmt(ctx context.Context, query string) (*cachedStmt, bool, error) {
	c.count(1)
	if cs, ok := c.stmts[query]; ok && !cs.busy {
		return cs, true, nil
	}
	st, err := c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, false, err
	}
	cs := &cachedStmt{st: st}
	if _, taken := c.stmts[query]; taken || len(c.stmts) >= maxCachedStatements {
		return cs, false, nil
	}
	c.stmts[query] = cs
	return cs, true, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	cs, cached, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	ex, ok := cs.st.(driver.StmtExecContext)
	if !ok {
		return nil, errNoContext
	}
	res, err := ex.ExecContext(ctx, args)
	if !cached {
		cs.st.Close()
	}
	return res, err
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	cs, cached, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	q, ok := cs.st.(driver.StmtQueryContext)
	if !ok {
		return nil, errNoContext
	}
	rows, err := q.QueryContext(ctx, args)
	if err != nil {
		if !cached {
			cs.st.Close()
		}
		return nil, err
	}
	cs.busy = true
	return &cachedRows{Rows: rows, stmt: cs, oneOff: !cached}, nil
}

// cachedRows frees its statement for the next query when closed.
type cachedRows struct {
	driver.Rows
	stmt   *cachedStmt
	oneOff bool
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.stmt.busy = false
	if r.oneOff {
		err = errors.Join(err, r.stmt.st.Close())
	}
	return err
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) { return c.inner.Prepare(query) }

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.inner.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	tx, err := c.inner.(driver.ConnBeginTx).BeginTx(ctx, o)
	if err != nil {
		return nil, err
	}
	c.count(1)
	return countedTx{tx, c}, nil
}

// count adds statements (each one a call into SQLite) to the counters.
func (c *cachingConn) count(statements int64) {
	c.n.Statements.Add(statements)
	c.n.RoundTrips.Add(statements)
}

// countedTx counts the COMMIT (or ROLLBACK) of a transaction.
type countedTx struct {
	driver.Tx
	c *cachingConn
}

func (t countedTx) Commit() error {
	t.c.count(1)
	err := t.Tx.Commit()
	if err == nil {
		t.c.n.Commits.Add(1)
	}
	return err
}

func (t countedTx) Rollback() error {
	t.c.count(1)
	return t.Tx.Rollback()
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.inner.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.inner.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.inner.(driver.Validator).IsValid() }

func (c *cachingConn) Close() error {
	var errs []error
	for _, cs := range c.stmts {
		errs = append(errs, cs.st.Close())
	}
	c.stmts = nil
	return errors.Join(append(errs, c.inner.Close())...)
}

// The column-type methods pass through, so rows.ColumnTypes keeps working.

func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if c, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return c.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return c.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if c, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return c.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
