package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/complaint"
	"openhall/internal/org"
)

// TestComplaintAboutCaseJSONNamesCaseOnlyWithConsent: the department a
// complaint about a case is assigned to reads no case_id or case_number,
// in the complaint or its list, unless the complainant agreed to be
// known; the desk always does.
func TestComplaintAboutCaseJSONNamesCaseOnlyWithConsent(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	ctx := context.Background()
	c := instantCase(t, a)
	citizen := demoLogin(t, a, "citizen")
	depts, err := a.Services.Org.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	deptOf := map[string]int64{}
	for _, d := range depts {
		deptOf[d.Name] = d.ID
	}
	file := func(consent bool, dept string) int64 {
		var filed struct {
			ID int64 `json:"id"`
		}
		citizen.call("POST", "/api/v1/complaints", map[string]any{"subject": "case", "case_number": c.Number, "content": "办理时间过长，无人答复",
			"consent": consent}, http.StatusCreated, &filed)
		cmd := complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptOf[dept], Days: 5}
		if _, err := a.Services.Complaints.Act(ctx, serviceActor(t, a, "supervisor"), filed.ID, cmd, 0); err != nil {
			t.Fatal(err)
		}
		return filed.ID
	}
	hidden, shown := file(false, "西湖区市场监督管理局"), file(true, "西湖区农业农村局")
	body := func(who, path string) string {
		r := demoLogin(t, a, who).do("GET", path, nil)
		if r.status != http.StatusOK {
			t.Fatalf("%s GET %s: %d %s", who, path, r.status, r.body)
		}
		return string(r.body)
	}
	for _, path := range []string{fmt.Sprintf("/api/v1/complaints/%d", hidden), "/api/v1/complaints?queue=1&all=1"} {
		if got := body("approver", path); strings.Contains(got, c.Number) || strings.Contains(got, `"case_id"`) || !strings.Contains(got, "个体工商户设立登记") {
			t.Fatalf("the department without consent reads %s: %s", path, got)
		}
	}
	if got := body("approver2", fmt.Sprintf("/api/v1/complaints/%d", shown)); !strings.Contains(got, `"case_number":"`+c.Number+`"`) {
		t.Fatalf("the department with consent reads %s", got)
	}
	if got := body("supervisor", fmt.Sprintf("/api/v1/complaints/%d", hidden)); !strings.Contains(got, `"case_number":"`+c.Number+`"`) {
		t.Fatalf("the desk reads %s", got)
	}
}
