package complaint

import (
	"time"

	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

// Clocks are a complaint's deadlines, recomputed from its events.
type Clocks struct {
	Accept     workclock.Clock // 受理: 5 working days from submission
	Department workclock.Clock // the department's deadline, from the latest 转办
	Answer     workclock.Clock // 答复投诉人, from the department's reply
}

// Warning is the most urgent of the running clocks.
func (c Clocks) Warning() workclock.Warning {
	w := workclock.WarnNone
	for _, x := range []workclock.Clock{c.Accept, c.Department, c.Answer} {
		if x.Warning.Rank() > w.Rank() {
			w = x.Warning
		}
	}
	return w
}

// ComputeClocks measures a complaint's clocks on cal at now. After a
// reopening, the department's and the answer's clocks run again from the
// new 转办 and reply.
func ComputeClocks(c *Complaint, cal *calendar.Calendar, now time.Time) (Clocks, error) {
	var submitted, accepted, assigned, replied, answered, deptEnd time.Time
	days := 0
	for _, e := range c.Events {
		switch e.Kind {
		case EvSubmitted:
			submitted = e.At
		case EvAccepted, EvRefused:
			if accepted.IsZero() {
				accepted = e.At
			}
		case EvAssigned:
			assigned, days, deptEnd, replied, answered = e.At, e.Days, time.Time{}, time.Time{}, time.Time{}
		case EvReturned:
			deptEnd = e.At
		case EvReplied:
			deptEnd, replied, answered = e.At, e.At, time.Time{}
		case EvAnswered:
			// The first answer after the reply ends the answer clock; an
			// answer given again after a reopening, without a new 转办, is
			// not the answer to that reply.
			if answered.IsZero() {
				answered = e.At
			}
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
	out.Answer, err = workclock.Measure(cal, AnswerDays, replied, answered, nil, now)
	return out, err
}
