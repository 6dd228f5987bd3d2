package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"openhall/internal/store"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pipeTx is a transaction that sends its statements in as few round trips
// as it can: BEGIN travels with the first statement that needs an answer,
// and queued writes travel with the next such statement or with COMMIT.
// It is a pgx.Tx, so that the job queue inserts its jobs in it.
type pipeTx struct {
	pool    *pgxpool.Pool
	count   *store.Counters
	conn    *pgxpool.Conn // held from the first round trip to the end
	pending []*pgx.QueuedQuery
	maps    []func(error) error    // per pending statement, nil = mapError
	broken  error                  // a queued write failed: the transaction cannot commit
	saves   int                    // savepoints made so far, for their names
	after   []func()               // run once the transaction has committed
	rows    map[string]*rowsInsert // the multi-row inserts among pending, by head
}

// rowsInsert is a pending INSERT gathering the rows queued by queueRow.
type rowsInsert struct {
	q     *pgx.QueuedQuery
	width int // values per row
	n     int // rows
}

var _ pgx.Tx = (*pipeTx)(nil)

func (p *pipeTx) queue(mapErr func(error) error, sql string, args ...any) {
	p.pending = append(p.pending, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	p.maps = append(p.maps, mapErr)
}

// queueRow queues one row for head, an INSERT naming its columns. Rows of
// the same head queued until the next round trip go as one multi-row
// INSERT, at the place of the first; a savepoint is a round trip, so no
// row joins an insert across one.
func (p *pipeTx) queueRow(mapErr func(error) error, head string, args ...any) {
	if r := p.rows[head]; r != nil && r.width == len(args) {
		r.n++
		r.q.Arguments = append(r.q.Arguments, args...)
		r.q.SQL = head + valueRows(r.n, r.width)
		return
	}
	p.queue(mapErr, head+valueRows(1, len(args)), args...)
	if p.rows == nil {
		p.rows = map[string]*rowsInsert{}
	}
	p.rows[head] = &rowsInsert{q: p.pending[len(p.pending)-1], width: len(args), n: 1}
}

// valueRows is the VALUES list of n rows of width parameters.
func valueRows(n, width int) string {
	var b strings.Builder
	b.WriteString(" VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*width + j + 1))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// send sends BEGIN (the first time), the pending writes and then tail in
// one batch, reads the results of all but tail and returns the rest.
func (p *pipeTx) send(ctx context.Context, tail ...*pgx.QueuedQuery) (pgx.BatchResults, error) {
	if p.broken != nil {
		return nil, p.broken
	}
	b := &pgx.Batch{}
	if p.conn == nil {
		conn, err := p.pool.Acquire(ctx)
		if err != nil {
			return nil, mapError(fmt.Errorf("begin transaction: %w", err))
		}
		p.conn = conn
		b.Queue("begin")
	}
	b.QueuedQueries = append(b.QueuedQueries, p.pending...)
	b.QueuedQueries = append(b.QueuedQueries, tail...)
	maps := p.maps
	head := len(b.QueuedQueries) - len(tail)
	p.pending, p.maps, p.rows = nil, nil, nil
	br := p.conn.SendBatch(ctx, b)
	for i := 0; i < head; i++ {
		if _, err := br.Exec(); err != nil {
			br.Close()
			p.broken = mapQueued(err, maps, i-(head-len(maps)))
			return nil, p.broken
		}
	}
	return br, nil
}

// mapQueued maps the error of pending statement i (negative: BEGIN).
func mapQueued(err error, maps []func(error) error, i int) error {
	if i >= 0 && i < len(maps) && maps[i] != nil {
		return maps[i](err)
	}
	return mapError(err)
}

// commit sends what is pending with COMMIT. A transaction that never needed
// an answer goes as one implicit transaction, without BEGIN and COMMIT.
func (p *pipeTx) commit(ctx context.Context) error {
	err := p.commitPipelined(ctx)
	if err == nil {
		for _, fn := range p.after {
			fn()
		}
	}
	return err
}

func (p *pipeTx) commitPipelined(ctx context.Context) error {
	if p.conn == nil {
		return p.commitImplicit(ctx)
	}
	defer p.release()
	br, err := p.send(ctx, &pgx.QueuedQuery{SQL: "commit"})
	if err == nil {
		_, err = br.Exec()
		err = errors.Join(err, br.Close())
	}
	if err != nil {
		p.conn.Exec(context.WithoutCancel(ctx), "rollback")
		return mapError(err)
	}
	return nil
}

func (p *pipeTx) commitImplicit(ctx context.Context) error {
	if len(p.pending) == 0 {
		return nil
	}
	br := p.pool.SendBatch(ctx, &pgx.Batch{QueuedQueries: p.pending})
	defer br.Close()
	for i := range p.pending {
		if _, err := br.Exec(); err != nil {
			return mapQueued(err, p.maps, i)
		}
	}
	if err := br.Close(); err != nil {
		return mapError(err)
	}
	p.count.Commits.Add(1)
	return nil
}

func (p *pipeTx) rollback(ctx context.Context) {
	p.pending, p.maps, p.rows = nil, nil, nil
	if p.conn == nil {
		return
	}
	p.conn.Exec(ctx, "rollback")
	p.release()
}

func (p *pipeTx) release() {
	if p.conn != nil {
		p.conn.Release()
		p.conn = nil
	}
}

// flush sends BEGIN and the pending writes, if any are still to go.
func (p *pipeTx) flush(ctx context.Context) error {
	if p.conn != nil && len(p.pending) == 0 {
		return p.broken
	}
	br, err := p.send(ctx)
	if err != nil {
		return err
	}
	return mapError(br.Close())
}

// Exec runs a statement after everything pending, in the same round trip.
func (p *pipeTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	br, err := p.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	return tag, errors.Join(err, br.Close())
}

// Query runs a query after everything pending, in the same round trip.
func (p *pipeTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	br, err := p.send(ctx, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

// QueryRow is Query for one row.
func (p *pipeTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	rows, err := p.Query(ctx, sql, args...)
	return &oneRow{rows: rows, err: err}
}

// SendBatch sends b after everything pending, in the same round trip.
func (p *pipeTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	br, err := p.send(ctx, b.QueuedQueries...)
	if err != nil {
		return failedBatch{err}
	}
	return br
}

// CopyFrom flushes and copies on the transaction's connection.
func (p *pipeTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := p.flush(ctx); err != nil {
		return 0, err
	}
	return p.conn.CopyFrom(ctx, table, cols, src)
}

// Prepare flushes and prepares on the transaction's connection.
func (p *pipeTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := p.flush(ctx); err != nil {
		return nil, err
	}
	return p.conn.Conn().Prepare(ctx, name, sql)
}

// Begin starts a savepoint.
func (p *pipeTx) Begin(ctx context.Context) (pgx.Tx, error) {
	p.saves++
	sp := &savepoint{pipeTx: p, name: fmt.Sprintf("sp_%d", p.saves)}
	if _, err := p.Exec(ctx, "savepoint "+sp.name); err != nil {
		return nil, err
	}
	return sp, nil
}

// Commit commits the transaction (InTx does it; the job queue does not).
func (p *pipeTx) Commit(ctx context.Context) error { return p.commit(ctx) }

// Rollback rolls the transaction back.
func (p *pipeTx) Rollback(ctx context.Context) error {
	p.rollback(ctx)
	return nil
}

// LargeObjects are not used.
func (p *pipeTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

// Conn is the transaction's connection, once it has one.
func (p *pipeTx) Conn() *pgx.Conn {
	if p.conn == nil {
		return nil
	}
	return p.conn.Conn()
}

// savepoint is a nested transaction.
type savepoint struct {
	*pipeTx
	name string
}

func (s *savepoint) Commit(ctx context.Context) error {
	_, err := s.pipeTx.Exec(ctx, "release savepoint "+s.name)
	return err
}

func (s *savepoint) Rollback(ctx context.Context) error {
	_, err := s.pipeTx.Exec(ctx, "rollback to savepoint "+s.name)
	return err
}

// batchRows closes the batch when its rows are closed.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r *batchRows) Close() {
	r.Rows.Close()
	r.br.Close()
}

// oneRow scans the first row of a query, as pgx.Row does.
type oneRow struct {
	rows pgx.Rows
	err  error
}

func (r *oneRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// failedBatch answers every result with the error that kept the batch from
// being sent.
type failedBatch struct{ err error }

func (f failedBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, f.err }
func (f failedBatch) Query() (pgx.Rows, error)         { return nil, f.err }
func (f failedBatch) QueryRow() pgx.Row                { return &oneRow{err: f.err} }
func (f failedBatch) Close() error                     { return f.err }
func (f failedBatch) Tx() pgx.Tx                       { return nil }
