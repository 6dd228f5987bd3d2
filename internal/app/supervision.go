package app

import (
	"context"
	"time"

	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/jobs"
	"openhall/internal/notify"
	"openhall/internal/supervision"
)

// addSupervision builds electronic supervision over the cases, the
// organisation and the calendar; with o.NoSupervision (a measurement's
// baseline) nothing is built and cases are not watched.
func (a *App) addSupervision(ctx context.Context, o Options) error {
	if o.NoSupervision {
		return nil
	}
	secret, err := a.secret(ctx, "supervision")
	if err != nil {
		return err
	}
	s := a.Services
	s.Supervision = supervision.NewService(supervision.Deps{Store: a.Stores.Supervision, Tx: a.Stores, Audit: s.Audit,
		Cases: a.Stores.Cases, Calendars: s.Calendar, Directory: s.Org, Items: onlineItems{s.Catalog},
		Notifier: staffNotifier{s.Notify}, Scheduler: supervisionTimers{a}, Heads: a.Stores.Audit, Secret: secret, Log: a.Log, Now: o.Now})
	s.Calendar.OnChange(s.Supervision.CalendarChanged)
	return a.registerContributedIndicators()
}

// caseWatcher is what the cases service tells of every change:
// supervision, unless it is off.
func (a *App) caseWatcher() cases.Watcher {
	if a.Services.Supervision == nil {
		return nil
	}
	return a.Services.Supervision
}

// onlineItems tells whether an item version is handled online.
type onlineItems struct{ c *catalog.Service }

func (i onlineItems) Online(ctx context.Context, versionID int64) (bool, error) {
	v, err := i.c.Version(ctx, versionID)
	if err != nil {
		return false, err
	}
	return v.Guide.Online, nil
}

// staffNotifier sends supervision's messages to staff: inbox and SMS.
type staffNotifier struct{ n *notify.Service }

func (s staffNotifier) NotifyStaff(ctx context.Context, users []int64, kind, title, body, link string, sms bool) error {
	for _, u := range users {
		if err := s.n.Post(ctx, notify.Message{UserID: u, Kind: kind, Title: title, Body: body, Link: link, SMS: sms}); err != nil {
			return err
		}
	}
	return nil
}

// Supervision's jobs.
type (
	// evaluateCards evaluates the cases that changed or crossed a threshold,
	// and escalates the 督办 past their deadline.
	evaluateCards struct{}
	// reevaluateCards evaluates every watched case (the calendar changed).
	reevaluateCards struct{}
	// publishAuditHead publishes the audit chain's end of the day.
	publishAuditHead struct{}
)

func (evaluateCards) Kind() string    { return "supervision.evaluate" }
func (reevaluateCards) Kind() string  { return "supervision.reevaluate" }
func (publishAuditHead) Kind() string { return "supervision.publish_audit_head" }

// evaluateEvery is how often the evaluator looks for due cases: the
// workbench is this fresh. The look is one read of an index.
const evaluateEvery = 2 * time.Second

// supervisionTimers puts supervision's timers on the job queue.
type supervisionTimers struct{ a *App }

func (t supervisionTimers) ScheduleReevaluation(ctx context.Context) error {
	return t.a.queue.Enqueue(ctx, reevaluateCards{}, &jobs.Options{UniqueByArgs: true})
}

func (a *App) registerSupervisionJobs(reg *jobs.Registry) {
	sv := a.Services.Supervision
	if sv == nil {
		return
	}
	jobs.Register(reg, func(ctx context.Context, _ evaluateCards) error {
		if _, err := sv.EvaluateDue(ctx); err != nil {
			return err
		}
		_, err := sv.EscalateDue(ctx)
		return err
	})
	reg.Every(evaluateEvery, evaluateCards{})
	jobs.Register(reg, func(ctx context.Context, _ reevaluateCards) error {
		n, err := sv.ReevaluateAll(ctx)
		a.Log.Info("re-evaluated supervised cases after a calendar change", "written", n)
		return err
	})
	jobs.Register(reg, func(ctx context.Context, _ publishAuditHead) error {
		_, err := sv.PublishHead(ctx)
		return err
	})
	reg.Every(24*time.Hour, publishAuditHead{})
}
