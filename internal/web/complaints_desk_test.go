package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/notify"
)

// TestComplaintDeskClockAfterReturn: a complaint its department returned
// in December, the 2027 holiday schedule not imported, shows the desk's
// period to assign it again or answer, with its provisional due date, in
// the desk's list and on the complaint's page, for the desk and for the
// department; never a zero date. The desk is told the period with the
// return.
func TestComplaintDeskClockAfterReturn(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	a, setAt := demoAt(t, time.Date(2026, 12, 28, 10, 0, 0, 0, cst))
	set := func(d, h int) { setAt(time.Date(2026, 12, d, h, 0, 0, 0, cst)) }
	ctx := context.Background()
	filed, dept := visitorComplaint(t, a)
	set(28, 15)
	c, err := a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), filed.Complaint.ID,
		complaint.Command{Kind: complaint.CmdAccept, DepartmentID: dept, Days: 10}, 0)
	if err != nil {
		t.Fatal(err)
	}
	set(29, 10)
	if _, err := a.Services.Complaints.Act(ctx, demoActor(t, a, "depthead"), c.ID,
		complaint.Command{Kind: complaint.CmdReturn, Text: "窗口由政务服务中心管理，不属本局职责"}, 0); err != nil {
		t.Fatal(err)
	}
	set(30, 9)
	notes, err := a.Services.Notify.Inbox(ctx, demoActor(t, a, "supervisor"), notify.Filter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, n := range notes {
		told = told || n.Title == fmt.Sprintf("投诉 %s：部门退回，请在 5 个工作日内重新转办或答复", c.Number)
	}
	if !told {
		t.Fatal("the desk was not told of the return with its period")
	}
	// Returned 12-29: 5 working days are 12-30, 12-31, (元旦 01-01 off by
	// law) 01-04, 01-05, 01-06.
	want := "剩余 4 个工作日，2027-01-06 到期（暂定：2027 年节假日安排尚未导入"

	desk := newBrowser(t, a)
	desk.login("supervisor", demo.Password)
	row := desk.get("/staff/complaints").doc.Find(fmt.Sprintf(`tr:has(a[href="/complaints/%d"])`, c.ID))
	if got := strings.TrimSpace(row.Find(`td[data-label="时限"]`).Text()); !strings.HasPrefix(got, "部门退回后重新转办或答复："+want) {
		t.Fatalf("the desk's list: 时限 %q", got)
	}
	for _, who := range []string{"supervisor", "depthead"} {
		b := newBrowser(t, a)
		b.login(who, demo.Password)
		p := b.get(fmt.Sprintf("/complaints/%d", c.ID))
		dt := p.doc.Find(`dt:contains("部门退回后重新转办或答复")`)
		if dt.Length() != 1 || strings.TrimSpace(dt.Text()) != "部门退回后重新转办或答复（5 个工作日）" || !strings.HasPrefix(dt.Next().Text(), want) {
			t.Fatalf("%s: the page's 办理时限: %q", who, p.doc.Find("dl.facts").Last().Text())
		}
		if strings.Contains(p.body, "1970-01-01") || strings.Contains(p.body, "0001-01-01") {
			t.Fatalf("%s: a zero date on the page", who)
		}
	}
}

// TestComplaintDeskClockAfterAcceptance: a complaint the desk accepted
// without a 转办 shows the desk's period to assign or answer it, from the
// acceptance, in the desk's list and on the complaint's page.
func TestComplaintDeskClockAfterAcceptance(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	var now atomic.Int64
	set := func(d, h int) { now.Store(time.Date(2026, 3, d, h, 0, 0, 0, cst).UnixNano()) }
	set(9, 10)
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: func() time.Time { return time.Unix(0, now.Load()) }})
	ctx := context.Background()
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	filed, _ := visitorComplaint(t, a)
	set(10, 10)
	c, err := a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), filed.Complaint.ID, complaint.Command{Kind: complaint.CmdAccept}, 0)
	if err != nil {
		t.Fatal(err)
	}
	set(16, 9)
	want := "剩余 1 个工作日，2026-03-17 到期"
	b := newBrowser(t, a)
	b.login("supervisor", demo.Password)
	row := b.get("/staff/complaints").doc.Find(fmt.Sprintf(`tr:has(a[href="/complaints/%d"])`, c.ID))
	if got := strings.TrimSpace(row.Find(`td[data-label="时限"]`).Text()); got != "受理后转办或答复："+want {
		t.Fatalf("the desk's list: 时限 %q", got)
	}
	p := b.get(fmt.Sprintf("/complaints/%d", c.ID))
	dt := p.doc.Find(`dt:contains("受理后转办或答复")`)
	if dt.Length() != 1 || strings.TrimSpace(dt.Text()) != "受理后转办或答复（5 个工作日）" || strings.TrimSpace(dt.Next().Text()) != want {
		t.Fatalf("the page's 办理时限: %q", p.doc.Find("dl.facts").Last().Text())
	}
}
