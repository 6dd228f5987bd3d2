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

func (a *App) registerDisclosureJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, _ sweepRequests) error {
		n, err := a.Services.Disclosure.SweepRequests(ctx)
		if n > 0 {
			a.Log.Info("closed lapsed disclosure requests", "count", n)
		}
		return err
	})
	reg.Every(time.Hour, sweepRequests{})
}
