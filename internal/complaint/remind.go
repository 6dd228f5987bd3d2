package complaint

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
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
// applied to c at now, started or started again: for each, one at the
// moment it will turn yellow (none for a clock yellow from its start) and
// one at the moment it will turn red, on cal. While a moment is
// provisional the timer runs a day from now at the latest, and looks
// again daily (checkAt).
func ReminderTimers(c *Complaint, cal *calendar.Calendar, now time.Time, evs []Event) ([]Timer, error) {
	cl, err := ComputeClocks(c, cal, now)
	if err != nil {
		return nil, err
	}
	var out []Timer
	for _, name := range clockNames {
		k := cl.Get(name)
		if !k.Started || k.Met || !startedBy(k.Start, evs) {
			continue
		}
		turns, err := workclock.Next(cal, k.Days, k.Start, nil)
		if err != nil {
			return nil, err
		}
		for _, w := range []workclock.Warning{workclock.WarnYellow, workclock.WarnRed} {
			if at := turnAt(turns, w); !at.IsZero() {
				r := Reminder{ComplaintID: c.ID, Clock: name, Run: k.Start.UnixMicro(), Warning: w}
				out = append(out, Timer{Reminder: r, At: checkAt(at, turns.Provisional, now)})
			}
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

// turnAt is when the clock turns w (zero: it does not).
func turnAt(t workclock.Turns, w workclock.Warning) time.Time {
	if w == workclock.WarnRed {
		return t.Red
	}
	return t.Yellow
}

// checkAt is when a timer for a turn at at runs: then, or, while the turn
// is provisional (reaches a year whose holiday schedule is not imported),
// a day from now at the latest and again daily, so that it follows the
// schedule once imported, whichever way that moves the turn.
func checkAt(at time.Time, provisional int, now time.Time) time.Time {
	if provisional != 0 && at.After(now.Add(24*time.Hour)) {
		return now.Add(24 * time.Hour)
	}
	return at
}

// Remind is the reminder timer's handler. It reads the complaint again and
// tells only if the clock is still on the same run and shows the warning
// now; a timer of a clock met or started again since does nothing, one
// early (the calendar moved the turn, or it is provisional) sets itself
// again, and one run twice tells once.
func (s *Service) Remind(ctx context.Context, r Reminder) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.d.Store.LoadComplaint(ctx, r.ComplaintID, true)
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		cal, err := s.d.Calendars.ForRegion(c.RegionPath)
		if err != nil {
			return err
		}
		now := s.d.Now()
		cl, err := ComputeClocks(c, cal, now)
		if err != nil {
			return err
		}
		k := cl.Get(r.Clock)
		switch {
		case !k.Started || k.Met || k.Start.UnixMicro() != r.Run:
			return nil // stale: met, or started again with timers of its own
		case k.Warning.Rank() < r.Warning.Rank():
			return s.remindLater(ctx, cal, k, r, now)
		case k.Warning != r.Warning:
			return nil // red already: the red timer tells
		}
		sent, err := s.reminded(ctx, r)
		if err != nil || sent {
			return err
		}
		return s.sendReminder(ctx, c, cl, r)
	})
}

// remindLater sets the timer again for the turn as the calendar now says.
func (s *Service) remindLater(ctx context.Context, cal *calendar.Calendar, k workclock.Clock, r Reminder, now time.Time) error {
	turns, err := workclock.Next(cal, k.Days, k.Start, nil)
	if err != nil {
		return err
	}
	at := turnAt(turns, r.Warning)
	if at.IsZero() {
		return nil
	}
	return s.d.Scheduler.ScheduleReminder(ctx, r, checkAt(maxTime(at, now.Add(time.Minute)), turns.Provisional, now))
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// reminderRecord is what the audit log keeps of a reminder sent.
type reminderRecord struct {
	Number      string            `json:"number"`
	Clock       ClockName         `json:"clock"`
	Run         int64             `json:"run"`
	Warning     workclock.Warning `json:"warning"`
	Due         string            `json:"due"`
	Provisional int               `json:"provisional_year,omitempty"`
	Told        int               `json:"told"` // how many people
}

// reminded reports whether the reminder was sent already: its audit entry
// exists. The complaint's row is locked, so a concurrent run waits here
// and then sees the first one's entry.
func (s *Service) reminded(ctx context.Context, r Reminder) (bool, error) {
	es, err := s.d.Audit.Find(ctx, audit.Filter{ObjectType: "complaint", ObjectID: strconv.FormatInt(r.ComplaintID, 10), Action: reminderAction, Limit: 500})
	if err != nil {
		return false, err
	}
	for _, e := range es {
		var rec reminderRecord
		if json.Unmarshal(e.Detail, &rec) == nil && rec.Clock == r.Clock && rec.Run == r.Run && rec.Warning == r.Warning {
			return true, nil
		}
	}
	return false, nil
}

// sendReminder tells whoever must act (the desk, or for the department's
// clock the department's staff) the complaint's number, the clock and its
// due date, never who complained, and records it in the audit log.
func (s *Service) sendReminder(ctx context.Context, c *Complaint, cl Clocks, r Reminder) error {
	k := cl.Get(r.Clock)
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
		Title: fmt.Sprintf("%s %s：%s%s", c.Kind.Label(), c.Number, label, map[workclock.Warning]string{workclock.WarnYellow: "即将到期", workclock.WarnRed: "已超期"}[r.Warning]),
		Body:  fmt.Sprintf("%s（%d 个工作日）：%s。%s", label, k.Days, k.Text(), reminderAsk(r))}
	if len(ids) > 0 {
		if err := s.d.Notifier.Tell(ctx, ids, n); err != nil {
			return err
		}
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: audit.System, Scope: "region:" + c.RegionPath, Action: reminderAction,
		ObjectType: "complaint", ObjectID: strconv.FormatInt(c.ID, 10),
		Change: reminderRecord{Number: c.Number, Clock: r.Clock, Run: r.Run, Warning: r.Warning, Due: k.Due.String(), Provisional: k.Provisional, Told: len(ids)}})
}

// reminderAsk says what to do about the clock.
func reminderAsk(r Reminder) string {
	what := map[ClockName]string{ClockAccept: "受理或说明不予受理的理由", ClockDepartment: "答复受理机构或退回",
		ClockAnswer: "答复投诉人", ClockDesk: "转办或答复"}[r.Clock]
	if r.Warning == workclock.WarnRed {
		return "已超过期限，请立即" + what + "。"
	}
	return "请在到期前" + what + "。"
}
