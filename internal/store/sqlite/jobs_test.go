package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"openhall/internal/jobs"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

func migratedDB(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, Options{Path: filepath.Join(t.TempDir(), "j.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// sampleJobs covers every column the fast insert sets: default and given
// times, tags, metadata, a unique key with its states, and a second job of
// the same unique key, which the conflict rule skips.
func sampleJobs(kind string) []*riverdriver.JobInsertFastParams {
	at := time.Date(2026, 12, 31, 15, 59, 59, 123456789, time.FixedZone("CST", 8*3600))
	key := []byte("k-" + kind)
	return []*riverdriver.JobInsertFastParams{
		{EncodedArgs: []byte(`{"case_id": 7, "note": "受理\"通知\""}`), Kind: kind, MaxAttempts: 25, Priority: 1,
			Queue: "default", State: rivertype.JobStateAvailable, Tags: []string{}, CreatedAt: &at, ScheduledAt: &at},
		{EncodedArgs: []byte(`{}`), Kind: kind, MaxAttempts: 3, Priority: 2, Queue: "default",
			State: rivertype.JobStateScheduled, Tags: []string{"a", "b"}, Metadata: []byte(`{"m":1}`), CreatedAt: &at, ScheduledAt: &at,
			UniqueKey: key, UniqueStates: 0b1111_0101},
		{EncodedArgs: []byte(`{"again":true}`), Kind: kind, MaxAttempts: 3, Priority: 2, Queue: "default",
			State: rivertype.JobStateScheduled, Tags: []string{"c"}, CreatedAt: &at, ScheduledAt: &at, UniqueKey: key, UniqueStates: 0b1111_0101},
	}
}

// Jobs inserted by the fast statement are stored exactly as River's own
// statement stores them.
func TestJobsDriverInsertsAsRiverDoes(t *testing.T) {
	db := migratedDB(t)
	ctx := context.Background()
	insert := func(d riverdriver.Driver[*sql.Tx], kind string) int {
		var n int
		err := db.InTx(ctx, func(ctx context.Context) error {
			tx, _ := TxFromContext(ctx)
			var err error
			n, err = d.UnwrapExecutor(tx).JobInsertFastManyNoReturning(ctx, &riverdriver.JobInsertFastManyParams{Jobs: sampleJobs(kind)})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n, m := insert(riversqlite.New(db.jobs), "river"), insert(db.JobsDriver(), "fast"); n != 2 || m != 2 {
		t.Fatalf("inserted %d by River's statement, %d by the fast one; want 2 each (the third is a duplicate)", n, m)
	}
	river, fast := jobRows(t, db, "river"), jobRows(t, db, "fast")
	if !reflect.DeepEqual(river, fast) {
		t.Fatalf("the rows differ:\nRiver's: %v\nfast:    %v", river, fast)
	}
}

// jobRows reads every column but the id and the kind of the jobs of kind,
// in insertion order, as text.
func jobRows(t *testing.T, db *DB, kind string) [][]string {
	t.Helper()
	rows, err := db.jobs.Query(`SELECT * FROM river_job WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var row []string
		for i, c := range cols {
			if c != "id" && c != "kind" {
				row = append(row, fmt.Sprintf("%s=%v", c, jobValue(c, vals[i])))
			}
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		t.Fatalf("no job of kind %s", kind)
	}
	return out
}

// jobValue makes a column comparable; the unique key is made of the kind,
// so only its presence is compared.
func jobValue(col string, v any) any {
	if b, ok := v.([]byte); ok {
		if col == "unique_key" {
			return len(b) > 0
		}
		return string(b)
	}
	return v
}

// Jobs without given times are stamped now, as River's statement does.
func TestJobsDriverStampsNow(t *testing.T) {
	db := migratedDB(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(ctx context.Context) error {
		tx, _ := TxFromContext(ctx)
		_, err := db.JobsDriver().UnwrapExecutor(tx).JobInsertFastManyNoReturning(ctx, &riverdriver.JobInsertFastManyParams{
			Jobs: []*riverdriver.JobInsertFastParams{{EncodedArgs: []byte(`{}`), Kind: "now", MaxAttempts: 1, Priority: 1, Queue: "default",
				State: rivertype.JobStateAvailable, Tags: []string{}}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var created, scheduled time.Time
	if err := db.jobs.QueryRow(`SELECT created_at, scheduled_at FROM river_job WHERE kind = 'now'`).Scan(&created, &scheduled); err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{created, scheduled} {
		if time.Since(at).Abs() > time.Minute {
			t.Fatalf("stamped %v, want the current time", at)
		}
	}
}

// BenchmarkJobInsert compares River's fast insert with the driver's, one
// job a statement as a case's transition enqueues them, inside one
// transaction so that commits do not hide the statement's cost.
func BenchmarkJobInsert(b *testing.B) {
	for _, c := range []struct {
		name   string
		driver func(*DB) riverdriver.Driver[*sql.Tx]
	}{
		{"river", func(db *DB) riverdriver.Driver[*sql.Tx] { return riversqlite.New(db.jobs) }},
		{"driver", (*DB).JobsDriver},
	} {
		b.Run(c.name, func(b *testing.B) {
			db := migratedDB(b)
			d := c.driver(db)
			job := sampleJobs("bench")[0]
			err := db.InTx(context.Background(), func(ctx context.Context) error {
				tx, _ := TxFromContext(ctx)
				exec := d.UnwrapExecutor(tx)
				for b.Loop() {
					p := &riverdriver.JobInsertFastManyParams{Jobs: []*riverdriver.JobInsertFastParams{job}}
					if _, err := exec.JobInsertFastManyNoReturning(ctx, p); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}

type pingArgs struct{ N int }

func (pingArgs) Kind() string { return "ping" }

// A job enqueued in the writer's transaction is worked by polling, and no
// notification row is written for it: the queue runs without River's
// imitated LISTEN, whose start could time out on a busy database.
func TestJobsWorkedWithoutNotifications(t *testing.T) {
	db := migratedDB(t)
	ctx := context.Background()
	worked := make(chan int, 1)
	reg := jobs.NewRegistry()
	jobs.Register(reg, func(_ context.Context, a pingArgs) error { worked <- a.N; return nil })
	q, err := jobs.New(db.JobsDriver(), TxFromContext, reg, jobs.Config{Work: true, PollInterval: 200 * time.Millisecond, FastInsert: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	if err := db.InTx(ctx, func(ctx context.Context) error { return q.Enqueue(ctx, pingArgs{N: 7}, nil) }); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-worked:
		if n != 7 {
			t.Fatalf("worked %d, want 7", n)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the job was not worked within 30 s")
	}
	var notes int
	if err := db.jobs.QueryRow(`SELECT count(*) FROM river_notification`).Scan(&notes); err != nil || notes != 0 {
		t.Fatalf("%d notification rows (%v), want none", notes, err)
	}
}
