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
type maintainSearch struct{}

func (maintainSearch) Kind() string { return "disclosure.maintain_search" }

// searchMaintainer is what both backends' search stores offer.
type searchMaintainer interface {
	MaintainSearch(ctx context.Context) (more bool, err error)
}

func (a *App) registerDisclosureJobs(reg *jobs.Registry) {
	if m, ok := a.Stores.Search.(searchMaintainer); ok {
		jobs.Register(reg, func(ctx context.Context, _ maintainSearch) error {
			_, err := m.MaintainSearch(ctx)
			return err
		})
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
