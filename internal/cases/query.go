package cases

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Get returns a case and its clocks for someone allowed to see it.
func (s *Service) Get(ctx context.Context, a *identity.Actor, id int64) (*Case, Clocks, error) {
	c, err := s.loadFor(ctx, a, id, false)
	if err != nil {
		return nil, Clocks{}, err
	}
	cl, err := s.Clocks(c)
	return c, cl, err
}

// Viewed returns the clocks of a case just changed by Act, for an actor
// who may see it: what Get would answer after the change, without loading
// the case again.
func (s *Service) Viewed(a *identity.Actor, c *Case) (Clocks, error) {
	if err := CanView(a, c); err != nil {
		return Clocks{}, err
	}
	return s.Clocks(c)
}

// Progress is what anyone holding a case's number and 查询密码 may see:
// the steps with their times and due dates, with the applicant masked.
type Progress struct {
	CaseID    int64 // for the links a holder of the 查询密码 is given (rating)
	Number    string
	ItemName  string
	Applicant string // masked
	Status    Status
	Decision  Decision
	Events    []Event
	Clocks    Clocks
	Branches  []BranchState
	Procedure Procedure // no personal data: what the item is and how it runs
	Submitted time.Time
	Accepted  time.Time
	Closed    time.Time
}

// Lookup is the progress query without login. Wrong guesses are counted
// per address and per case number, and too many are refused for a while.
func (s *Service) Lookup(ctx context.Context, number, code, addr string) (*Progress, error) {
	number, code = strings.TrimSpace(number), strings.TrimSpace(code)
	var f apperr.Fields
	f.Check(number == "", "number", "请输入办件编号")
	f.Check(code == "", "code", "请输入查询密码")
	if err := f.Err(); err != nil {
		return nil, err
	}
	keys := []string{"lookup-addr:" + addr, "lookup-case:" + number}
	g, err := s.d.Store.FindCaseForLookup(ctx, number, keys)
	if err != nil {
		return nil, err
	}
	if now := s.d.Now(); now.Before(g.LockedUntil) {
		return nil, apperr.New(apperr.TooMany, "查询错误次数过多，请于 %s 后再试", g.LockedUntil.In(chinaTime).Format("15:04")).After(g.LockedUntil.Sub(now))
	}
	if g.Case == nil || !equalHash(g.CodeHash, s.hashQueryCode(code)) {
		// A guess that could not be counted is not answered either, or
		// guessing while the database refuses writes would be free.
		for _, k := range keys {
			if err := s.d.Throttle.Fail(ctx, k); err != nil {
				return nil, err
			}
		}
		return nil, apperr.New(apperr.NotFound, "办件编号或查询密码不正确")
	}
	return s.progress(g.Case)
}

func (s *Service) progress(c *Case) (*Progress, error) {
	cl, err := s.Clocks(c)
	if err != nil {
		return nil, err
	}
	p := &Progress{CaseID: c.ID, Number: c.Number, ItemName: c.Procedure.ItemName, Applicant: pii.MaskName(c.Applicant.Name),
		Status: c.Status, Decision: c.Decision, Events: publicEvents(c.Events), Clocks: cl, Branches: c.Branches,
		Procedure: c.Procedure, Submitted: c.SubmittedAt, Accepted: c.AcceptedAt, Closed: c.ClosedAt}
	return p, nil
}

// publicEvents leaves out who (by name) did what: the public sees the
// steps, their times and reasons, not the staff.
func publicEvents(evs []Event) []Event {
	out := make([]Event, 0, len(evs))
	for _, e := range evs {
		if e.Kind == EventCreated {
			continue
		}
		e.ActorID, e.ActorLabel = 0, ""
		out = append(out, e)
	}
	return out
}

