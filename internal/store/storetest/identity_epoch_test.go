package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// TestAuthEpoch checks, on each backend, which changes move the auth epoch:
// every one that could change what FindSessionActor returns, and not the
// writes a busy hall makes at every request or login.
func TestAuthEpoch(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		clock := newFakeClock()
		sv := NewServices(b.Open(t, clock.Now), clock.Now)
		tr := BuildTree(t, sv)
		ctx, st := context.Background(), sv.Stores.Identity
		u, _ := Staff(t, sv, "epochuser", identity.RoleApprover, nil, &tr.Department.ID)
		session := func(n byte, ends time.Time) []byte {
			id := bytes.Repeat([]byte{n}, 32)
			now := clock.Now()
			if err := st.CreateSession(ctx, &identity.Session{ID: id, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: ends}); err != nil {
				t.Fatal(err)
			}
			return id
		}
		id := session(0xe1, clock.Now().Add(time.Hour))
		var grant *identity.Grant
		changes := []struct {
			name  string
			moves bool
			do    func() error
		}{
			{"CreateSession", false, func() error { session(0xe2, clock.Now().Add(time.Hour)); return nil }},
			{"TouchSession", false, func() error { return st.TouchSession(ctx, id, clock.Now().Add(time.Minute)) }},
			{"Login", false, func() error {
				_, _, err := sv.Identity.Login(ctx, identity.LoginInput{Username: "epochuser", Password: "secret123"})
				return err
			}},
			{"RolledBack", false, func() error {
				err := sv.Stores.InTx(ctx, func(ctx context.Context) error {
					if err := st.DeleteSession(ctx, id); err != nil {
						return err
					}
					return errors.New("roll back")
				})
				return ignore(err, "roll back")
			}},
			{"DeleteExpiredNone", false, func() error { _, err := sv.Identity.DeleteExpiredSessions(ctx); return err }},
			{"UpdateUser", true, func() error { u.Phone = "13800138000"; return st.UpdateUser(ctx, u) }},
			{"CreateGrant", true, func() error {
				var err error
				grant, err = sv.Identity.GrantRole(ctx, identity.SystemActor(), identity.GrantInput{UserID: u.ID, Role: "supervisor", RegionID: &tr.City.ID})
				return err
			}},
			{"DeleteGrant", true, func() error { return st.DeleteGrant(ctx, grant.ID) }},
			{"RenameRegion", true, func() error { r := *tr.City; r.Name = "新市"; return sv.Stores.Org.UpdateRegion(ctx, &r) }},
			{"RenameDepartment", true, func() error {
				d := *tr.Department
				d.Name = "新局"
				return sv.Stores.Org.UpdateDepartment(ctx, &d)
			}},
			{"DeleteSession", true, func() error { return st.DeleteSession(ctx, id) }},
			{"DeleteUserSessions", true, func() error { return st.DeleteUserSessions(ctx, u.ID) }},
			{"DeleteExpired", true, func() error {
				session(0xe3, clock.Now().Add(time.Minute))
				clock.Add(2 * time.Minute)
				_, err := sv.Identity.DeleteExpiredSessions(ctx)
				return err
			}},
		}
		for _, c := range changes {
			before, err := st.AuthEpoch(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.do(); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			after, err := st.AuthEpoch(ctx)
			if err != nil || (after != before) != c.moves {
				t.Errorf("%s: epoch %d → %d (%v), want moved %v", c.name, before, after, err, c.moves)
			}
		}
	})
}

// ignore returns nil for the error that says msg.
func ignore(err error, msg string) error {
	if err != nil && err.Error() == msg {
		return nil
	}
	return err
}

// TestSessionEndsOnEveryNode runs two nodes' identity services on one
// database: once a change commits on one, the other's next request sees
// it, although that node authenticated the session a moment before.
func TestSessionEndsOnEveryNode(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		a, other, tr := twoNodes(t, b)
		ctx := context.Background()
		u, _ := Staff(t, a, "twonodes", identity.RoleApprover, nil, &tr.Department.ID)
		token := loginToken(t, a, "twonodes")
		g, err := a.Identity.GrantRole(ctx, identity.SystemActor(), identity.GrantInput{UserID: u.ID, Role: "supervisor", RegionID: &tr.City.ID})
		if err != nil {
			t.Fatal(err)
		}
		grantsOn := func(node *Services) int {
			t.Helper()
			for range 2 { // the second request is served from what the node kept
				actor, err := node.Identity.Authenticate(ctx, token)
				if err != nil {
					t.Fatalf("authenticate: %v", err)
				}
				if actor.Has(identity.RoleSupervisor) != (len(actor.Grants) == 2) {
					t.Fatalf("grants %d, supervisor %v", len(actor.Grants), actor.Has(identity.RoleSupervisor))
				}
			}
			actor, _ := node.Identity.Authenticate(ctx, token)
			return len(actor.Grants)
		}
		if grantsOn(other) != 2 || grantsOn(a) != 2 {
			t.Fatal("both nodes should see the two grants")
		}
		if err := a.Identity.RevokeRole(ctx, identity.SystemActor(), g.ID); err != nil {
			t.Fatal(err)
		}
		if n := grantsOn(other); n != 1 {
			t.Fatalf("the other node still sees %d grants after the revocation", n)
		}
		actor, _ := a.Identity.Authenticate(ctx, token)
		if err := a.Identity.Logout(ctx, actor, token); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Identity.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("logged out on one node, still in on the other: %v", err)
		}
	})
}

// TestDisabledOnEveryNode: an account disabled on one node is refused on
// the other at its next request.
func TestDisabledOnEveryNode(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		a, other, tr := twoNodes(t, b)
		ctx := context.Background()
		admin, _ := Staff(t, a, "disabler", identity.RoleSysAdmin, &tr.Province.ID, nil)
		u, _ := Staff(t, a, "disabled", identity.RoleApprover, nil, &tr.Department.ID)
		token := loginToken(t, a, "disabled")
		for range 2 {
			if _, err := other.Identity.Authenticate(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		adminActor, err := a.Identity.Authenticate(ctx, loginToken(t, a, admin.Username))
		if err != nil {
			t.Fatal(err)
		}
		disabled := true
		if _, err := a.Identity.UpdateUser(ctx, adminActor, u.ID, identity.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		if _, err := other.Identity.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthenticated) {
			t.Fatalf("disabled on one node, still in on the other: %v", err)
		}
	})
}

// twoNodes is two nodes' services on one database with the Tree.
func twoNodes(t *testing.T, b Backend) (a, other *Services, tr *Tree) {
	clock := newFakeClock()
	a = NewServices(b.Open(t, clock.Now), clock.Now)
	return a, NewServices(a.Stores, clock.Now), BuildTree(t, a)
}

func loginToken(t testing.TB, sv *Services, username string) string {
	t.Helper()
	token, _, err := sv.Identity.Login(context.Background(), identity.LoginInput{Username: username, Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	return token
}
