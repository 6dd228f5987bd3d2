package rating

import "testing"

// TestTargetObject: a rating names its item; without one, a window's
// rating is its window service, and one of no window (an imported online
// rating naming no item) is not called a window service.
func TestTargetObject(t *testing.T) {
	for _, tc := range []struct {
		t    Target
		want string
	}{
		{Target{ItemName: "个体工商户设立登记", WindowID: 3}, "个体工商户设立登记"},
		{Target{ItemName: "个体工商户设立登记"}, "个体工商户设立登记"},
		{Target{WindowID: 3, StaffID: 7}, "窗口服务"},
		{Target{DepartmentID: 2}, "网上及非窗口服务"},
	} {
		if got := tc.t.Object(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.t, got, tc.want)
		}
	}
}
