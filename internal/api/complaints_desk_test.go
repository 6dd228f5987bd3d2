package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/complaint"
	"openhall/internal/org"
)

// TestComplaintDeskClockJSON: a complaint the complainant reopened carries
// the desk's clock to assign it again or answer (5 working days, from the
// reopening on 2026-03-09, a Monday) and says what started it, as does
// one accepted without a 转办; a complaint not yet accepted has the clock,
// not started, without a due date.
func TestComplaintDeskClockJSON(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	ctx := context.Background()
	ws, err := a.Services.Org.Windows(ctx, org.WindowFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(err)
	}
	var dept int64
	depts, err := a.Services.Org.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		if d.Name == "西湖区市场监督管理局" {
			dept = d.ID
		}
	}
	filed, err := a.Services.Complaints.Submit(ctx, serviceActor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
		WindowID: ws[0].ID, Content: "窗口工作人员未一次性告知所需材料"})
	if err != nil {
		t.Fatal(err)
	}
	id := filed.Complaint.ID
	type clocksJSON struct {
		Clocks struct {
			Desk struct {
				Started   bool   `json:"started"`
				Due       string `json:"due"`
				Remaining int    `json:"remaining"`
				Text      string `json:"text"`
			} `json:"desk"`
			DeskAfter string `json:"desk_after"`
		} `json:"clocks"`
	}
	sup := demoLogin(t, a, "supervisor")
	var before clocksJSON
	sup.call("GET", fmt.Sprintf("/api/v1/complaints/%d", id), nil, http.StatusOK, &before)
	if d := before.Clocks.Desk; d.Started || d.Due != "" || d.Text != "尚未开始计时" || before.Clocks.DeskAfter != "" {
		t.Fatalf("before any return or reopening: %+v", before.Clocks)
	}
	if _, err := a.Services.Complaints.Act(ctx, serviceActor(t, a, "supervisor"), id, complaint.Command{Kind: complaint.CmdAccept}, 0); err != nil {
		t.Fatal(err)
	}
	var accepted clocksJSON
	sup.call("GET", fmt.Sprintf("/api/v1/complaints/%d", id), nil, http.StatusOK, &accepted)
	if d := accepted.Clocks.Desk; !d.Started || d.Due == "" || accepted.Clocks.DeskAfter != "accepted" {
		t.Fatalf("accepted without a 转办: %+v", accepted.Clocks)
	}
	for _, s := range []struct {
		who string
		cmd complaint.Command
	}{
		{"supervisor", complaint.Command{Kind: complaint.CmdAssign, DepartmentID: dept, Days: 5}},
		{"approver", complaint.Command{Kind: complaint.CmdReply, Text: "已要求窗口一次性告知"}},
		{"supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "已督促整改"}},
		{"citizen", complaint.Command{Kind: complaint.CmdReopen, Text: "仍未说明缺哪些材料"}},
	} {
		if _, err := a.Services.Complaints.Act(ctx, serviceActor(t, a, s.who), id, s.cmd, 0); err != nil {
			t.Fatalf("%s %s: %v", s.who, s.cmd.Kind, err)
		}
	}
	for _, who := range []string{"supervisor", "approver"} {
		var got clocksJSON
		demoLogin(t, a, who).call("GET", fmt.Sprintf("/api/v1/complaints/%d", id), nil, http.StatusOK, &got)
		d := got.Clocks.Desk
		if !d.Started || d.Due != "2026-03-16" || d.Remaining != 5 || d.Text != "剩余 5 个工作日，2026-03-16 到期" || got.Clocks.DeskAfter != "reopened" {
			t.Fatalf("%s: after the reopening %+v", who, got.Clocks)
		}
	}
}
