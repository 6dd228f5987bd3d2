package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// JobsDriver is the job queue's driver: River's SQLite driver on the queue's
// own connection, with the statement behind every enqueue made cheaper.
// River's fast insert hands SQLite the jobs as one JSON document and takes
// each of twelve fields out of it with json_extract: 40 µs a job in
// BenchmarkJobInsert, and about 130 µs a job inside the one writer under the
// case load. The same rows are inserted here from bound parameters (18 µs). TestJobsDriverInsertsAsRiverDoes compares the two row by row,
// so a River upgrade that changes its table fails there first.
func (db *DB) JobsDriver() riverdriver.Driver[*sql.Tx] {
	return jobsDriver{riversqlite.New(db.jobs)}
}

type jobsDriver struct{ riverdriver.Driver[*sql.Tx] }

// SupportsListener is false: River's SQLite driver imitates LISTEN with an
// outbox table that its listener polls every 50 ms on the queue's one
// connection, and the client's start waits at most 5 s for that listener to
// subscribe ("timed out waiting for interrupt operation"), which a busy
// writer can exceed, failing the start. Without a listener River works in
// poll-only mode and, after an insert, wakes this process's own fetchers at
// once, which is all a single-process SQLite deployment needs.
func (jobsDriver) SupportsListener() bool { return false }

// SupportsListenNotify is false, so no insert writes a notification row
// that nothing reads into the writer's transaction.
func (jobsDriver) SupportsListenNotify() bool { return false }

func (d jobsDriver) UnwrapExecutor(tx *sql.Tx) riverdriver.ExecutorTx {
	return fastInsertTx{d.Driver.UnwrapExecutor(tx), tx}
}

// fastInsertTx is River's executor in a transaction with the fast insert
// replaced.
type fastInsertTx struct {
	riverdriver.ExecutorTx
	tx *sql.Tx
}

// JobInsertFastManyNoReturning inserts the jobs as River's statement does
// (same columns, same defaults, same uniqueness rule) and returns how many
// were inserted.
func (e fastInsertTx) JobInsertFastManyNoReturning(ctx context.Context, p *riverdriver.JobInsertFastManyParams) (int, error) {
	if p.Schema != "" || len(p.Jobs) == 0 || len(p.Jobs) > maxFastJobs {
		return e.ExecutorTx.JobInsertFastManyNoReturning(ctx, p)
	}
	args := make([]any, 0, len(p.Jobs)*jobColumns)
	for _, j := range p.Jobs {
		row, err := jobRow(j)
		if err != nil {
			return 0, err
		}
		args = append(args, row...)
	}
	res, err := e.tx.ExecContext(ctx, jobInsertSQL(len(p.Jobs)), args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// maxFastJobs bounds the statement's parameters well under SQLite's limit;
// larger batches (imports) take River's own statement.
const maxFastJobs = 64

const jobColumns = 12

// jobRow is one job's parameters in the order of jobInsertSQL's columns,
// encoded as River's driver encodes them (riversqlite's
// sqliteJobInsertFastManyJobsParam and timeString).
func jobRow(j *riverdriver.JobInsertFastParams) ([]any, error) {
	tags, err := json.Marshal(j.Tags)
	if err != nil {
		return nil, err
	}
	meta := j.Metadata
	if len(meta) == 0 {
		meta = []byte("{}")
	}
	var tagsArg, key, states any
	if j.Tags != nil { // River's statement stores no tags as NULL, which the table refuses
		tagsArg = string(tags)
	}
	if len(j.UniqueKey) > 0 {
		key = j.UniqueKey
	}
	if j.UniqueStates != 0 {
		states = int64(j.UniqueStates)
	}
	return []any{string(j.EncodedArgs), riverTime(j.CreatedAt), j.Kind, int64(j.MaxAttempts), string(meta),
		int64(j.Priority), j.Queue, riverTime(j.ScheduledAt), string(j.State), tagsArg, key, states}, nil
}

// riverTime is a time as River stores it in SQLite, or NULL for "now".
func riverTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Round(time.Millisecond).Format("2006-01-02 15:04:05.000")
}

// jobInsertSQL is the insert of n jobs; the conflict clause is River's.
func jobInsertSQL(n int) string {
	const row = `(jsonb(?), coalesce(?, datetime('now', 'subsec')), ?, ?, jsonb(?), ?, ?, coalesce(?, datetime('now', 'subsec')), ?, jsonb(?), ?, ?)`
	return `INSERT INTO river_job (args, created_at, kind, max_attempts, metadata, priority, queue, scheduled_at, state, tags, unique_key, unique_states)
VALUES ` + strings.TrimSuffix(strings.Repeat(row+", ", n), ", ") + `
ON CONFLICT (unique_key)
    WHERE unique_key IS NOT NULL
        AND unique_states IS NOT NULL
        AND CASE state
                WHEN 'available' THEN unique_states & (1 << 0)
                WHEN 'cancelled' THEN unique_states & (1 << 1)
                WHEN 'completed' THEN unique_states & (1 << 2)
                WHEN 'discarded' THEN unique_states & (1 << 3)
                WHEN 'pending'   THEN unique_states & (1 << 4)
                WHEN 'retryable' THEN unique_states & (1 << 5)
                WHEN 'running'   THEN unique_states & (1 << 6)
                WHEN 'scheduled' THEN unique_states & (1 << 7)
                ELSE 0
            END >= 1
DO NOTHING`
}
