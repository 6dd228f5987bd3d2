package storetest

import (
	"bytes"
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
	"openhall/internal/store"
)

// procedures serves fixed procedures to the cases service.
type procedures map[int64]*cases.Procedure

func (p procedures) Procedure(_ context.Context, id int64) (*cases.Procedure, error) {
	if pr, ok := p[id]; ok {
		cp := *pr
		return &cp, nil
	}
	return nil, apperr.New(apperr.NotFound, "事项版本不存在")
}

func (p procedures) Published(ctx context.Context, id int64) (*cases.Procedure, error) {
	return p.Procedure(ctx, id)
}

type calendars struct{ cal *calendar.Calendar }

func (c calendars) ForRegion(string) (*calendar.Calendar, error) { return c.cal, nil }

// sideEffects records what the service asked for besides storage.
type sideEffects struct {
	mu          sync.Mutex
	notified    []cases.EventKind
	timers      int
	certs       int
	throttleErr error // what counting a wrong lookup answers
}

func (s *sideEffects) NotifyCase(_ context.Context, _ *cases.Case, e cases.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notified = append(s.notified, e.Kind)
	return nil
}
func (s *sideEffects) IssueCertificate(_ context.Context, _ *identity.Actor, c *cases.Case) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.certs++
	return "ZZ-" + c.Number, nil
}
func (s *sideEffects) ScheduleSupplementTimeout(context.Context, int64, int, time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timers++
	return nil
}
func (s *sideEffects) Fail(context.Context, string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttleErr
}

// accounts adapts the identity store.
type accounts struct{ s identity.Store }

func (a accounts) FindUserByID(ctx context.Context, id int64) (*identity.User, error) {
	return a.s.FindUserByID(ctx, id)
}
func (a accounts) FindUserByIDNumber(ctx context.Context, n string) (*identity.User, error) {
	return a.s.FindUserByIDNumber(ctx, n)
}

func testProcedure(tr *Tree) *cases.Procedure {
	w := calendar.Limit{N: 5, Unit: calendar.UnitWorkday}
	return &cases.Procedure{ItemVersionID: 1, ItemCode: "XK00001000", ItemName: "食品经营许可", RegionID: tr.County.ID,
		RegionPath: tr.County.Path, RegionCode: tr.County.Code, DepartmentID: tr.Department.ID, Department: tr.Department.Name,
		Legal: calendar.Limit{N: 20, Unit: calendar.UnitWorkday}, Promised: calendar.Limit{N: 10, Unit: calendar.UnitWorkday},
		SupplementDays: 5, AnyRefusalDenies: true, Online: true,
		Branches: []cases.Branch{{DepartmentID: tr.Department.ID, Department: tr.Department.Name,
			Steps: []cases.Step{{Name: "审核", Role: identity.RoleApprover, Limit: w}}}},
		Fields:    []cases.Field{{Name: "shop", Label: "店名", Type: cases.FieldText, Required: true, Max: 50}},
		Materials: []cases.Material{{Code: "licence", Name: "营业执照", Kind: cases.MaterialUpload, Required: true, Originals: 1}},
		Result:    cases.Result{Name: "食品经营许可证", Certificate: true, ValidMonths: 60}}
}

func newCases(sv *Services, tr *Tree, fx *sideEffects) *cases.Service {
	cal, _ := calendar.New(calendar.EmbeddedSchedules(), nil)
	return cases.NewService(cases.Deps{Store: sv.Stores.Cases, Tx: sv.Stores, Audit: sv.Audit,
		Procedures: procedures{1: testProcedure(tr)}, Calendars: calendars{cal}, Notifier: fx, Certifier: fx,
		Throttle: fx, Accounts: accounts{sv.Stores.Identity}, Scheduler: fx, Secret: []byte("test"),
		Now: func() time.Time { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) }})
}

func fileInput(key string) cases.FileInput {
	return cases.FileInput{ItemVersionID: 1, Key: key, Form: map[string]string{"shop": "张记小吃"},
		Materials: []cases.MaterialFile{{Code: "licence", FileName: "执照.pdf", SHA256: "ab12", Size: 1000, MIME: "application/pdf"}}}
}

