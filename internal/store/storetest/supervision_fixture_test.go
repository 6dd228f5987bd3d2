package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/supervision"
)

var cstZone = time.FixedZone("CST", 8*3600)

// cst is a time in China Standard Time.
func cst(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, cstZone) }

// testClock is a settable clock shared by the services of a test.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) Now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

// supRecorder stands in for notifications and timers.
type supRecorder struct {
	mu          sync.Mutex
	notified    map[int64][]string // user → kinds
	reevaluated int
}

func (r *supRecorder) NotifyStaff(_ context.Context, users []int64, kind, _, _, _ string, _ bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range users {
		r.notified[u] = append(r.notified[u], kind)
	}
	return nil
}

func (r *supRecorder) ScheduleReevaluation(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reevaluated++
	return nil
}

func (r *supRecorder) kinds(user int64) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.notified[user]...)
}

// supFixture is a supervised deployment: two counties, each with a centre,
// a department, a clerk, an approver and a supervisor, and a supervisor
// and a department head above.
type supFixture struct {
	t        *testing.T
	ctx      context.Context
	b        Backend
	sv       *Services
	tr       *Tree
	clock    *testClock
	rec      *supRecorder
	sup      *supervision.Service
	cases    *cases.Service
	other    *org.Department // in 余杭区
	citizen  *identity.Actor
	clerk    *identity.Actor
	approver *identity.Actor
	head     *identity.Actor
	xhSup    *identity.Actor // 监察人员 of 西湖区
	yhSup    *identity.Actor // 监察人员 of 余杭区
	citySup  *identity.Actor // 监察人员 of 杭州市
	admin    *identity.Actor
	yhClerk  *identity.Actor
}

func newSupFixture(t *testing.T, b Backend) *supFixture {
	clock := &testClock{}
	clock.Set(cst(3, 2, 9, 0))
	f := &supFixture{t: t, ctx: context.Background(), b: b, clock: clock, rec: &supRecorder{notified: map[int64][]string{}}}
	f.sv = NewServices(b.Open(t, clock.Now), clock.Now)
	f.tr = BuildTree(t, f.sv)
	f.otherCounty()
	f.people()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	f.sup = supervision.NewService(supervision.Deps{Store: f.sv.Stores.Supervision, Tx: f.sv.Stores, Audit: f.sv.Audit,
		Cases: f.sv.Stores.Cases, Calendars: calendars{cal}, Directory: f.sv.Org, Notifier: f.rec, Scheduler: f.rec,
		Heads: f.sv.Stores.Audit, Secret: []byte("test"), Now: clock.Now})
	f.cases = cases.NewService(cases.Deps{Store: f.sv.Stores.Cases, Tx: f.sv.Stores, Audit: f.sv.Audit,
		Procedures: procedures{1: testProcedure(f.tr), 2: f.otherProcedure()}, Calendars: calendars{cal}, Notifier: &sideEffects{},
		Certifier: &sideEffects{}, Throttle: &sideEffects{}, Accounts: accounts{f.sv.Stores.Identity}, Scheduler: &sideEffects{},
		Watcher: f.sup, Secret: []byte("test"), Now: clock.Now})
	return f
}

func (f *supFixture) otherCounty() {
	ctx, sys := f.ctx, identity.SystemActor()
	c, err := f.sv.Org.SaveCentre(ctx, sys, 0, org.CentreInput{RegionID: f.tr.OtherCounty.ID, Name: "余杭区政务服务中心", Kind: org.CentreGovService})
	if err != nil {
		f.t.Fatal(err)
	}
	f.other, err = f.sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: f.tr.OtherCounty.ID, CentreID: &c.ID,
		Name: "余杭区市场监督管理局", CreditCode: CreditCode(2)})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *supFixture) people() {
	t, tr := f.t, f.tr
	_, f.citizen = Citizen(t, f.sv, "zhang3", "张三", 21, "13800138000", "")
	_, f.clerk = Staff(t, f.sv, "clerk1", identity.RoleWindowClerk, &tr.County.ID, nil)
	_, f.yhClerk = Staff(t, f.sv, "clerk2", identity.RoleWindowClerk, &tr.OtherCounty.ID, nil)
	_, f.approver = Staff(t, f.sv, "appr1", identity.RoleApprover, nil, &tr.Department.ID)
	_, f.head = Staff(t, f.sv, "head1", identity.RoleDeptHead, nil, &tr.Department.ID)
	_, f.xhSup = Staff(t, f.sv, "sup1", identity.RoleSupervisor, &tr.County.ID, nil)
	_, f.yhSup = Staff(t, f.sv, "sup2", identity.RoleSupervisor, &tr.OtherCounty.ID, nil)
	_, f.citySup = Staff(t, f.sv, "sup3", identity.RoleSupervisor, &tr.City.ID, nil)
	_, f.admin = Staff(t, f.sv, "admin1", identity.RoleSysAdmin, &tr.County.ID, nil)
}

// otherProcedure is the test item handled in 余杭区.
func (f *supFixture) otherProcedure() *cases.Procedure {
	p := *testProcedure(f.tr)
	p.ItemVersionID, p.RegionID, p.RegionPath, p.RegionCode = 2, f.tr.OtherCounty.ID, f.tr.OtherCounty.Path, f.tr.OtherCounty.Code
	p.DepartmentID, p.Department = f.other.ID, f.other.Name
	p.Branches = []cases.Branch{{DepartmentID: f.other.ID, Department: f.other.Name, Steps: p.Branches[0].Steps}}
	return &p
}

// file files an application for item version 1 or 2.
func (f *supFixture) file(version int64, key string) *cases.Case {
	f.t.Helper()
	in := fileInput(key)
	in.ItemVersionID = version
	filed, err := f.cases.File(f.ctx, f.citizen, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return filed.Case
}

func (f *supFixture) act(a *identity.Actor, c *cases.Case, cmd cases.Command) *cases.Case {
	f.t.Helper()
	got, err := f.cases.Act(f.ctx, a, c.ID, cases.Action{Command: cmd})
	if err != nil {
		f.t.Fatalf("%s: %v", cmd.Kind, err)
	}
	return got
}

// evaluateAt moves the clock and runs the evaluator as its job would.
func (f *supFixture) evaluateAt(at time.Time) int {
	f.t.Helper()
	f.clock.Set(at)
	n, err := f.sup.EvaluateDue(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}
