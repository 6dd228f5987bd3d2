package supervision

import (
	"fmt"
	"sort"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// clockDetail says what the clock measured when the card arose.
func clockDetail(s subject, col Colour) string {
	c := s.clock
	unit := c.Limit.Unit.Label()
	var what string
	switch {
	case col == Red && c.Limit.Unit == calendar.UnitHour:
		what = fmt.Sprintf("%s %d 小时已超时", s.label, c.Limit.N)
	case col == Red:
		what = fmt.Sprintf("%s %d 个%s，%s 到期，已超期", s.label, c.Limit.N, unit, c.Due)
	case c.Limit.Unit == calendar.UnitHour:
		what = fmt.Sprintf("%s %d 小时，已用 %.1f 小时", s.label, c.Limit.N, c.Used.Hours())
	default:
		what = fmt.Sprintf("%s %d 个%s，已用 %d 个，剩余 %d 个，%s 到期", s.label, c.Limit.N, unit, c.Consumed, c.Remaining, c.Due)
	}
	return what + calendar.ProvisionalNote(c.Provisional)
}

// endedOutcome is the 监察结果 of a card whose subject an event ended.
func endedOutcome(s subject, col Colour, ev *cases.Event) string {
	what := ev.Kind.Label()
	if l := cases.Completion(ev.Code).Label(); ev.Kind == cases.EventClosed && l != "" && l != "办结" {
		what = "办结（" + l + "）"
	}
	c := s.clock
	switch {
	case !s.known || s.key == "":
		return what
	case c.Overdue && c.Limit.Unit != calendar.UnitHour:
		return fmt.Sprintf("%s，超期 %d 个%s", what, -c.Remaining, c.Limit.Unit.Label())
	case c.Overdue:
		return what + "，已超时"
	case col == Yellow:
		return what + "，未超期，预警解除"
	}
	return what
}

// droppedOutcome is the 监察结果 of a card whose colour fell without its
// subject ending: an approved extension, or a changed calendar.
func droppedOutcome(ev *cases.Event) string {
	if ev == nil {
		return "工作日历调整后重新计算，预警解除"
	}
	return ev.Kind.Label() + "后重新计算，预警解除"
}

// next is when any running limit crosses its next threshold: yellow, then
// red (the first working day after the due date; for the intake period,
// the end of office hours on its due day). A paused clock has no
// timer: only an event resumes it. A period the calendar cannot judge is
// looked at again a day later.
func (e *evaluator) next(ss []subject, now time.Time) time.Time {
	var best time.Time
	consider := func(t time.Time) {
		if !t.After(now) {
			t = now.Add(time.Minute)
		}
		if best.IsZero() || t.Before(best) {
			best = t
		}
	}
	for _, s := range ss {
		if !s.known {
			consider(now.Add(24 * time.Hour))
			continue
		}
		if s.clock.Paused || s.colour == Red {
			continue
		}
		t, err := e.crossAhead(s, now)
		if err != nil {
			consider(now.Add(24 * time.Hour))
			continue
		}
		consider(t)
	}
	return best
}

// crossAhead is when a running clock reaches its next colour, no event
// coming: its used share grows by one unit every working (or natural) day
// from now, or continuously in office hours for limits in hours.
func (e *evaluator) crossAhead(s subject, now time.Time) (time.Time, error) {
	c, cal := s.clock, e.in.Calendar
	if s.kind == KindIntakeLate && s.colour == Yellow && !c.DueAt.IsZero() {
		return c.DueAt.Add(time.Minute), nil // late once the office closes on the due day
	}
	if c.Limit.Unit == calendar.UnitHour {
		limit := time.Duration(c.Limit.N) * time.Hour
		left := limit - c.Used + time.Minute
		if s.colour == None {
			left = limit*time.Duration(e.in.Rules.YellowPercent)/100 - c.Used
		}
		return cal.AddWorkingDuration(now, max(left, time.Minute), e.in.Hours)
	}
	steps := c.Remaining + 1 // the day it is overdue
	if s.colour == None {
		steps = c.Remaining - e.in.Rules.yellowRemaining(c.Limit.N)
	}
	today := calendar.DateOf(now)
	if c.Limit.Unit == calendar.UnitNaturalDay {
		return today.AddDays(max(steps, 1)).Time(), nil
	}
	d, err := cal.AddWorkdays(today, max(steps, 1))
	return d.Time(), err
}

// summarise records where the case stands.
func (e *evaluator) summarise(cur []subject) {
	c := e.c
	sm := Summary{Status: c.Status, SubmittedAt: c.SubmittedAt, AcceptedAt: c.AcceptedAt}
	for _, s := range cur {
		switch {
		case s.key == keyCase:
			sm.PromisedDue, sm.Provisional = s.clock.Due, s.clock.Provisional
			sm.Paused, sm.Overdue = s.clock.Paused, s.clock.Overdue
		case s.kind == KindIntakeLate:
			sm.IntakeLate = s.clock.Overdue
			if sm.Provisional == 0 {
				sm.Provisional = s.clock.Provisional
			}
		}
	}
	sm.Paused = sm.Paused || c.Status == cases.StatusCorrection || c.Status == cases.StatusSupplement || anySpecial(c)
	for _, ev := range c.Events {
		if ev.Kind == cases.EventAccepted || ev.Kind == cases.EventRefused {
			sm.IntakeUser = ev.ActorID
		}
	}
	for _, b := range c.Procedure.Branches {
		sm.Depts = append(sm.Depts, b.DepartmentID)
	}
	for _, o := range e.open {
		sm.Colour = max(sm.Colour, o.Colour)
	}
	e.out.Summary = sm
}

func anySpecial(c *cases.Case) bool {
	for _, b := range c.Branches {
		if b.Special != "" && !b.Done {
			return true
		}
	}
	return false
}

// sortedOpen lists the cards in force in a fixed order.
func (e *evaluator) sortedOpen() []OpenCard {
	out := make([]OpenCard, 0, len(e.open))
	for _, o := range e.open {
		out = append(out, o)
	}
	sortOpen(out)
	return out
}

func sortOpen(os []OpenCard) {
	sort.Slice(os, func(i, j int) bool {
		if os[i].Subject != os[j].Subject {
			return os[i].Subject < os[j].Subject
		}
		return os[i].Colour < os[j].Colour
	})
}

// recheck judges again the counts that depended on a provisional date, and
// corrects them by the difference when the judgement changed.
func (e *evaluator) recheck() error {
	for _, j := range e.in.Pending {
		fresh, err := e.rejudge(j.Seq)
		if err != nil {
			return err
		}
		e.out.Tallies = append(e.out.Tallies, diffTallies(j.Tallies, fresh.Tallies)...)
		if fresh.Provisional != 0 {
			e.out.Pending = append(e.out.Pending, fresh)
		}
	}
	return nil
}

// rejudge counts event seq again on today's calendar.
func (e *evaluator) rejudge(seq int) (Judgement, error) {
	r := &evaluator{in: e.in, c: &cases.Case{ID: e.in.CaseID, Number: e.in.Number, Procedure: *e.in.Procedure}}
	for _, ev := range e.in.Events {
		if ev.Seq == seq {
			before, err := r.subjects(ev.At)
			if err != nil {
				return Judgement{}, err
			}
			snapshot := *r.c
			r.c.Apply(ev)
			t, prov := r.tallyEvent(&snapshot, ev, before)
			return Judgement{Seq: seq, Tallies: t, Provisional: prov}, nil
		}
		r.c.Apply(ev)
	}
	return Judgement{Seq: seq}, nil
}

// diffTallies is what turns the old counts into the new ones.
func diffTallies(old, fresh []Tally) []Tally {
	var out []Tally
	for _, t := range old {
		out = append(out, Tally{At: t.At, Dept: t.Dept, User: t.User, Window: t.Window, Counts: t.Counts.Negated()})
	}
	out = append(out, fresh...)
	if sameTallies(old, fresh) {
		return nil
	}
	return out
}

func sameTallies(a, b []Tally) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Dept != b[i].Dept || a[i].User != b[i].User || a[i].Window != b[i].Window || a[i].Counts != b[i].Counts || !a[i].At.Equal(b[i].At) {
			return false
		}
	}
	return true
}
