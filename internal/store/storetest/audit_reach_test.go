package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// TestAuditReach: each reader of the audit log sees the entries of the
// regions their grants cover, with the centres and departments of those
// regions; a grant naming a department sees that department's; entries of
// the whole deployment only the deployment's administrators see. Paging
// through a reader's entries gives exactly those, newest first.
func TestAuditReach(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		sv := NewServices(s, nil)
		tr := BuildTree(t, sv)
		ctx, sys := context.Background(), identity.SystemActor()
		ningbo, err := sv.Org.CreateRegion(ctx, sys, org.RegionInput{ParentID: &tr.Province.ID, Code: "330200", Name: "宁波市", Level: org.LevelCity})
		if err != nil {
			t.Fatal(err)
		}
		yhDept, err := sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.OtherCounty.ID,
			Name: "余杭区市场监督管理局", CreditCode: CreditCode(2)})
		if err != nil {
			t.Fatal(err)
		}
		// Each entry's object id names it; the scopes are every form the
		// code base writes.
		scopes := []struct{ name, scope string }{
			{"xh1", "region:" + tr.County.Path},
			{"xh-centre", fmt.Sprintf("centre:%d", tr.Centre.ID)},
			{"xh2", "region:" + tr.County.Path},
			{"xh-township", "region:" + tr.Township.Path},
			{"xh-dept", fmt.Sprintf("dept:%d", tr.Department.ID)},
			{"yh", "region:" + tr.OtherCounty.Path},
			{"yh-dept", fmt.Sprintf("dept:%d", yhDept.ID)},
			{"hz", "region:" + tr.City.Path},
			{"nb", "region:" + ningbo.Path},
			{"no-such-centre", fmt.Sprintf("centre:%d0", tr.Centre.ID)}, // a prefix of the scope is 西湖区's centre
			{"system", "system"},
			{"identity", "identity"},
			{"xh3", "region:" + tr.County.Path},
		}
		for _, e := range scopes {
			err := s.InTx(ctx, func(ctx context.Context) error {
				return sv.Audit.Append(ctx, audit.Record{Actor: audit.System, Scope: e.scope, Action: "test.reach",
					ObjectType: "thing", ObjectID: e.name})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		_, xhAdmin := Staff(t, sv, "xhadmin", identity.RoleSysAdmin, &tr.County.ID, nil)
		_, yhWatch := Staff(t, sv, "yhwatch", identity.RoleSupervisor, &tr.OtherCounty.ID, nil)
		_, hzAdmin := Staff(t, sv, "hzadmin", identity.RoleSysAdmin, &tr.City.ID, nil)
		_, deptWatch := Staff(t, sv, "deptwatch", identity.RoleSupervisor, &tr.County.ID, &tr.Department.ID)
		_, clerk := Staff(t, sv, "clerk", identity.RoleWindowClerk, &tr.County.ID, nil)
		hz := []string{"xh3", "hz", "yh-dept", "yh", "xh-dept", "xh-township", "xh2", "xh-centre", "xh1"}
		for _, tc := range []struct {
			name   string
			reader *identity.Actor
			want   []string // newest first
		}{
			{"CountyAdmin", xhAdmin, []string{"xh3", "xh-dept", "xh-township", "xh2", "xh-centre", "xh1"}},
			{"OtherCountySupervisor", yhWatch, []string{"yh-dept", "yh"}},
			{"CityAdmin", hzAdmin, hz},
			{"DepartmentSupervisor", deptWatch, []string{"xh-dept"}},
			{"DeploymentAdmin", sys, []string{"xh3", "identity", "system", "no-such-centre", "nb", "hz", "yh-dept", "yh",
				"xh-dept", "xh-township", "xh2", "xh-centre", "xh1"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				reach, err := identity.AuditReach(tc.reader)
				if err != nil {
					t.Fatal(err)
				}
				for _, limit := range []int{100, 2} {
					if got := pageAll(t, sv.Audit, reach, limit); !slices.Equal(got, tc.want) {
						t.Fatalf("pages of %d: %v, want %v", limit, got, tc.want)
					}
				}
			})
		}
		t.Run("ErrNotAuditor", func(t *testing.T) {
			if _, err := identity.AuditReach(clerk); err == nil {
				t.Fatal("a 窗口人员 reads the audit log")
			}
		})
	})
}

