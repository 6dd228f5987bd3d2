package rating

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/remind"
	"openhall/internal/workclock"
)

// TicketClock names one of a ticket's clocks.
type TicketClock string

// Ticket clocks.
const (
	ClockCallback TicketClock = "callback" // 回访
	ClockRectify  TicketClock = "rectify"  // 整改 and 反馈
)

// Label is the clock's name as the ticket's page shows it.
func (c TicketClock) Label() string {
	if c == ClockCallback {
		return "回访时限"
	}
	return "整改反馈时限"
}

// TicketReminder is the timer job of one warning of one run of a ticket's
// clock: it tells the department that handles the ticket when the clock
// turns yellow or red.
type TicketReminder struct {
	TicketID int64       `json:"ticket_id"`
	Clock    TicketClock `json:"clock"`
	// Run is when the clock (re)started, Unix microseconds: the opening,
	// or for 整改 the end of the last appeal that paused it. A resumed
	// clock is another run, with timers of its own.
	Run     int64             `json:"run"`
	Warning workclock.Warning `json:"warning"` // yellow or red
}

// Kind names the job.
func (TicketReminder) Kind() string { return "rating.ticket_reminder" }

// ticketReminderAction is the audit action that records a reminder sent;
// it is also what makes a timer run twice tell once.
const ticketReminderAction = "rating.ticket.reminder"

// key names the reminder in the audit log.
func (r TicketReminder) key() remind.Key {
	return remind.Key{Clock: string(r.Clock), Run: r.Run, Warning: r.Warning}
}

// clock returns the ticket's clock of name measured in cl, the start of
// its current run, and its pauses (the appeals, for 整改).
func (t *Ticket) clock(cl TicketClocks, name TicketClock) (workclock.Clock, time.Time, []workclock.Span) {
	if name == ClockCallback {
		return cl.Callback, t.OpenedAt, nil
	}
	run, pauses := t.OpenedAt, t.appeals()
	for _, p := range pauses {
		if !p.To.IsZero() {
			run = p.To
		}
	}
	return cl.Rectify, run, pauses
}

// planTicketReminders schedules, in the caller's transaction, the yellow
// and red reminders of the named clocks' current runs
// (TicketReminderTimers).
func (s *Service) planTicketReminders(ctx context.Context, t *Ticket, names ...TicketClock) error {
	cal, err := s.calendarFor(t.RegionPath)
	if err != nil {
		return err
	}
	timers, err := TicketReminderTimers(t, cal, s.d.Now(), names...)
	if err != nil {
		return err
	}
	return s.d.Scheduler.ScheduleTicketReminders(ctx, timers)
}

// TicketTimer is a ticket reminder and when its job runs.
type TicketTimer struct {
	TicketReminder
	At time.Time
}

// TicketReminderTimers are the timers of the named clocks' current runs
// at now (workclock.Timers): one at the moment each will turn yellow (none
// for one yellow from its start) and one at the moment it will turn red,
// on cal. A clock not running (the 回访 of an anonymous review), met or
// paused by an appeal still being decided has none.
func TicketReminderTimers(t *Ticket, cal *calendar.Calendar, now time.Time, names ...TicketClock) ([]TicketTimer, error) {
	cl, err := ComputeTicketClocks(t, cal, now)
	if err != nil {
		return nil, err
	}
	var out []TicketTimer
	for _, name := range names {
		k, run, pauses := t.clock(cl, name)
		ts, err := workclock.Timers(cal, k, pauses, now)
		if err != nil {
			return nil, err
		}
		for _, tm := range ts {
			r := TicketReminder{TicketID: t.ID, Clock: name, Run: run.UnixMicro(), Warning: tm.Warning}
			out = append(out, TicketTimer{TicketReminder: r, At: tm.At})
		}
	}
	return out, nil
}

// RemindTicket is the ticket reminder's handler. It reads the ticket again
// and tells only if the clock is still on the same run, running and
// showing the warning now; a timer of a clock met, paused or resumed since
// does nothing, one early (the calendar moved the turn, or it is
// provisional) sets itself again, and one run twice tells once
// (remind.Check).
func (s *Service) RemindTicket(ctx context.Context, r TicketReminder) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.d.Store.LoadTicket(ctx, r.TicketID, true)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ck, err := s.ticketReminderCheck(t, r)
		if err != nil {
			return err
		}
		later := func(at time.Time) error {
			return s.d.Scheduler.ScheduleTicketReminders(ctx, []TicketTimer{{TicketReminder: r, At: at}})
		}
		return ck.Do(ctx, s.d.Audit, later, func() error { return s.sendTicketReminder(ctx, t, ck, r) })
	})
}

// ticketReminderCheck is the reminder's clock as the ticket t stands now.
func (s *Service) ticketReminderCheck(t *Ticket, r TicketReminder) (remind.Check, error) {
	cal, err := s.calendarFor(t.RegionPath)
	if err != nil {
		return remind.Check{}, err
	}
	now := s.d.Now()
	cl, err := ComputeTicketClocks(t, cal, now)
	if err != nil {
		return remind.Check{}, err
	}
	k, run, pauses := t.clock(cl, r.Clock)
	o := remind.Object{Type: "rating_ticket", ID: t.ID, Scope: "region:" + t.RegionPath, Action: ticketReminderAction}
	return remind.Check{Key: r.key(), Object: o, Clock: k, Run: run, Pauses: pauses, Cal: cal, Now: now}, nil
}

// ticketReminderRecord is what the audit log keeps of a reminder sent.
type ticketReminderRecord struct {
	Ticket int64 `json:"ticket"`
	remind.Sent
}

// sendTicketReminder tells the ticket's handlers its number, the clock and
// its due date, and records it in the audit log.
func (s *Service) sendTicketReminder(ctx context.Context, t *Ticket, ck remind.Check, r TicketReminder) error {
	ids, err := s.d.Store.DepartmentStaff(ctx, t.DepartmentID, t.RegionPath, handlerRoles(t))
	if err != nil {
		return err
	}
	n := Note{Kind: "rating.ticket.reminder", Link: fmt.Sprintf("/staff/ratings/tickets/%d", t.ID),
		Title: fmt.Sprintf("差评整改工单 %d：%s%s", t.ID, r.Clock.Label(), r.Warning.Label()),
		Body:  remind.Body(r.Clock.Label(), ck.Clock, r.Warning, ticketReminderAsks[r.Clock])}
	if len(ids) > 0 {
		if err := s.d.Notifier.Tell(ctx, ids, n); err != nil {
			return err
		}
	}
	return ck.Record(ctx, s.d.Audit, ticketReminderRecord{Ticket: t.ID, Sent: ck.Sent(len(ids))})
}

// ticketReminderAsks says what to do about each clock.
var ticketReminderAsks = map[TicketClock]string{ClockCallback: "回访评价人", ClockRectify: "整改或解释说明并向评价人反馈"}
