package supervision

import (
	"sort"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// Counts are the evaluation's counters for one subject (a department, a
// window, a person) in one month. Every counter is a count of events, so
// months add up to quarters and years.
type Counts struct {
	Received     int64 `json:"received"`      // 收件：提交的申请
	Accepted     int64 `json:"accepted"`      // 受理
	Refused      int64 `json:"refused"`       // 不予受理
	Supplemented int64 `json:"supplemented"`  // 需补正的办件（每件计一次）
	Decided      int64 `json:"decided"`       // 办结（作出准予或不予决定）
	OnTime       int64 `json:"on_time"`       // 其中在承诺时限内
	Early        int64 `json:"early"`         // 其中提前办结
	UsedDays     int64 `json:"used_days"`     // 办结件实际用时（工作日）之和
	PromisedDays int64 `json:"promised_days"` // 办结件承诺时限之和
	Yellow       int64 `json:"yellow"`        // 黄牌
	Red          int64 `json:"red"`           // 红牌
	Orders       int64 `json:"orders"`        // 督办
	IntakeTotal  int64 `json:"intake_total"`  // 初审处理（受理、不予受理、补正告知）
	IntakeOnTime int64 `json:"intake_on_time"`
	Steps        int64 `json:"steps"` // 办理的审批环节
	StepsOnTime  int64 `json:"steps_on_time"`
}

// Add adds o to c.
func (c *Counts) Add(o Counts) {
	c.Received += o.Received
	c.Accepted += o.Accepted
	c.Refused += o.Refused
	c.Supplemented += o.Supplemented
	c.Decided += o.Decided
	c.OnTime += o.OnTime
	c.Early += o.Early
	c.UsedDays += o.UsedDays
	c.PromisedDays += o.PromisedDays
	c.Yellow += o.Yellow
	c.Red += o.Red
	c.Orders += o.Orders
	c.IntakeTotal += o.IntakeTotal
	c.IntakeOnTime += o.IntakeOnTime
	c.Steps += o.Steps
	c.StepsOnTime += o.StepsOnTime
}

// Negated is -c.
func (c Counts) Negated() Counts {
	var z Counts
	z.Sub(c)
	return z
}

// Sub subtracts o from c.
func (c *Counts) Sub(o Counts) {
	c.Received -= o.Received
	c.Accepted -= o.Accepted
	c.Refused -= o.Refused
	c.Supplemented -= o.Supplemented
	c.Decided -= o.Decided
	c.OnTime -= o.OnTime
	c.Early -= o.Early
	c.UsedDays -= o.UsedDays
	c.PromisedDays -= o.PromisedDays
	c.Yellow -= o.Yellow
	c.Red -= o.Red
	c.Orders -= o.Orders
	c.IntakeTotal -= o.IntakeTotal
	c.IntakeOnTime -= o.IntakeOnTime
	c.Steps -= o.Steps
	c.StepsOnTime -= o.StepsOnTime
}

// Zero reports whether every counter is 0.
func (c Counts) Zero() bool { return c == Counts{} }

// Tally is a count for the evaluation: in the month of At, for the
// department and the person (each when not 0), and for the person's window
// when Window is set.
type Tally struct {
	At     time.Time `json:"at"`
	Dept   int64     `json:"dept,omitempty"`
	Home   int64     `json:"home,omitempty"` // with Dept 0: the department whose centre the person's counts go to
	User   int64     `json:"user,omitempty"`
	Window bool      `json:"window,omitempty"`
	Counts Counts    `json:"counts"`
}

// Month is the tally's month in China Standard Time, "2026-03".
func (t Tally) Month() string { return MonthOf(t.At) }

// MonthOf is the month of t in China Standard Time.
func MonthOf(t time.Time) string { return t.In(chinaTime).Format("2006-01") }

// Judgement is the counts of one event that depended on a provisional
// date: they are counted as judged and corrected once the year's holiday
// schedule is imported.
type Judgement struct {
	Seq         int     `json:"seq"`
	Tallies     []Tally `json:"tallies"`
	Provisional int     `json:"prov"`
}

func cardCounts(c Colour) Counts {
	if c == Red {
		return Counts{Red: 1}
	}
	return Counts{Yellow: 1}
}

func cardTally(at time.Time, dept int64, c Colour) Tally {
	return Tally{At: at, Dept: dept, Counts: cardCounts(c)}
}

// tallyEvent counts one event: before is the case just before it (the
// evaluator's case holds it), bs the subjects just before it. It returns the provisional year any judgement depended on.
func (e *evaluator) tallyEvent(before *cases.Case, ev cases.Event, bs []subject) ([]Tally, int) {
	after := e.c
	lead := after.Procedure.DepartmentID
	at := ev.At
	switch ev.Kind {
	case cases.EventSubmitted:
		channel := cases.Channel(ev.Code)
		t := Tally{At: at, Dept: lead, Counts: Counts{Received: 1}}
		if channel != cases.ChannelOnline && channel != "" {
			t.User, t.Window = ev.ActorID, channel == cases.ChannelWindow
		}
		return []Tally{t}, 0
	case cases.EventAccepted, cases.EventRefused, cases.EventSupplementRequested:
		return intakeTally(before, ev, bs)
	case cases.EventReturnedToApplicant:
		if before.Rounds == 0 {
			return []Tally{{At: at, Dept: lead, User: ev.ActorID, Counts: Counts{Supplemented: 1}}}, 0
		}
	case cases.EventStepPassed, cases.EventStepFailed, cases.EventStepReturned:
		return stepTally(before, ev, bs)
	case cases.EventClosed:
		return e.closeTally(ev)
	}
	return nil, 0
}

// intakeTally counts a window's answer to an application: accepted,
// refused or told to supplement (counted once per case), and whether the
// answer came within the five working days.
func intakeTally(before *cases.Case, ev cases.Event, bs []subject) ([]Tally, int) {
	c := Counts{IntakeTotal: 1}
	switch ev.Kind {
	case cases.EventAccepted:
		c.Accepted = 1
	case cases.EventRefused:
		c.Refused = 1
	case cases.EventSupplementRequested:
		if before.Rounds == 0 {
			c.Supplemented = 1
		}
	}
	prov := 0
	for _, s := range bs {
		if s.kind == KindIntakeLate {
			if s.known && !s.clock.Overdue {
				c.IntakeOnTime = 1
			}
			prov = s.clock.Provisional
		}
	}
	return []Tally{{At: ev.At, Dept: before.Procedure.DepartmentID, User: ev.ActorID, Window: true, Counts: c}}, prov
}

// stepTally counts a step done and whether within its limit.
func stepTally(before *cases.Case, ev cases.Event, bs []subject) ([]Tally, int) {
	c := Counts{Steps: 1, StepsOnTime: 1}
	prov := 0
	starts := stepStarts(before)
	key := stepKey(ev.Branch, starts[ev.Branch])
	for _, s := range bs {
		if s.key == key {
			if s.clock.Overdue {
				c.StepsOnTime = 0
			}
			prov = s.clock.Provisional
		}
	}
	dept := before.Procedure.DepartmentID
	if ev.Branch >= 0 && ev.Branch < len(before.Procedure.Branches) {
		dept = before.Procedure.Branches[ev.Branch].DepartmentID
	}
	return []Tally{{At: ev.At, Dept: dept, User: ev.ActorID, Counts: c}}, prov
}

// closeTally counts a decided case: on time when its promised clock was not
// overdue when it closed, early when it closed before its due date, and the
// working days it used against those promised.
func (e *evaluator) closeTally(ev cases.Event) ([]Tally, int) {
	after := e.c
	if after.Decision == cases.DecisionNone {
		return nil, 0
	}
	c := Counts{Decided: 1}
	prov := 0
	if cls, err := cases.ComputeClocks(after, e.in.Calendar, e.in.Hours, ev.At); err == nil && cls.Promised.MissingYear == 0 {
		cl := cls.Promised
		prov = cl.Provisional
		if !cl.Overdue {
			c.OnTime = 1
		}
		if cl.Limit.Unit == calendar.UnitHour {
			if cl.Used < time.Duration(cl.Limit.N)*time.Hour {
				c.Early = 1
			}
		} else {
			if cl.Started && cl.Remaining > 0 {
				c.Early = 1
			}
			c.UsedDays, c.PromisedDays = int64(cl.Consumed), int64(cl.Limit.N)
		}
		if !cl.Started { // 即办件: decided at the window, on the spot
			c.OnTime, c.Early = 1, 0
		}
	}
	return []Tally{{At: ev.At, Dept: after.Procedure.DepartmentID, Counts: c}}, prov
}

// SumDeltas adds up deltas of the same month and subject, in a fixed order.
func SumDeltas(ds []StatDelta) []StatDelta {
	type key struct {
		month  string
		centre int64
		dim    Dimension
		id     int64
	}
	idx := map[key]int{}
	var out []StatDelta
	for _, d := range ds {
		k := key{d.Month, d.CentreID, d.Dim, d.DimID}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, StatDelta{Month: d.Month, CentreID: d.CentreID, Dim: d.Dim, DimID: d.DimID})
		}
		out[i].Counts.Add(d.Counts)
	}
	kept := out[:0]
	for _, d := range out {
		if !d.Counts.Zero() {
			kept = append(kept, d)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		a, b := kept[i], kept[j]
		if a.CentreID != b.CentreID {
			return a.CentreID < b.CentreID
		}
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		if a.Dim != b.Dim {
			return a.Dim < b.Dim
		}
		return a.DimID < b.DimID
	})
	return kept
}
