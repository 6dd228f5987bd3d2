package complaint

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/remind"
	"openhall/internal/workclock"
)

// ClockName names one of a complaint's clocks.
type ClockName string

// Clock names.
const (
	ClockAccept     ClockName = "accept"
	ClockDepartment ClockName = "department"
	ClockAnswer     ClockName = "answer"
	ClockDesk       ClockName = "desk"
)

var clockNames = []ClockName{ClockAccept, ClockDepartment, ClockAnswer, ClockDesk}

// Get returns the clock of name.
func (c Clocks) Get(name ClockName) workclock.Clock {
	switch name {
	case ClockAccept:
		return c.Accept
	case ClockDepartment:
		return c.Department
	case ClockAnswer:
		return c.Answer
	}
	return c.Desk
}

// Label names the clock of name as the complaint's page does.
func (c Clocks) Label(name ClockName) string {
	switch name {
	case ClockAccept:
		return "受理时限"
	case ClockDepartment:
		return "承办部门办理时限"
	case ClockAnswer:
		return "答复投诉人时限"
	}
	return c.DeskLabel() + "时限"
}

// Reminder is the timer job of one warning of one clock run: it tells
// whoever must act when the clock turns yellow or red.
type Reminder struct {
	ComplaintID int64     `json:"complaint_id"`
	Clock       ClockName `json:"clock"`
	// Run is the clock's start (Unix microseconds): a clock started again
	// (a new 转办, a return, a reopening) is another run, and the timers of
	// the earlier one find nothing to tell.
	Run     int64             `json:"run"`
	Warning workclock.Warning `json:"warning"` // yellow or red
}

// Kind names the job.
func (Reminder) Kind() string { return "complaint.reminder" }

// reminderAction is the audit action that records a reminder sent; it is
// also what makes a timer run twice tell once.
const reminderAction = "complaint.reminder"

// key names the reminder in the audit log.
func (r Reminder) key() remind.Key {
	return remind.Key{Clock: string(r.Clock), Run: r.Run, Warning: r.Warning}
}

// planReminders schedules, inside the change's transaction, the yellow and
// red reminders of every clock that the events evs started or started
// again (ReminderTimers).
func (s *Service) planReminders(ctx context.Context, c *Complaint, evs []Event) error {
	cal, err := s.d.Calendars.ForRegion(c.RegionPath)
	if err != nil {
		return err
	}
	timers, err := ReminderTimers(c, cal, s.d.Now(), evs)
	if err != nil {
		return err
	}
	for _, tm := range timers {
		if err := s.d.Scheduler.ScheduleReminder(ctx, tm.Reminder, tm.At); err != nil {
			return err
		}
	}
	return nil
}

// Timer is a reminder and when its job runs.
type Timer struct {
	Reminder
	At time.Time
}

// ReminderTimers are the timers of the clocks that the events evs, just
// applied to c at now, started or started again (workclock.Timers): for
// each, one at the moment it will turn yellow (none for a clock yellow
// from its start) and one at the moment it will turn red, on cal.
func ReminderTimers(c *Complaint, cal *calendar.Calendar, now time.Time, evs []Event) ([]Timer, error) {
	cl, err := ComputeClocks(c, cal, now)
	if err != nil {
		return nil, err
	}
	var out []Timer
	for _, name := range clockNames {
		k := cl.Get(name)
		if !startedBy(k.Start, evs) {
			continue
		}
		ts, err := workclock.Timers(cal, k, nil, now)
		if err != nil {
			return nil, err
		}
		for _, tm := range ts {
			r := Reminder{ComplaintID: c.ID, Clock: name, Run: k.Start.UnixMicro(), Warning: tm.Warning}
			out = append(out, Timer{Reminder: r, At: tm.At})
		}
	}
	return out, nil
}

func startedBy(start time.Time, evs []Event) bool {
	for _, e := range evs {
		if e.At.Equal(start) {
			return true
		}
	}
	return false
}

// Remind is the reminder timer's handler. It reads the complaint again and
// tells only if the clock is still on the same run and shows the warning
// now; a timer of a clock met or started again since does nothing, one
// early (the calendar moved the turn, or it is provisional) sets itself
// again, and one run twice tells once (remind.Check).
func (s *Service) Remind(ctx context.Context, r Reminder) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.d.Store.LoadComplaint(ctx, r.ComplaintID, true)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		ck, cl, err := s.reminderCheck(c, r)
		if err != nil {
			return err
		}
		later := func(at time.Time) error { return s.d.Scheduler.ScheduleReminder(ctx, r, at) }
		return ck.Do(ctx, s.d.Audit, later, func() error { return s.sendReminder(ctx, c, cl, ck, r) })
	})
}

// reminderCheck is the reminder's clock as the complaint c stands now.
func (s *Service) reminderCheck(c *Complaint, r Reminder) (remind.Check, Clocks, error) {
	cal, err := s.d.Calendars.ForRegion(c.RegionPath)
	if err != nil {
		return remind.Check{}, Clocks{}, err
	}
	now := s.d.Now()
	cl, err := ComputeClocks(c, cal, now)
	if err != nil {
		return remind.Check{}, Clocks{}, err
	}
	k := cl.Get(r.Clock)
	o := remind.Object{Type: "complaint", ID: c.ID, Scope: "region:" + c.RegionPath, Action: reminderAction}
	return remind.Check{Key: r.key(), Object: o, Clock: k, Run: k.Start, Cal: cal, Now: now}, cl, nil
}

// reminderRecord is what the audit log keeps of a reminder sent.
type reminderRecord struct {
	Number string `json:"number"`
	remind.Sent
}

// sendReminder tells whoever must act (the desk, or for the department's
// clock the department's staff) the complaint's number, the clock and its
// due date, never who complained, and records it in the audit log.
func (s *Service) sendReminder(ctx context.Context, c *Complaint, cl Clocks, ck remind.Check, r Reminder) error {
	dept, roles := int64(0), []identity.Role{identity.RoleSupervisor}
	if r.Clock == ClockDepartment {
		dept, roles = c.DepartmentID, []identity.Role{identity.RoleApprover, identity.RoleDeptHead}
	}
	ids, err := s.d.Store.DepartmentStaff(ctx, dept, c.RegionPath, roles)
	if err != nil {
		return err
	}
	label := cl.Label(r.Clock)
	n := Note{Kind: "complaint.reminder", Link: fmt.Sprintf("/complaints/%d", c.ID),
		Title: fmt.Sprintf("%s %s：%s%s", c.Kind.Label(), c.Number, label, r.Warning.Label()),
		Body:  remind.Body(label, ck.Clock, r.Warning, reminderAsks[r.Clock])}
	if len(ids) > 0 {
		if err := s.d.Notifier.Tell(ctx, ids, n); err != nil {
			return err
		}
	}
	return ck.Record(ctx, s.d.Audit, reminderRecord{Number: c.Number, Sent: ck.Sent(len(ids))})
}

// reminderAsks says what to do about each clock.
var reminderAsks = map[ClockName]string{ClockAccept: "受理或说明不予受理的理由", ClockDepartment: "答复受理机构或退回",
	ClockAnswer: "答复投诉人", ClockDesk: "转办或答复"}
