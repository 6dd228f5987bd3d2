package storetest

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// fakeClock is a settable clock for session and throttle tests.
type fakeClock struct{ t atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.t.Store(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC).UnixMicro())
	return c
}
func (c *fakeClock) Now() time.Time      { return time.UnixMicro(c.t.Load()).UTC() }
func (c *fakeClock) Add(d time.Duration) { c.t.Add(d.Microseconds()) }

func TestIdentity(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		clock := newFakeClock()
		sv := NewServices(b.Open(t, clock.Now), clock.Now)
		tr := BuildTree(t, sv)
		t.Run("RegisterAndFind", func(t *testing.T) { registerAndFind(t, sv) })
		t.Run("RegisterErrors", func(t *testing.T) { registerErrors(t, sv) })
		t.Run("Grants", func(t *testing.T) { grants(t, sv, tr) })
		t.Run("Sessions", func(t *testing.T) { sessions(t, sv, tr, clock) })
		t.Run("SessionActor", func(t *testing.T) { sessionActor(t, sv, tr, clock) })
		t.Run("AuthenticateWithGrants", func(t *testing.T) { authenticateWithGrants(t, sv, tr) })
		t.Run("Throttle", func(t *testing.T) { throttle(t, sv, tr, clock) })
		t.Run("ThrottleConcurrentFailures", func(t *testing.T) { throttleConcurrent(t, sv) })
		t.Run("UpdateAndPassword", func(t *testing.T) { updateAndPassword(t, sv, tr) })
		t.Run("PasswordGuesses", func(t *testing.T) { passwordGuesses(t, sv, tr) })
	})
}

func registerAndFind(t *testing.T, sv *Services) {
	ctx := context.Background()
	u := Registered(t, sv, identity.UserInput{Kind: identity.KindPerson, Username: "Zhangsan",
		Name: "张三", IDNumber: IDNumber(11), Phone: "+86 138-0013-8000", Password: "secret123"})
	if u.Phone != "13800138000" {
		t.Fatalf("phone not normalised: %q", u.Phone)
	}
	got, err := sv.Stores.Identity.FindUserByUsername(ctx, "zhangsan")
	if err != nil || got.ID != u.ID || got.IDNumber != IDNumber(11) || got.CreatedAt != u.CreatedAt {
		t.Fatalf("find by username (case-insensitive): %+v %v", got, err)
	}
	if byID, err := sv.Stores.Identity.FindUserByIDNumber(ctx, IDNumber(11)); err != nil || byID.ID != u.ID {
		t.Fatalf("find by ID number: %+v %v", byID, err)
	}
	if _, err := sv.Stores.Identity.FindUserByIDNumber(ctx, ""); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("an empty ID number must match nobody: %v", err)
	}
	legal := Registered(t, sv, identity.UserInput{Kind: identity.KindLegal, Username: "acme",
		Name: "杭州某某科技有限公司", CreditCode: CreditCode(50), ContactName: "李四", Phone: "13900139000", Password: "secret123"})
	kind := identity.KindLegal
	list, total, err := sv.Identity.FindUsers(ctx, identity.SystemActor(), identity.UserFilter{Kind: &kind})
	if err != nil || total != 1 || list[0].ID != legal.ID {
		t.Fatalf("find legal users: %d %v", total, err)
	}
	list, total, _ = sv.Identity.FindUsers(ctx, identity.SystemActor(), identity.UserFilter{Query: "张", Limit: 10})
	if total != 1 || list[0].ID != u.ID {
		t.Fatalf("search by name: %d", total)
	}
}

