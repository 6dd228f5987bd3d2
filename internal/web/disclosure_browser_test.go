package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/disclosure"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// TestBrowserDisclosureDoneWhen is the scenario in Chromium on both
// backends, on the demo data set (which imports a sample of the laws
// corpus): a 公开专员 drafts a policy and its interpretation, a reviewer
// passes the 保密审查, both are published together and found with a
// two-character query; a citizen requests information online, gets a 补正
// notice, corrects, the office extends once, answers 部分公开, and the
// year's report shows the request in the right cells and balances.
func TestBrowserDisclosureDoneWhen(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow, NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		ctx := testutil.BrowserWithTimeout(t, 3*time.Minute) // the browser's time starts with the journey
		ag, err := a.Services.Disclosure.AgencyByName(context.Background(), "西湖区人民政府")
		if err != nil {
			t.Fatal(err)
		}
		u := &ui{t: t, ctx: ctx, app: a}
		policy := u.draftPolicyAndInterpretation()
		u.reviewAndApprove(policy)
		u.publishTogether(policy)
		u.searchTwoCharacters()
		req := u.citizenRequests()
		u.officerHandles(req)
		u.reportShowsIt(ag.ID)
		u.lawsSearchable()
	})
}

// ui drives the browser through the pages a user sees.
type ui struct {
	t   *testing.T
	ctx context.Context
	app *apptest.App
}

// stepTimeout bounds one browser step, well inside the browser's own life,
// so that a step that hangs fails naming itself while the browser can still
// say where it was and take the failure screenshot.
const stepTimeout = 45 * time.Second

func (u *ui) do(actions ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	for i, a := range actions {
		ctx, cancel := context.WithTimeout(u.ctx, stepTimeout)
		err := chromedp.Do(ctx, a)
		cancel()
		if err != nil {
			u.t.Fatalf("step %d of %d: %v (page: %s)", i+1, len(actions), err, pageState(u.ctx))
		}
	}
}

// pageState is the tab's address and load state, for failure messages.
func pageState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.readyState + (document.body && document.body.hasAttribute("data-stale") ? " (not yet replaced)" : "")`))
	if err != nil {
		return "unknown: " + err.Error()
	}
	return s
}

func (u *ui) text(sel string) string {
	u.t.Helper()
	return text(u.t, u.ctx, chromedp.Text(chromedp.CSS(sel)))
}

func (u *ui) shot(name string) { testutil.Screenshot(u.t, u.ctx, name) }

// login signs in as a demo account (after signing out whoever was in).
func (u *ui) login(username string) {
	u.t.Helper()
	u.do(chromedp.Navigate(u.app.URL("/")))
	if n := text(u.t, u.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll('form[action="/logout"] button').length)`)); n == "1" {
		u.do(markStale(), chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitVisible(chromedp.CSS(`a[href="/login"]`)))
	}
	u.do(chromedp.Navigate(u.app.URL("/login")), chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), username), markStale(),
		chromedp.SendKeys(chromedp.ID("f-password"), demo.Password+"\n"),
		chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
}

// submit clicks a form's button and waits for the next page: the old page
// is marked first, so that its own flash message is not taken for the new
// one.
func (u *ui) submit(button string) {
	u.t.Helper()
	u.do(markStale(), chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitVisible(chromedp.CSS(`.flash, .form-error`)))
	if msg := text(u.t, u.ctx, chromedp.Evaluate[string](`(document.querySelector('.form-error')||{}).innerText||''`)); msg != "" {
		u.t.Fatalf("form refused: %s", msg)
	}
}