func TestCases(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		fx := &sideEffects{}
		svc := newCases(sv, tr, fx)
		ctx := context.Background()
		citizen := registerCitizen(t, sv)
		_, clerk := Staff(t, sv, "clerk9", identity.RoleWindowClerk, &tr.County.ID, nil)
		_, clerk2 := Staff(t, sv, "clerk10", identity.RoleWindowClerk, &tr.County.ID, nil)
		_, approver := Staff(t, sv, "appr9", identity.RoleApprover, nil, &tr.Department.ID)

		filed, err := svc.File(ctx, citizen, fileInput("k1"))
		if err != nil {
			t.Fatal(err)
		}
		c := filed.Case
		if len(filed.QueryCode) != 6 || c.Number[:6] != "330106" || c.Status != cases.StatusSubmitted {
			t.Fatalf("filed: %+v code %q", c, filed.QueryCode)
		}
		again, err := svc.File(ctx, citizen, fileInput("k1"))
		if err != nil || !again.Repeated || again.Case.ID != c.ID {
			t.Fatalf("a retried submission must return the same case: %+v %v", again, err)
		}
		loaded, err := sv.Stores.Cases.LoadCase(ctx, c.ID, false)
		if err != nil || loaded.Number != c.Number || loaded.Version != c.Version || len(loaded.Materials) != 1 ||
			loaded.Applicant.IDNumber != IDNumber(21) || loaded.Form["shop"] != "张记小吃" || loaded.Events[1].At != c.Events[1].At {
			t.Fatalf("load: %+v %v", loaded, err)
		}
		queue, n, err := svc.IntakeQueue(ctx, clerk, 0)
		if err != nil || n != 1 || queue[0].Number != c.Number {
			t.Fatalf("intake queue: %d %v", n, err)
		}
		concurrentAccept(t, svc, c, clerk, clerk2)
		appr, n, err := svc.ApprovalQueue(ctx, approver, 0)
		if err != nil || n != 1 || appr[0].StepDue == "" || appr[0].Branch != 0 {
			t.Fatalf("approval queue: %+v %d %v", appr, n, err)
		}
		done, err := svc.Act(ctx, approver, c.ID, cases.Action{Command: cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "符合条件"}})
		if err != nil || done.Status != cases.StatusClosed || done.Certificate != "ZZ-"+c.Number {
			t.Fatalf("approve: %+v %v", done, err)
		}
		checkActed(t, svc, approver, done)
		if _, n, _ := svc.ApprovalQueue(ctx, approver, 0); n != 0 {
			t.Fatalf("a closed case stays in the approval queue")
		}
		mine, n, err := svc.Mine(ctx, citizen, 0)
		if err != nil || n != 1 || mine[0].Status != cases.StatusClosed {
			t.Fatalf("mine: %d %v", n, err)
		}
		p, err := svc.Lookup(ctx, c.Number, filed.QueryCode, "10.0.0.1")
		if err != nil || p.Applicant == "张三" || p.Status != cases.StatusClosed {
			t.Fatalf("lookup: %+v %v", p, err)
		}
		if _, err := svc.Lookup(ctx, c.Number, "000000x", "10.0.0.1"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("wrong code: %v", err)
		}
		fx.throttleErr = apperr.New(apperr.Unavailable, "数据库暂时不可用")
		if _, err := svc.Lookup(ctx, c.Number, "000000x", "10.0.0.1"); !apperr.Is(err, apperr.Unavailable) {
			t.Fatalf("a wrong code whose failure could not be counted: %v, want the counting's error", err)
		}
		fx.throttleErr = nil
		g, err := sv.Stores.Cases.FindCaseForLookup(ctx, c.Number, []string{"k1", "k2"})
		light, hash := g.Case, g.CodeHash
		if err != nil || len(hash) == 0 || light.Status != cases.StatusClosed || len(light.Events) != len(done.Events) ||
			light.Materials != nil || !g.LockedUntil.IsZero() {
			t.Fatalf("the lookup's case (events, no materials): %+v %v", g, err)
		}
		full, _, err := sv.Stores.Cases.FindCaseByNumber(ctx, c.Number)
		if err != nil {
			t.Fatal(err)
		}
		checkLookupCase(t, light, full)
		b.Exec(t, sv.Stores, `DELETE FROM case_progress WHERE number = ?`, c.Number)
		old, err := sv.Stores.Cases.FindCaseForLookup(ctx, c.Number, []string{"k1"})
		if err != nil || !bytes.Equal(hash, old.CodeHash) {
			t.Fatalf("a case without a progress row is looked up from its events: %v", err)
		}
		checkLookupCase(t, old.Case, full)
		checkLookupLocks(t, sv, c.Number)
	})
}

// checkActed: the case Act returns is the case as saved, which the action's
// answer shows without reading it again.
func checkActed(t *testing.T, svc *cases.Service, a *identity.Actor, acted *cases.Case) {
	t.Helper()
	got, cl, err := svc.Get(context.Background(), a, acted.ID)
	if err != nil {
		t.Fatal(err)
	}
	viewed, err := svc.Viewed(a, acted)
	if err != nil || !reflect.DeepEqual(acted, got) || !reflect.DeepEqual(viewed, cl) {
		t.Fatalf("the case as acted on and as read again differ (%v):\n%+v\n%+v", err, acted, got)
	}
}

