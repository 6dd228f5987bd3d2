package supervision

import (
	"context"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Span is one step of a case's handling with its planned and actual
// working days and who held it.
type Span struct {
	Label       string
	Dept        string
	Start, End  time.Time // End is zero while the step runs
	Planned     calendar.Limit
	Used        int // working (or natural) days used, pauses excluded
	UsedHours   float64
	Due         calendar.Date
	Overdue     bool
	Paused      bool
	Holder      string // who acted on it, or the pool holding it
	Outcome     string
	Provisional int
}

// DueNote is the provisional wording of the span's due date.
func (s Span) DueNote() string { return calendar.ProvisionalNote(s.Provisional) }

// CaseFile is everything supervision shows of one case.
type CaseFile struct {
	Case      *cases.Case
	Clocks    cases.Clocks
	Applicant string // masked: supervisors see personal data masked
	Spans     []Span
	Cards     []*Card
	Orders    []*Order
	Urges     []*Urge
	CanAct    bool // the actor supervises it (督办, cards)
	CanUrge   bool
}

// CaseFile returns a case's supervision view for someone whose scope
// covers it.
func (s *Service) CaseFile(ctx context.Context, a *identity.Actor, id int64) (*CaseFile, error) {
	c, err := s.d.Cases.LoadCase(ctx, id, false)
	if err != nil {
		return nil, err
	}
	scope, err := SupervisorScope(a)
	if err != nil {
		return nil, err
	}
	// A draft is not a case yet: it is the applicant's alone until submitted.
	if c.Status == cases.StatusDraft || !scope.Covers(c.Procedure.RegionPath, depts(c)...) {
		return nil, apperr.New(apperr.NotFound, "办件不存在或不在您的监察范围内")
	}
	cal, err := s.d.Calendars.ForRegion(c.Procedure.RegionPath)
	if err != nil {
		return nil, err
	}
	now := s.d.Now()
	f := &CaseFile{Case: c, Applicant: pii.MaskName(c.Applicant.Name),
		CanAct: CanSupervise(a, c.Procedure.RegionPath, depts(c)...) == nil, CanUrge: CanUrge(a, c.Procedure.RegionPath, depts(c)...) == nil}
	if f.Clocks, err = cases.ComputeClocks(c, cal, s.d.Hours, now); err != nil {
		return nil, err
	}
	if f.Spans, err = spans(c, cal, s.d.Hours, now); err != nil {
		return nil, err
	}
	if f.Cards, _, err = s.d.Store.FindCards(ctx, CardFilter{CaseID: c.ID, Limit: 500}); err != nil {
		return nil, err
	}
	if f.Orders, _, err = s.d.Store.FindOrders(ctx, OrderFilter{CaseID: c.ID, Scope: scope, Limit: 200}); err != nil {
		return nil, err
	}
	f.Urges, err = s.d.Store.FindUrges(ctx, c.ID)
	return f, err
}

// spans replays a case's events and measures every step when it ended,
// and the running ones now.
func spans(full *cases.Case, cal *calendar.Calendar, oh calendar.OfficeHours, now time.Time) ([]Span, error) {
	r := &evaluator{in: Input{Procedure: &full.Procedure, Calendar: cal, Hours: oh, Rules: DefaultRules()},
		c: &cases.Case{ID: full.ID, Procedure: full.Procedure}}
	var out []Span
	started := map[string]time.Time{}
	for _, ev := range full.Events {
		before, err := r.subjects(ev.At)
		if err != nil {
			return nil, err
		}
		r.c.Apply(ev)
		after, err := r.subjects(ev.At)
		if err != nil {
			return nil, err
		}
		out = append(out, ended(before, after, ev, started)...)
		for _, s := range after {
			if _, ok := started[s.key]; !ok {
				started[s.key] = ev.At
			}
		}
	}
	cur, err := r.subjects(now)
	if err != nil {
		return nil, err
	}
	for _, s := range cur {
		if s.key == keyCase || s.kind == KindOvertime {
			continue
		}
		sp := spanOf(s, started[s.key])
		sp.Holder = poolLabel(s)
		out = append(out, sp)
	}
	return out, nil
}

// ended lists the steps an event finished.
func ended(before, after []subject, ev cases.Event, started map[string]time.Time) []Span {
	still := map[string]bool{}
	for _, s := range after {
		still[s.key] = true
	}
	var out []Span
	for _, s := range before {
		if still[s.key] || s.key == keyCase || s.kind == KindOvertime {
			continue
		}
		sp := spanOf(s, started[s.key])
		sp.End, sp.Holder, sp.Outcome = ev.At, ev.ActorLabel, ev.Kind.Label()
		out = append(out, sp)
	}
	return out
}

func spanOf(s subject, start time.Time) Span {
	c := s.clock
	return Span{Label: s.label, Dept: s.deptName, Start: start, Planned: c.Limit, Used: c.Consumed, UsedHours: c.Used.Hours(),
		Due: c.Due, Overdue: c.Overdue, Paused: c.Paused, Provisional: c.Provisional}
}

func poolLabel(s subject) string {
	if s.role == "" {
		return s.deptName
	}
	return s.deptName + " " + identity.Role(s.role).Label() + "（待办）"
}