func equalHash(a, b []byte) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// Mine lists the cases an applicant owns or a clerk or agent filed.
func (s *Service) Mine(ctx context.Context, a *identity.Actor, offset int) ([]*Summary, int, error) {
	if a == nil {
		return nil, 0, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	f := Filter{ApplicantUserID: a.UserID, Offset: offset, Limit: 50}
	if a.IsStaff() {
		f = Filter{AgentID: a.UserID, Offset: offset, Limit: 50}
	}
	return s.d.Store.FindCases(ctx, f)
}

// IntakeQueue lists the submitted cases waiting at the windows the clerk
// serves, with the end of each one's 补正 period (行政许可法 Art 32), the
// soonest first.
func (s *Service) IntakeQueue(ctx context.Context, a *identity.Actor, offset int) ([]*Summary, int, error) {
	prefixes, err := clerkRegions(a)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := s.d.Store.FindCases(ctx, Filter{Status: []Status{StatusSubmitted}, RegionPrefixes: prefixes, Offset: offset, Limit: 100})
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	ds, err := s.d.Store.FindDetails(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	for _, c := range list {
		c.IntakeDue = ds[c.ID].IntakeDue
	}
	sort.SliceStable(list, func(i, j int) bool { return dueBefore(list[i].IntakeDue, list[j].IntakeDue) })
	return list, total, nil
}

// dueBefore orders due dates, unknown ones last.
func dueBefore(a, b string) bool { return a != "" && (b == "" || a < b) }

func clerkRegions(a *identity.Actor) ([]string, error) {
	var prefixes []string
	for _, g := range a.Grants {
		if g.Role == identity.RoleWindowClerk {
			prefixes = append(prefixes, g.RegionPath)
		}
	}
	if len(prefixes) == 0 {
		return nil, apperr.New(apperr.Forbidden, "只有窗口人员有受理队列")
	}
	return prefixes, nil
}

// FeeQueue lists what the windows the clerk serves have to collect or pay
// back: approved cases waiting for their fee before the result is issued,
// and closed cases whose paid fee must be refunded.
func (s *Service) FeeQueue(ctx context.Context, a *identity.Actor) (due, refunds []*Summary, err error) {
	prefixes, err := clerkRegions(a)
	if err != nil {
		return nil, nil, err
	}
	due, _, err = s.d.Store.FindCases(ctx, Filter{Status: []Status{StatusPayment}, RegionPrefixes: prefixes, Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	refunds, _, err = s.d.Store.FindCases(ctx, Filter{RefundOwed: true, RegionPrefixes: prefixes, Limit: 100})
	return due, refunds, err
}

// ApprovalQueue lists the branches waiting on the departments the actor
// approves for, due first.
func (s *Service) ApprovalQueue(ctx context.Context, a *identity.Actor, offset int) ([]*Summary, int, error) {
	f := Filter{Offset: offset, Limit: 100}
	for _, g := range a.Grants {
		if (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil {
			f.DepartmentIDs = append(f.DepartmentIDs, *g.DepartmentID)
			f.StepRoles = append(f.StepRoles, g.Role)
		}
	}
	if len(f.DepartmentIDs) == 0 {
		return nil, 0, apperr.New(apperr.Forbidden, "只有审批人员和部门负责人有审批队列")
	}
	if a.Has(identity.RoleDeptHead) {
		f.StepRoles = nil // a department head sees every step of the department
	}
	return s.d.Store.FindCases(ctx, f)
}

// Procedure returns the procedure of a published item version, to build
// the application form from.
func (s *Service) Procedure(ctx context.Context, versionID int64) (*Procedure, error) {
	return s.d.Procedures.Procedure(ctx, versionID)
}

// PublishedProcedure returns the procedure of a published item version
// without checking that the item accepts applications today: filing
// checks that, and what an upload beside the filing may hold does not
// depend on it.
func (s *Service) PublishedProcedure(ctx context.Context, versionID int64) (*Procedure, error) {
	return s.d.Procedures.Published(ctx, versionID)
}

// Material returns material seq (1-based) of a case for someone allowed to
// see the case.
func (s *Service) Material(ctx context.Context, a *identity.Actor, caseID int64, seq int) (MaterialFile, error) {
	c, err := s.loadFor(ctx, a, caseID, false)
	if err != nil {
		return MaterialFile{}, err
	}
	if seq < 1 || seq > len(c.Materials) {
		return MaterialFile{}, apperr.New(apperr.NotFound, "材料不存在")
	}
	return c.Materials[seq-1], nil
}

// procedureCacheSize bounds how many distinct stored procedures a
// ProcedureCache keeps; past it, it starts over.
const procedureCacheSize = 1024

// ProcedureCache decodes the procedures stored with cases. Every case filed
// under one item version stores the same procedure, and a stored procedure
// never changes, so the cases loaded share one decoded copy (its lists
// included, as the procedures built for filing do). The zero value is
// ready to use.
type ProcedureCache struct {
	mu      sync.RWMutex
	decoded map[string]*Procedure
}

// Decode sets p from the stored JSON of a procedure.
func (pc *ProcedureCache) Decode(stored []byte, p *Procedure) error {
	return pc.DecodeKeyed(string(stored), func() ([]byte, error) { return stored, nil }, p)
}

// DecodeKeyed sets p from the procedure cached under key, or else from the
// JSON load returns. A key names one stored procedure: the JSON itself, or
// its ProcedureKey.
func (pc *ProcedureCache) DecodeKeyed(key string, load func() ([]byte, error), p *Procedure) error {
	pc.mu.RLock()
	cached, ok := pc.decoded[key]
	pc.mu.RUnlock()
	if ok {
		*p = *cached
		return nil
	}
	stored, err := load()
	if err != nil {
		return err
	}
	fresh := new(Procedure)
	if err := json.Unmarshal(stored, fresh); err != nil {
		return err
	}
	pc.mu.Lock()
	if len(pc.decoded) >= procedureCacheSize || pc.decoded == nil {
		pc.decoded = map[string]*Procedure{}
	}
	pc.decoded[key] = fresh
	pc.mu.Unlock()
	*p = *fresh
	return nil
}

// ProcedureKey is the content key of a stored procedure's JSON (SHA-256).
func ProcedureKey(stored []byte) []byte {
	sum := sha256.Sum256(stored)
	return sum[:]
}