func registerErrors(t *testing.T, sv *Services) {
	ctx := context.Background()
	bad := IDNumber(12)
	bad = bad[:17] + map[bool]string{true: "0", false: "1"}[bad[17] != '0']
	cases := []struct {
		name  string
		in    identity.UserInput
		field string
	}{
		{"BadCheckDigit", identity.UserInput{Kind: identity.KindPerson, Username: "wang1", Name: "王五", IDNumber: bad, Password: "secret123"}, "id_number"},
		{"MissingID", identity.UserInput{Kind: identity.KindPerson, Username: "wang2", Name: "王五", Password: "secret123"}, "id_number"},
		{"DuplicateUsername", identity.UserInput{Kind: identity.KindPerson, Username: "ZHANGSAN", Name: "王五", IDNumber: IDNumber(13), Password: "secret123"}, "username"},
		{"WeakPassword", identity.UserInput{Kind: identity.KindPerson, Username: "wang4", Name: "王五", IDNumber: IDNumber(14), Password: "short"}, "password"},
		{"UsernameIsANumber", identity.UserInput{Kind: identity.KindPerson, Username: "13800138000", Name: "王五", IDNumber: IDNumber(15), Password: "secret123"}, "username"},
		{"BadPhone", identity.UserInput{Kind: identity.KindPerson, Username: "wang5", Name: "王五", IDNumber: IDNumber(16), Phone: "12345", Password: "secret123"}, "phone"},
		{"LegalWithoutContact", identity.UserInput{Kind: identity.KindLegal, Username: "corp1", Name: "某公司", CreditCode: CreditCode(51), Password: "secret123"}, "contact_name"},
		{"StaffBySelf", identity.UserInput{Kind: identity.KindStaff, Username: "sneaky", Name: "某", Password: "secret123"}, "kind"},
	}
	for _, c := range cases {
		err := sv.Identity.Register(ctx, c.in, "10.3.0.1")
		if apperr.FieldsOf(err)[c.field] == "" {
			t.Errorf("%s: got %v, want an error on %s", c.name, err, c.field)
		}
	}
	registerUniform(t, sv)
}

// registerUniform: an ID number or credit code that has an account is
// answered like a new one and creates nothing; one address registers at
// most RegistrationsPerAddress accounts an hour.
func registerUniform(t *testing.T, sv *Services) {
	ctx := context.Background()
	for _, in := range []identity.UserInput{
		{Kind: identity.KindPerson, Username: "wang3", Name: "王五", IDNumber: IDNumber(11), Password: "secret123"},
		{Kind: identity.KindLegal, Username: "acme2", Name: "另一家公司", CreditCode: CreditCode(50), ContactName: "王五", Phone: "13900139001", Password: "secret123"},
	} {
		if err := sv.Identity.Register(ctx, in, "10.3.0.2"); err != nil {
			t.Errorf("%s with a number already registered: %v, want the answer of a new registration", in.Username, err)
		}
		if _, err := sv.Stores.Identity.FindUserByUsername(ctx, in.Username); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%s: a second account for one number: %v", in.Username, err)
		}
	}
	limit := identity.DefaultPolicy().RegistrationsPerAddress
	for i := range limit + 1 {
		err := sv.Identity.Register(ctx, identity.UserInput{Kind: identity.KindPerson, Username: "flood" + itoa(int64(i)),
			Name: "批量", IDNumber: IDNumber(100 + i), Password: "secret123"}, "10.3.0.9")
		if want := i == limit; apperr.Is(err, apperr.TooMany) != want || !want && err != nil {
			t.Fatalf("registration %d from one address: %v", i+1, err)
		}
	}
}

