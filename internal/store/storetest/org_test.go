package storetest

import (
	"context"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/org"
)

func TestOrg(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		ctx, sys := context.Background(), identity.SystemActor()

		t.Run("RegionPaths", func(t *testing.T) {
			if want := tr.Township.Path; want != tr.County.Path+itoa(tr.Township.ID)+"/" {
				t.Fatalf("township path %q does not extend county path %q", want, tr.County.Path)
			}
			got, err := sv.Stores.Org.FindRegionByID(ctx, tr.Village.ID)
			if err != nil || got.Path != tr.Village.Path || got.Level != org.LevelVillage || got.Code != "330106001001" {
				t.Fatalf("find village: %+v %v", got, err)
			}
		})
		t.Run("FindRegions", func(t *testing.T) {
			sub, err := sv.Org.Regions(ctx, org.RegionFilter{PathPrefix: tr.City.Path})
			if err != nil || len(sub) != 5 {
				t.Fatalf("subtree of city: %d regions, %v; want 5", len(sub), err)
			}
			roots, _ := sv.Org.Regions(ctx, org.RegionFilter{Roots: true})
			kids, _ := sv.Org.Regions(ctx, org.RegionFilter{ParentID: &tr.City.ID})
			upper, _ := sv.Org.Regions(ctx, org.RegionFilter{MaxLevel: org.LevelCity})
			if len(roots) != 1 || len(kids) != 2 || len(upper) != 2 {
				t.Fatalf("roots %d, children of city %d, up to city level %d; want 1, 2, 2", len(roots), len(kids), len(upper))
			}
			if n, err := sv.Stores.Org.CountRegionChildren(ctx, tr.City.ID); err != nil || n != 2 {
				t.Fatalf("count children: %d %v", n, err)
			}
			if r, err := sv.Org.RegionByCode(ctx, "330110"); err != nil || r.ID != tr.OtherCounty.ID {
				t.Fatalf("region by code: %+v %v", r, err)
			}
			if _, err := sv.Org.RegionByCode(ctx, "999999"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("unknown code: %v", err)
			}
			if d, err := sv.Org.DepartmentByCreditCode(ctx, tr.Department.CreditCode); err != nil || d.ID != tr.Department.ID {
				t.Fatalf("department by credit code: %+v %v", d, err)
			}
		})
		t.Run("RegionErrors", func(t *testing.T) { regionErrors(t, sv, tr) })
		t.Run("UpdateRegion", func(t *testing.T) {
			r, err := sv.Org.UpdateRegion(ctx, sys, tr.OtherCounty.ID, org.RegionInput{Code: "330110", Name: "余杭区（新）"})
			if err != nil || r.Name != "余杭区（新）" || r.Path != tr.OtherCounty.Path {
				t.Fatalf("update: %+v %v", r, err)
			}
		})
		t.Run("CentresAndDepartments", func(t *testing.T) { centresAndDepartments(t, sv, tr) })
		t.Run("Windows", func(t *testing.T) { windows(t, sv, tr) })
		t.Run("ScopedAdministrator", func(t *testing.T) { scopedAdmin(t, sv, tr) })
	})
}

func regionErrors(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	cases := []struct {
		name  string
		in    org.RegionInput
		field string
	}{
		{"DuplicateCode", org.RegionInput{ParentID: &tr.City.ID, Code: "330106", Name: "重复", Level: org.LevelCounty}, "code"},
		{"WrongPrefix", org.RegionInput{ParentID: &tr.City.ID, Code: "320102", Name: "外省", Level: org.LevelCounty}, "code"},
		{"WrongLength", org.RegionInput{ParentID: &tr.County.ID, Code: "330106", Name: "短", Level: org.LevelTownship}, "code"},
		{"LevelNotBelowParent", org.RegionInput{ParentID: &tr.County.ID, Code: "330107", Name: "平级", Level: org.LevelCounty}, "level"},
		{"MissingName", org.RegionInput{ParentID: &tr.City.ID, Code: "330108", Level: org.LevelCounty}, "name"},
		{"UnknownParent", org.RegionInput{ParentID: ptr(int64(999999)), Code: "330108", Name: "无", Level: org.LevelCounty}, "parent_id"},
	}
	for _, c := range cases {
		_, err := sv.Org.CreateRegion(ctx, sys, c.in)
		if apperr.CodeOf(err) != apperr.Invalid || apperr.FieldsOf(err)[c.field] == "" {
			t.Errorf("%s: got %v, want an error on field %s", c.name, err, c.field)
		}
	}
	if _, err := sv.Org.Region(ctx, 999999); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("missing region: %v", err)
	}
}