func (u *ui) draftPolicyAndInterpretation() string {
	u.login("officer")
	u.do(markStale(), stableClick(`.main-nav a[href="/disclosure"]`), chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")),
		stableClick(`main a[href="/disclosure/docs/new"]`), chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SendKeys(chromedp.ID("f-title"), "西湖区促进就业若干政策"),
		chromedp.SendKeys(chromedp.ID("f-doc_no"), "西政发[2026]5号"),
		chromedp.SetValue(chromedp.ID("f-formed_on"), "2026-03-16"),
		chromedp.SetValue(chromedp.ID("f-genre"), "normative"),
		chromedp.SetValue(chromedp.ID("f-category"), "a20-11"),
		chromedp.SetValue(chromedp.ID("f-topic"), "劳动、人事、监察"),
		chromedp.Click(chromedp.ID("f-needs_interp")),
		chromedp.SendKeys(chromedp.ID("f-body"), "第一条 对在本区就业的高校毕业生给予就业补贴。"),
	)
	u.submit(`form button.primary`)
	policy := text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname`))
	if got := u.text(`.doc-meta`); !strings.Contains(got, "西政发〔2026〕5号") {
		u.t.Fatalf("文号 not normalised on the page: %q", got)
	}
	u.do(chromedp.Click(chromedp.ID("interp-link")), chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SendKeys(chromedp.ID("f-title"), "《西湖区促进就业若干政策》政策解读"),
		chromedp.SetValue(chromedp.ID("f-formed_on"), "2026-03-16"),
		chromedp.SetValue(chromedp.ID("f-category"), "a20-11"),
		chromedp.SetValue(chromedp.ID("f-topic"), "劳动、人事、监察"),
		chromedp.SendKeys(chromedp.ID("f-body"), "问：谁可以申领就业补贴？答：毕业两年内在本区就业的高校毕业生。"),
	)
	u.submit(`form button.primary`)
	u.submit(`#submit-btn`)
	interp := text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname`))
	u.do(chromedp.Navigate(u.app.URL(policy)), chromedp.WaitVisible(chromedp.ID("submit-btn")))
	u.submit(`#submit-btn`)
	u.shot("policy-submitted")
	return policy + "|" + interp
}

func (u *ui) reviewAndApprove(pair string) {
	u.login("reviewer")
	for _, path := range strings.Split(pair, "|") {
		u.do(chromedp.Navigate(u.app.URL(path)), chromedp.WaitVisible(chromedp.ID("f-basis")),
			chromedp.SetValue(chromedp.ID("f-conclusion"), "pass"),
			chromedp.SendKeys(chromedp.ID("f-basis"), "《保守国家秘密法》第三十五条"))
		u.submit(`#review-btn`)
		u.submit(`#approve-btn`)
	}
	u.shot("reviewed-and-approved")
}

func (u *ui) publishTogether(pair string) {
	u.login("officer")
	paths := strings.Split(pair, "|")
	u.do(chromedp.Navigate(u.app.URL(paths[0])), chromedp.WaitVisible(chromedp.ID("publish-btn")))
	u.submit(`#publish-btn`)
	for _, p := range paths {
		u.do(chromedp.Navigate(u.app.URL(p)), chromedp.WaitVisible(chromedp.ID("doc-status")))
		if st := u.text(`#doc-status`); st != disclosure.StatusPublished.Label() {
			u.t.Fatalf("%s: status %q after publishing the policy", p, st)
		}
	}
}

func (u *ui) searchTwoCharacters() {
	u.do(chromedp.Navigate(u.app.URL("/open")), chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "就业\n"), chromedp.WaitVisible(chromedp.ID("result-count")))
	u.shot("search-two-characters")
	results := u.text(`.results`)
	if !strings.Contains(results, "西湖区促进就业若干政策") || !strings.Contains(results, "政策解读") {
		u.t.Fatalf("two-character search: %q", results)
	}
}