func grants(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	_, admin := Staff(t, sv, "cityadmin", identity.RoleSysAdmin, &tr.City.ID, nil)
	approver, _ := Staff(t, sv, "approver1", identity.RoleApprover, nil, &tr.Department.ID)
	gs, err := sv.Stores.Identity.FindGrantsByUser(ctx, approver.ID)
	if err != nil || len(gs) != 1 || *gs[0].RegionID != tr.County.ID || gs[0].RegionPath != tr.County.Path || gs[0].DeptName != tr.Department.Name {
		t.Fatalf("approver's grant takes the department's region: %+v %v", gs, err)
	}
	if _, err := sv.Identity.GrantRole(ctx, admin, identity.GrantInput{UserID: approver.ID, Role: "approver", DepartmentID: &tr.Department.ID}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("duplicate grant: %v", err)
	}
	if _, err := sv.Identity.GrantRole(ctx, admin, identity.GrantInput{UserID: approver.ID, Role: "approver", RegionID: &tr.County.ID}); apperr.FieldsOf(err)["department_id"] == "" {
		t.Fatalf("approver without department: %v", err)
	}
	if _, err := sv.Identity.GrantRole(ctx, admin, identity.GrantInput{UserID: approver.ID, Role: "sysadmin"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("city admin granting deployment-wide admin: %v", err)
	}
	g, err := sv.Identity.GrantRole(ctx, admin, identity.GrantInput{UserID: approver.ID, Role: "supervisor", RegionID: &tr.County.ID})
	if err != nil {
		t.Fatal(err)
	}
	if found, err := sv.Stores.Identity.FindGrantByID(ctx, g.ID); err != nil || found.Role != identity.RoleSupervisor {
		t.Fatalf("find grant: %+v %v", found, err)
	}
	if err := sv.Identity.RevokeRole(ctx, admin, g.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Stores.Identity.FindGrantByID(ctx, g.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("revoked grant still there: %v", err)
	}
}

func sessions(t *testing.T, sv *Services, tr *Tree, clock *fakeClock) {
	ctx := context.Background()
	Staff(t, sv, "sessuser", identity.RoleSupervisor, &tr.Province.ID, nil)
	token, a, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "sessuser", Password: "secret123", Address: "10.0.0.1"})
	if err != nil || a.Username != "sessuser" || !a.Has(identity.RoleSupervisor) {
		t.Fatalf("login: %+v %v", a, err)
	}
	clock.Add(20 * time.Minute)
	if _, err := sv.Identity.Authenticate(ctx, token); err != nil {
		t.Fatalf("active session: %v", err)
	}
	clock.Add(20 * time.Minute) // 20 min idle since the touch: still alive
	if _, err := sv.Identity.Authenticate(ctx, token); err != nil {
		t.Fatalf("session touched 20 minutes ago: %v", err)
	}
	clock.Add(31 * time.Minute)
	if _, err := sv.Identity.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("idle session: %v", err)
	}
	token, a, _ = sv.Identity.Login(ctx, identity.LoginInput{Username: "sessuser", Password: "secret123"})
	for i := 0; i < 25; i++ { // keep it busy for 12.5 hours
		clock.Add(30 * time.Minute)
		sv.Identity.Authenticate(ctx, token)
	}
	if _, err := sv.Identity.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("session past its absolute lifetime: %v", err)
	}
	token, a, _ = sv.Identity.Login(ctx, identity.LoginInput{Username: "sessuser", Password: "secret123"})
	if err := sv.Identity.Logout(ctx, a, token); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Identity.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("logged-out session: %v", err)
	}
	sv.Identity.Login(ctx, identity.LoginInput{Username: "sessuser", Password: "secret123"})
	clock.Add(13 * time.Hour)
	if n, err := sv.Identity.DeleteExpiredSessions(ctx); err != nil || n < 1 {
		t.Fatalf("expired sessions removed: %d %v", n, err)
	}
}

