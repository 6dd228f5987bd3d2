package cases

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Scheduler sets the timers of cases, inside the caller's transaction.
type Scheduler interface {
	// ScheduleSupplementTimeout runs SupplementTimedOut for the case at the
	// end of the supplement period unless the applicant answered.
	ScheduleSupplementTimeout(ctx context.Context, caseID int64, round int, at time.Time) error
}

// Action is a command on a case by a person.
type Action struct {
	Command
	Version   int            // the version the person saw; 0 skips the check
	Materials []MaterialFile // for supplements and corrections
}

// Act applies one command to a case on behalf of a, refusing it when a may
// not do it, when the case's state does not allow it, or when the case
// changed since a saw it (two clerks accepting at once: one wins).
func (s *Service) Act(ctx context.Context, a *identity.Actor, caseID int64, act Action) (*Case, error) {
	var c *Case
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.loadFor(ctx, a, caseID, true); err != nil {
			return err
		}
		if act.Version != 0 && act.Version != c.Version {
			return apperr.New(apperr.Conflict, "办件已被他人处理（当前为“%s”），请刷新后重试", c.Status.Label())
		}
		if err := checkStatus(c, act.Kind); err != nil {
			return err
		}
		if err := authorize(a, c, act.Command); err != nil {
			return err
		}
		act.ActorID, act.ActorLabel = a.UserID, a.Audit().Label
		return s.apply(ctx, a, c, act)
	})
	return c, err
}

// apply runs the state machine, adds the side effects (numbers, the
// certificate, notifications, timers) and saves, all in one transaction.
func (s *Service) apply(ctx context.Context, a *identity.Actor, c *Case, act Action) error {
	from := c.Version
	if err := s.prepareCommand(c, &act); err != nil {
		return err
	}
	evs, err := Transition(c, act.Command, s.d.Now())
	if err != nil {
		return err
	}
	if evs, err = s.withCertificate(ctx, a, c, evs); err != nil {
		return err
	}
	materials := stamp(act.Materials, c.Rounds, s.d.Now())
	for _, e := range evs {
		numberEvent(c, &e)
		c.Apply(e)
	}
	c.Materials = append(c.Materials, materials...)
	if err := s.save(ctx, c, from, c.Events[len(c.Events)-len(evs):], materials); err != nil {
		return err
	}
	return s.effects(ctx, a, c, c.Events[len(c.Events)-len(evs):])
}

// prepareCommand adds to a command what its rules need beyond the case:
// the files a supplement hands in, the end of the 补正 period on the
// calendar, and, for a draft, that the stored application is complete.
func (s *Service) prepareCommand(c *Case, act *Action) error {
	switch act.Kind {
	case CmdSupplement, CmdCorrect:
		if err := checkSupplementMaterials(c, act.Materials); err != nil {
			return err
		}
		act.Supplied = nil
		for _, m := range act.Materials {
			act.Supplied = append(act.Supplied, m.Code)
		}
	case CmdRequestSupplement:
		cl, err := s.Clocks(c)
		if err != nil {
			return err
		}
		act.IntakeDue = cl.Intake.Due
	case CmdSubmit:
		return validateApplication(&c.Procedure, FileInput{Form: c.Form, Materials: c.Materials})
	}
	return nil
}

func (s *Service) save(ctx context.Context, c *Case, from int, evs []Event, materials []MaterialFile) error {
	due, err := s.dues(c)
	if err != nil {
		return err
	}
	due.IntakeMoved = movesIntake(evs)
	return s.d.Store.SaveCase(ctx, c, from, evs, materials, due)
}

// movesIntake reports whether events start or end a wait for the window's
// answer (行政许可法 Art 32), which the intake queue sorts by.
func movesIntake(evs []Event) bool {
	for _, e := range evs {
		switch e.Kind {
		case EventSubmitted, EventSupplemented, EventSupplementRequested, EventAccepted, EventRefused, EventWithdrawn:
			return true
		}
	}
	return false
}

// numberEvent gives the documents an event produces their numbers: the
// 受理通知书, 不予受理通知书 and 补正告知书 carry the case number and,
// for supplements, the round.
func numberEvent(c *Case, e *Event) {
	switch e.Kind {
	case EventAccepted:
		e.Ref = "受理-" + c.Number
	case EventRefused:
		e.Ref = "不予受理-" + c.Number
	case EventSupplementRequested:
		e.Ref = fmt.Sprintf("补正-%s-%d", c.Number, c.Rounds+1)
	case EventReturnedToApplicant:
		e.Ref = fmt.Sprintf("补正-%s-%d", c.Number, c.Rounds+1)
	case EventFeePaid:
		if e.Ref == "" {
			e.Ref = fmt.Sprintf("收费-%s-%d", c.Number, len(c.Events)+1)
		}
	case EventRefunded:
		if e.Ref == "" {
			e.Ref = fmt.Sprintf("退费-%s-%d", c.Number, len(c.Events)+1)
		}
	case EventSpecialStarted:
		e.Ref = fmt.Sprintf("特别程序-%s-%d", c.Number, len(c.Events)+1)
	}
}

