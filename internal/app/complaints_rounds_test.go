package app_test

import (
	"context"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
)

// TestComplaintFiguresAfterReopen: a complaint about window A01 answered
// through 西湖区市场监督管理局 and rated 不满意, reopened, answered through
// 西湖区农业农村局 and rated 满意, counts by department for each with its
// own round: the first department keeps the complaint, its answer's
// rating and the reopening; the second has the complaint and the 满意.
// The head of the first department sees its round; the first rating
// stays on the complaint.
func TestComplaintFiguresAfterReopen(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		filed, err := a.Services.Complaints.Submit(ctx, actor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
			WindowID: demoWindow(t, a, "A01").ID, Content: "窗口工作人员态度生硬，拒绝解释材料要求"})
		if err != nil {
			t.Fatal(err)
		}
		id := filed.Complaint.ID
		scjg, ny := deptID(t, a, "西湖区市场监督管理局"), deptID(t, a, "西湖区农业农村局")
		act := func(who string, cmd complaint.Command) {
			t.Helper()
			if _, err := a.Services.Complaints.Act(ctx, actor(t, a, who), id, cmd, 0); err != nil {
				t.Fatalf("%s %s: %v", who, cmd.Kind, err)
			}
		}
		clock.Set(cstAt(3, 10, 9))
		act("supervisor", complaint.Command{Kind: complaint.CmdAccept, DepartmentID: scjg, Days: 5})
		act("approver", complaint.Command{Kind: complaint.CmdReply, Text: "已约谈该窗口人员"})
		act("supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "经核查，已约谈相关人员"})
		act("citizen", complaint.Command{Kind: complaint.CmdRate, Level: 4})
		act("citizen", complaint.Command{Kind: complaint.CmdReopen, Text: "问题仍未解决"})
		act("supervisor", complaint.Command{Kind: complaint.CmdAssign, DepartmentID: ny, Days: 5})
		act("approver2", complaint.Command{Kind: complaint.CmdReply, Text: "已重新核查"})
		act("supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "经重新核查，已整改"})
		act("citizen", complaint.Command{Kind: complaint.CmdRate, Level: 2})

		q := complaint.FigureQuery{By: "department", From: mustDate(t, "2026-03-01"), To: mustDate(t, "2026-03-31")}
		f, err := a.Services.Complaints.Figures(ctx, actor(t, a, "supervisor"), q)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[string]complaint.Count{}
		for _, r := range f.Rows {
			rows[r.Label] = r.Count
		}
		first, second := rows["西湖区市场监督管理局"], rows["西湖区农业农村局"]
		if len(rows) != 2 || first.Received != 1 || first.Answered != 1 || first.Rated != 1 || first.Satisfied != 0 || first.Reopened != 1 ||
			second.Received != 1 || second.Answered != 1 || second.Rated != 1 || second.Satisfied != 1 || second.Reopened != 0 {
			t.Fatalf("figures by department: %+v", rows)
		}
		head, err := a.Services.Complaints.Figures(ctx, actor(t, a, "depthead"), q)
		if err != nil || len(head.Rows) != 1 || head.Rows[0].Label != "西湖区市场监督管理局" || head.Rows[0].Reopened != 1 || head.Rows[0].Rated != 1 {
			t.Fatalf("the first department's head: %+v %v", head, err)
		}
		v, err := a.Services.Complaints.Get(ctx, actor(t, a, "citizen"), id)
		if err != nil || v.Complaint.FirstLevel() != 4 || v.Complaint.AnswerLevel != 2 {
			t.Fatalf("ratings kept: first %d, latest %d (%v)", v.Complaint.FirstLevel(), v.Complaint.AnswerLevel, err)
		}
	})
}