// sessionActor checks FindSessionActor against FindSession, FindUserByID
// and FindGrantsByUser for users with no, one and two grants.
func sessionActor(t *testing.T, sv *Services, tr *Tree, clock *fakeClock) {
	ctx, sys := context.Background(), identity.SystemActor()
	none, err := sv.Identity.CreateUser(ctx, sys, identity.UserInput{Kind: identity.KindStaff, Username: "nogrants",
		Name: "无角色", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	one, _ := Staff(t, sv, "onegrant", identity.RoleWindowClerk, &tr.County.ID, nil)
	two, _ := Staff(t, sv, "twogrants", identity.RoleApprover, nil, &tr.Department.ID)
	if _, err := sv.Identity.GrantRole(ctx, sys, identity.GrantInput{UserID: two.ID, Role: "sysadmin"}); err != nil {
		t.Fatal(err)
	}
	for n, u := range []*identity.User{none, one, two} {
		id := bytes.Repeat([]byte{byte(0xa0 + n)}, 32)
		now := clock.Now()
		err := sv.Stores.Identity.CreateSession(ctx, &identity.Session{ID: id, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
			ExpiresAt: now.Add(time.Hour), Address: "10.0.0.9", UserAgent: "test"})
		if err != nil {
			t.Fatal(err)
		}
		checkSessionActor(t, sv.Stores.Identity, id, u.ID, n)
	}
	_, _, _, err = sv.Stores.Identity.FindSessionActor(ctx, bytes.Repeat([]byte{0xff}, 32))
	if !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown session: %v", err)
	}
}

// checkSessionActor compares the one-query read with the three reads.
func checkSessionActor(t *testing.T, st identity.Store, id []byte, userID int64, grants int) {
	t.Helper()
	ctx := context.Background()
	ss, u, gs, err := st.FindSessionActor(ctx, id)
	if err != nil || u.ID != userID || len(gs) != grants {
		t.Fatalf("session actor of user %d: %+v %v, %d grants, want %d", userID, u, err, len(gs), grants)
	}
	wantS, err1 := st.FindSession(ctx, id)
	wantU, err2 := st.FindUserByID(ctx, userID)
	wantG, err3 := st.FindGrantsByUser(ctx, userID)
	if err1 != nil || err2 != nil || err3 != nil {
		t.Fatalf("separate reads: %v %v %v", err1, err2, err3)
	}
	if !reflect.DeepEqual(ss, wantS) || !reflect.DeepEqual(u, wantU) || !reflect.DeepEqual(gs, wantG) {
		t.Fatalf("one query differs from three:\n%+v %+v %s\n%+v %+v %s", ss, u, dumpGrants(gs), wantS, wantU, dumpGrants(wantG))
	}
}

func dumpGrants(gs []*identity.Grant) string {
	out := ""
	for _, g := range gs {
		out += fmt.Sprintf("%+v ", *g)
	}
	return out
}

// authenticateWithGrants checks that the actor Authenticate builds carries
// the grants FindGrantsByUser returns, and that a disabled account whose
// session survived is refused.
func authenticateWithGrants(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	u, _ := Staff(t, sv, "authgrants", identity.RoleApprover, nil, &tr.Department.ID)
	if _, err := sv.Identity.GrantRole(ctx, identity.SystemActor(), identity.GrantInput{UserID: u.ID, Role: "supervisor", RegionID: &tr.City.ID}); err != nil {
		t.Fatal(err)
	}
	token, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "authgrants", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := sv.Identity.Authenticate(ctx, token)
	want, _ := sv.Stores.Identity.FindGrantsByUser(ctx, u.ID)
	if err != nil || a.UserID != u.ID || a.Username != "authgrants" || len(want) != 2 || !reflect.DeepEqual(a.Grants, want) {
		t.Fatalf("authenticated actor: %+v %v, want grants %s", a, err, dumpGrants(want))
	}
	u.Disabled = true
	if err := sv.Stores.Identity.UpdateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Identity.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthenticated) || !strings.Contains(err.Error(), "账号已停用") {
		t.Fatalf("disabled account's session: %v", err)
	}
}

// throttle: failures lock the (account, address) pair, so a stranger
// cannot lock the owner out; guessing one account from many addresses slows
// its logins down without refusing the owner for long; one address guessing
// many accounts is blocked.
func throttle(t *testing.T, sv *Services, tr *Tree, clock *fakeClock) {
	ctx := context.Background()
	Staff(t, sv, "victim", identity.RoleSupervisor, &tr.Province.ID, nil)
	try := func(pw, addr string) error {
		_, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "victim", Password: pw, Address: addr})
		return err
	}
	for i := 0; i < 4; i++ {
		if err := try("wrong", "10.0.0.2"); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	if err := try("wrong", "10.0.0.2"); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("fifth failure from one address should lock that address out of the account: %v", err)
	}
	if err := try("secret123", "10.0.0.2"); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("right password from the locked address: %v", err)
	}
	if err := try("secret123", "10.0.0.4"); err != nil {
		t.Fatalf("the owner from another address, after a stranger's five failures: %v", err)
	}
	distributed(t, sv, clock, try)
	for i := 0; i < 20; i++ {
		sv.Identity.Login(ctx, identity.LoginInput{Username: "nobody" + itoa(int64(i)), Password: "x", Address: "10.9.9.9"})
	}
	_, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "victim", Password: "secret123", Address: "10.9.9.9"})
	if !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("address with 20 failures: %v", err)
	}
	th, err := sv.Stores.Identity.FindThrottle(ctx, "addr:10.9.9.9")
	if err != nil || th.LockedUntil.IsZero() {
		t.Fatalf("throttle row: %+v %v", th, err)
	}
}

