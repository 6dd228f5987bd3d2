package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/org"
)

// TestComplaintStepNeedsVersion: every step form of a complaint carries
// the version it shows; a step posted without one is refused with the
// page asking for a refresh, and not taken.
func TestComplaintStepNeedsVersion(t *testing.T) {
	a := ratingsApp(t)
	ws, err := a.Services.Org.Windows(context.Background(), org.WindowFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(err)
	}
	filed, err := a.Services.Complaints.Submit(context.Background(), demoActor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
		WindowID: ws[0].ID, Content: "窗口无人值守很久"})
	if err != nil {
		t.Fatal(err)
	}
	href := fmt.Sprintf("/complaints/%d", filed.Complaint.ID)
	desk := newBrowser(t, a)
	desk.login("supervisor", demo.Password)
	page := desk.get(href)
	forms := page.doc.Find(`form[action$="/actions"]`)
	if forms.Length() == 0 || forms.Length() != page.doc.Find(`form[action$="/actions"] input[type=hidden][name=version]`).Length() {
		t.Fatalf("%d step forms, not each with its version", forms.Length())
	}
	p := desk.post(href, href+"/actions", url.Values{"kind": {"refuse"}, "text": {"不属于受理范围"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find(".form-error").Text(), "缺少版本号，请刷新页面后重试") {
		t.Fatalf("a step without a version: %d %q", p.status, p.doc.Find(".form-error").Text())
	}
	if v, err := a.Services.Complaints.Get(context.Background(), demoActor(t, a, "supervisor"), filed.Complaint.ID); err != nil || v.Complaint.Status != complaint.StatusSubmitted {
		t.Fatalf("a step without a version was taken: %v", err)
	}
}
