package app

import (
	"context"
	"time"

	"openhall/internal/jobs"
)

// sweepRequests is the periodic job that closes the disclosure requests
// whose applicant let the 补正 or payment deadline pass.
type sweepRequests struct{}

func (sweepRequests) Kind() string { return "disclosure.sweep_requests" }

// maintainSearch is the periodic job that keeps the search index compact.
// Each node runs it on its own index: the job only reads the database.
type maintainSearch struct{}

func (maintainSearch) Kind() string { return "disclosure.maintain_search" }

// searchCompactor is what the search engine offers: dropping the postings
// of replaced and removed items from its in-memory index.
type searchCompactor interface {
	Compact(ctx context.Context) error
}

func (a *App) registerDisclosureJobs(reg *jobs.Registry) {
	if c, ok := a.Services.Disclosure.Search().(searchCompactor); ok {
		jobs.Register(reg, func(ctx context.Context, _ maintainSearch) error { return c.Compact(ctx) })
		reg.Every(10*time.Minute, maintainSearch{})
	}
	jobs.Register(reg, func(ctx context.Context, _ sweepRequests) error {
		n, err := a.Services.Disclosure.SweepRequests(ctx)
		if n > 0 {
			a.Log.Info("closed lapsed disclosure requests", "count", n)
		}
		return err
	})
	reg.Every(time.Hour, sweepRequests{})
}
