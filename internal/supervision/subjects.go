package supervision

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// subject is one running limit of a case that can earn a card: the case's
// promised limit, a 并联 branch's limit, the current step of a branch, or
// the one window's first review (初审).
type subject struct {
	key      string // stable within the case; a step visit and an intake round are keyed by the event that began them
	kind     Kind
	rule     string // 监察规则编号 without the colour letter
	dept     int64
	deptName string
	role     string
	label    string
	clock    cases.Clock
	colour   Colour
	known    bool // false when the period leaves the calendar: the colour is unknown
}

// Subject keys.
const (
	keyCase = "case"
)

func branchKey(i int) string         { return "b" + strconv.Itoa(i) }
func stepKey(i, startSeq int) string { return "s" + strconv.Itoa(i) + "@" + strconv.Itoa(startSeq) }
func intakeKey(startSeq int) string  { return "i@" + strconv.Itoa(startSeq) }

// Rule numbers (监察规则编号). GB/T 39046 names the field without a code
// table that was retrieved, so these are the product's own (unverified).
const (
	ruleCase   = "JC02-A" // 办件承诺时限
	ruleBranch = "JC02-B" // 并联审批部门时限
	ruleStep   = "JC03"   // 环节时限
	ruleIntake = "JC04"   // 初审五个工作日（行政许可法第三十二条）
	ruleReason = "JC05"
	ruleOnline = "JC06"
	ruleFee    = "JC07"
	ruleRefuse = "JC01"
	ruleManual = "JC08"
)

// ruleCode is the full rule number of a colour: "JC03-Y", "JC03-R".
func ruleCode(rule string, c Colour) string {
	if c == Red {
		return rule + "-R"
	}
	return rule + "-Y"
}

// subjects measures every subject of case c at t. The case holds the events
// that happened before t.
func (e *evaluator) subjects(t time.Time) ([]subject, error) {
	c := e.c
	cl, err := cases.ComputeClocks(c, e.in.Calendar, e.in.Hours, t)
	if err != nil {
		return nil, fmt.Errorf("clocks of case %d: %w", c.ID, err)
	}
	out := make([]subject, 0, 2+2*len(c.Branches))
	p := &c.Procedure
	if running(cl.Promised) {
		out = append(out, e.measured(subject{key: keyCase, kind: KindOvertime, rule: ruleCase, dept: p.DepartmentID,
			deptName: p.Department, label: "办件承诺办结时限", clock: cl.Promised}))
	}
	starts := stepStarts(c)
	for i := range c.Branches {
		b, pb := c.Branches[i], p.Branches[i]
		if len(c.Branches) > 1 && running(cl.Branches[i].Branch) {
			out = append(out, e.measured(subject{key: branchKey(i), kind: KindOvertime, rule: ruleBranch, dept: pb.DepartmentID,
				deptName: pb.Department, label: pb.Department + "（并联审批）时限", clock: cl.Branches[i].Branch}))
		}
		if !b.Done && running(cl.Branches[i].Step) {
			step := c.CurrentStep(&c.Branches[i])
			out = append(out, e.measured(subject{key: stepKey(i, starts[i]), kind: KindStepOvertime, rule: ruleStep, dept: pb.DepartmentID,
				deptName: pb.Department, role: string(step.Role), label: pb.Department + "“" + step.Name + "”环节时限", clock: cl.Branches[i].Step}))
		}
	}
	if s, ok := e.intake(cl.Intake, t); ok {
		out = append(out, s)
	}
	return out, nil
}

func running(c cases.Clock) bool { return c.Started && !c.Stopped && c.Limit.N > 0 }

func (e *evaluator) measured(s subject) subject {
	s.colour, s.known = e.in.Rules.colour(s.clock)
	return s
}

// colour judges a clock: red when overdue, yellow when at least
// YellowPercent of the limit is used or at most YellowDays remain (for
// limits in hours only the share applies). A clock whose period leaves the
// calendar cannot be judged.
func (r Rules) colour(c cases.Clock) (Colour, bool) {
	if c.MissingYear > 0 {
		return None, false
	}
	if c.Overdue {
		return Red, true
	}
	if c.Limit.Unit == calendar.UnitHour {
		limit := time.Duration(c.Limit.N) * time.Hour
		if c.Used*100 >= limit*time.Duration(r.YellowPercent) {
			return Yellow, true
		}
		return None, true
	}
	if c.Remaining <= r.yellowRemaining(c.Limit.N) {
		return Yellow, true
	}
	return None, true
}

// stepStarts gives, per branch, the sequence number of the event that began
// its current step visit: the acceptance, or the last pass or return.
func stepStarts(c *cases.Case) map[int]int {
	out := map[int]int{}
	for _, ev := range c.Events {
		switch ev.Kind {
		case cases.EventAccepted:
			for i := range c.Procedure.Branches {
				out[i] = ev.Seq
			}
		case cases.EventStepPassed, cases.EventStepReturned:
			out[ev.Branch] = ev.Seq
		}
	}
	return out
}

// intake is the first review at the window while the case waits for it,
// on the cases package's own clock of 行政许可法第三十二条第一款第（四）项:
// five days (working days, 第八十二条) from the day after the (last)
// receipt to accept, refuse or tell the applicant at once everything to
// supplement; a receipt not answered by the end of office hours on the
// fifth day counts as accepted from the day it came (so the case's own
// limits run from then too). After a 补正 the period runs again from the
// supplement.
func (e *evaluator) intake(ic cases.IntakeClock, t time.Time) (subject, bool) {
	c := e.c
	if c.Status != cases.StatusSubmitted || !ic.Waiting() {
		return subject{}, false
	}
	var start cases.Event
	for _, ev := range c.Events {
		if ev.Kind == cases.EventSubmitted || ev.Kind == cases.EventSupplemented {
			start = ev
		}
	}
	if start.Seq == 0 {
		return subject{}, false
	}
	s := subject{key: intakeKey(start.Seq), kind: KindIntakeLate, rule: ruleIntake, dept: c.Procedure.DepartmentID,
		deptName: c.Procedure.Department, role: "window_clerk", label: "窗口初审（五个工作日）", clock: intakeClock(e.in.Calendar, ic, t)}
	return e.measured(s), true
}

// intakeClock is the intake period as a clock: overdue once the cases
// package says it has ended (past the end of office hours on the due day,
// Lapsed over the days off after it as well as Overdue), when the case
// counts as accepted, with the working days used and left until then.
func intakeClock(cal *calendar.Calendar, ic cases.IntakeClock, t time.Time) cases.Clock {
	c := cases.Clock{Limit: calendar.Limit{Unit: calendar.UnitWorkday}, Started: true, Start: ic.Received,
		Due: ic.DueDate, DueAt: ic.Due, Overdue: ic.Overdue || ic.Lapsed, Provisional: ic.Provisional}
	from := calendar.DateOf(ic.Received)
	n, err1 := cal.WorkdaysBetween(from, ic.DueDate)
	used, err2 := cal.WorkdaysBetween(from, calendar.DateOf(t))
	var nd calendar.NoDataError
	if errors.As(err1, &nd) || errors.As(err2, &nd) {
		c.MissingYear = nd.Year
		return c
	}
	c.Limit.N, c.Consumed, c.Remaining = n, used, n-used
	return c
}
