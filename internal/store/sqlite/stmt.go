package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statement caches; queries built with a
// varying number of placeholders beyond it are prepared each time.
const maxCachedStatements = 1000

// stmtCache keeps prepared statements per query text. Parsing and planning
// an SQL statement costs more than running most of ours, and the pure-Go
// driver prepares afresh on every Exec or Query unless asked to keep one.
type stmtCache struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// get returns the prepared statement of query, or nil when it cannot be
// cached (the caller then runs the query unprepared).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.stmts[query]
	c.mu.RUnlock()
	if ok {
		return st
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil
	}
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil // the unprepared run reports the error
	}
	c.stmts[query] = st
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = map[string]*sql.Stmt{}
}

// connStmts keeps the writer connection's prepared statements. They run on
// that connection inside whatever transaction is open on it: SQLite ties a
// transaction to its connection, not to a statement handle.
type connStmts struct {
	conn  *sql.Conn
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

func newConnStmts(conn *sql.Conn) *connStmts {
	return &connStmts{conn: conn, stmts: map[string]*sql.Stmt{}}
}

func (c *connStmts) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil
	}
	st, err := c.conn.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil // the unprepared run reports the error
	}
	c.stmts[query] = st
	return st
}

func (c *connStmts) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = map[string]*sql.Stmt{}
}

// cachedTx runs the queries of a write transaction through the writer
// connection's prepared statements.
type cachedTx struct {
	tx    *sql.Tx
	cache *connStmts
}

func (c cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.cache.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.tx.ExecContext(ctx, query, args...)
}

func (c cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.cache.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.tx.QueryContext(ctx, query, args...)
}

func (c cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.cache.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.tx.QueryRowContext(ctx, query, args...)
}

// cachedPool runs read queries through the read pool's prepared statements.
type cachedPool struct{ cache *stmtCache }

func (c cachedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.cache.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.cache.db.ExecContext(ctx, query, args...)
}

func (c cachedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.cache.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.cache.db.QueryContext(ctx, query, args...)
}

func (c cachedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.cache.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.cache.db.QueryRowContext(ctx, query, args...)
}
