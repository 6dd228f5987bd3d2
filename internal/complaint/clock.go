package complaint

import (
	"fmt"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

// Clocks are a complaint's deadlines, recomputed from its events.
type Clocks struct {
	Accept     workclock.Clock // 受理: 5 working days from submission
	Department workclock.Clock // the department's deadline, from the latest 转办
	Answer     workclock.Clock // 答复投诉人, from the department's reply
	// Desk is the desk's deadline to assign (转办) or answer a complaint
	// that waits for it: from its acceptance without a 转办, or from the
	// latest return by a department or reopening by the complainant
	// (DeskAfter says which).
	Desk      workclock.Clock
	DeskAfter EventKind // EvAccepted, EvReturned or EvReopened; "" while Desk has not started
}

// Warning is the most urgent of the running clocks.
func (c Clocks) Warning() workclock.Warning {
	w := workclock.WarnNone
	for _, x := range []workclock.Clock{c.Accept, c.Department, c.Answer, c.Desk} {
		if x.Warning.Rank() > w.Rank() {
			w = x.Warning
		}
	}
	return w
}

// Stage is the deadline of the step a complaint waits for now.
type Stage struct {
	Step  string // which clock: accept, department, answer or desk (Clocks' fields)
	Label string // as the staff's page names it: “受理（5 个工作日）”
	Clock workclock.Clock
}

// Stage is the running clock of the step a complaint of status s and kind
// k waits for now, named as the staff's page names it: acceptance while
// submitted, the department's while assigned, the answer to the
// complainant once the department replied, the desk's while accepted (or
// returned, or reopened) without a 转办. ok is false when none runs
// (refused, answered, closed), so a stage never shows a zero date.
func (c Clocks) Stage(s Status, k Kind) (Stage, bool) {
	var st Stage
	switch {
	case s == StatusSubmitted:
		st = Stage{"accept", "受理", c.Accept}
	case s == StatusAssigned:
		st = Stage{"department", "部门办理", c.Department}
	case s == StatusReplied:
		st = Stage{"answer", "答复" + k.Label() + "人", c.Answer}
	case s == StatusAccepted:
		st = Stage{"desk", c.DeskLabel(), c.Desk}
	}
	if !st.Clock.Started || st.Clock.Met {
		return Stage{}, false
	}
	st.Label += fmt.Sprintf("（%d 个工作日）", st.Clock.Days)
	return st, true
}

// Before reports whether a complaint with clocks c is listed before one
// with clocks d in a queue (workclock.Before): the more urgent warning
// first, then the clock due first; complaints without a running clock
// come last.
func (c Clocks) Before(d Clocks) bool {
	return workclock.Before(c.Warning(), c.all(), d.Warning(), d.all())
}

func (c Clocks) all() []workclock.Clock {
	return []workclock.Clock{c.Accept, c.Department, c.Answer, c.Desk}
}

// DeskLabel names the desk's clock by what started it.
func (c Clocks) DeskLabel() string {
	switch c.DeskAfter {
	case EvReopened:
		return "重新办理：转办或答复"
	case EvAccepted:
		return "受理后转办或答复"
	}
	return "部门退回后重新转办或答复"
}

// ComputeClocks measures a complaint's clocks on cal at now. After a
// reopening, the department's and the answer's clocks run again from the
// new 转办 and reply; the desk's clock runs from an acceptance without a
// 转办, a return or a reopening until the next 转办 or answer (a complaint
// accepted and assigned in one step has none).
func ComputeClocks(c *Complaint, cal *calendar.Calendar, now time.Time) (Clocks, error) {
	var submitted, accepted, assigned, replied, answered, deptEnd, deskFrom, deskEnd time.Time
	var deskAfter EventKind
	days := 0
	for _, e := range c.Events {
		switch e.Kind {
		case EvSubmitted:
			submitted = e.At
		case EvAccepted, EvRefused:
			if accepted.IsZero() {
				accepted = e.At
			}
			if e.Kind == EvAccepted {
				deskFrom, deskEnd, deskAfter = e.At, time.Time{}, e.Kind
			}
		case EvAssigned:
			assigned, days, deptEnd, replied, answered = e.At, e.Days, time.Time{}, time.Time{}, time.Time{}
			if deskAfter == EvAccepted && deskFrom.Equal(e.At) {
				deskFrom, deskAfter = time.Time{}, "" // accepted and assigned at once
			}
			deskEnd = stop(deskFrom, deskEnd, e.At)
		case EvReturned, EvReopened:
			deskFrom, deskEnd, deskAfter = e.At, time.Time{}, e.Kind
			if e.Kind == EvReturned {
				deptEnd = e.At
			}
		case EvReplied:
			deptEnd, replied, answered = e.At, e.At, time.Time{}
		case EvAnswered:
			// The first answer after the reply ends the answer clock; one
			// given again after a reopening without a new 转办 ends the
			// desk's clock only.
			answered = stop(replied, answered, e.At)
			deskEnd = stop(deskFrom, deskEnd, e.At)
		}
	}
	var out Clocks
	var err error
	if out.Accept, err = workclock.Measure(cal, AcceptDays, submitted, accepted, nil, now); err != nil {
		return out, err
	}
	if out.Department, err = workclock.Measure(cal, days, assigned, deptEnd, nil, now); err != nil {
		return out, err
	}
	if out.Answer, err = workclock.Measure(cal, AnswerDays, replied, answered, nil, now); err != nil {
		return out, err
	}
	out.DeskAfter = deskAfter
	out.Desk, err = workclock.Measure(cal, DeskDays, deskFrom, deskEnd, nil, now)
	return out, err
}

// stop is the end of a clock started at from and ended at end (zero: not
// yet) once an ending event happens at at: the first such event after the
// start counts.
func stop(from, end, at time.Time) time.Time {
	if from.IsZero() || !end.IsZero() {
		return end
	}
	return at
}