func (u *ui) citizenRequests() string {
	u.login("citizen")
	u.do(chromedp.Navigate(u.app.URL("/open/apply")), chromedp.WaitVisible(chromedp.ID("f-description")))
	u.do(chromedp.SetValue(chromedp.ID("f-agency_id"), agencyOption(u, "西湖区人民政府")),
		chromedp.SendKeys(chromedp.ID("f-phone"), "13900139000"),
		chromedp.SendKeys(chromedp.ID("f-description"), "西湖区2025年老旧小区改造项目清单"),
		chromedp.SetValue(chromedp.ID("f-delivery"), "电子邮件"))
	u.submit(`form button.primary`)
	u.shot("request-submitted")
	if st := u.text(`#request-status`); !strings.Contains(st, "待确认收到") {
		u.t.Fatalf("request status: %q", st)
	}
	if m := u.text(`#missing`); !strings.Contains(m, "身份证明") {
		u.t.Fatalf("missing identity not listed for 补正: %q", m)
	}
	return text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname.replace('/my/', '/disclosure/')`))
}

func agencyOption(u *ui, name string) string {
	return text(u.t, u.ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#f-agency_id option')].find(o => o.textContent === '`+name+`').value`))
}

func (u *ui) event(kind string, fields map[string]string) {
	u.t.Helper()
	u.do(chromedp.WaitVisible(chromedp.ID("event-btn")), chromedp.SetValue(chromedp.ID("f-kind"), kind))
	for id, v := range fields {
		u.do(chromedp.SetValue(chromedp.ID(id), v))
	}
	u.submit(`#event-btn`)
}

func (u *ui) officerHandles(path string) {
	u.login("officer")
	u.do(chromedp.Navigate(u.app.URL(path)), chromedp.WaitVisible(chromedp.ID("confirm-btn")))
	u.submit(`#confirm-btn`)
	u.event("correction_notice", map[string]string{"f-note": "请补充申请人的身份证明"})
	u.event("corrected", nil)
	u.event("extension", map[string]string{"f-days": "10", "f-party": "王主任", "f-note": "需调取档案"})
	u.do(chromedp.WaitVisible(chromedp.ID("answer-btn")), chromedp.SetValue(chromedp.ID("f-type"), "partial"),
		chromedp.SendKeys(chromedp.ID("f-text"), "涉及个人信息的部分不予公开"),
		chromedp.Click(chromedp.ID("answer-btn")), chromedp.WaitVisible(chromedp.ID("e-reason")))
	u.shot("answer-without-reason")
	u.do(chromedp.SetValue(chromedp.ID("f-type"), "partial"), chromedp.SetValue(chromedp.ID("f-reason"), "third_party"))
	u.submit(`#answer-btn`)
	u.shot("request-answered")
	if st := u.text(`#request-status`); !strings.Contains(st, "部分公开") {
		u.t.Fatalf("answer status: %q", st)
	}
	u.do(chromedp.Click(chromedp.CSS(`a[href$="/letter/answered"]`)), chromedp.WaitVisible(chromedp.CSS(`.letter`)))
	u.shot("answer-letter")
	if l := u.text(`.letter`); !strings.Contains(l, "第三十七条") {
		u.t.Fatalf("letter: %q", l)
	}
}

func (u *ui) reportShowsIt(agency int64) {
	u.do(chromedp.Navigate(u.app.URL("/disclosure/reports?year=2026&agency="+idStr(agency))), chromedp.WaitVisible(chromedp.ID("table3")))
	u.shot("annual-report")
	cell := func(row string, col int) string {
		return text(u.t, u.ctx, chromedp.Evaluate[string](`document.querySelectorAll('#table3 tr[data-row="`+row+`"] td')[`+idStr(int64(col))+`].textContent`))
	}
	if cell("3.2", 0) != "1" || cell("1", 0) != "1" || cell("4", 1) != "1" {
		u.t.Fatalf("report cells: 一 自然人 %s, 三（二） 自然人 %s, 四 商业企业 %s", cell("1", 0), cell("3.2", 0), cell("4", 1))
	}
	if failed := u.text(`#checks`); strings.Contains(failed, "✗") {
		u.t.Fatalf("report checks: %q", failed)
	}
}

func (u *ui) lawsSearchable() {
	u.do(chromedp.Navigate(u.app.URL("/open/search?q=政府信息公开条例")), chromedp.WaitVisible(chromedp.ID("result-count")))
	if r := u.text(`.results`); !strings.Contains(r, "中华人民共和国政府信息公开条例") {
		u.t.Fatalf("imported law not found: %q", r)
	}
}