func centresAndDepartments(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	if _, err := sv.Org.SaveCentre(ctx, sys, 0, org.CentreInput{RegionID: tr.Village.ID, Name: "错误中心", Kind: org.CentreGovService}); apperr.FieldsOf(err)["kind"] == "" {
		t.Fatalf("政务服务中心 in a village: %v", err)
	}
	st, err := sv.Org.SaveCentre(ctx, sys, 0, org.CentreInput{RegionID: tr.Village.ID, Name: "北山社区代办点", Kind: org.CentreProxyPoint, Phone: "0571-8888 0000"})
	if err != nil {
		t.Fatal(err)
	}
	st, err = sv.Org.SaveCentre(ctx, sys, st.ID, org.CentreInput{RegionID: tr.Village.ID, Name: "北山社区代办点", Kind: org.CentreStation, Hours: "周一至周五 9:00-17:00"})
	if err != nil || st.Kind != org.CentreStation {
		t.Fatalf("edit centre: %+v %v", st, err)
	}
	got, err := sv.Stores.Org.FindCentreByID(ctx, st.ID)
	if err != nil || got.RegionName != "北山社区" || got.RegionPath != tr.Village.Path || got.Hours == "" {
		t.Fatalf("find centre: %+v %v", got, err)
	}
	list, _ := sv.Org.Centres(ctx, org.CentreFilter{PathPrefix: tr.County.Path})
	byRegion, _ := sv.Org.Centres(ctx, org.CentreFilter{RegionID: &tr.Village.ID})
	if len(list) != 2 || len(byRegion) != 1 {
		t.Fatalf("centres in county %d, in village %d; want 2, 1", len(list), len(byRegion))
	}
	departmentCases(t, sv, tr)
}

func departmentCases(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	bad := CreditCode(2)
	bad = bad[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(indexOf(bad[17])+1)%31])
	_, err := sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.County.ID, Name: "税务局", CreditCode: bad})
	if apperr.FieldsOf(err)["credit_code"] == "" {
		t.Fatalf("wrong check character accepted: %v", err)
	}
	_, err = sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.County.ID, Name: "另一个局", CreditCode: tr.Department.CreditCode})
	if apperr.FieldsOf(err)["credit_code"] == "" {
		t.Fatalf("duplicate credit code accepted: %v", err)
	}
	_, err = sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.OtherCounty.ID, CentreID: &tr.Centre.ID, Name: "外区局", CreditCode: CreditCode(3)})
	if apperr.FieldsOf(err)["centre_id"] == "" {
		t.Fatalf("department stationed in another region's centre: %v", err)
	}
	d, err := sv.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: tr.County.ID, CentreID: &tr.Centre.ID, Name: "西湖区税务局", CreditCode: CreditCode(4)})
	if err != nil {
		t.Fatal(err)
	}
	d, err = sv.Org.SaveDepartment(ctx, sys, d.ID, org.DepartmentInput{RegionID: tr.County.ID, Name: "国家税务总局杭州市西湖区税务局", CreditCode: CreditCode(4)})
	if err != nil || d.CentreID != nil || d.CentreName != "" {
		t.Fatalf("edit department (leave the centre): %+v %v", d, err)
	}
	inCentre, _ := sv.Org.Departments(ctx, org.DepartmentFilter{CentreID: &tr.Centre.ID})
	inRegion, _ := sv.Org.Departments(ctx, org.DepartmentFilter{RegionID: &tr.County.ID})
	inCity, _ := sv.Org.Departments(ctx, org.DepartmentFilter{PathPrefix: tr.City.Path})
	if len(inCentre) != 1 || len(inRegion) != 2 || len(inCity) != 2 || inCentre[0].CentreName != tr.Centre.Name {
		t.Fatalf("departments in centre %d, region %d, city %d", len(inCentre), len(inRegion), len(inCity))
	}
}

