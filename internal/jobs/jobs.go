// Package jobs runs OpenHall's background work (deadline timers, warnings,
// notifications, clean-ups) on River (riverqueue), on both storage backends.
//
// A job is enqueued with Enqueue inside the transaction of the change that
// causes it, so the job exists if and only if the change committed. Domain
// packages do not import this package: they declare a one-method interface
// for Enqueue and define their job arguments as plain structs with a Kind;
// the app registers the handlers here.
package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// Args are a job's arguments; they are stored as JSON.
type Args interface{ Kind() string }

// Options tune one enqueue.
type Options struct {
	RunAt        time.Time // not before this time; zero = now
	MaxAttempts  int       // 0 = River's default (25, with exponential back-off)
	UniqueByArgs bool      // skip the insert while an identical job is pending
}

// Registry collects the handlers and periodic jobs of a process.
type Registry struct {
	workers  *river.Workers
	periodic []*river.PeriodicJob
	kinds    []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{workers: river.NewWorkers()} }

// Register adds the handler for jobs with arguments of type T. A handler
// returning an error is retried later; it must be idempotent, because a job
// whose process dies mid-run is run again.
func Register[T Args](r *Registry, handle func(ctx context.Context, args T) error) {
	river.AddWorker(r.workers, river.WorkFunc(func(ctx context.Context, j *river.Job[T]) error {
		return handle(ctx, j.Args)
	}))
	var zero T
	r.kinds = append(r.kinds, zero.Kind())
}

// Every enqueues args every interval on exactly one node of a cluster (River
// elects a leader for periodic jobs).
func (r *Registry) Every(interval time.Duration, args Args) {
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(interval),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{RunOnStart: true}))
}

// Kinds lists the registered job kinds.
func (r *Registry) Kinds() []string { return r.kinds }

func insertOpts(o *Options) *river.InsertOpts {
	if o == nil {
		return nil
	}
	io := &river.InsertOpts{ScheduledAt: o.RunAt, MaxAttempts: o.MaxAttempts}
	if o.UniqueByArgs {
		io.UniqueOpts = river.UniqueOpts{ByArgs: true}
	}
	return io
}
