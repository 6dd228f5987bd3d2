package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/org"
	"openhall/internal/rating"
)

func ratingsApp(t *testing.T) *apptest.App {
	t.Helper()
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: func() time.Time { return at }})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	decideForCitizen(t, a)
	return a
}

// TestRatingFormKeepsInput: a bad rating without a reason is refused with
// the field named, and the form keeps what was chosen and typed; a good
// rating then goes through, once per stage.
func TestRatingFormKeepsInput(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	b.login("citizen", demo.Password)
	casePath := caseLink(t, b)
	p := b.post(casePath, casePath+"/rating", url.Values{"level": {"4"}, "indicators.guide": {"5"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError(t, "comment"), "原因") {
		t.Fatalf("status %d, comment error %q", p.status, p.fieldError(t, "comment"))
	}
	if _, ok := p.doc.Find(`#rating input[name=level][value="4"]`).Attr("checked"); !ok {
		t.Fatal("the chosen level was lost")
	}
	if v, _ := p.doc.Find(`#rate-ind-guide option[selected]`).Attr("value"); v != "5" {
		t.Fatalf("the indicator was lost: %q", v)
	}
	p = b.post(casePath, casePath+"/rating", url.Values{"level": {"1"}, "comment": {"很快"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("good rating: %d", p.status)
	}
	page := b.get(casePath)
	if page.doc.Find(`#rating form`).Length() != 0 || !strings.Contains(page.doc.Find("#rating").Text(), "非常满意") {
		t.Fatalf("after rating the stage: %s", page.doc.Find("#rating").Text())
	}
	// The clerk who handled the case is told ratings are not shown to
	// those handling it, not that there are none; the 监察人员 sees it.
	clerk := newBrowser(t, a)
	clerk.login("clerk", demo.Password)
	if txt := clerk.get(casePath).doc.Find("#rating").Text(); strings.Contains(txt, "非常满意") || !strings.Contains(txt, "不向办理本办件的工作人员显示") {
		t.Fatalf("the clerk's view of the ratings: %s", txt)
	}
	sup := newBrowser(t, a)
	sup.login("supervisor", demo.Password)
	if txt := sup.get(casePath).doc.Find("#rating").Text(); !strings.Contains(txt, "非常满意") {
		t.Fatalf("the supervisor's view of the ratings: %s", txt)
	}
	other := newBrowser(t, a)
	other.login("company", demo.Password)
	if p := other.get(casePath); p.status != http.StatusNotFound {
		t.Fatalf("another citizen opens the case: %d", p.status)
	}
}

func caseLink(t *testing.T, b *browser) string {
	t.Helper()
	href, ok := b.get("/cases").doc.Find(`main table a`).First().Attr("href")
	if !ok {
		t.Fatal("no case in 我的办件")
	}
	return href
}

// badReviewTicket has the demo citizen rate their case 非常不满意 and
// returns the approver's browser on the ticket it opened, with its address.
func badReviewTicket(t *testing.T, a *apptest.App) (*browser, string, *page) {
	t.Helper()
	citizen := newBrowser(t, a)
	citizen.login("citizen", demo.Password)
	casePath := caseLink(t, citizen)
	if p := citizen.post(casePath, casePath+"/rating", url.Values{"level": {"5"}, "comment": {"态度差"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rating: %d", p.status)
	}
	b := newBrowser(t, a)
	b.login("approver", demo.Password)
	href, _ := b.get("/staff/ratings").doc.Find(`main table a`).First().Attr("href")
	return b, href, b.get(href)
}

// TestTicketPageSteps: the department's steps on the ticket page, with a
// missing record refused and named.
func TestTicketPageSteps(t *testing.T) {
	a := ratingsApp(t)
	b, href, page := badReviewTicket(t, a)
	if page.doc.Find("#tk-callback").Length() != 1 || page.doc.Find("#tk-uphold").Length() != 0 {
		t.Fatalf("options: %s", page.doc.Find(".action summary").Text())
	}
	version, _ := page.doc.Find(`#tk-callback input[name=version]`).Attr("value")
	p := b.post(href, href+"/actions", url.Values{"kind": {"callback"}, "version": {version}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find("#tk-callback .error").Text(), "回访记录") {
		t.Fatalf("empty call back: %d %q", p.status, p.doc.Find(".form-error").Text())
	}
	p = b.post(href, href+"/actions", url.Values{"kind": {"callback"}, "version": {version}, "reason": {"已电话联系"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("call back: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	p = b.post(href, href+"/actions", url.Values{"kind": {"verify"}, "version": {version}, "code": {"founded"}, "reason": {"属实"}})
	if p.status != http.StatusConflict {
		t.Fatalf("a stale version must be refused: %d", p.status)
	}
}

// TestComplaintFormErrors: a complaint without what is needed names each
// field and keeps the text.
func TestComplaintFormErrors(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	p := b.post("/complaints/new", "/complaints", url.Values{"kind": {"complaint"}, "subject": {"window"}, "content": {"窗口无人值守很久"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", p.status)
	}
	msg := p.doc.Find(".form-error").Text()
	for _, want := range []string{"请选择窗口", "请填写姓名", "手机号码"} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors lack %q: %s", want, msg)
		}
	}
	if got := p.doc.Find("#f-content").Text(); got != "窗口无人值守很久" {
		t.Fatalf("the text was lost: %q", got)
	}
}

// TestComplaintDeskBadInput: a desk step with a department that is not a
// number, or a step that does not exist, is refused naming the field; it
// is never taken as "no department".
func TestComplaintDeskBadInput(t *testing.T) {
	a := ratingsApp(t)
	ws, err := a.Services.Org.Windows(context.Background(), org.WindowFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(err)
	}
	filed, err := a.Services.Complaints.Submit(context.Background(), nil, complaint.Input{Kind: complaint.KindComplaint,
		Subject: complaint.SubjectWindow, WindowID: ws[0].ID, Content: "窗口无人值守很久", Name: "王五", Phone: "13800002222"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.login("supervisor", demo.Password)
	page := fmt.Sprintf("/complaints/%d", filed.Complaint.ID)
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"kind": {"accept"}, "department_id": {"abc"}, "days": {"5"}}, "承办部门须为数字"},
		{url.Values{"kind": {"zzz"}}, "未知的操作"},
	} {
		p := b.post(page, page+"/actions", tc.form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find(".form-error").Text(), tc.want) {
			t.Fatalf("%v: status %d, %s", tc.form, p.status, p.doc.Find(".form-error").Text())
		}
	}
	if v, err := a.Services.Complaints.Get(context.Background(), demoActor(t, a, "supervisor"), filed.Complaint.ID); err != nil || v.Complaint.Status != complaint.StatusSubmitted {
		t.Fatalf("a refused step changed the complaint: %+v %v", v, err)
	}
}

// TestReportBadQuery: the workbook asked for with a bad period or
// dimension answers with the report page naming the field, not a bare
// error page.
func TestReportBadQuery(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	b.login("supervisor", demo.Password)
	p := b.get("/staff/ratings/report.xlsx?by=zzz&from=2026-03-01&to=2026-03-31")
	if msg := p.doc.Find(".form-error").Text(); p.status != http.StatusUnprocessableEntity || !strings.Contains(msg, "统计维度") ||
		strings.Contains(msg, "department") {
		t.Fatalf("a bad dimension: %d %s", p.status, msg)
	}
	// Both dates wrong: each message says which date.
	p = b.get("/staff/ratings/report?by=department&from=abc&to=2026-02-30")
	if !strings.HasPrefix(p.fieldError(t, "from"), "开始日期") || !strings.HasPrefix(p.fieldError(t, "to"), "结束日期") {
		t.Fatalf("two bad dates: %q, %q", p.fieldError(t, "from"), p.fieldError(t, "to"))
	}
	// The menu marks one current page: 评价统计, not also 差评整改
	// (/staff/ratings) or 工作台 (/staff).
	var current []string
	b.get("/staff/ratings/report").doc.Find(`.main-nav a[aria-current="page"]`).Each(func(_ int, s *goquery.Selection) { current = append(current, s.Text()) })
	if len(current) != 1 || current[0] != "评价统计" {
		t.Fatalf("current menu entries %q, want only 评价统计", current)
	}
	// A five-digit year (as a date input lets one type) is named at its
	// field and shown as typed; the page never falls back to 1970-01-01.
	p = b.get("/staff/ratings/report?by=department&from=20266-12-01&to=2026-12-31")
	typed, _ := p.doc.Find("#f-from").Attr("value")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError(t, "from"), "格式") || typed != "20266-12-01" ||
		strings.Contains(p.body, "1970-01-01") {
		t.Fatalf("a bad start date: %d, field %q, value %q", p.status, p.fieldError(t, "from"), typed)
	}
	// A day that does not exist is called that, not a format error; a
	// year before any rating (0001, Go's zero date) is refused at its
	// field, and the page never reports a period of 0001.
	for _, tc := range []struct{ query, field, want string }{
		{"from=2026-02-30&to=2026-03-31", "from", "不存在"},
		{"from=0001-01-01&to=0001-01-02", "from", "2000 年"},
		{"from=0000-01-01&to=2026-03-31", "from", "2000 年"},
	} {
		p = b.get("/staff/ratings/report?by=department&" + tc.query)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.fieldError(t, tc.field), tc.want) ||
			strings.Contains(p.doc.Find("main").Text(), "0001-01-01 至") {
			t.Fatalf("%s: %d, field %s %q", tc.query, p.status, tc.field, p.fieldError(t, tc.field))
		}
	}
}

// TestReportRegionChoice: the city's 监察人员 chooses among the city and
// its districts, and a district's report lists that district's
// departments only.
func TestReportRegionChoice(t *testing.T) {
	a := ratingsApp(t)
	for _, code := range []string{"330106", "330110"} {
		if err := a.SeedRatings(context.Background(), code, 40, time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC), nil); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, a)
	b.login("supervisor", demo.Password)
	regions := map[string]string{}
	b.get("/staff/ratings/report").doc.Find("#f-region option").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		regions[strings.TrimSpace(s.Text())] = v
	})
	if regions["西湖区"] == "" || regions["余杭区"] == "" || regions["杭州市"] == "" {
		t.Fatalf("the regions offered %v", regions)
	}
	p := b.get("/staff/ratings/report?by=department&from=2026-01-01&to=2026-03-31&region=" + url.QueryEscape(regions["西湖区"]))
	rows := p.doc.Find("table").First().Find("tbody th").Text()
	if p.status != http.StatusOK || strings.Contains(rows, "余杭区") || !strings.Contains(rows, "西湖区") {
		t.Fatalf("西湖区's report: %d, rows %q", p.status, rows)
	}
}

// TestCounterWithoutToken: a device not started as a tablet says so; the
// receipt carries the rating QR code.
func TestCounterWithoutToken(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	if p := b.get("/counter"); p.status != http.StatusNotFound || !strings.Contains(p.body, "尚未启用为窗口评价器") {
		t.Fatalf("counter without a token: %d", p.status)
	}
	if p := b.post("/complaints/new", "/counter/ratings", url.Values{"level": {"1"}}); p.status != http.StatusNotFound {
		t.Fatalf("rating without a token: %d", p.status)
	}
	b.login("citizen", demo.Password)
	casePath := caseLink(t, b)
	// The QR code is printed on the decision of this 即办件 (it has no
	// separate receipt); whoever scans it reaches the rating page.
	doc := b.get(casePath + "/docs/decision")
	src, ok := doc.doc.Find(".receipt-rating img").Attr("src")
	if doc.status != http.StatusOK || !ok {
		t.Fatalf("decision %d without a rating QR code", doc.status)
	}
	if img := b.get(src); img.status != http.StatusOK || img.header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR code %s: %d", src, img.status)
	}
	link := strings.TrimSuffix(src, "/qr.png")
	scanner := newBrowser(t, a)
	page := scanner.get(link) // the address in the QR code
	if !strings.Contains(page.body, "个体工商户设立登记") || page.doc.Find(`form input[name=level]`).Length() != 5 {
		t.Fatalf("the QR code's page: %d", page.status)
	}
	if p := scanner.post(link, link, url.Values{"level": {"2"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rating by QR code: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	if p := scanner.get(link); !strings.Contains(p.body, "本次服务已评价") && !strings.Contains(p.body, "已作出评价") {
		t.Fatalf("after rating by QR code:\n%s", p.doc.Find("main").Text())
	}
}

// TestComplaintStepRefusedWithoutOptions: a step refused because the
// complaint moved on (a reply sent twice, by a double click or from a
// page left open) says why, also when the page then offers the user no
// step at all.
func TestComplaintStepRefusedWithoutOptions(t *testing.T) {
	a := ratingsApp(t)
	ctx := context.Background()
	filed, dept := visitorComplaint(t, a)
	c, err := a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), filed.Complaint.ID,
		complaint.Command{Kind: complaint.CmdAccept, DepartmentID: dept, Days: 5}, filed.Complaint.Version)
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.login("depthead", demo.Password)
	page := fmt.Sprintf("/complaints/%d", c.ID)
	form := url.Values{"kind": {"reply"}, "version": {fmt.Sprint(c.Version)}, "text": {"已核实，窗口已增派人员"}}
	if p := b.post(page, page+"/actions", form); p.status != http.StatusSeeOther {
		t.Fatalf("the reply: status %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	p := b.post(page, page+"/actions", form)
	if p.status != http.StatusConflict || !strings.Contains(p.doc.Find(".form-error").Text(), "已被他人处理") {
		t.Fatalf("the reply again: status %d, error %q", p.status, p.doc.Find(".form-error").Text())
	}
}

// TestAnonymousBadRatingByLink: a bad review given through the QR code
// without logging in is anonymous and nobody can be told of its handling,
// so the page does not promise a notice; it says where to see the
// department's feedback and evaluate again (this same link).
func TestAnonymousBadRatingByLink(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	b.login("citizen", demo.Password)
	src, ok := b.get(caseLink(t, b) + "/docs/decision").doc.Find(".receipt-rating img").Attr("src")
	if !ok {
		t.Fatal("no rating QR code on the decision")
	}
	link := strings.TrimSuffix(src, "/qr.png")
	scanner := newBrowser(t, a)
	if p := scanner.post(link, link, url.Values{"level": {"4"}, "comment": {"排队一个多小时"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rating by QR code: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	flash := scanner.get(link).doc.Find(".flash").Text()
	if strings.Contains(flash, "通知您") || !strings.Contains(flash, "本评价链接") {
		t.Fatalf("after an anonymous bad review: %q", flash)
	}
	// The same rating sent again (a double tap) is refused with the
	// reason shown, although the page no longer has a form. The token
	// comes from another page: this one has no form now.
	p := scanner.post("/complaints/new", link, url.Values{"level": {"4"}, "comment": {"排队一个多小时"}})
	if p.status != http.StatusConflict || strings.TrimSpace(p.doc.Find(".form-error").Text()) == "" {
		t.Fatalf("the rating again: %d, error %q", p.status, p.doc.Find(".form-error").Text())
	}
}

// TestComplaintQueueRecordLink: only the desk records complaints of the
// hotline, the hall or a letter; a department's list does not offer it
// (its link led to the form a person complains with, under their own
// name).
func TestComplaintQueueRecordLink(t *testing.T) {
	a := ratingsApp(t)
	for who, want := range map[string]bool{"supervisor": true, "depthead": false, "approver": false} {
		b := newBrowser(t, a)
		b.login(who, demo.Password)
		p := b.get("/staff/complaints")
		if got := strings.Contains(p.doc.Find("main").Text(), "录入热线、现场或来信投诉"); p.status != http.StatusOK || got != want {
			t.Errorf("%s: status %d, offers recording %v, want %v", who, p.status, got, want)
		}
	}
}

// TestInstantCaseBranchClosed: a 即办件 decided at the window is closed,
// and so is its department's row on the case page: no current step and
// not “办理中” (the instant decision decides no branch of its own).
func TestInstantCaseBranchClosed(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	b.login("citizen", demo.Password)
	p := b.get(caseLink(t, b))
	rows := p.doc.Find(`table.stack caption:contains("审批部门")`).Parent().Find("tbody tr")
	if rows.Length() != 1 {
		t.Fatalf("department rows: %d", rows.Length())
	}
	step := strings.TrimSpace(rows.Find(`td[data-label="当前环节"]`).Text())
	status := strings.TrimSpace(rows.Find(`td[data-label="状态"]`).Text())
	if step != "—" || strings.Contains(status, "办理中") {
		t.Fatalf("the department's row of a closed case: step %q, status %q", step, status)
	}
}

// visitorComplaint files, as a visitor not logged in, a complaint about the
// first window, and returns it with the department the desk assigns it to.
func visitorComplaint(t *testing.T, a *apptest.App) (*complaint.Filed, int64) {
	t.Helper()
	ctx := context.Background()
	ws, err := a.Services.Org.Windows(ctx, org.WindowFilter{})
	if err != nil || len(ws) == 0 {
		t.Fatal(err)
	}
	filed, err := a.Services.Complaints.Submit(ctx, nil, complaint.Input{Kind: complaint.KindComplaint,
		Subject: complaint.SubjectWindow, WindowID: ws[0].ID, Content: "窗口无人值守很久", Name: "王五", Phone: "13800002222"})
	if err != nil {
		t.Fatal(err)
	}
	depts, err := a.Services.Org.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		if d.Name == "西湖区市场监督管理局" {
			return filed, d.ID
		}
	}
	t.Fatal("no 西湖区市场监督管理局 in the demo")
	return nil, 0
}

// TestSecondEvaluationTwice: a second evaluation sent again (a double
// click, a second tab) is refused with the reason on the page, not a
// page that silently shows the first.
func TestSecondEvaluationTwice(t *testing.T) {
	a := ratingsApp(t)
	citizen := newBrowser(t, a)
	citizen.login("citizen", demo.Password)
	casePath := caseLink(t, citizen)
	if p := citizen.post(casePath, casePath+"/rating", url.Values{"level": {"5"}, "comment": {"等候太久"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rating: %d", p.status)
	}
	ctx, approver := context.Background(), demoActor(t, a, "approver")
	list, err := a.Services.Ratings.Tickets(ctx, approver, true)
	if err != nil || len(list) != 1 {
		t.Fatalf("tickets %v %v", list, err)
	}
	for _, c := range []rating.TicketCommand{{Kind: rating.TcCallback, Reason: "已电话联系"}, {Kind: rating.TcVerify, Code: "founded", Reason: "属实"},
		{Kind: rating.TcRectify, Code: "rectify", Reason: "增开窗口"}, {Kind: rating.TcFeedback, Reason: "已增开窗口"}} {
		if _, err := a.Services.Ratings.ActTicket(ctx, approver, list[0].Ticket.ID, c, 0); err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
	}
	path := fmt.Sprintf("/ratings/%d", list[0].Ticket.RatingID)
	if p := citizen.post(path, path+"/again", url.Values{"level": {"2"}}); p.status != http.StatusSeeOther {
		t.Fatalf("second evaluation: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	p := citizen.post(path, path+"/again", url.Values{"level": {"1"}})
	if p.status != http.StatusConflict || !strings.Contains(p.doc.Find(".form-error").Text(), "二次评价") {
		t.Fatalf("the same again: %d, error %q", p.status, p.doc.Find(".form-error").Text())
	}
}