func indexOf(c byte) int {
	for i, a := range []byte("0123456789ABCDEFGHJKLMNPQRTUWXY") {
		if a == c {
			return i
		}
	}
	return 0
}

func windows(t *testing.T, sv *Services, tr *Tree) {
	ctx, sys := context.Background(), identity.SystemActor()
	clerk, _ := Staff(t, sv, "clerk1", identity.RoleWindowClerk, &tr.County.ID, nil)
	citizen := Registered(t, sv, identity.UserInput{Kind: identity.KindPerson, Username: "citizen1", Name: "张三", IDNumber: IDNumber(1), Password: "secret123"})
	in := org.WindowInput{CentreID: tr.Centre.ID, Number: "a01", Name: "市场监管专窗", Kind: org.WindowDedicated,
		DepartmentIDs: []int64{tr.Department.ID}, StaffIDs: []int64{clerk.ID, citizen.ID}}
	if _, err := sv.Org.SaveWindow(ctx, sys, 0, in); apperr.FieldsOf(err)["staff_ids"] == "" {
		t.Fatalf("a citizen seated at a window: %v", err)
	}
	in.StaffIDs = []int64{clerk.ID}
	w, err := sv.Org.SaveWindow(ctx, sys, 0, in)
	if err != nil || w.Number != "A01" {
		t.Fatalf("create window: %+v %v", w, err)
	}
	if _, err := sv.Org.SaveWindow(ctx, sys, 0, in); apperr.FieldsOf(err)["number"] == "" {
		t.Fatalf("duplicate window number: %v", err)
	}
	in.Kind, in.Number = org.WindowComprehensive, "B01"
	in.DepartmentIDs = nil
	if _, err := sv.Org.SaveWindow(ctx, sys, 0, in); apperr.FieldsOf(err)["department_ids"] == "" {
		t.Fatalf("comprehensive window without departments: %v", err)
	}
	in.Kind, in.Number, in.Name, in.DepartmentIDs, in.StaffIDs = org.WindowComprehensive, "A01", "综合受理窗口", []int64{tr.Department.ID}, nil
	w, err = sv.Org.SaveWindow(ctx, sys, w.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sv.Stores.Org.FindWindowByID(ctx, w.ID)
	if err != nil || got.Kind != org.WindowComprehensive || len(got.StaffIDs) != 0 || len(got.DepartmentIDs) != 1 || got.CentreName != tr.Centre.Name {
		t.Fatalf("window after edit: %+v %v", got, err)
	}
	list, _ := sv.Org.Windows(ctx, org.WindowFilter{CentreID: &tr.Centre.ID})
	inCity, _ := sv.Org.Windows(ctx, org.WindowFilter{PathPrefix: tr.City.Path})
	if len(list) != 1 || len(inCity) != 1 {
		t.Fatalf("windows: %d, %d", len(list), len(inCity))
	}
	if _, err := sv.Stores.Org.FindWindowByID(ctx, 999999); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("missing window: %v", err)
	}
}

func scopedAdmin(t *testing.T, sv *Services, tr *Tree) {
	ctx := context.Background()
	_, admin := Staff(t, sv, "countyadmin", identity.RoleSysAdmin, &tr.County.ID, nil)
	if _, err := sv.Org.CreateRegion(ctx, admin, org.RegionInput{ParentID: &tr.Township.ID, Code: "330106001002", Name: "新社区", Level: org.LevelVillage}); err != nil {
		t.Fatalf("inside own scope: %v", err)
	}
	_, err := sv.Org.CreateRegion(ctx, admin, org.RegionInput{ParentID: &tr.OtherCounty.ID, Code: "330110001", Name: "外区街道", Level: org.LevelTownship})
	if !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("outside own scope: %v", err)
	}
	if _, err := sv.Org.CreateRegion(ctx, admin, org.RegionInput{Code: "310000", Name: "上海市", Level: org.LevelProvince}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("root region by a county admin: %v", err)
	}
	if _, err := sv.Org.SaveCentre(ctx, admin, tr.Centre.ID, org.CentreInput{RegionID: tr.OtherCounty.ID, Name: "搬走", Kind: org.CentreGovService}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("moving a centre out of scope: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func itoa(n int64) string { return fmtInt(n) }
