package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/org"
)

// TestComplaintPageNamesCaseOnlyWithConsent: the department's pages of a
// complaint about a case (the complaint, its to-do list) show the case's
// item and date of application, not its number, when the complainant did
// not agree to be known; the desk's page shows the number. The form tells
// the complainant so beside the consent.
func TestComplaintPageNamesCaseOnlyWithConsent(t *testing.T) {
	a := ratingsApp(t)
	ctx := context.Background()
	c, _ := citizenCase(t, a)
	filed, err := a.Services.Complaints.Submit(ctx, demoActor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectCase,
		CaseNumber: c.Number, Content: "办理时间过长，无人答复"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := a.Services.Org.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var scjg int64
	for _, d := range ds {
		if d.Name == "西湖区市场监督管理局" {
			scjg = d.ID
		}
	}
	cmd := complaint.Command{Kind: complaint.CmdAccept, DepartmentID: scjg, Days: 5}
	if _, err := a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), filed.Complaint.ID, cmd, 0); err != nil {
		t.Fatal(err)
	}
	href := fmt.Sprintf("/complaints/%d", filed.Complaint.ID)
	dept := newBrowser(t, a)
	dept.login("approver", demo.Password)
	for _, path := range []string{href, "/staff/complaints"} {
		p := dept.get(path)
		if strings.Contains(p.body, c.Number) || strings.Contains(p.body, fmt.Sprintf("/cases/%d", c.ID)) || !strings.Contains(p.doc.Find("main").Text(), "办件编号不予显示") {
			t.Fatalf("the department's %s names the case: %d", path, p.status)
		}
	}
	desk := newBrowser(t, a)
	desk.login("supervisor", demo.Password)
	if p := desk.get(href); !strings.Contains(p.body, c.Number) {
		t.Fatalf("the desk's page does not name the case: %d", p.status)
	}
	form := newBrowser(t, a).get("/complaints/new?case=" + c.Number)
	if !strings.Contains(form.doc.Find(`[data-when="case"].hint`).Text(), "看不到办件编号") {
		t.Fatal("the form does not say the department is not shown the case number")
	}
}
