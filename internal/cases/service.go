// Package cases handles applications (办件): online and window filing, free
// proxy filing at village points (代办), one-window acceptance with the
// one-time supplement notice (一次性告知), approval workflows with parallel
// approval by several departments (并联审批), special procedures that stop
// the clock, the legal and the promised clocks, decisions, certificates and
// progress lookup.
//
// A case is a list of events; its status, branches and clocks are computed
// from them by pure functions (Transition, Apply, ComputeClocks), so the
// rules are table-tested without a database and a recomputation always
// agrees with what was shown before.
package cases

import (
	"context"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"strconv"
	"sync"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Deps are what the service is built from.
type Deps struct {
	Store      Store
	Tx         Transactor
	Audit      Auditor
	Procedures Procedures
	Calendars  Calendars
	Notifier   Notifier
	Certifier  Certifier
	Throttle   Throttle
	Uploads    Quota // optional: bounds the files an account uploads on their own
	Accounts   Accounts
	Scheduler  Scheduler
	Watcher    Watcher          // optional: electronic supervision
	Decisions  DecisionRecorder // optional: the 双公示 register
	Secret     []byte           // keys the query-code hashes
	Now        func() time.Time
	Hours      calendar.OfficeHours
}

// Accounts finds the account of a person filed for by someone else, so that
// they can follow and rate their own case.
type Accounts interface {
	FindUserByID(ctx context.Context, id int64) (*identity.User, error)
	FindUserByIDNumber(ctx context.Context, idNumber string) (*identity.User, error)
}

// Service handles cases.
type Service struct {
	d    Deps
	macs sync.Pool   // of hash.Hash: HMAC-SHA256 keyed with d.Secret
	seal cipher.AEAD // seals the 查询密码 kept for the applicant
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	if d.Hours == (calendar.OfficeHours{}) {
		d.Hours = calendar.DefaultOfficeHours()
	}
	s := &Service{d: d, seal: newSealer(d.Secret)}
	s.macs.New = func() any { return hmac.New(sha256.New, d.Secret) }
	return s
}

// FormatNumber is a case's number: the 6-digit code of the region handling
// it, the filing date as YYMMDD, and the deployment-wide serial number of
// the case, at least 8 digits. It is unique per deployment because the
// serial is, and it tells a clerk at a glance where and when.
func FormatNumber(regionCode string, created time.Time, id int64) string {
	code := regionCode
	if len(code) > 6 {
		code = code[:6]
	}
	return fmt.Sprintf("%s%s%08d", code, created.In(chinaTime).Format("060102"), id)
}

var chinaTime = time.FixedZone("CST", 8*3600)

// hashQueryCode keys a 查询密码 with the deployment's secret.
func (s *Service) hashQueryCode(code string) []byte {
	m := s.macs.Get().(hash.Hash)
	defer s.macs.Put(m)
	m.Reset()
	m.Write([]byte(code))
	return m.Sum(nil)
}

// record appends the audit entry of a case change.
func (s *Service) record(ctx context.Context, a *identity.Actor, c *Case, evs []Event) error {
	kinds := make([]string, len(evs))
	for i, e := range evs {
		kinds[i] = string(e.Kind)
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + c.Procedure.RegionPath,
		Action: "cases." + kinds[len(kinds)-1], ObjectType: "case", ObjectID: strconv.FormatInt(c.ID, 10),
		Change: map[string]any{"number": c.Number, "events": kinds, "status": c.Status, "version": c.Version}})
}

// calendarFor is the calendar of the region handling the case.
func (s *Service) calendarFor(c *Case) (*calendar.Calendar, error) {
	return s.d.Calendars.ForRegion(c.Procedure.RegionPath)
}

// Clocks measures a case's clocks now.
func (s *Service) Clocks(c *Case) (Clocks, error) {
	cal, err := s.calendarFor(c)
	if err != nil {
		return Clocks{}, err
	}
	return ComputeClocks(c, cal, s.d.Hours, s.d.Now())
}

// dues computes the due dates kept on the rows for sorting queues.
func (s *Service) dues(c *Case) (Dues, error) {
	cl, err := s.Clocks(c)
	if err != nil {
		return Dues{}, err
	}
	d := Dues{Promised: dueString(cl.Promised), Legal: dueString(cl.Legal)}
	for _, b := range cl.Branches {
		d.Branches = append(d.Branches, dueString(b.Step))
	}
	if cl.Intake.Waiting() && c.Status == StatusSubmitted {
		d.Intake = cl.Intake.DueDate.String()
	}
	return d, nil
}

func dueString(c Clock) string {
	if !c.Started || c.Stopped || c.Due == (calendar.Date{}) {
		return ""
	}
	return c.Due.String()
}

// ClocksAsOf measures a case's clocks as they stood right after event seq
// (1-based), on today's calendar: what a document issued then (the 受理
// notice) states, corrected should the calendar have changed since.
func (s *Service) ClocksAsOf(c *Case, seq int) (Clocks, error) {
	then := &Case{ID: c.ID, Number: c.Number, Procedure: c.Procedure, Applicant: c.Applicant, Fee: FeeState{DueFen: c.Fee.DueFen}}
	for _, e := range c.Events[:min(max(seq, 0), len(c.Events))] {
		then.Apply(e)
	}
	cal, err := s.calendarFor(c)
	if err != nil {
		return Clocks{}, err
	}
	at := s.d.Now()
	if n := len(then.Events); n > 0 {
		at = then.Events[n-1].At
	}
	return ComputeClocks(then, cal, s.d.Hours, at)
}

// watch tells the Watcher, if any, that the case changed.
func (s *Service) watch(ctx context.Context, c *Case) error {
	if s.d.Watcher == nil || c.Status == StatusDraft {
		return nil
	}
	return s.d.Watcher.CaseChanged(ctx, c)
}
