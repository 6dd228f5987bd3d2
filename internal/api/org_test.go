package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/store/storetest"
)

type regionJSON struct {
	ID         int64  `json:"id"`
	ParentID   *int64 `json:"parent_id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      int    `json:"level"`
	LevelLabel string `json:"level_label"`
	Path       string `json:"path"`
	CreatedAt  string `json:"created_at"`
}

type centreJSON struct {
	ID         int64  `json:"id"`
	RegionID   int64  `json:"region_id"`
	RegionName string `json:"region_name"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	KindLabel  string `json:"kind_label"`
	Address    string `json:"address"`
}

type departmentJSON struct {
	ID         int64  `json:"id"`
	RegionID   int64  `json:"region_id"`
	CentreID   *int64 `json:"centre_id"`
	CentreName string `json:"centre_name"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	Phone      string `json:"phone"`
}

type windowJSON struct {
	ID            int64   `json:"id"`
	CentreID      int64   `json:"centre_id"`
	Number        string  `json:"number"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	KindLabel     string  `json:"kind_label"`
	DepartmentIDs []int64 `json:"department_ids"`
	StaffIDs      []int64 `json:"staff_ids"`
}

type list[T any] struct {
	Items []T `json:"items"`
}

// names returns the names of a list of regions, centres, departments or windows.
func names[T any](items []T, name func(T) string) []string {
	out := make([]string, len(items))
	for i, x := range items {
		out[i] = name(x)
	}
	return out
}

