package app

import (
	"context"
	"time"

	"openhall/internal/cases"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
	"openhall/internal/jobs"
	"openhall/internal/notify"
	"openhall/internal/rating"
)

// addRatings builds 好差评, complaints and the 12345 hand-off, and
// registers the hotline's kinds of ticket.
func (a *App) addRatings(ctx context.Context, o Options) error {
	linkKey, err := a.secret(ctx, "rating-link")
	if err != nil {
		return err
	}
	codeKey, err := a.secret(ctx, "complaint-query")
	if err != nil {
		return err
	}
	s, st := a.Services, a.Stores
	lookups := orgLookups{a}
	tell := teller{s.Notify}
	s.Ratings = rating.NewService(rating.Deps{Store: st.Ratings, Tx: st, Audit: s.Audit, Cases: caseLookups{a}, Windows: lookups,
		Orgs: lookups, Regions: s.Org, Users: st.Identity, Calendars: s.Calendar, Notifier: tell, Scheduler: ratingTimers{a},
		Secret: linkKey, PublicURL: a.Config.PublicURL, SMS: a.smsGateway() != nil, Now: o.Now})
	s.Hotline = hotline.NewService(st.Hotline, a.Config.HotlineToken)
	s.Hotline.SetClock(o.now())
	s.Complaints = complaint.NewService(complaint.Deps{Store: st.Complaints, Tx: st, Audit: s.Audit, Cases: caseLookups{a},
		Windows: lookups, Items: lookups, Orgs: complaintOrgs{lookups}, Users: st.Identity, Calendars: s.Calendar, Notifier: complaintTeller{tell},
		Scheduler: complaintTimers{a}, Throttle: complaintThrottle{lookupThrottle{st.Identity, a.Stores.Backend, o.now()}}, Hotline: hotlineAnswers{s.Hotline}, Secret: codeKey, Now: o.Now})
	s.Hotline.Register("complaint", complaint.HotlineReceiver{S: s.Complaints, Kind: complaint.KindComplaint})
	s.Hotline.Register("consultation", complaint.HotlineReceiver{S: s.Complaints, Kind: complaint.KindConsultation})
	return nil
}

// teller sends notes to people's inboxes (and by SMS when asked).
type teller struct{ n *notify.Service }

func (t teller) Tell(ctx context.Context, ids []int64, n rating.Note) error {
	for _, id := range ids {
		m := notify.Message{UserID: id, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link, SMS: n.SMS}
		if err := t.n.Post(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// complaintTeller sends the complaints' notes.
type complaintTeller struct{ teller }

func (t complaintTeller) Tell(ctx context.Context, ids []int64, n complaint.Note) error {
	return t.teller.Tell(ctx, ids, rating.Note(n))
}

// hotlineAnswers returns answers to the hotline's feed.
type hotlineAnswers struct{ h *hotline.Service }

func (h hotlineAnswers) ReturnAnswer(ctx context.Context, kind complaint.Kind, ticketNo, ref, text string, at time.Time) error {
	return h.h.Answer(ctx, &hotline.Answer{Kind: hotline.Kind(kind), TicketNo: ticketNo, Ref: ref, Text: text, AnsweredAt: at})
}

// complaintThrottle limits guesses of complaints' 查询码 like the progress
// lookup's.
type complaintThrottle struct{ lookupThrottle }

func (c complaintThrottle) LockedUntil(ctx context.Context, keys []string) (time.Time, error) {
	var until time.Time
	for _, k := range keys {
		t, err := c.s.FindThrottle(ctx, k)
		if err == nil && t.LockedUntil.After(until) {
			until = t.LockedUntil
		}
	}
	return until, nil
}

// closedCases tells ratings when a case closes, next to the applicant's
// notification: the invitation to rate and the default rating's timer.
type closedCases struct {
	caseNotifier
	ratings *rating.Service
}

func (c closedCases) NotifyCase(ctx context.Context, cs *cases.Case, e cases.Event) error {
	if err := c.caseNotifier.NotifyCase(ctx, cs, e); err != nil {
		return err
	}
	switch e.Kind {
	case cases.EventDecided, cases.EventRefused, cases.EventSupplementTimeout:
		if cs.Status == cases.StatusClosed {
			return c.ratings.CaseClosed(ctx, caseInfoOf(cs))
		}
	}
	return nil
}

// Job arguments of ratings.
type (
	defaultRating struct {
		CaseID int64 `json:"case_id"`
	}
	ticketCheck struct {
		TicketID int64 `json:"ticket_id"`
	}
	visitSMS struct {
		VisitID int64 `json:"visit_id"`
	}
)

func (defaultRating) Kind() string { return "rating.default" }
func (ticketCheck) Kind() string   { return "rating.ticket_check" }
func (visitSMS) Kind() string      { return "rating.visit_sms" }

// ratingTimers puts rating timers on the job queue.
type ratingTimers struct{ a *App }

func (t ratingTimers) ScheduleDefaultRating(ctx context.Context, caseID int64, at time.Time) error {
	return t.a.queue.Enqueue(ctx, defaultRating{CaseID: caseID}, &jobs.Options{RunAt: at})
}

func (t ratingTimers) ScheduleTicketCheck(ctx context.Context, ticketID int64, at time.Time) error {
	return t.a.queue.Enqueue(ctx, ticketCheck{TicketID: ticketID}, &jobs.Options{RunAt: at})
}

func (t ratingTimers) ScheduleVisitSMS(ctx context.Context, visitID int64) error {
	return t.a.queue.Enqueue(ctx, visitSMS{VisitID: visitID}, nil)
}

func (t ratingTimers) ScheduleTicketReminders(ctx context.Context, timers []rating.TicketTimer) error {
	list := make([]jobs.Timed, len(timers))
	for i, tm := range timers {
		list[i] = jobs.Timed{Args: tm.TicketReminder, RunAt: tm.At}
	}
	return t.a.queue.EnqueueTimed(ctx, list)
}

// complaintTimers puts the complaints' timers on the job queue.
type complaintTimers struct{ a *App }

func (t complaintTimers) ScheduleReminder(ctx context.Context, r complaint.Reminder, at time.Time) error {
	return t.a.queue.Enqueue(ctx, r, &jobs.Options{RunAt: at})
}

func (a *App) registerRatingJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, j defaultRating) error { return a.Services.Ratings.GiveDefault(ctx, j.CaseID) })
	jobs.Register(reg, func(ctx context.Context, j ticketCheck) error { return a.Services.Ratings.CheckTicket(ctx, j.TicketID) })
	jobs.Register(reg, func(ctx context.Context, j visitSMS) error {
		return a.Services.Ratings.SendVisitSMS(ctx, a.Services.Notify, j.VisitID)
	})
	jobs.Register(reg, func(ctx context.Context, r rating.TicketReminder) error {
		return a.Services.Ratings.RemindTicket(ctx, r)
	})
	jobs.Register(reg, func(ctx context.Context, r complaint.Reminder) error { return a.Services.Complaints.Remind(ctx, r) })
}
