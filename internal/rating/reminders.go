package rating

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
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

// clock returns the ticket's clock of name measured in cl, and the start
// of its current run.
func (t *Ticket) clock(cl TicketClocks, name TicketClock) (workclock.Clock, time.Time) {
	if name == ClockCallback {
		return cl.Callback, t.OpenedAt
	}
	run := t.OpenedAt
	for _, p := range t.appeals() {
		if !p.To.IsZero() {
			run = p.To
		}
	}
	return cl.Rectify, run
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
	for _, tm := range timers {
		if err := s.d.Scheduler.ScheduleTicketReminder(ctx, tm.TicketReminder, tm.At); err != nil {
			return err
		}
	}
	return nil
}

// TicketTimer is a ticket reminder and when its job runs.
type TicketTimer struct {
	TicketReminder
	At time.Time
}

// TicketReminderTimers are the timers of the named clocks' current runs
// at now: one at the moment each will turn yellow (none for one yellow
// from its start) and one at the moment it will turn red, on cal. A clock
// not running (the 回访 of an anonymous review), met or paused by an
// appeal has none. While a moment is provisional the timer runs a day
// from now at the latest, and looks again daily.
func TicketReminderTimers(t *Ticket, cal *calendar.Calendar, now time.Time, names ...TicketClock) ([]TicketTimer, error) {
	cl, err := ComputeTicketClocks(t, cal, now)
	if err != nil {
		return nil, err
	}
	var out []TicketTimer
	for _, name := range names {
		k, run := t.clock(cl, name)
		var pauses []workclock.Span
		if name == ClockRectify {
			pauses = t.appeals()
		}
		// Not k.Paused: at the very moment an appeal ends, Measure still
		// counts the clock paused.
		if !k.Started || k.Met || appealing(pauses) {
			continue
		}
		turns, err := workclock.Next(cal, k.Days, k.Start, pauses)
		if err != nil {
			return nil, err
		}
		for _, w := range []workclock.Warning{workclock.WarnYellow, workclock.WarnRed} {
			at := turns.Red
			if w == workclock.WarnYellow {
				at = turns.Yellow
			}
			if !at.IsZero() {
				r := TicketReminder{TicketID: t.ID, Clock: name, Run: run.UnixMicro(), Warning: w}
				out = append(out, TicketTimer{TicketReminder: r, At: checkAt(at, turns.Provisional != 0, now)})
			}
		}
	}
	return out, nil
}

// appealing reports whether the last pause lasts.
func appealing(pauses []workclock.Span) bool {
	return len(pauses) > 0 && pauses[len(pauses)-1].To.IsZero()
}

// RemindTicket is the ticket reminder's handler. It reads the ticket again
// and tells only if the clock is still on the same run, running and
// showing the warning now; a timer of a clock met, paused or resumed since
// does nothing, one early (the calendar moved the turn, or it is
// provisional) sets itself again, and one run twice tells once.
func (s *Service) RemindTicket(ctx context.Context, r TicketReminder) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.d.Store.LoadTicket(ctx, r.TicketID, true)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		cl, err := s.clocks(t)
		if err != nil {
			return err
		}
		k, run := t.clock(cl, r.Clock)
		switch {
		case !k.Started || k.Met || k.Paused || run.UnixMicro() != r.Run:
			return nil // stale
		case k.Warning.Rank() < r.Warning.Rank():
			return s.remindTicketLater(ctx, t, r)
		case k.Warning != r.Warning:
			return nil // red already: the red timer tells
		}
		sent, err := s.ticketReminded(ctx, r)
		if err != nil || sent {
			return err
		}
		return s.sendTicketReminder(ctx, t, k, r)
	})
}

// remindTicketLater sets the timer again for the turn as the calendar now
// says.
func (s *Service) remindTicketLater(ctx context.Context, t *Ticket, r TicketReminder) error {
	cal, err := s.calendarFor(t.RegionPath)
	if err != nil {
		return err
	}
	days, pauses := t.CallbackDays, []workclock.Span(nil)
	if r.Clock == ClockRectify {
		days, pauses = t.RectifyDays, t.appeals()
	}
	turns, err := workclock.Next(cal, days, t.OpenedAt, pauses)
	if err != nil || !turns.Known() {
		return err
	}
	at := turns.Red
	if r.Warning == workclock.WarnYellow {
		at = turns.Yellow
	}
	if at.IsZero() {
		return nil
	}
	if next := s.d.Now().Add(time.Minute); at.Before(next) {
		at = next
	}
	return s.d.Scheduler.ScheduleTicketReminder(ctx, r, checkAt(at, turns.Provisional != 0, s.d.Now()))
}

// ticketReminderRecord is what the audit log keeps of a reminder sent.
type ticketReminderRecord struct {
	Ticket      int64             `json:"ticket"`
	Clock       TicketClock       `json:"clock"`
	Run         int64             `json:"run"`
	Warning     workclock.Warning `json:"warning"`
	Due         string            `json:"due"`
	Provisional int               `json:"provisional_year,omitempty"`
	Told        int               `json:"told"` // how many people
}

// ticketReminded reports whether the reminder was sent already: its audit
// entry exists. The ticket's row is locked, so a concurrent run waits and
// then sees the first one's entry.
func (s *Service) ticketReminded(ctx context.Context, r TicketReminder) (bool, error) {
	es, err := s.d.Audit.Find(ctx, audit.Filter{ObjectType: "rating_ticket", ObjectID: strconv.FormatInt(r.TicketID, 10),
		Action: ticketReminderAction, Limit: 500})
	if err != nil {
		return false, err
	}
	for _, e := range es {
		var rec ticketReminderRecord
		if json.Unmarshal(e.Detail, &rec) == nil && rec.Clock == r.Clock && rec.Run == r.Run && rec.Warning == r.Warning {
			return true, nil
		}
	}
	return false, nil
}

// sendTicketReminder tells the ticket's handlers its number, the clock and
// its due date, and records it in the audit log.
func (s *Service) sendTicketReminder(ctx context.Context, t *Ticket, k workclock.Clock, r TicketReminder) error {
	ids, err := s.d.Store.DepartmentStaff(ctx, t.DepartmentID, t.RegionPath, handlerRoles(t))
	if err != nil {
		return err
	}
	what := map[TicketClock]string{ClockCallback: "回访评价人", ClockRectify: "整改或解释说明并向评价人反馈"}[r.Clock]
	state, ask := "即将到期", "请在到期前"+what+"。"
	if r.Warning == workclock.WarnRed {
		state, ask = "已超期", "已超过期限，请立即"+what+"。"
	}
	n := Note{Kind: "rating.ticket.reminder", Link: fmt.Sprintf("/staff/ratings/tickets/%d", t.ID),
		Title: fmt.Sprintf("差评整改工单 %d：%s%s", t.ID, r.Clock.Label(), state),
		Body:  fmt.Sprintf("%s（%d 个工作日）：%s。%s", r.Clock.Label(), k.Days, k.Text(), ask)}
	if len(ids) > 0 {
		if err := s.d.Notifier.Tell(ctx, ids, n); err != nil {
			return err
		}
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: audit.System, Scope: "region:" + t.RegionPath, Action: ticketReminderAction,
		ObjectType: "rating_ticket", ObjectID: strconv.FormatInt(t.ID, 10),
		Change: ticketReminderRecord{Ticket: t.ID, Clock: r.Clock, Run: r.Run, Warning: r.Warning, Due: k.Due.String(),
			Provisional: k.Provisional, Told: len(ids)}})
}
