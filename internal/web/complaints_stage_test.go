package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/org"
)

// TestComplainantSeesDeadline: the complainant, on the complaint's page
// and on the tracking page opened with the number and 查询码, reads the
// deadline of the step the complaint waits for, as the staff's page
// words it: acceptance within 5 working days from a Monday (due the next
// Monday) and from a Friday, read over the weekend (due the next Friday),
// then the department's period once it is assigned.
func TestComplainantSeesDeadline(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	a, setAt := demoAt(t, time.Date(2026, 3, 9, 10, 0, 0, 0, cst))
	set := func(d, h int) { setAt(time.Date(2026, 3, d, h, 0, 0, 0, cst)) }
	ctx := context.Background()
	citizen := func() *browser { // logged in anew: the clock jumps past the session's idle time
		b := newBrowser(t, a)
		b.login("citizen", demo.Password)
		return b
	}
	ws, err := a.Services.Org.Windows(ctx, org.WindowFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(err)
	}
	mine, err := a.Services.Complaints.Submit(ctx, demoActor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
		WindowID: ws[0].ID, Content: "窗口工作人员态度生硬"})
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/complaints/%d", mine.Complaint.ID)
	set(9, 11)
	stageShown(t, "a Monday, on the page", citizen().get(page), "受理（5 个工作日）", "剩余 5 个工作日，2026-03-16 到期")

	set(13, 10)
	visitor, dept := visitorComplaint(t, a)
	set(14, 9)
	track := url.Values{"number": {visitor.Complaint.Number}, "code": {visitor.QueryCode}}
	stageShown(t, "a Friday, tracked on Saturday", newBrowser(t, a).post("/complaints/track", "/complaints/track", track),
		"受理（5 个工作日）", "剩余 5 个工作日，2026-03-20 到期")
	stageShown(t, "the Monday's on Saturday", citizen().get(page), "受理（5 个工作日）", "剩余 1 个工作日，2026-03-16 到期")

	if _, err := a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), mine.Complaint.ID,
		complaint.Command{Kind: complaint.CmdAccept, DepartmentID: dept, Days: 10}, 0); err != nil {
		t.Fatal(err)
	}
	stageShown(t, "assigned", citizen().get(page), "部门办理（10 个工作日）", "剩余 10 个工作日，2026-03-27 到期")
}

// stageShown fails unless the page shows the complainant one deadline,
// label and text as given, and no zero date.
func stageShown(t *testing.T, what string, p *page, label, text string) {
	t.Helper()
	dl := p.doc.Find("#stage-clock")
	if p.status != http.StatusOK || dl.Find("dt").Length() != 1 {
		t.Fatalf("%s: status %d, %d deadlines shown: %s", what, p.status, dl.Find("dt").Length(), p.doc.Find("main").Text())
	}
	if dt, dd := strings.TrimSpace(dl.Find("dt").Text()), strings.TrimSpace(dl.Find("dd").Text()); dt != label || dd != text {
		t.Fatalf("%s: %q %q, want %q %q", what, dt, dd, label, text)
	}
	if strings.Contains(p.body, "0001-01-01") {
		t.Fatalf("%s: a zero date on the page", what)
	}
}
