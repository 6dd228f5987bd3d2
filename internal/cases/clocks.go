package cases

import (
	"time"

	"openhall/internal/calendar"
)

// Clocks are all the running limits of a case.
type Clocks struct {
	Legal    Clock
	Promised Clock
	Branches []BranchClocks
	Intake   IntakeClock   // 行政许可法 Art 32's period for a 补正 notice
	Specials []SpecialSpan // the special procedures and the days they took
}

// BranchClocks are one department's limits.
type BranchClocks struct {
	Branch Clock // the department's own limit
	Step   Clock // its current step's limit
}

// ComputeClocks measures the case's clocks at now on cal, from its events.
// The legal and the promised clock run separately from acceptance (or from
// submission when the item says 补正 time counts), pause while the case is
// back with the applicant or any clock-stopping 特别程序 runs, and stop when
// the case closes; approved 延长审批 lengthens the legal limit.
func ComputeClocks(c *Case, cal *calendar.Calendar, oh calendar.OfficeHours, now time.Time) (Clocks, error) {
	m := meter{cal: cal, oh: oh, now: now}
	h := readHistory(c)
	var out Clocks
	var err error
	if out.Intake, err = m.intake(c); err != nil {
		return out, err
	}
	start := c.AcceptedAt
	if out.Intake.Deemed {
		start = out.Intake.Received // 行政许可法 Art 32: accepted from the day of receipt
	}
	if c.Procedure.ClockFromSubmission && !c.SubmittedAt.IsZero() {
		start = c.SubmittedAt
	}
	all := append(append([]span{}, h.corrections...), h.allSpecials()...)
	legal := c.Procedure.Legal
	legal.N += h.extensionDays()
	if out.Legal, err = m.measure(legal, start, c.ClosedAt, all); err != nil {
		return out, err
	}
	if out.Promised, err = m.measure(c.Procedure.Promised, start, c.ClosedAt, all); err != nil {
		return out, err
	}
	for i := range c.Branches {
		bc, err := m.branchClocks(c, h, i)
		if err != nil {
			return out, err
		}
		out.Branches = append(out.Branches, bc)
	}
	out.Specials, err = m.specials(c)
	return out, err
}

func (m meter) branchClocks(c *Case, h history, i int) (BranchClocks, error) {
	b := c.Branches[i]
	p := c.Procedure.Branches[i]
	pauses := append(append([]span{}, h.corrections...), h.specials[i]...)
	limit := p.Limit
	if limit.N == 0 {
		limit = c.Procedure.Promised
	}
	limit.N += b.Extension
	end := h.branchEnd[i]
	if end.IsZero() {
		end = c.ClosedAt
	}
	var out BranchClocks
	var err error
	if out.Branch, err = m.measure(limit, c.AcceptedAt, end, pauses); err != nil {
		return out, err
	}
	step := p.Steps[min(b.Step, len(p.Steps)-1)]
	out.Step, err = m.measure(step.Limit, h.stepStart[i], end, pauses)
	return out, err
}

// history is what the clocks need from the events.
type history struct {
	corrections []span         // case back with the applicant after acceptance
	specials    map[int][]span // clock-stopping 特别程序 per branch
	stepStart   map[int]time.Time
	branchEnd   map[int]time.Time
	extensions  map[int]int // approved 延长审批 days per branch
}

func readHistory(c *Case) history {
	h := history{specials: map[int][]span{}, stepStart: map[int]time.Time{}, branchEnd: map[int]time.Time{}, extensions: map[int]int{}}
	for _, e := range c.Events {
		h.read(c, e)
	}
	return h
}

func (h *history) read(c *Case, e Event) {
	switch e.Kind {
	case EventAccepted:
		for i := range c.Procedure.Branches {
			h.stepStart[i] = e.At
		}
	case EventStepPassed, EventStepReturned:
		h.stepStart[e.Branch] = e.At
	case EventReturnedToApplicant:
		h.corrections = append(h.corrections, span{From: e.At})
	case EventCorrected:
		h.corrections[len(h.corrections)-1].To = e.At
	case EventSpecialStarted:
		if k, _ := c.Procedure.AllowsSpecial(e.Code); k.StopsClock {
			h.specials[e.Branch] = append(h.specials[e.Branch], span{From: e.At, whole: true})
		}
	case EventSpecialEnded:
		if ss := h.specials[e.Branch]; len(ss) > 0 && ss[len(ss)-1].To.IsZero() {
			ss[len(ss)-1].To = e.At
		}
	case EventExtensionApproved:
		h.extensions[e.Branch] += e.Days
	case EventBranchDecided:
		h.branchEnd[e.Branch] = e.At
	}
}

func (h history) allSpecials() []span {
	var out []span
	for _, ss := range h.specials {
		out = append(out, ss...)
	}
	return out
}

// extensionDays is the approved extension of the case (one per case,
// 行政许可法 Art 42; cases from before that rule may have one per branch,
// which run in parallel and overlap rather than add up).
func (h history) extensionDays() int {
	longest := 0
	for _, d := range h.extensions {
		longest = max(longest, d)
	}
	return longest
}

// SupplementDue is the end of the period the applicant has to answer the
// latest 补正 notice: its working days counted from the day after the notice.
func SupplementDue(c *Case, cal *calendar.Calendar, oh calendar.OfficeHours) (time.Time, error) {
	var notice Event
	for _, e := range c.Events {
		if e.Kind == EventSupplementRequested || e.Kind == EventReturnedToApplicant {
			notice = e
		}
	}
	days := notice.Days
	if days <= 0 {
		days = c.Procedure.SupplementDays
	}
	d, err := cal.AddWorkdays(calendar.DateOf(notice.At), max(days, 1))
	if err != nil {
		return time.Time{}, err
	}
	return d.Time().Add(oh.PMEnd), nil
}

// SpecialSpan is one special procedure of a case and the days it took:
// the working days (or natural days, as the item counts it) from its
// start day to its end day, both included, or to today while it runs.
type SpecialSpan struct {
	Branch     int
	Kind       SpecialKind
	Start, End time.Time // End is zero while it runs
	Expected   int       // the duration the applicant was told, in Kind's unit
	Days       int       // the days it took so far
}

func (m meter) specials(c *Case) ([]SpecialSpan, error) {
	var out []SpecialSpan
	open := map[int]int{}
	for _, e := range c.Events {
		switch e.Kind {
		case EventSpecialStarted:
			k, _ := c.Procedure.AllowsSpecial(e.Code)
			open[e.Branch] = len(out)
			out = append(out, SpecialSpan{Branch: e.Branch, Kind: k, Start: e.At, Expected: e.Days})
		case EventSpecialEnded:
			if i, ok := open[e.Branch]; ok {
				out[i].End = e.At
				delete(open, e.Branch)
			}
		}
	}
	for i := range out {
		end := out[i].End
		if end.IsZero() {
			end = m.now
		}
		from, to := calendar.DateOf(out[i].Start).AddDays(-1), calendar.DateOf(end)
		n, err := m.daysBetween(out[i].Kind.DaysUnit(), from, to)
		if err != nil {
			return nil, err
		}
		out[i].Days = n
	}
	return out, nil
}