// distributed guesses the account from a new address each time: past ten
// failures every attempt waits for the one before (1 s, 2 s, 4 s …), and
// the owner gets in after that wait.
func distributed(t *testing.T, sv *Services, clock *fakeClock, try func(pw, addr string) error) {
	clock.Add(16 * time.Minute) // forget the failures above
	for i := range 10 {
		if err := try("wrong", "10.1.0."+itoa(int64(i))); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("guess %d from its own address: %v", i+1, err)
		}
	}
	err := try("secret123", "10.2.0.1")
	if !apperr.Is(err, apperr.TooMany) || !strings.Contains(apperr.MessageOf(err), "1 秒后再试") {
		t.Fatalf("right after the tenth distributed failure: %v", err)
	}
	clock.Add(time.Second)
	if err := try("wrong", "10.1.1.1"); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("eleventh guess after the wait: %v", err)
	}
	if err := try("secret123", "10.2.0.1"); !apperr.Is(err, apperr.TooMany) || !strings.Contains(apperr.MessageOf(err), "2 秒后再试") {
		t.Fatalf("the wait doubles: %v", err)
	}
	clock.Add(2 * time.Second)
	if err := try("secret123", "10.2.0.1"); err != nil {
		t.Fatalf("the owner after the wait: %v", err)
	}
}

func updateAndPassword(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	u, a := Staff(t, sv, "changer", identity.RoleWindowClerk, &tr.County.ID, nil)
	here, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "changer", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	elsewhere, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "changer", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.Identity.ChangePassword(ctx, a, here, "wrong", "newpass123"); apperr.FieldsOf(err)["current_password"] == "" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := sv.Identity.ChangePassword(ctx, a, here, "secret123", "newpass123"); err != nil {
		t.Fatal(err)
	}
	if _, err := sv.Identity.Authenticate(ctx, here); err != nil {
		t.Fatalf("the session the password was changed from: %v", err)
	}
	if _, err := sv.Identity.Authenticate(ctx, elsewhere); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("another session of the account after the change: %v; want it ended", err)
	}
	if _, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "changer", Password: "newpass123"}); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
	_, outsider := Staff(t, sv, "otheradmin", identity.RoleSysAdmin, &tr.OtherCounty.ID, nil)
	off := true
	if _, err := sv.Identity.UpdateUser(ctx, outsider, u.ID, identity.UserUpdate{Disabled: &off}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("admin of another county disabling a clerk: %v", err)
	}
	got, err := sv.Identity.UpdateUser(ctx, identity.SystemActor(), u.ID, identity.UserUpdate{Disabled: &off})
	if err != nil || !got.Disabled {
		t.Fatalf("disable: %+v %v", got, err)
	}
	if _, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "changer", Password: "newpass123"}); err == nil {
		t.Fatal("disabled account logged in")
	}
}

// throttleConcurrent fails logins of one name from one address at the same
// moment, as from several nodes at once: every failure is counted, the
// first ones too (when no counter exists yet).
func throttleConcurrent(t *testing.T, sv *Services) {
	ctx := context.Background()
	const n = 4 // below identity's AccountFailures: none of them is refused as locked
	for round := range 3 {
		name := fmt.Sprintf("racer%d", round)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				sv.Identity.Login(ctx, identity.LoginInput{Username: name, Password: "wrong", Address: "10.7.7.7"})
			})
		}
		close(start)
		wg.Wait()
		th, err := sv.Stores.Identity.FindThrottle(ctx, "pair:"+name+"|10.7.7.7")
		if err != nil || th.Failures != n {
			t.Fatalf("%d concurrent failures counted as %+v (%v)", n, th, err)
		}
	}
}

// passwordGuesses: whoever holds a session cannot guess the current
// password without limit: after the account's allowed failures, changing
// the password is refused for a while, with the right password too.
func passwordGuesses(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	_, a := Staff(t, sv, "guessed", identity.RoleWindowClerk, &tr.County.ID, nil)
	here, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "guessed", Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	var err2 error
	for i := range 20 {
		err2 = sv.Identity.ChangePassword(ctx, a, here, fmt.Sprintf("guess%d", i), "newpass123")
		if apperr.Is(err2, apperr.TooMany) {
			break
		}
		if apperr.FieldsOf(err2)["current_password"] == "" {
			t.Fatalf("wrong current password %d: %v", i, err2)
		}
	}
	if !apperr.Is(err2, apperr.TooMany) {
		t.Fatalf("twenty wrong current passwords were all checked: %v", err2)
	}
	if err := sv.Identity.ChangePassword(ctx, a, here, "secret123", "newpass123"); !apperr.Is(err, apperr.TooMany) {
		t.Fatalf("the right password while locked: %v", err)
	}
}