// pageAll pages through the test entries within reach, limit at a time,
// and returns their object ids.
func pageAll(t *testing.T, log *audit.Log, reach *audit.Reach, limit int) []string {
	t.Helper()
	var got []string
	before := int64(0)
	for {
		es, err := log.Find(context.Background(), audit.Filter{Action: "test.reach", Within: reach, BeforeID: before, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			got = append(got, e.ObjectID)
		}
		if len(es) < limit {
			return got
		}
		before = es[len(es)-1].ID
	}
}

// TestAccountEntriesInReach: what happens to a staff account and its roles
// is read by the administrators of the region holding its roles (and of
// the regions above), not by those of another region; an account created
// by the deployment's administrator before it holds a role, and a public
// account, only the deployment's administrators read.
func TestAccountEntriesInReach(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		s := b.Open(t, nil)
		sv := NewServices(s, nil)
		tr := BuildTree(t, sv)
		ctx, sys := context.Background(), identity.SystemActor()
		xhAdminUser, xhAdmin := Staff(t, sv, "xhadmin", identity.RoleSysAdmin, &tr.County.ID, nil)
		yhAdminUser, yhAdmin := Staff(t, sv, "yhadmin", identity.RoleSysAdmin, &tr.OtherCounty.ID, nil)
		hzAdminUser, hzAdmin := Staff(t, sv, "hzadmin", identity.RoleSysAdmin, &tr.City.ID, nil)

		xh := accountLife(t, sv, xhAdmin, "xhclerk", tr.Township.ID)
		yh := accountLife(t, sv, sys, "yhclerk", tr.OtherCounty.ID)
		if err := sv.Identity.Register(ctx, identity.UserInput{Kind: identity.KindPerson, Username: "citizen1",
			Name: "张三", IDNumber: IDNumber(1), Phone: "13800138000", Password: "secret123"}, "127.0.0.1"); err != nil {
			t.Fatal(err)
		}
		of := func(u int64, actions ...string) []string {
			out := make([]string, len(actions))
			for i, a := range actions {
				out[i] = fmt.Sprintf("%s %d", a, u)
			}
			return out
		}
		xhSelf := of(xhAdminUser.ID, "identity.grant.create", "identity.session.login")
		yhSelf := of(yhAdminUser.ID, "identity.grant.create", "identity.session.login")
		hzSelf := of(hzAdminUser.ID, "identity.grant.create", "identity.session.login")
		xhLife := of(xh, "identity.user.create", "identity.grant.create", "identity.user.update", "identity.session.login",
			"identity.user.password", "identity.session.logout", "identity.grant.delete")
		yhLife := of(yh, "identity.grant.create", "identity.user.update", "identity.session.login",
			"identity.user.password", "identity.session.logout", "identity.grant.delete")
		for _, tc := range []struct {
			name   string
			reader *identity.Actor
			want   [][]string
		}{
			{"CountyAdmin", xhAdmin, [][]string{xhSelf, xhLife}},
			{"OtherCountyAdmin", yhAdmin, [][]string{yhSelf, yhLife}},
			{"CityAdmin", hzAdmin, [][]string{xhSelf, yhSelf, hzSelf, xhLife, yhLife}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := accountEntries(t, sv, tc.reader)
				want := slices.Concat(tc.want...)
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Fatalf("entries about accounts:\n got %v\nwant %v", got, want)
				}
			})
		}
		t.Run("DeploymentAdmin", func(t *testing.T) {
			got := accountEntries(t, sv, sys)
			for _, e := range []string{fmt.Sprintf("identity.user.create %d", yh), "identity.user.register"} {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, e) }) {
					t.Fatalf("the deployment's administrator misses %q in %v", e, got)
				}
			}
		})
	})
}

// accountLife creates a staff account (by admin), gives it a 窗口人员 role
// in region, changes it, logs it in, changes its password, logs it out and
// revokes the role; it returns the account's id.
func accountLife(t *testing.T, sv *Services, admin *identity.Actor, username string, region int64) int64 {
	t.Helper()
	ctx := context.Background()
	u, err := sv.Identity.CreateUser(ctx, admin, identity.UserInput{Kind: identity.KindStaff, Username: username,
		Name: "工作人员" + username, Password: "secret123"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := sv.Identity.GrantRole(ctx, admin, identity.GrantInput{UserID: u.ID, Role: string(identity.RoleWindowClerk), RegionID: &region})
	if err != nil {
		t.Fatal(err)
	}
	name := "改名" + username
	if _, err := sv.Identity.UpdateUser(ctx, admin, u.ID, identity.UserUpdate{Name: &name}); err != nil {
		t.Fatal(err)
	}
	tok, a, err := sv.Identity.Login(ctx, identity.LoginInput{Username: username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.Identity.ChangePassword(ctx, a, tok, "secret123", "secret456"); err != nil {
		t.Fatal(err)
	}
	if err := sv.Identity.Logout(ctx, a, tok); err != nil {
		t.Fatal(err)
	}
	if err := sv.Identity.RevokeRole(ctx, admin, g.ID); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// accountEntries lists the entries about accounts the reader sees, as
// "action user-id" (the user id left out of registrations).
func accountEntries(t *testing.T, sv *Services, reader *identity.Actor) []string {
	t.Helper()
	reach, err := identity.AuditReach(reader)
	if err != nil {
		t.Fatal(err)
	}
	es, err := sv.Audit.Find(context.Background(), audit.Filter{ObjectType: "user", Within: reach, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		if e.Action == "identity.user.register" {
			got = append(got, e.Action)
			continue
		}
		got = append(got, e.Action+" "+e.ObjectID)
	}
	return got
}
