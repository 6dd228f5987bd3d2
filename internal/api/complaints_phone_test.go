package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/org"
)

// TestComplainantPhoneMasked: the desk sees the complainant's phone
// masked, and the phone in what they wrote too; it shows the number in
// full only by asking to, recorded in the audit log without the number.
func TestComplainantPhoneMasked(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		const full, masked = "13800002222", "138****2222"
		a := demoAPIApp(t, backend)
		ws, err := a.Services.Org.Windows(context.Background(), org.WindowFilter{})
		if err != nil || len(ws) < 2 {
			t.Fatal(ws, err)
		}
		filed, err := a.Services.Complaints.Submit(context.Background(), nil, complaint.Input{Kind: complaint.KindComplaint,
			Subject: complaint.SubjectWindow, WindowID: ws[1].ID, Content: "窗口无人值守很久，请回电 " + full, Name: "王五", Phone: full})
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/complaints/%d", filed.Complaint.ID)
		type complaintJSON struct {
			Content     string `json:"content"`
			Complainant struct {
				Phone      string `json:"phone"`
				PhoneShown bool   `json:"phone_shown"`
			} `json:"complainant"`
		}
		sup := demoLogin(t, a, "supervisor")
		var seen, shown complaintJSON
		sup.call("GET", path, nil, http.StatusOK, &seen)
		if seen.Complainant.Phone != masked || seen.Complainant.PhoneShown || strings.Contains(seen.Content, full) {
			t.Fatalf("the desk sees %+v", seen)
		}
		demoLogin(t, a, "approver").fail("POST", path+"/phone", nil, http.StatusNotFound) // not assigned to them
		sup.call("POST", path+"/phone", nil, http.StatusOK, &shown)
		if shown.Complainant.Phone != full || !shown.Complainant.PhoneShown {
			t.Fatalf("shown in full: %+v", shown)
		}
		var entries list[auditEntryJSON]
		demoLogin(t, a, "admin").call("GET", fmt.Sprintf("/api/v1/audit?object_type=complaint&object_id=%d&action=complaint.phone_shown", filed.Complaint.ID),
			nil, http.StatusOK, &entries)
		if len(entries.Items) != 1 || entries.Items[0].ActorID != sup.me.ID || strings.Contains(string(entries.Items[0].Detail), "2222") {
			t.Fatalf("audit entries %+v", entries.Items)
		}
	})
}
