package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// clockAt is a settable clock for scenarios that span weeks.
type clockAt struct{ ns atomic.Int64 }

func (c *clockAt) Now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *clockAt) Set(t time.Time) { c.ns.Store(t.UnixNano()) }
func day(m time.Month, d, h int) time.Time {
	return time.Date(2026, m, d, h, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// scenario drives one browser through the case as each person in turn.
type scenario struct {
	t     *testing.T
	ctx   context.Context
	a     *apptest.App
	clock *clockAt
	dir   string
}

func (s *scenario) as(user string) {
	s.t.Helper()
	do(s.t, s.ctx, chromedp.Navigate(s.a.URL("/")))
	if ok := text(s.t, s.ctx, chromedp.Evaluate[string](`document.querySelector("form[action='/logout'] button") ? "yes" : "no"`)); ok == "yes" {
		do(s.t, s.ctx, chromedp.Click(chromedp.CSS(`form[action='/logout'] button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	}
	do(s.t, s.ctx,
		chromedp.Navigate(s.a.URL("/login")),
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), user),
		chromedp.SendKeys(chromedp.ID("f-password"), demo.Password+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
}

func (s *scenario) file(name, content string) string {
	p := filepath.Join(s.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// action opens one of the case page's action forms and submits it.
func (s *scenario) action(caseURL, kind string, branch int, fill ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	id := `[id="act-` + kind + `-` + itoaBranch(branch) + `"]`
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(s.a.URL(caseURL)), chromedp.Click(chromedp.CSS(id + ` summary`))}
	steps = append(steps, fill...)
	steps = append(steps, chromedp.Click(chromedp.CSS(id+` button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	do(s.t, s.ctx, steps...)
}

// byID selects by id attribute; ids with dots (f-form.summary) are not CSS ids.
func byID(id string) chromedp.CSS { return chromedp.CSS(`[id="` + id + `"]`) }

func itoaBranch(b int) string { return strconv.Itoa(b) }

// TestBrowserCaseScenario runs the scenario in Chromium on both backends.
func TestBrowserCaseScenario(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := testutil.BrowserWithTimeout(t, 90*time.Second)
		clock := &clockAt{}
		clock.Set(day(9, 22, 10))
		a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: clock.Now, Workers: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		s := &scenario{t: t, ctx: ctx, a: a, clock: clock, dir: t.TempDir()}
		runBrowserScenario(s, versionOf(t, a, "城市道路占用、挖掘许可"))
	})
}

func versionOf(t *testing.T, a *apptest.App, name string) int64 {
	items, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Name == name && it.PublishedID != nil {
			return *it.PublishedID
		}
	}
	t.Fatalf("no demo item %q", name)
	return 0
}

const pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func runBrowserScenario(s *scenario, version int64) {
	t := s.t
	s.as("company")
	do(t, s.ctx,
		chromedp.Navigate(s.a.URL("/apply/"+idStr(version))),
		chromedp.WaitVisible(byID("f-form.summary")),
		chromedp.SendKeys(byID("f-form.summary"), "文三路燃气管道抢修开挖"),
		chromedp.SendKeys(byID("f-form.挖掘面积（平方米）"), "20"),
		chromedp.SetUploadFiles(byID("f-material.m1"), []string{s.file("申请表.pdf", pdf)}),
		chromedp.SetUploadFiles(byID("f-material.m2"), []string{s.file("施工方案.pdf", pdf+"% plan\n")}),
		chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	flash := text(t, s.ctx, chromedp.Text(chromedp.CSS(`.flash`)))
	m := regexp.MustCompile(`办件编号：(\d+)，查询密码：(\d{6})`).FindStringSubmatch(flash)
	if m == nil {
		t.Fatalf("no case number and query code in %q", flash)
	}
	caseURL := text(t, s.ctx, chromedp.Evaluate[string](`location.pathname`))
	testutil.Screenshot(t, s.ctx, "filed")
	intakeAndReview(s, caseURL)
	progress(s, m[1], m[2])
}

func intakeAndReview(s *scenario, caseURL string) {
	s.clock.Set(day(9, 22, 14))
	s.as("clerk")
	s.action(caseURL, "request_supplement", -1, chromedp.SendKeys(chromedp.CSS(`textarea[name=items]`), "规划批准文件复印件\n施工方案须加盖施工单位公章"))
	s.clock.Set(day(9, 23, 9))
	s.as("company")
	s.action(caseURL, "supplement", -1, chromedp.SetUploadFiles(chromedp.ID("sup-m2"), []string{s.file("施工方案盖章.pdf", pdf+"% stamped\n")}))
	s.clock.Set(day(9, 24, 10))
	s.as("clerk")
	s.action(caseURL, "pay_fee", -1)
	s.action(caseURL, "accept", -1)
	testutil.Screenshot(s.t, s.ctx, "accepted")
	if got := text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(got, "2026-10-15 到期") {
		s.t.Fatalf("after acceptance the promised due date must be 2026-10-15 (across 中秋 and 国庆):\n%s", got)
	}
	s.clock.Set(day(9, 29, 9))
	s.as("cgapprover")
	s.action(caseURL, "start_special", 0, chromedp.SendKeys(chromedp.CSS(`details[open] textarea[name=reason]`), "核实开挖范围与管线位置"))
	if got := text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(got, "暂停计时") {
		s.t.Fatal("the 现场勘察 must show the clock stopped")
	}
	s.clock.Set(day(9, 30, 16))
	s.as("cgapprover") // a day later: the session has timed out
	s.action(caseURL, "end_special", 0, chromedp.SendKeys(chromedp.CSS(`details[open] textarea[name=reason]`), "现场与申请一致"))
	s.clock.Set(day(10, 8, 10))
	s.as("cgapprover")
	s.action(caseURL, "pass", 0)
	s.as("gaapprover")
	s.action(caseURL, "pass", 1)
	s.clock.Set(day(10, 9, 11))
	s.as("cghead")
	s.action(caseURL, "pass", 0)
	testutil.Screenshot(s.t, s.ctx, "decided")
	verify(s)
}

// verify follows the certificate's verification page, as its QR code would.
func verify(s *scenario) {
	href := text(s.t, s.ctx, chromedp.Evaluate[string](`document.querySelector("a[href^='/verify/']").getAttribute("href")`))
	do(s.t, s.ctx, chromedp.Navigate(s.a.URL(href)), chromedp.WaitVisible(chromedp.CSS(`main`)))
	testutil.Screenshot(s.t, s.ctx, "verified")
	if got := text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(got, "有效") || strings.Contains(got, "签名无效") {
		s.t.Fatalf("verification page:\n%s", got)
	}
}

// progress looks the case up without login and checks steps and dates.
func progress(s *scenario, number, code string) {
	do(s.t, s.ctx, chromedp.Click(chromedp.CSS(`form[action='/logout'] button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)),
		chromedp.Navigate(s.a.URL("/progress")),
		chromedp.SendKeys(chromedp.ID("f-number"), number),
		chromedp.SendKeys(chromedp.ID("f-code"), code+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`.timeline`)))
	testutil.Screenshot(s.t, s.ctx, "progress")
	got := text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`main`)))
	for _, want := range []string{"已办结", "准予许可", "一次性告知补正", "特别程序开始", "特别程序结束", "出具电子证照", "用时"} {
		if !strings.Contains(got, want) {
			s.t.Errorf("progress page lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "杭州示例科技有限公司") {
		s.t.Error("the progress page must mask the applicant")
	}
}
