package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"openhall/internal/audit"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/pii"
	"openhall/internal/store"
)

// CheapArgon2 keeps password hashing fast in tests.
var CheapArgon2 = identity.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// Services are the domain services over one test database.
type Services struct {
	Stores   *store.Stores
	Audit    *audit.Log
	Org      *org.Service
	Identity *identity.Service
	Catalog  *catalog.Service
}

// NewServices wires the domain services over s.
func NewServices(s *store.Stores, now func() time.Time) *Services {
	log := audit.NewLog(s.Audit, now)
	p := identity.DefaultPolicy()
	p.Argon2 = CheapArgon2
	orgs := org.NewService(s.Org, s, log, now)
	return &Services{Stores: s, Audit: log, Org: orgs, Identity: identity.NewService(s.Identity, orgs, s, log, p, now),
		Catalog: catalog.NewService(s.Catalog, orgs, s, log, now)}
}

// CreditCode returns a valid 统一社会信用代码 built from n.
func CreditCode(n int) string {
	first := fmt.Sprintf("11330100%09d", n)
	c, err := pii.CreditCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

// IDNumber returns a valid 居民身份证号码 built from n.
func IDNumber(n int) string {
	first := fmt.Sprintf("33010619900101%03d", n%1000)
	c, err := pii.IDCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}

// Tree is a small organisation: a province, a city, two counties, a
// township and a village, with a centre and a department in the first county.
type Tree struct {
	Province, City, County, OtherCounty, Township, Village *org.Region
	Centre                                                 *org.Centre
	Department                                             *org.Department
}

// BuildTree creates the Tree as the system actor.
func BuildTree(t testing.TB, sv *Services) *Tree {
	t.Helper()
	ctx, sys := context.Background(), identity.SystemActor()
	region := func(parent *org.Region, code, name string, level org.Level) *org.Region {
		in := org.RegionInput{Code: code, Name: name, Level: level}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		r, err := sv.Org.CreateRegion(ctx, sys, in)
		if err != nil {
			t.Fatalf("create region %s: %v", name, err)
		}
		return r
	}
	tr := &Tree{}
	tr.Province = region(nil, "330000", "浙江省", org.LevelProvince)
	tr.City = region(tr.Province, "330100", "杭州市", org.LevelCity)
	tr.County = region(tr.City, "330106", "西湖区", org.LevelCounty)
	tr.OtherCounty = region(tr.City, "330110", "余杭区", org.LevelCounty)
	tr.Township = region(tr.County, "330106001", "北山街道", org.LevelTownship)
	tr.Village = region(tr.Township, "330106001001", "北山社区", org.LevelVillage)
	c, err := sv.Org.SaveCentre(ctx, sys, 0, org.CentreInput{RegionID: tr.County.ID, Name: "西湖区政务服务中心", Kind: org.CentreGovService})
	if err != nil {
		t.Fatal(err)
	}
	tr.Centre = c
	d, err := sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.County.ID, CentreID: &c.ID,
		Name: "西湖区市场监督管理局", CreditCode: CreditCode(1)})
	if err != nil {
		t.Fatal(err)
	}
	tr.Department = d
	return tr
}

// Staff creates a staff account with one grant and returns it with its actor.
func Staff(t testing.TB, sv *Services, username string, role identity.Role, regionID, deptID *int64) (*identity.User, *identity.Actor) {
	t.Helper()
	ctx, sys := context.Background(), identity.SystemActor()
	u, err := sv.Identity.CreateUser(ctx, sys, identity.UserInput{Kind: identity.KindStaff, Username: username,
		Name: "工作人员" + username, Password: "secret123"})
	if err != nil {
		t.Fatalf("create staff %s: %v", username, err)
	}
	if _, err := sv.Identity.GrantRole(ctx, sys, identity.GrantInput{UserID: u.ID, Role: string(role), RegionID: regionID, DepartmentID: deptID}); err != nil {
		t.Fatalf("grant %s to %s: %v", role, username, err)
	}
	_, a, err := sv.Identity.Login(ctx, identity.LoginInput{Username: username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return u, a
}

func fmtInt(n int64) string { return fmt.Sprint(n) }
