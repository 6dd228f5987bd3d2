package api

import (
	"time"

	"openhall/internal/cases"
	"openhall/internal/pii"
)

func maskName(s string) string { return pii.MaskName(s) }

// eventJSON is one event of a case.
type eventJSON struct {
	Seq        int             `json:"seq"`
	Kind       cases.EventKind `json:"kind"`
	KindLabel  string          `json:"kind_label"`
	At         time.Time       `json:"at"`
	ActorLabel string          `json:"actor_label"`
	Branch     int             `json:"branch"`
	Step       int             `json:"step"`
	ToStep     int             `json:"to_step"`
	Reason     string          `json:"reason"`
	Items      []string        `json:"items"`
	Needs      []string        `json:"needs"`
	Days       int             `json:"days"`
	Code       string          `json:"code"`
	Decision   cases.Decision  `json:"decision"`
	Ref        string          `json:"ref"`
}

func toEvent(e cases.Event) eventJSON {
	items := nonNilStrings(e.Items)
	var needs []string
	if e.Kind == cases.EventSupplementRequested || e.Kind == cases.EventReturnedToApplicant {
		for i := range e.Items {
			needs = append(needs, e.Need(i))
		}
	}
	return eventJSON{Seq: e.Seq, Kind: e.Kind, KindLabel: e.Kind.Label(), At: e.At, ActorLabel: e.ActorLabel, Branch: e.Branch,
		Step: e.Step, ToStep: e.ToStep, Reason: e.Reason, Items: items, Needs: nonNilStrings(needs), Days: e.Days, Code: e.Code,
		Decision: e.Decision, Ref: e.Ref}
}

// branchJSON is one department's part of the approval.
type branchJSON struct {
	Index      int            `json:"index"`
	Department string         `json:"department"`
	Step       int            `json:"step"`
	StepName   string         `json:"step_name"`
	Done       bool           `json:"done"`
	Decision   cases.Decision `json:"decision"`
	Special    string         `json:"special"`
	Extension  int            `json:"extension"`
	Pending    int            `json:"pending_extension"`
}

func toBranch(c *cases.Case, i int, b cases.BranchState) branchJSON {
	return branchJSON{Index: i, Department: c.Procedure.Branches[i].Department, Step: b.Step, StepName: c.CurrentStep(&b).Name,
		Done: b.Done, Decision: b.Decision, Special: b.Special, Extension: b.Extension, Pending: b.Pending}
}

// clockJSON is a running limit.
type clockJSON struct {
	Limit     int        `json:"limit"`
	Unit      string     `json:"unit"`
	Started   bool       `json:"started"`
	Consumed  int        `json:"consumed"`
	Remaining int        `json:"remaining"`
	Due       string     `json:"due"`
	DueAt     *time.Time `json:"due_at"`
	Paused    bool       `json:"paused"`
	Stopped   bool       `json:"stopped"`
	Overdue   bool       `json:"overdue"`
	// Lapsed: the period ended on due and only days off have passed
	// since; overdue from the next working day on.
	Lapsed bool `json:"lapsed"`
	// ProvisionalYear: the period reaches a year whose holiday schedule has
	// not been imported; due is counted on a plain week with the law's days
	// off until it is.
	ProvisionalYear int `json:"provisional_year,omitempty"`
	// MissingYear: the period leaves the calendar's range altogether
	// (decades ahead); the due date is unknown.
	MissingYear int `json:"missing_year,omitempty"`
}

type clocksJSON struct {
	Legal    clockJSON         `json:"legal"`
	Promised clockJSON         `json:"promised"`
	Branches []branchClockJSON `json:"branches"`
	Intake   intakeJSON        `json:"intake"`
	Specials []specialJSON     `json:"specials"`
}

// intakeJSON is where a case stands against 行政许可法 Art 32's period.
type intakeJSON struct {
	Started         bool       `json:"started"`
	Received        *time.Time `json:"received"`
	Due             string     `json:"due"`
	Answered        *time.Time `json:"answered"`
	Overdue         bool       `json:"overdue"`
	Deemed          bool       `json:"deemed_accepted"`
	Lapsed          bool       `json:"lapsed"` // ended on due, no working day begun since: overdue from the next one
	ProvisionalYear int        `json:"provisional_year,omitempty"`
}

// specialJSON is a special procedure and the days it took.
type specialJSON struct {
	Branch       int        `json:"branch"`
	Code         string     `json:"code"`
	Name         string     `json:"name"`
	StopsClock   bool       `json:"stops_clock"`
	Unit         string     `json:"unit"`
	Start        time.Time  `json:"start"`
	End          *time.Time `json:"end"`
	ExpectedDays int        `json:"expected_days"`
	Days         int        `json:"days"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func toIntake(ic cases.IntakeClock) intakeJSON {
	out := intakeJSON{Started: ic.Started, Received: timePtr(ic.Received), Answered: timePtr(ic.Answered), Overdue: ic.Overdue,
		Deemed: ic.Deemed, Lapsed: ic.Lapsed, ProvisionalYear: ic.Provisional}
	if ic.Started {
		out.Due = ic.DueDate.String()
	}
	return out
}

type branchClockJSON struct {
	Branch clockJSON `json:"branch"`
	Step   clockJSON `json:"step"`
}

func toClock(c cases.Clock) clockJSON {
	out := clockJSON{Limit: c.Limit.N, Unit: string(c.Limit.Unit), Started: c.Started, Consumed: c.Consumed,
		Remaining: c.Remaining, Paused: c.Paused, Stopped: c.Stopped, Overdue: c.Overdue, Lapsed: c.Lapsed, ProvisionalYear: c.Provisional, MissingYear: c.MissingYear}
	if !c.DueAt.IsZero() {
		t := c.DueAt.UTC()
		out.Due, out.DueAt = c.Due.String(), &t
	}
	return out
}

func toClocks(cl cases.Clocks) *clocksJSON {
	out := &clocksJSON{Legal: toClock(cl.Legal), Promised: toClock(cl.Promised), Branches: []branchClockJSON{},
		Intake: toIntake(cl.Intake), Specials: []specialJSON{}}
	for _, b := range cl.Branches {
		out.Branches = append(out.Branches, branchClockJSON{Branch: toClock(b.Branch), Step: toClock(b.Step)})
	}
	for _, sp := range cl.Specials {
		out.Specials = append(out.Specials, specialJSON{Branch: sp.Branch, Code: sp.Kind.Code, Name: sp.Kind.Name, StopsClock: sp.Kind.StopsClock,
			Unit: string(sp.Kind.DaysUnit()), Start: sp.Start, End: timePtr(sp.End), ExpectedDays: sp.Expected, Days: sp.Days})
	}
	return out
}