// checkLookupLocks: the lookup reports the latest lock of its keys, for
// a number that exists and for one that does not.
func checkLookupLocks(t *testing.T, sv *Services, number string) {
	t.Helper()
	ctx := context.Background()
	until := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, k := range []string{"lock-a", "lock-b"} {
		th := &identity.Throttle{Key: k, Failures: 10, WindowStart: until.Add(-time.Hour), LockedUntil: until.Add(time.Duration(i) * time.Minute)}
		if err := sv.Stores.Identity.PutThrottle(ctx, th); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{number, "33010626112599999999"} {
		g, err := sv.Stores.Cases.FindCaseForLookup(ctx, n, []string{"lock-a", "lock-b", "free"})
		if err != nil || !g.LockedUntil.Equal(until.Add(time.Minute)) || (g.Case == nil) != (n != number) {
			t.Fatalf("locks of %s: %+v %v", n, g, err)
		}
	}
}

// checkLookupCase: the lookup's case shows what the full case shows.
func checkLookupCase(t *testing.T, light, full *cases.Case) {
	t.Helper()
	type shown struct {
		Number, Name     string
		Status           cases.Status
		Decision         cases.Decision
		Version          int
		Events           []cases.Event
		Branches         []cases.BranchState
		Procedure        cases.Procedure
		Sub, Acc, Closed time.Time
	}
	view := func(c *cases.Case) shown {
		return shown{c.Number, c.Applicant.Name, c.Status, c.Decision, c.Version, c.Events, c.Branches, c.Procedure,
			c.SubmittedAt, c.AcceptedAt, c.ClosedAt}
	}
	if got, want := view(light), view(full); !reflect.DeepEqual(got, want) {
		t.Fatalf("lookup case differs from the full case:\n got %+v\nwant %+v", got, want)
	}
}

// concurrentAccept: two clerks accept the same case at once; exactly one wins.
func concurrentAccept(t *testing.T, svc *cases.Service, c *cases.Case, a, b *identity.Actor) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, actor := range []*identity.Actor{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = svc.Act(context.Background(), actor, c.ID, cases.Action{Command: cases.Command{Kind: cases.CmdAccept}, Version: c.Version})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("the losing clerk got %v, want a conflict", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d clerks accepted the same case", ok)
	}
}

func registerCitizen(t *testing.T, sv *Services) *identity.Actor {
	t.Helper()
	ctx := context.Background()
	if err := sv.Identity.Register(ctx, identity.UserInput{Kind: identity.KindPerson, Username: "zhang3",
		Name: "张三", IDNumber: IDNumber(21), Phone: "13800138000", Password: "secret123"}, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	_, a, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "zhang3", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestCaseSaves: a change saved against a version that is no longer the
// stored one is refused and none of it is written (on PostgreSQL the check
// travels with the commit); a case whose procedure is kept in its own row,
// as before procedures were stored once by key, still loads and is looked
// up; a process that has not decoded a procedure yet loads it under the
// case's lock.
func TestCaseSaves(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		svc := newCases(sv, tr, &sideEffects{})
		ctx := context.Background()
		filed, err := svc.File(ctx, registerCitizen(t, sv), fileInput("stale"))
		if err != nil {
			t.Fatal(err)
		}
		c := filed.Case
		stale, err := sv.Stores.Cases.LoadCase(ctx, c.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		stale.Apply(cases.Event{Kind: cases.EventWithdrawn, At: time.Now().UTC().Truncate(time.Microsecond), Branch: -1})
		err = sv.Stores.InTx(ctx, func(ctx context.Context) error {
			return sv.Stores.Cases.SaveCase(ctx, stale, stale.Version, stale.Events[len(stale.Events)-1:], nil, cases.Dues{})
		})
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("a save against another version: %v", err)
		}
		if now, err := sv.Stores.Cases.LoadCase(ctx, c.ID, false); err != nil || len(now.Events) != len(c.Events) {
			t.Fatalf("a refused save wrote events: %v", err)
		}
		// A process that has not decoded the procedure yet reads it inside
		// the transaction that locks the case.
		fresh := withFreshCases(sv)
		err = fresh.Stores.InTx(ctx, func(ctx context.Context) error {
			locked, err := fresh.Stores.Cases.LoadCase(ctx, c.ID, true)
			if err == nil && locked.Procedure.ItemName != c.Procedure.ItemName {
				t.Errorf("procedure of a locked case: %+v", locked.Procedure)
			}
			return err
		})
		if err != nil {
			t.Fatalf("a case locked by a process that has not decoded its procedure: %v", err)
		}
		b.Exec(t, sv.Stores, `UPDATE cases SET procedure = (SELECT procedure FROM case_procedures WHERE key = cases.procedure_key),
			procedure_key = NULL WHERE id = ?`, c.ID)
		fresh = withFreshCases(sv) // nothing decoded yet
		old, err := fresh.Stores.Cases.LoadCase(ctx, c.ID, true)
		if err != nil || old.Procedure.ItemName != c.Procedure.ItemName || len(old.Procedure.Materials) != len(c.Procedure.Materials) {
			t.Fatalf("a case with its own procedure: %+v %v", old, err)
		}
		p, err := newCases(withFreshCases(sv), tr, &sideEffects{}).Lookup(ctx, c.Number, filed.QueryCode, "10.0.0.9")
		if err != nil || p.ItemName != c.Procedure.ItemName {
			t.Fatalf("lookup of a case with its own procedure: %+v %v", p, err)
		}
	})
}

// withFreshCases is sv with a new cases store over the same database, whose
// caches are empty.
func withFreshCases(sv *Services) *Services {
	st := *sv.Stores
	st.Cases = st.Backend.(interface{ Stores() *store.Stores }).Stores().Cases
	fresh := *sv
	fresh.Stores = &st
	return &fresh
}
