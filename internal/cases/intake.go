package cases

import (
	"time"

	"openhall/internal/calendar"
)

// intakeNoticeDays is the period for a 补正 notice: on the spot or within 5
// days of receipt (行政许可法 Art 32 ¶1 (4)), working days (Art 82).
const intakeNoticeDays = 5

// IntakeClock is where a case stands against Art 32's period: the body
// answers the materials it received (with a notice, acceptance or refusal)
// within 5 working days, or the case counts as accepted from the day the
// materials were received (Deemed), and the legal clock runs from then.
type IntakeClock struct {
	Started  bool      // materials were received
	Received time.Time // the latest receipt: the submission, or a supplement
	Due      time.Time // the end of office hours on the 5th working day after Received
	DueDate  calendar.Date
	Answered time.Time // when the receipt was answered; zero while it waits
	Overdue  bool      // waiting past Due
	Deemed   bool      // not answered by a notice in time: accepted from Received
	// Provisional is the year without a holiday schedule the period
	// reaches (0 if none): Due is then 暂定.
	Provisional int
}

// Waiting reports whether the receipt still waits for an answer.
func (ic IntakeClock) Waiting() bool { return ic.Started && ic.Answered.IsZero() }

// Intake measures a case's Art 32 period at now on cal.
func Intake(c *Case, cal *calendar.Calendar, oh calendar.OfficeHours, now time.Time) (IntakeClock, error) {
	return meter{cal: cal, oh: oh, now: now}.intake(c)
}

func (m meter) intake(c *Case) (IntakeClock, error) {
	var ic IntakeClock
	accepted := false
	for _, e := range c.Events {
		switch e.Kind {
		case EventSubmitted, EventSupplemented:
			ic.Received, ic.Answered, accepted = e.At, time.Time{}, false
		case EventSupplementRequested, EventAccepted, EventRefused, EventWithdrawn, EventSupplementTimeout:
			if !ic.Received.IsZero() && ic.Answered.IsZero() {
				ic.Answered, accepted = e.At, e.Kind == EventAccepted
			}
		}
	}
	if ic.Received.IsZero() {
		return ic, nil
	}
	ic.Started = true
	due, err := m.cal.AddWorkdays(calendar.DateOf(ic.Received), intakeNoticeDays)
	if err != nil {
		return ic, err
	}
	ic.DueDate, ic.Due = due, due.Time().Add(m.oh.PMEnd)
	ic.Provisional = m.cal.Provisional(calendar.DateOf(ic.Received), due)
	switch {
	case ic.Answered.IsZero():
		ic.Overdue = c.Status == StatusSubmitted && m.now.After(ic.Due)
		ic.Deemed = ic.Overdue
	default:
		ic.Deemed = accepted && ic.Answered.After(ic.Due)
	}
	return ic, nil
}
