package storetest

import (
	"context"
	"fmt"
	"slices"
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