// withCertificate issues the certificate of an approved case that results
// in one, recording it just before the case closes (出证办结): at the
// decision, or once the fee is paid where the result waits for it.
func (s *Service) withCertificate(ctx context.Context, a *identity.Actor, c *Case, evs []Event) ([]Event, error) {
	for i, e := range evs {
		if e.Kind != EventClosed || Completion(e.Code) != CompletionCertificate {
			continue
		}
		trial := *c
		trial.Decision, trial.Events = DecisionApproved, nil
		number, err := s.d.Certifier.IssueCertificate(ctx, a, &trial)
		if err != nil {
			return nil, fmt.Errorf("issue certificate for case %s: %w", c.Number, err)
		}
		cert := Event{Kind: EventCertificateIssued, At: e.At, ActorID: e.ActorID, ActorLabel: e.ActorLabel, Branch: -1, Ref: number}
		return append(append(append([]Event{}, evs[:i]...), cert), evs[i:]...), nil
	}
	return evs, nil
}

// effects records the change and tells the applicant, inside the same
// transaction: the audit entry, notifications and timers exist if and only
// if the change committed.
func (s *Service) effects(ctx context.Context, a *identity.Actor, c *Case, evs []Event) error {
	if err := s.record(ctx, a, c, evs); err != nil {
		return err
	}
	if err := s.watch(ctx, c); err != nil {
		return err
	}
	for _, e := range evs {
		if notifies[e.Kind] {
			if err := s.d.Notifier.NotifyCase(ctx, c, e); err != nil {
				return err
			}
		}
		if e.Kind == EventSupplementRequested {
			if err := s.scheduleTimeout(ctx, c); err != nil {
				return err
			}
		}
		if e.Kind == EventDecided && s.d.Decisions != nil {
			if err := s.d.Decisions.CaseDecided(ctx, c, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// notifies lists the events the applicant is told about.
var notifies = map[EventKind]bool{
	EventAccepted: true, EventRefused: true, EventSupplementRequested: true, EventReturnedToApplicant: true,
	EventExtensionApproved: true, EventDecided: true, EventCertificateIssued: true, EventSupplementTimeout: true,
	EventSpecialStarted: true, EventRefunded: true,
}

// scheduleTimeout sets the timer of the latest 补正 notice for the end of
// its period; when the period reaches a year without a holiday schedule the
// timer looks again a day later, and again, until the schedule is imported.
func (s *Service) scheduleTimeout(ctx context.Context, c *Case) error {
	return s.d.Scheduler.ScheduleSupplementTimeout(ctx, c.ID, c.Rounds, s.timeoutCheck(c))
}

func (s *Service) timeoutCheck(c *Case) time.Time {
	cal, err := s.calendarFor(c)
	if err == nil {
		var due time.Time
		if due, err = SupplementDue(c, cal, s.d.Hours); err == nil {
			return due
		}
	}
	return s.d.Now().Add(24 * time.Hour)
}

func checkSupplementMaterials(c *Case, ms []MaterialFile) error {
	var f apperr.Fields
	for _, m := range ms {
		f.Check(!hasMaterial(&c.Procedure, m.Code), "material."+m.Code, "材料“"+m.Code+"”不在该事项的材料清单中")
	}
	return f.Err()
}

// SupplementTimedOut closes a case whose applicant did not answer the 补正
// notice of round in time. It does nothing when the applicant answered or
// the case moved on, so a late or repeated timer is harmless.
func (s *Service) SupplementTimedOut(ctx context.Context, caseID int64, round int) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.d.Store.LoadCase(ctx, caseID, true)
		if err != nil {
			return err
		}
		if c.Status != StatusSupplement || c.Rounds != round {
			return nil
		}
		if at := s.timeoutCheck(c); s.d.Now().Before(at) {
			// Not due yet: the calendar changed (an override, a new year's
			// schedule) or the due date was unknown; look again then.
			return s.d.Scheduler.ScheduleSupplementTimeout(ctx, c.ID, round, at)
		}
		sys := identity.SystemActor()
		return s.apply(ctx, sys, c, Action{Command: Command{Kind: CmdSupplementTimeout, ActorLabel: sys.Audit().Label}})
	})
}
