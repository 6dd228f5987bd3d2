package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
)

// Config tunes a Queue.
type Config struct {
	Workers      int           // concurrent jobs in this process
	PollInterval time.Duration // how often to look for new jobs where the database cannot notify (SQLite)
	Logger       *slog.Logger
	// Work reports whether this process works jobs; a process that only
	// enqueues (a CLI command) sets it false.
	Work bool
	// FastInsert inserts jobs that need no uniqueness check without reading
	// the inserted rows back (River's InsertManyFast). On SQLite that
	// nearly halves what an enqueue costs the writer; on PostgreSQL the
	// fast path is COPY, slower for the one or two jobs a change enqueues.
	FastInsert bool
}

const (
	// jobTimeout cancels a job that runs longer.
	jobTimeout = 5 * time.Minute
	// rescueAfter is when a job still marked running is taken to belong to
	// a node that died (SIGKILL, power loss) and is retried by another: no
	// live job runs past jobTimeout, so a minute more never runs one twice.
	// River's default, an hour, would leave a dead node's notifications
	// unsent that long.
	rescueAfter = jobTimeout + time.Minute
)

// Queue enqueues and works jobs. TTx is the backend's transaction type.
type Queue[TTx any] struct {
	client *river.Client[TTx]
	txFrom func(context.Context) (TTx, bool)
	fast   bool
}

// New returns a Queue over a River driver. txFrom extracts the transaction a
// storage backend carries in a context, so Enqueue joins it.
func New[TTx any](driver riverdriver.Driver[TTx], txFrom func(context.Context) (TTx, bool), reg *Registry, cfg Config) (*Queue[TTx], error) {
	rc := &river.Config{Logger: cfg.Logger, JobTimeout: jobTimeout, RescueStuckJobsAfter: rescueAfter}
	if cfg.Work {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: max(cfg.Workers, 1)}}
		rc.Workers = reg.workers
		rc.PeriodicJobs = reg.periodic
		if cfg.PollInterval > 0 {
			rc.FetchPollInterval = cfg.PollInterval
		}
	}
	client, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("create job queue: %w", err)
	}
	return &Queue[TTx]{client: client, txFrom: txFrom, fast: cfg.FastInsert}, nil
}

// Enqueue inserts a job inside the transaction carried by ctx, or on its own
// when ctx carries none.
func (q *Queue[TTx]) Enqueue(ctx context.Context, args Args, o *Options) error {
	var err error
	if q.fast && (o == nil || !o.UniqueByArgs) {
		err = q.insertFast(ctx, []river.InsertManyParams{{Args: args, InsertOpts: insertOpts(o)}})
	} else if tx, ok := q.txFrom(ctx); ok {
		_, err = q.client.InsertTx(ctx, tx, args, insertOpts(o))
	} else {
		_, err = q.client.Insert(ctx, args, insertOpts(o))
	}
	if err != nil {
		return fmt.Errorf("enqueue %s job: %w", args.Kind(), err)
	}
	return nil
}

// EnqueueMany inserts several jobs with default options in one statement,
// inside the transaction carried by ctx or on their own.
func (q *Queue[TTx]) EnqueueMany(ctx context.Context, args []Args) error {
	params := make([]river.InsertManyParams, len(args))
	for i, a := range args {
		params[i] = river.InsertManyParams{Args: a}
	}
	return q.insertMany(ctx, params)
}

// Timed is a job to run at (or after) a time.
type Timed struct {
	Args  Args
	RunAt time.Time
}

// EnqueueTimed inserts several jobs, each to run at its own time, in one
// statement, inside the transaction carried by ctx or on their own.
func (q *Queue[TTx]) EnqueueTimed(ctx context.Context, jobs []Timed) error {
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		params[i] = river.InsertManyParams{Args: j.Args, InsertOpts: &river.InsertOpts{ScheduledAt: j.RunAt}}
	}
	return q.insertMany(ctx, params)
}

func (q *Queue[TTx]) insertMany(ctx context.Context, params []river.InsertManyParams) error {
	if len(params) == 0 {
		return nil
	}
	var err error
	if q.fast {
		err = q.insertFast(ctx, params)
	} else if tx, ok := q.txFrom(ctx); ok {
		_, err = q.client.InsertManyTx(ctx, tx, params)
	} else {
		_, err = q.client.InsertMany(ctx, params)
	}
	if err != nil {
		return fmt.Errorf("enqueue %d jobs: %w", len(params), err)
	}
	return nil
}

// insertFast inserts jobs without reading them back, inside the
// transaction carried by ctx or on their own.
func (q *Queue[TTx]) insertFast(ctx context.Context, params []river.InsertManyParams) error {
	var err error
	if tx, ok := q.txFrom(ctx); ok {
		_, err = q.client.InsertManyFastTx(ctx, tx, params)
	} else {
		_, err = q.client.InsertManyFast(ctx, params)
	}
	return err
}

// Start begins working jobs.
func (q *Queue[TTx]) Start(ctx context.Context) error {
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for running ones until ctx ends; then
// it cancels them (they are retried later, by this or another node).
func (q *Queue[TTx]) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return q.client.StopAndCancel(context.WithoutCancel(ctx))
	}
	return err
}

// Waiting is a job that has not run yet.
type Waiting struct {
	Args  []byte // its arguments as JSON
	RunAt time.Time
}

// waitingStates are the states of a job that will still run.
var waitingStates = map[string]bool{"available": true, "scheduled": true, "retryable": true, "pending": true}

// Waiting lists the first 1000 jobs of kind that have not run yet, in the
// order they were enqueued: what a process (or a test) is about to do.
func (q *Queue[TTx]) Waiting(ctx context.Context, kind string) ([]Waiting, error) {
	res, err := q.client.JobList(ctx, river.NewJobListParams().Kinds(kind).First(1000))
	if err != nil {
		return nil, fmt.Errorf("list waiting %s jobs: %w", kind, err)
	}
	var out []Waiting
	for _, j := range res.Jobs {
		if waitingStates[string(j.State)] {
			out = append(out, Waiting{Args: j.EncodedArgs, RunAt: j.ScheduledAt})
		}
	}
	return out, nil
}
