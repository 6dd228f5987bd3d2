package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// journeyNow is Thursday 17 December 2026, 10:00 in Beijing: the shipped
// calendar ends with 2026, so every period that runs into January is
// counted provisionally (暂定).
func journeyNow() time.Time { return time.Date(2026, 12, 17, 2, 0, 0, 0, time.UTC) }

// TestBrowserDisclosureJourney starts at the home page and only clicks and
// types, on the demo data set with 西湖区人民政府's 2025 annual report
// published: one search box finds a service item and a regulation, both
// open; every topic link of the agency lists documents; last year's report
// is read; a citizen files a request to 西湖区市场监督管理局 (not the first
// agency); in December, with the 2027 schedule missing, the officer issues a
// 补正 notice, a third-party consultation letter and a fee notice whose
// dates are marked 暂定, then answers.
func TestBrowserDisclosureJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := testutil.BrowserWithTimeout(t, 3*time.Minute)
		a := apptest.New(t, backend, apptest.Options{Now: journeyNow, NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		publishLastYearsReport(t, a)
		u := &ui{t: t, ctx: ctx, app: a}
		u.home()
		u.searchItemAndRegulation()
		u.followTopics("西湖区人民政府")
		u.readLastYearsReport("西湖区人民政府")
		req := u.requestToDepartment("西湖区市场监督管理局")
		u.officerInDecember(req)
	})
}

// publishLastYearsReport is the office's work before the journey: the 2025
// report written, made a document, reviewed, approved and published.
func publishLastYearsReport(t *testing.T, a *apptest.App) {
	ctx, d := context.Background(), a.Services.Disclosure
	act := func(u string) *identity.Actor {
		_, actor, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: u, Password: demo.Password})
		if err != nil {
			t.Fatal(err)
		}
		return actor
	}
	officer, reviewer := act("officer"), act("reviewer")
	ag, err := d.AgencyByName(ctx, "西湖区人民政府")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SaveReport(ctx, officer, ag.ID, 2025, disclosure.ReportInput{Section1: "2025年，本机关依法做好政府信息公开工作。"}); err != nil {
		t.Fatal(err)
	}
	doc, err := d.MakeReportDocument(ctx, officer, ag.ID, 2025)
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		func() error { _, err := d.Submit(ctx, officer, doc.ID); return err },
		func() error {
			_, err := d.Review(ctx, reviewer, doc.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "保密法第三十五条"})
			return err
		},
		func() error { _, err := d.Approve(ctx, reviewer, doc.ID); return err },
		func() error { _, err := d.Publish(ctx, officer, doc.ID); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
}

// click follows a link or button to the next page.
func (u *ui) click(sel string) {
	u.t.Helper()
	u.do(chromedp.SetAttributeValue(chromedp.CSS("body"), "data-stale", "1"), chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitReady(chromedp.CSS("main")))
}

func (u *ui) home() {
	u.do(chromedp.Navigate(u.app.URL("/")), chromedp.WaitVisible(chromedp.ID("home-q")))
}

// homeAs signs in from the home page's sign-in link and comes back home.
func (u *ui) homeAs(username string) {
	u.t.Helper()
	u.home()
	if n := text(u.t, u.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll('form[action="/logout"] button').length)`)); n == "1" {
		u.click(`form[action="/logout"] button`)
	}
	u.click(`a[href="/login"]`)
	u.do(chromedp.SendKeys(chromedp.ID("f-username"), username), chromedp.SendKeys(chromedp.ID("f-password"), demo.Password))
	u.click(`form[action="/login"] button[type="submit"]`)
	u.do(chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

func (u *ui) searchItemAndRegulation() {
	for i, sel := range []string{`.results a[href^="/items/"]`, `.results a[href^="/open/docs/"]`} {
		u.click(`a[href="/open"]`)
		u.do(chromedp.SendKeys(chromedp.ID("q"), "食品"))
		u.click(`form[action="/open/search"] button`)
		if i == 0 {
			u.shot("journey-one-box")
		}
		if u.count(sel) == 0 {
			u.t.Fatalf("one box found no %s: %q", sel, u.text("main"))
		}
		title := u.text(sel)
		u.click(sel)
		if h := u.text("h1"); !strings.Contains(h, string([]rune(strings.TrimSpace(title))[:2])) {
			u.t.Fatalf("opened %q, page says %q", title, h)
		}
	}
}

// agencyPage goes to an agency's page from the portal's list of agencies.
func (u *ui) agencyPage(agency string) {
	u.t.Helper()
	u.click(`a[href="/open"]`)
	if !u.pick(`a.card`, agency, 0) {
		u.t.Fatalf("no card for %s on /open", agency)
	}
	u.click(`[data-pick]`)
}

// pick marks the i-th element matching sel whose text contains want (i < 0:
// the first), so that a click can follow it; "" when there is none.
func (u *ui) pick(sel, want string, i int) bool {
	u.t.Helper()
	js := `(() => { document.querySelectorAll('[data-pick]').forEach(e => e.removeAttribute('data-pick'));
		const all = [...document.querySelectorAll(` + jsString(sel) + `)].filter(e => e.textContent.includes(` + jsString(want) + `));
		const e = all[` + idStr(int64(max(i, 0))) + `]; if (!e) return 'none'; e.setAttribute('data-pick', '1'); return 'ok'; })()`
	return text(u.t, u.ctx, chromedp.Evaluate[string](js)) == "ok"
}

func (u *ui) count(sel string) int {
	u.t.Helper()
	n := text(u.t, u.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll(`+jsString(sel)+`).length)`))
	c, _ := strconv.Atoi(n)
	return c
}

func (u *ui) path() string {
	return text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
}