func TestOrgAPI_RoundTrip(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		a.Staff(t, "root", "sysadmin", nil, nil)
		a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
		root, anon := login(t, a, "root"), anonymous(t, a)
		clerk := login(t, a, "clerk")

		t.Run("Regions", func(t *testing.T) {
			var created, got, updated regionJSON
			root.call("POST", "/api/v1/regions", map[string]any{"parent_id": a.Tree.OtherCounty.ID, "code": "330110001",
				"name": "仓前街道", "level": 5}, http.StatusCreated, &created)
			if created.ID == 0 || *created.ParentID != a.Tree.OtherCounty.ID || created.Level != 5 || created.LevelLabel != "乡镇（街道）级" || created.CreatedAt == "" {
				t.Fatalf("created %+v", created)
			}
			anon.call("GET", fmt.Sprintf("/api/v1/regions/%d", created.ID), nil, http.StatusOK, &got)
			if !reflect.DeepEqual(got, created) {
				t.Fatalf("got %+v, want %+v", got, created)
			}
			var children list[regionJSON]
			anon.call("GET", fmt.Sprintf("/api/v1/regions?parent_id=%d", a.Tree.OtherCounty.ID), nil, http.StatusOK, &children)
			if len(children.Items) != 1 || children.Items[0].ID != created.ID {
				t.Fatalf("children %+v", children)
			}
			root.call("PATCH", fmt.Sprintf("/api/v1/regions/%d", created.ID), map[string]any{"name": "仓前街道（新）"}, http.StatusOK, &updated)
			if updated.Name != "仓前街道（新）" || updated.Code != "330110001" {
				t.Fatalf("updated %+v", updated)
			}
			var roots, upper list[regionJSON]
			anon.call("GET", "/api/v1/regions?roots=1", nil, http.StatusOK, &roots)
			anon.call("GET", "/api/v1/regions?max_level=3", nil, http.StatusOK, &upper)
			name := func(r regionJSON) string { return r.Name }
			if got := names(roots.Items, name); !slices.Equal(got, []string{"浙江省"}) {
				t.Fatalf("roots %v", got)
			}
			if got := names(upper.Items, name); !slices.Equal(got, []string{"浙江省", "杭州市"}) {
				t.Fatalf("max_level=3 %v", got)
			}
		})

		t.Run("Centres", func(t *testing.T) {
			var created, got, replaced centreJSON
			root.call("POST", "/api/v1/centres", map[string]any{"region_id": a.Tree.Township.ID, "name": "北山街道便民服务中心",
				"kind": "convenience_centre"}, http.StatusCreated, &created)
			if created.KindLabel != "便民服务中心" || created.RegionName != "北山街道" {
				t.Fatalf("created %+v", created)
			}
			anon.call("GET", fmt.Sprintf("/api/v1/centres/%d", created.ID), nil, http.StatusOK, &got)
			if !reflect.DeepEqual(got, created) {
				t.Fatalf("got %+v, want %+v", got, created)
			}
			var in list[centreJSON]
			anon.call("GET", fmt.Sprintf("/api/v1/centres?region_id=%d", a.Tree.Township.ID), nil, http.StatusOK, &in)
			if len(in.Items) != 1 || in.Items[0].ID != created.ID {
				t.Fatalf("list %+v", in)
			}
			root.call("PUT", fmt.Sprintf("/api/v1/centres/%d", created.ID), map[string]any{"region_id": a.Tree.Township.ID,
				"name": "北山街道便民服务中心", "kind": "convenience_centre", "address": "北山路 1 号"}, http.StatusOK, &replaced)
			if replaced.ID != created.ID || replaced.Address != "北山路 1 号" {
				t.Fatalf("replaced %+v", replaced)
			}
		})

		var dept departmentJSON
		t.Run("Departments", func(t *testing.T) {
			var got, replaced departmentJSON
			root.call("POST", "/api/v1/departments", map[string]any{"region_id": a.Tree.County.ID, "centre_id": a.Tree.Centre.ID,
				"name": "西湖区人力资源和社会保障局", "credit_code": storetest.CreditCode(2)}, http.StatusCreated, &dept)
			if dept.CentreName != "西湖区政务服务中心" || dept.CreditCode != storetest.CreditCode(2) {
				t.Fatalf("created %+v", dept)
			}
			anon.call("GET", fmt.Sprintf("/api/v1/departments/%d", dept.ID), nil, http.StatusOK, &got)
			if got.Name != dept.Name || *got.CentreID != a.Tree.Centre.ID {
				t.Fatalf("got %+v", got)
			}
			var in list[departmentJSON]
			anon.call("GET", fmt.Sprintf("/api/v1/departments?centre_id=%d", a.Tree.Centre.ID), nil, http.StatusOK, &in)
			if got := names(in.Items, func(d departmentJSON) string { return d.Name }); len(got) != 2 || !slices.Contains(got, dept.Name) {
				t.Fatalf("list %v", got)
			}
			root.call("PUT", fmt.Sprintf("/api/v1/departments/%d", dept.ID), map[string]any{"region_id": a.Tree.County.ID,
				"centre_id": a.Tree.Centre.ID, "name": dept.Name, "credit_code": dept.CreditCode, "phone": "0571-87000000"}, http.StatusOK, &replaced)
			if replaced.Phone != "0571-87000000" {
				t.Fatalf("replaced %+v", replaced)
			}
		})

		t.Run("Windows", func(t *testing.T) {
			var created, got, replaced windowJSON
			root.call("POST", "/api/v1/windows", map[string]any{"centre_id": a.Tree.Centre.ID, "number": "a01", "name": "市场监管专窗",
				"kind": "dedicated", "department_ids": []int64{a.Tree.Department.ID}, "staff_ids": []int64{clerk.me.ID}}, http.StatusCreated, &created)
			if created.Number != "A01" || created.KindLabel != "专窗" || !slices.Equal(created.StaffIDs, []int64{clerk.me.ID}) {
				t.Fatalf("created %+v", created)
			}
			r := anon.do("GET", fmt.Sprintf("/api/v1/windows/%d", created.ID), nil)
			if r.status != http.StatusOK || strings.Contains(string(r.body), "工作人员clerk") {
				t.Fatalf("public window shows more than staff ids: %d %s", r.status, r.body)
			}
			if json.Unmarshal(r.body, &got); !reflect.DeepEqual(got, created) {
				t.Fatalf("got %+v, want %+v", got, created)
			}
			var in list[windowJSON]
			anon.call("GET", fmt.Sprintf("/api/v1/windows?centre_id=%d", a.Tree.Centre.ID), nil, http.StatusOK, &in)
			if len(in.Items) != 1 || in.Items[0].ID != created.ID {
				t.Fatalf("list %+v", in)
			}
			root.call("PUT", fmt.Sprintf("/api/v1/windows/%d", created.ID), map[string]any{"centre_id": a.Tree.Centre.ID, "number": "A01",
				"name": "综合窗口", "kind": "comprehensive", "department_ids": []int64{a.Tree.Department.ID, dept.ID}, "staff_ids": []int64{}}, http.StatusOK, &replaced)
			if replaced.KindLabel != "综合窗口" || len(replaced.DepartmentIDs) != 2 || replaced.StaffIDs == nil || len(replaced.StaffIDs) != 0 {
				t.Fatalf("replaced %+v", replaced)
			}
		})
	})
}
