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
	Days       int             `json:"days"`
	Code       string          `json:"code"`
	Decision   cases.Decision  `json:"decision"`
	Ref        string          `json:"ref"`
}

func toEvent(e cases.Event) eventJSON {
	items := e.Items
	if items == nil {
		items = []string{}
	}
	return eventJSON{Seq: e.Seq, Kind: e.Kind, KindLabel: e.Kind.Label(), At: e.At, ActorLabel: e.ActorLabel, Branch: e.Branch,
		Step: e.Step, ToStep: e.ToStep, Reason: e.Reason, Items: items, Days: e.Days, Code: e.Code, Decision: e.Decision, Ref: e.Ref}
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
	// ProvisionalYear: the period reaches a year whose holiday schedule has
	// not been imported; due is counted on a plain week until it is.
	ProvisionalYear int `json:"provisional_year,omitempty"`
	// MissingYear: the period leaves the calendar's range altogether
	// (decades ahead); the due date is unknown.
	MissingYear int `json:"missing_year,omitempty"`
}

type clocksJSON struct {
	Legal    clockJSON         `json:"legal"`
	Promised clockJSON         `json:"promised"`
	Branches []branchClockJSON `json:"branches"`
}

type branchClockJSON struct {
	Branch clockJSON `json:"branch"`
	Step   clockJSON `json:"step"`
}

func toClock(c cases.Clock) clockJSON {
	out := clockJSON{Limit: c.Limit.N, Unit: string(c.Limit.Unit), Started: c.Started, Consumed: c.Consumed,
		Remaining: c.Remaining, Paused: c.Paused, Stopped: c.Stopped, Overdue: c.Overdue, ProvisionalYear: c.Provisional, MissingYear: c.MissingYear}
	if !c.DueAt.IsZero() {
		t := c.DueAt.UTC()
		out.Due, out.DueAt = c.Due.String(), &t
	}
	return out
}

func toClocks(cl cases.Clocks) *clocksJSON {
	out := &clocksJSON{Legal: toClock(cl.Legal), Promised: toClock(cl.Promised), Branches: []branchClockJSON{}}
	for _, b := range cl.Branches {
		out.Branches = append(out.Branches, branchClockJSON{Branch: toClock(b.Branch), Step: toClock(b.Step)})
	}
	return out
}
