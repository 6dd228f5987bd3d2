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
	Overdue  bool      // waiting past Due, and a working day has begun since DueDate
	Deemed   bool      // not answered by a notice in time: accepted from Received
	// Lapsed: waiting past Due, but no working day has begun since DueDate
	// (the evening of the last day, then a weekend or a holiday block): the
	// period has ended, so no notice may be given and the case counts as
	// accepted (Deemed), but it is overdue only from the next working day,
	// as a Clock is (行政许可法 Art 82), never shown as overdue before then.
	Lapsed bool
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
	if ic.Answered.IsZero() {
		return ic, m.pastIntake(c, &ic)
	}
	ic.Deemed = accepted && ic.Answered.After(ic.Due)
	return ic, nil
}

// pastIntake judges a receipt still waiting at now: past Due it counts as
// accepted from receipt, Lapsed until a working day begins after DueDate
// and Overdue from then on. Whether one has begun rests on today's year's
// holiday schedule, so a missing one makes the judgement provisional.
func (m meter) pastIntake(c *Case, ic *IntakeClock) error {
	if c.Status != StatusSubmitted || !m.now.After(ic.Due) {
		return nil
	}
	today := calendar.DateOf(m.now)
	n, err := m.cal.WorkdaysBetween(ic.DueDate, today)
	if err != nil {
		return err
	}
	ic.Deemed, ic.Overdue, ic.Lapsed = true, n > 0, n == 0
	ic.Provisional = m.cal.Provisional(calendar.DateOf(ic.Received), today)
	return nil
}
