package app

import (
	"context"
	"time"

	"openhall/internal/blob"
	"openhall/internal/budget"
	"openhall/internal/jobs"
	"openhall/internal/opendata"
	"openhall/internal/opendata/sources"
)

// addOpenData builds the open data catalogue and budget disclosure, and
// registers the datasets the platform produces from its own modules. A
// module added later registers its own source here the same way.
func (a *App) addOpenData(o Options) {
	s, st := a.Services, a.Stores
	var files opendata.Files
	if s.Blobs != nil {
		files = blob.CSVFiles{Blobs: s.Blobs}
	}
	s.OpenData = opendata.NewService(opendata.Deps{Store: st.OpenData, Tx: st, Audit: s.Audit, Agencies: s.Disclosure,
		Calendars: s.Calendar, Files: files, Now: o.Now})
	s.Budget = budget.NewService(budget.Deps{Store: st.Budget, Tx: st, Audit: s.Audit, Disclosure: s.Disclosure,
		Calendars: s.Calendar, Changes: s.OpenData, Now: o.Now})
	base := a.Config.PublicURL
	for _, src := range []opendata.Source{
		sources.Catalog{Items: s.Catalog, BaseURL: base},
		sources.Documents{Agencies: s.Disclosure, Docs: s.Disclosure, BaseURL: base},
		sources.Reports{Agencies: s.Disclosure, Snapshots: st.OpenData},
		sources.Cases{Stats: st.OpenData, Departments: s.Org},
		sources.Budgets{Agencies: s.Disclosure, Sets: s.Budget},
		sources.Licences{Decisions: st.OpenData, Departments: s.Org},
		sources.Penalties{Register: s.Publicity},
		sources.Ratings{Figures: s.Ratings, Now: o.now()},
		sources.Complaints{Figures: s.Complaints, Now: o.now()},
	} {
		s.OpenData.Register(src)
	}
}

// regenerate is the job that runs the open data sources: all that are due
// (Source "", periodic), or one source at once after it reported a change.
type regenerate struct {
	Source string `json:"source"`
	Force  bool   `json:"force"`
}

func (regenerate) Kind() string { return "opendata.regenerate" }

// regenerateQueue puts a source's regeneration on the job queue.
type regenerateQueue struct{ a *App }

func (q regenerateQueue) EnqueueRegenerate(ctx context.Context, source string) error {
	return q.a.queue.Enqueue(ctx, regenerate{Source: source, Force: true}, &jobs.Options{UniqueByArgs: true})
}

func (a *App) registerOpenDataJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, j regenerate) error {
		res, err := a.Services.OpenData.Regenerate(ctx, j.Source, j.Force)
		if res.Versions > 0 || res.Withdrawn > 0 {
			a.Log.Info("regenerated open datasets", "source", j.Source, "checked", res.Checked, "versions", res.Versions,
				"withdrawn", res.Withdrawn)
		}
		return err
	})
	reg.Every(5*time.Minute, regenerate{})
}
