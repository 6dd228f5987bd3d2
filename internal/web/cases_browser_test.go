package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// The service hall's journeys in Chromium. Each persona starts at the home
// page and then only clicks and types, as a visitor does: no address is
// typed but the home page's.

// clockAt is a settable clock for scenarios that span weeks.
type clockAt struct{ ns atomic.Int64 }

func (c *clockAt) Now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *clockAt) Set(t time.Time) { c.ns.Store(t.UnixNano()) }
func day(m time.Month, d, h int) time.Time {
	return time.Date(2026, m, d, h, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// scenario drives one browser through a journey as each person in turn.
type scenario struct {
	t     *testing.T
	ctx   context.Context
	a     *apptest.App
	clock *clockAt
	dir   string
}

// newScenario's browser lives long enough for the citizen's whole journey
// (a dozen logins, queues and documents) on a busy two-core machine, where
// the PostgreSQL run has been seen to need more than two and a half minutes.
func newScenario(t *testing.T, backend string, start time.Time) *scenario {
	ctx := testutil.BrowserWithTimeout(t, 5*time.Minute)
	clock := &clockAt{}
	clock.Set(start)
	a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: clock.Now, Workers: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return &scenario{t: t, ctx: ctx, a: a, clock: clock, dir: t.TempDir()}
}

// home opens the home page, where every journey starts.
func (s *scenario) home() {
	s.t.Helper()
	do(s.t, s.ctx, chromedp.Navigate(s.a.URL("/")), chromedp.WaitVisible(chromedp.ID("home-q")))
}

// as starts at the home page as user: out of whoever was in, then in
// through the navigation's 登录.
func (s *scenario) as(user string) {
	s.t.Helper()
	s.home()
	s.logout()
	do(s.t, s.ctx, chromedp.Click(chromedp.CSS(`.main-nav a[href='/login']`)), chromedp.WaitVisible(chromedp.ID("f-username")))
	s.login(user)
}

// login fills the login form the page shows.
func (s *scenario) login(user string) {
	s.t.Helper()
	do(s.t, s.ctx,
		chromedp.SendKeys(chromedp.ID("f-username"), user),
		chromedp.SendKeys(chromedp.ID("f-password"), demo.Password+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
}

func (s *scenario) logout() {
	s.t.Helper()
	if s.eval(`document.querySelector("form[action='/logout'] button") ? "yes" : "no"`) == "yes" {
		do(s.t, s.ctx, chromedp.Click(chromedp.CSS(`form[action='/logout'] button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	}
}

// nav follows a link of the main navigation.
func (s *scenario) nav(href, wait string) {
	s.t.Helper()
	do(s.t, s.ctx, chromedp.Click(chromedp.CSS(`.main-nav a[href='`+href+`']`)), chromedp.WaitVisible(chromedp.CSS(wait)))
}

// openCase follows a queue's or list's link to a case by its number.
func (s *scenario) openCase(queue, number string) {
	s.t.Helper()
	s.nav(queue, `table.stack`)
	do(s.t, s.ctx, chromedp.Click(chromedp.Search(`//a[normalize-space()="`+number+`"]`)), chromedp.WaitVisible(chromedp.ID("h-hist")))
}

// action opens one of the case page's action forms, fills it and submits it.
func (s *scenario) action(kind string, branch int, fill ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	id := `[id="act-` + kind + `-` + itoaBranch(branch) + `"]`
	var steps []chromedp.Action[chromedp.Void]
	if s.eval(`document.querySelector('`+id+`').open ? "open" : ""`) == "" {
		steps = append(steps, chromedp.Click(chromedp.CSS(id+` summary`)))
	}
	steps = append(steps, fill...)
	steps = append(steps, s.submitting(chromedp.Click(chromedp.CSS(id+` button[type=submit]`)))...)
	do(s.t, s.ctx, steps...)
	if e := s.eval(`(document.querySelector(".form-error") || {}).innerText || ""`); e != "" {
		s.t.Fatalf("%s refused: %s", kind, e)
	}
}

// submitting runs a click that submits a form and waits for the page that
// answers it: the old page is marked first, so that what is waited for is
// on the new one.
func (s *scenario) submitting(click chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] {
	var mark chromedp.Action[chromedp.Void] = func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`document.body.classList.add("answered-before"), true`)(ctx, tg)
		return chromedp.Void{}, err
	}
	return []chromedp.Action[chromedp.Void]{mark, click, chromedp.WaitVisible(chromedp.CSS(`body:not(.answered-before) .flash, body:not(.answered-before) .form-error`))}
}

func (s *scenario) main() string { return text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`main`))) }

func (s *scenario) eval(js string) string { return text(s.t, s.ctx, chromedp.Evaluate[string](js)) }

func (s *scenario) file(name, content string) string {
	p := filepath.Join(s.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return p
}

func (s *scenario) shot(name string) { testutil.Screenshot(s.t, s.ctx, name) }

func (s *scenario) wantOnPage(what ...string) {
	s.t.Helper()
	got := s.main()
	for _, w := range what {
		if !strings.Contains(got, w) {
			s.t.Fatalf("the page lacks %q:\n%s", w, got)
		}
	}
}

// byID selects by id attribute; ids with dots (f-form.summary) are not CSS ids.
func byID(id string) chromedp.CSS { return chromedp.CSS(`[id="` + id + `"]`) }

func itoaBranch(b int) string {
	if b < 0 {
		return "-1"
	}
	return string(rune('0' + b))
}

const pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// TestBrowserCitizenJourney: a citizen finds the road-digging permit by
// 个人办事 and by the search box, applies online (on a phone-sized screen,
// a bad value refused without losing the uploaded file), the window asks
// once for a 补正, the citizen supplements (an empty supplement refused),
// the window accepts, two departments approve (one after a 现场勘察), the
// fee is paid, the certificate issued, and the citizen reads the 查询密码 on
// the receipt and looks the case up without logging in.
func TestBrowserCitizenJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		s := newScenario(t, backend, day(9, 22, 10))
		s.findByTheme()
		number, code := s.applyRoad("2026-09-30")
		s.supplement(number)
		s.approve(number)
		s.clerkCollects(number)
		s.receiptAndLookup(number, code)
	})
}

// findByTheme: 个人办事 → 交通出行 lists the item.
func (s *scenario) findByTheme() {
	s.home()
	do(s.t, s.ctx,
		chromedp.Click(chromedp.Search(`//section[@aria-labelledby="h-person"]//a[normalize-space()="交通出行"]`)),
		chromedp.WaitVisible(chromedp.ID("result-count")),
	)
	s.wantOnPage("城市道路占用、挖掘许可")
}

// applyRoad searches from the home page, opens the guide, logs in through
// its 在线申请 and files, first with a mistake; it returns the case number
// and the 查询密码 the flash shows, having found the case page naming the
// end of its intake period (行政许可法 Art 32).
func (s *scenario) applyRoad(intakeDue string) (string, string) {
	t := s.t
	s.home()
	do(t, s.ctx,
		chromedp.SendKeys(chromedp.ID("home-q"), "挖掘\n"),
		chromedp.WaitVisible(chromedp.ID("result-count")),
		chromedp.Click(chromedp.Search(`//a[strong[normalize-space()="城市道路占用、挖掘许可"]]`)),
		chromedp.WaitVisible(chromedp.ID("h-do")),
	)
	s.wantOnPage("在线申请", "预约到窗口办理", "找代办")
	do(t, s.ctx, chromedp.Click(chromedp.CSS(`.guide-do a.button.primary`)), chromedp.WaitVisible(chromedp.ID("f-username")))
	s.login("citizen")
	do(t, s.ctx, chromedp.EmulateViewport(375, 812), chromedp.WaitVisible(byID("f-form.summary")))
	if w := s.eval(`String(document.documentElement.scrollWidth)`); w != "375" {
		t.Fatalf("the apply form is %s px wide on a 375 px screen", w)
	}
	do(t, s.ctx,
		chromedp.SendKeys(byID("f-form.summary"), "文三路燃气管道抢修开挖"),
		chromedp.SendKeys(byID("f-form.挖掘地点"), "文三路（学院路至古翠路）"),
		chromedp.SendKeys(byID("f-form.挖掘面积（平方米）"), "-20"),
		chromedp.SendKeys(byID("f-form.联系人手机"), "13812345678"),
		chromedp.SetUploadFiles(byID("f-material.m1"), []string{s.file("申请表.pdf", pdf)}),
		chromedp.Click(chromedp.CSS(`form.apply-form button.primary`)),
		chromedp.WaitVisible(chromedp.ID("form-error")),
	)
	s.shot("apply-375-error")
	s.wantOnPage("不能小于 0.01", "已上传：申请表.pdf", "请上传“施工方案及交通组织方案”")
	do(t, s.ctx,
		chromedp.Clear(byID("f-form.挖掘面积（平方米）")),
		chromedp.SendKeys(byID("f-form.挖掘面积（平方米）"), "20"),
		chromedp.SetUploadFiles(byID("f-material.m2"), []string{s.file("施工方案.pdf", pdf+"% plan\n")}),
		chromedp.Click(chromedp.CSS(`form.apply-form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		chromedp.EmulateViewport(1280, 900),
	)
	m := regexp.MustCompile(`办件编号：(\d+)，查询密码：(\d{6})`).FindStringSubmatch(text(t, s.ctx, chromedp.Text(chromedp.CSS(`.flash`))))
	if m == nil {
		t.Fatalf("no case number and query code in the flash")
	}
	s.wantOnPage("申请表.pdf", "施工方案.pdf", intakeDue+" 前受理")
	return m[1], m[2]
}

// supplement: one notice listing everything; the citizen's empty
// supplement is refused, a complete one taken.
func (s *scenario) supplement(number string) {
	t := s.t
	s.clock.Set(day(9, 22, 14))
	s.as("clerk")
	s.nav("/staff/intake", `table.stack`)
	s.wantOnPage(number, "2026-09-30")
	do(t, s.ctx, chromedp.EmulateViewport(375, 812), chromedp.WaitVisible(chromedp.CSS(`table.stack td[data-label]`)))
	if w := s.eval(`String(document.documentElement.scrollWidth)`); w != "375" {
		t.Fatalf("the intake queue is %s px wide on a 375 px screen", w)
	}
	s.shot("intake-375")
	do(t, s.ctx, chromedp.EmulateViewport(1280, 900))
	s.openCase("/staff/intake", number)
	s.action("request_supplement", -1,
		chromedp.Click(chromedp.CSS(`details[open] input[name=need][value=m2]`)),
		chromedp.SendKeys(byID("defect-request_supplement-m2"), "施工方案须加盖施工单位公章"),
		chromedp.SendKeys(byID("items-request_supplement--1"), "说明挖掘期限"))
	s.clock.Set(day(9, 23, 9))
	s.as("citizen")
	s.openCase("/cases", number)
	do(t, s.ctx,
		chromedp.Click(chromedp.CSS(`[id="act-supplement--1"] summary`)),
		chromedp.Click(chromedp.CSS(`[id="act-supplement--1"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("form-error")),
	)
	s.wantOnPage("补正内容不完整", "请上传补正后的“施工方案及交通组织方案”", "请填写书面说明")
	s.action("supplement", -1,
		chromedp.SetUploadFiles(chromedp.ID("sup-m2"), []string{s.file("施工方案（盖章）.pdf", pdf+"% stamped\n")}),
		chromedp.SendKeys(chromedp.ID("sup-answer-1"), "计划挖掘 5 天"))
	s.clock.Set(day(9, 24, 10))
	s.as("clerk")
	s.openCase("/staff/intake", number)
	s.action("accept", -1)
	s.shot("accepted")
	// Thu 09-24: 中秋 and the weekend, then 国庆 skipped, 10-10 a make-up Saturday.
	s.wantOnPage("2026-10-15 到期")
}

// approve: the city-management department starts a 现场勘察 (its days
// taken whole), both departments approve with their opinions.
func (s *scenario) approve(number string) {
	s.clock.Set(day(9, 29, 9))
	s.as("cgapprover")
	s.openCase("/staff/approvals", number)
	s.action("start_special", 0,
		chromedp.SendKeys(chromedp.ID("days-special-0"), "2"),
		chromedp.SendKeys(chromedp.ID("reason-start_special-0"), "核实开挖范围与管线位置"))
	s.wantOnPage("暂停计时", "预计需要 2 个工作日")
	s.clock.Set(day(9, 30, 16))
	s.as("cgapprover")
	s.openCase("/staff/approvals", number)
	s.action("end_special", 0, chromedp.SendKeys(chromedp.ID("reason-end_special-0"), "现场与申请一致"))
	s.clock.Set(day(10, 8, 10))
	s.as("cgapprover")
	s.openCase("/staff/approvals", number)
	s.action("pass", 0, chromedp.SendKeys(chromedp.ID("reason-pass-0"), "挖掘方案可行"))
	// 09-29 and 09-30, the inspection's first and last days, did not count.
	s.wantOnPage("2026-10-19 到期", "用时 2 个工作日（起止日均计入）")
	s.as("gaapprover")
	s.openCase("/staff/approvals", number)
	s.action("pass", 1, chromedp.SendKeys(chromedp.ID("reason-pass-1"), "交通组织方案可行"))
	s.clock.Set(day(10, 9, 11))
	s.as("cghead")
	s.openCase("/staff/approvals", number)
	s.action("pass", 0, chromedp.SendKeys(chromedp.ID("reason-pass-0"), "准予许可"))
	s.wantOnPage("待缴费出证", "准予许可")
}

// clerkCollects: the fee, due before the result, is paid at the window
// and the certificate is issued.
func (s *scenario) clerkCollects(number string) {
	s.as("clerk")
	s.nav("/staff/fees", `table.stack`)
	s.openCase("/staff/fees", number)
	s.action("pay_fee", -1)
	s.shot("certificate")
	s.wantOnPage("出证办结", "电子证照")
}

// receiptAndLookup: the citizen reads the 查询密码 on the receipt, then,
// logged out, looks the case up with it.
func (s *scenario) receiptAndLookup(number, code string) {
	t := s.t
	s.as("citizen")
	s.openCase("/cases", number)
	do(t, s.ctx, chromedp.Click(chromedp.CSS(`a[href$="/docs/receipt"]`)), chromedp.WaitVisible(chromedp.CSS(`.doc-code`)))
	s.shot("receipt")
	if got := text(t, s.ctx, chromedp.Text(chromedp.CSS(`.doc-code strong`))); got != code {
		t.Fatalf("the receipt shows %q, the filing gave %q", got, code)
	}
	// The receipt states the dates as they were on acceptance.
	s.wantOnPage("承诺时限，2026-10-15 前")
	s.home()
	s.logout()
	s.nav("/progress", `#f-number`)
	do(t, s.ctx,
		chromedp.SendKeys(chromedp.ID("f-number"), number),
		chromedp.SendKeys(chromedp.ID("f-code"), code+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`.timeline`)))
	s.shot("progress")
	got := s.main()
	for _, want := range []string{"已办结", "准予许可", "一次性告知补正", "特别程序开始", "特别程序结束", "出具电子证照", "缴费"} {
		if !strings.Contains(got, want) {
			t.Errorf("the progress page lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "张三") {
		t.Error("the progress page must mask the applicant")
	}
	// Whoever holds the number and 查询密码 may complain about the case and
	// rate it, as the QR code on its documents lets them.
	if n := text(t, s.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll('form[action="/complaints/new"] button').length)`)); n != "1" {
		t.Error("the progress page offers no complaint about the case")
	}
	do(t, s.ctx, chromedp.Click(chromedp.CSS(`a[href^="/rate/"]`)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if page := s.main(); !strings.Contains(page, number) || !strings.Contains(page, "评价") {
		t.Errorf("the rating page from the progress lookup:\n%s", page)
	}
	// Looked up again, 对本办件投诉 opens the complaint form with the
	// number and the 查询密码 already filled in.
	s.nav("/progress", `#f-number`)
	do(t, s.ctx,
		chromedp.SendKeys(chromedp.ID("f-number"), number),
		chromedp.SendKeys(chromedp.ID("f-code"), code+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`.timeline`)),
		chromedp.Click(chromedp.CSS(`form[action="/complaints/new"] button`)),
		chromedp.WaitVisible(chromedp.ID("f-content")))
	gotNumber, gotCode := text(t, s.ctx, chromedp.Value(chromedp.ID("f-case_number"))), text(t, s.ctx, chromedp.Value(chromedp.ID("f-query_code")))
	if gotNumber != number || gotCode != code {
		t.Errorf("the complaint form from the progress page: number %q, 查询密码 %q", gotNumber, gotCode)
	}
}