func (u *ui) followTopics(agency string) {
	u.agencyPage(agency)
	topics := `a[href*="/docs?topic="]`
	n := u.count(topics)
	if n == 0 {
		u.t.Fatal("the agency page lists no topics")
	}
	for i := range n {
		if i > 0 {
			u.agencyPage(agency)
		}
		u.pick(topics, "", i)
		label := u.text(`[data-pick]`)
		u.click(`[data-pick]`)
		if h := u.text("main"); strings.Contains(h, "%E") || !strings.Contains(h, strings.SplitN(label, "（", 2)[0]) {
			u.t.Fatalf("topic %s page: %q", label, h)
		}
		if u.count(`main a[href^="/open/docs/"]`) == 0 {
			u.t.Fatalf("topic %s lists nothing", label)
		}
	}
}

func (u *ui) readLastYearsReport(agency string) {
	u.agencyPage(agency)
	if u.count(`#annual-reports a[href$="/reports/2025/xlsx"]`) != 1 {
		u.t.Fatal("no Excel download of the 2025 report")
	}
	if !u.pick(`#annual-reports a`, "2025年政府信息公开工作年度报告", 0) {
		u.t.Fatalf("no 2025 report: %q", u.text(`#annual-reports`))
	}
	u.click(`[data-pick]`)
	u.shot("journey-annual-report")
	if m := u.text("main"); !strings.Contains(m, "二、主动公开政府信息情况") || !strings.Contains(m, "第二十条第（五）项") {
		u.t.Fatalf("report page: %q", m)
	}
}

// requestToDepartment: the citizen signs in, goes to the department's page
// from the portal and applies there.
func (u *ui) requestToDepartment(agency string) string {
	u.homeAs("citizen")
	u.agencyPage(agency)
	u.click(`a[href^="/open/apply"]`)
	if got := text(u.t, u.ctx, chromedp.Evaluate[string](`document.querySelector('#f-agency_id').selectedOptions[0].textContent`)); got != agency {
		u.t.Fatalf("apply form preselects %q", got)
	}
	u.do(chromedp.SendKeys(chromedp.ID("f-phone"), "13900139000"),
		chromedp.SendKeys(chromedp.ID("f-description"), "2026年西湖区食品经营许可抽查结果"),
		chromedp.SetValue(chromedp.ID("f-delivery"), "电子邮件"))
	u.submit(`form button.primary`)
	if st := u.text(`#request-status`); !strings.Contains(st, "待确认收到") {
		u.t.Fatalf("request status: %q", st)
	}
	return strings.TrimPrefix(text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname`)), "/my/requests/")
}

// officerInDecember: from the home page to the request; 补正, consultation
// and fee notice, each letter dated provisionally, then the answer.
func (u *ui) officerInDecember(id string) {
	u.homeAs("officer")
	u.click(`a[href="/disclosure"]`)
	u.click(`a[href="/disclosure/requests"]`)
	if !u.pick(`#f-agency option`, "西湖区市场监督管理局", 0) {
		u.t.Fatal("no agency filter for the department")
	}
	u.do(chromedp.SetValue(chromedp.ID("f-agency"), text(u.t, u.ctx, chromedp.Evaluate[string](`document.querySelector('[data-pick]').value`))))
	u.click(`form[action="/disclosure/requests"] button[type="submit"]`)
	u.click(`a[href="/disclosure/requests/` + id + `"]`)
	u.submit(`#confirm-btn`)
	u.event("correction_notice", map[string]string{"f-note": "请补充申请人的身份证明", "f-days": "15"})
	u.letter("correction_notice", "补正")
	u.event("corrected", nil)
	u.event("consult_third", map[string]string{"f-party": "杭州某某餐饮有限公司", "f-note": "抽查结果涉及贵单位的商业信息"})
	u.letter("consult_third", "征求")
	u.event("consult_reply", map[string]string{"f-note": "同意公开"})
	// The applicant's first request this month is free per request (按件); the
	// copy runs to 40 pages, charged by volume (按量): 10 pages over 30 at 10 元.
	u.event("fee_notice", map[string]string{"f-amount": "100", "f-pages": "40", "f-note": "请通过统一公共支付平台缴纳"})
	u.event("fee_notice_received", map[string]string{"f-party": "电子邮件"})
	u.letter("fee_notice", "收费") // the payment period runs from the day after receipt: dated once delivery is recorded
	if p := u.text(`#pause`); !strings.Contains(p, "暂定") {
		u.t.Fatalf("fee period not marked provisional: %q", p)
	}
	u.event("fee_paid", nil)
	u.do(chromedp.WaitVisible(chromedp.ID("answer-btn")), chromedp.SetValue(chromedp.ID("f-type"), "disclose"),
		chromedp.SetValue(chromedp.ID("f-reason"), "provided"), chromedp.SendKeys(chromedp.ID("f-text"), "现将抽查结果提供给您。"))
	u.submit(`#answer-btn`)
	u.shot("journey-answered")
	if st := u.text(`#request-status`); !strings.Contains(st, "予以公开") {
		u.t.Fatalf("answer status: %q", st)
	}
}

// letter opens a request's printable letter, checks that it is the right
// one and that its dates in 2027 are marked provisional, and comes back.
func (u *ui) letter(kind, word string) {
	u.t.Helper()
	u.click(`a[href$="/letter/` + kind + `"]`)
	u.shot("journey-letter-" + kind)
	if l := u.text(`.letter`); !strings.Contains(l, word) || !strings.Contains(l, "暂定") || strings.Contains(l, "0001-01-01") ||
		strings.Contains(l, "1970-01-01") {
		u.t.Fatalf("%s letter: %q", kind, l)
	}
	u.pick(`a`, "返回申请", 0)
	u.click(`[data-pick]`)
}
