package web_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/budget"
	"openhall/internal/demo"
	"openhall/internal/testutil"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestBrowserOpenDataDoneWhen is the open data and budget scenario in
// Chromium on both backends, on the demo data set, from the home page by
// clicks: a visitor finds a dataset the platform generates and downloads
// its CSV; a company applies for a conditional dataset, the publisher
// approves, the key works, and a second key past its rate limit gets 429;
// a department imports its budget tables, an unbalanced workbook is refused
// with the cell, a balanced one goes through 保密审查 and is published within
// 预算法 Art 14's clock, and the public page compares 三公 with last year.
func TestBrowserOpenDataDoneWhen(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := testutil.BrowserWithTimeout(t, 5*time.Minute)
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow, NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		u := &ui{t: t, ctx: ctx, app: a}
		u.downloadGeneratedCSV()
		first := u.applyForConditional("用于研究西湖区个体经济的行业分布，结果用于学术论文。")
		u.approve(first, "")
		u.keyWorks(first)
		second := u.applyForConditional("用于企业征信系统的数据比对，每日同步一次。")
		u.approve(second, "1")
		u.secondKeyLimited(second)
		set := u.departmentImportsBudget()
		doc := u.officerSubmitsBudget(set)
		u.reviewBudgetDocument(doc)
		u.publicBudgetComparison()
	})
}

// nav clicks a link of the main navigation and waits for its page.
func (u *ui) nav(href string) {
	u.t.Helper()
	u.do(markStale(),
		chromedp.Click(chromedp.CSS(`nav a[href="`+href+`"]`)), chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")),
		chromedp.WaitVisible(chromedp.CSS("main h1")))
}

// follow clicks a link and waits for the next page.
func (u *ui) follow(sel string) {
	u.t.Helper()
	u.do(markStale(), chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitReady(chromedp.CSS("body")))
}

func (u *ui) downloadGeneratedCSV() {
	dir := u.t.TempDir()
	u.do(chromedp.Navigate(u.app.URL("/")), chromedp.WaitVisible(chromedp.CSS(`a.card[href="/opendata"]`)))
	u.follow(`a.card[href="/opendata"]`)
	u.do(chromedp.SendKeys(chromedp.ID("f-q"), "办事指南"))
	u.follow(`form[role=search] button`)
	u.follow(`a[href="/opendata/datasets/service-catalogue"]`)
	u.shot("generated-dataset")
	if meta := u.text(`.doc-meta`); !strings.Contains(meta, "平台根据业务数据自动生成") {
		u.t.Fatalf("the dataset is not marked as generated: %q", meta)
	}
	if _, err := chromedp.CallBrowser(u.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		u.t.Fatal(err)
	}
	u.do(chromedp.Click(chromedp.ID("download-csv")))
	var data []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && len(data) == 0; time.Sleep(200 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
		if len(files) == 1 {
			data, _ = os.ReadFile(files[0])
		}
	}
	if !bytes.HasPrefix(data, []byte("实施编码,基本编码,事项名称")) || bytes.Count(data, []byte("\n")) < 40 {
		u.t.Fatalf("downloaded CSV (%d bytes): %.200s", len(data), data)
	}
}

// applyForConditional: the company finds the conditional dataset through
// the catalogue's filter and applies; it returns the application's path.
func (u *ui) applyForConditional(purpose string) string {
	u.login("company")
	u.nav("/opendata")
	u.do(chromedp.SetValue(chromedp.ID("f-tier"), "conditional"))
	u.follow(`form.filters button`)
	u.follow(`a[href="/opendata/datasets/xihu-business-register"]`)
	u.follow(`#apply-link`)
	u.do(chromedp.SendKeys(chromedp.ID("f-purpose"), purpose),
		chromedp.Click(chromedp.CSS(`input[name=fields][value=trade_name]`)),
		chromedp.Click(chromedp.CSS(`input[name=fields][value=industry]`)))
	u.submit(`form button.primary`)
	if st := u.text(`#app-status`); st != "待审核" {
		u.t.Fatalf("application status: %q", st)
	}
	return text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname`))
}

// approve: the publisher's officer approves from the workbench, with a
// rate limit ("" = the default).
func (u *ui) approve(appPath, rate string) {
	id := strings.TrimPrefix(appPath, "/my/opendata/")
	u.login("officer")
	u.nav("/staff/opendata")
	u.follow(`a[href="/staff/opendata/applications/` + id + `"]`)
	if rate != "" {
		u.do(chromedp.SendKeys(chromedp.ID("f-rate_limit"), rate))
	}
	u.submit(`#approve-btn`)
	if st := u.text(`#app-status`); !strings.HasPrefix(st, "已批准") {
		u.t.Fatalf("after approval: %q", st)
	}
}

// issueKey: the applicant opens the application from 我的数据申请 and makes
// a key.
func (u *ui) issueKey(appPath string) string {
	u.login("company")
	u.nav("/my/opendata")
	u.follow(`a[href="` + appPath + `"]`)
	u.submit(`#issue-key`)
	key := u.text(`#new-key`)
	if !strings.HasPrefix(key, "ohk_") {
		u.t.Fatalf("key %q", key)
	}
	return key
}

// callAPI clicks 调用接口 and returns the JSON the browser shows.
func (u *ui) callAPI() string {
	u.follow(`#try-api`)
	return text(u.t, u.ctx, chromedp.Evaluate[string](`document.body.innerText`))
}

func (u *ui) keyWorks(appPath string) {
	u.issueKey(appPath)
	body := u.callAPI()
	u.shot("api-with-key")
	if !strings.Contains(body, `"trade_name":"西湖龙井茶行"`) || strings.Contains(body, "capital") || !strings.Contains(body, `"fields":["trade_name","industry"]`) {
		u.t.Fatalf("API with the key: %s", body)
	}
}

func (u *ui) secondKeyLimited(appPath string) {
	u.issueKey(appPath)
	if body := u.callAPI(); !strings.Contains(body, `"rows"`) {
		u.t.Fatalf("first call with the second key: %s", body)
	}
	// The user calls again at once: the browser's reload button.
	u.do(chromedp.Reload())
	body := text(u.t, u.ctx, chromedp.Evaluate[string](`document.body.innerText`))
	u.shot("api-rate-limited")
	status := text(u.t, u.ctx, chromedp.Evaluate[string](`String(performance.getEntriesByType('navigation')[0].responseStatus)`))
	if status != "429" || !strings.Contains(body, `"too_many"`) {
		u.t.Fatalf("second call past a limit of 1 a minute: status %s, %s", status, body)
	}
}

// budgetWorkbook writes a workbook of the sample set to a file; unbalanced
// breaks the 三公 table's 公务接待费.
func (u *ui) budgetWorkbook(unbalanced bool) string {
	lines := budget.Sample(108)
	if unbalanced {
		for i := range lines {
			if lines[i].Table == "sangong" && lines[i].Code == "S03" {
				lines[i].Amounts[0] += 120
			}
		}
	}
	var buf bytes.Buffer
	if err := budget.WriteWorkbook(&buf, budget.Department, "西湖区市场监督管理局2026年部门预算", lines); err != nil {
		u.t.Fatal(err)
	}
	path := filepath.Join(u.t.TempDir(), "budget.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		u.t.Fatal(err)
	}
	return path
}

// departmentImportsBudget: the department head creates this year's set
// (approved two days ago) and imports it; it returns the set's path.
func (u *ui) departmentImportsBudget() string {
	u.login("depthead")
	u.nav("/staff/budgets")
	u.do(chromedp.WaitVisible(chromedp.ID("f-approved_on")), chromedp.SetValue(chromedp.ID("f-approved_on"), "2026-03-16"),
		chromedp.SendKeys(chromedp.ID("f-explanation"), "机关运行经费用于办公、差旅、公务接待和公务用车运行维护，比上年略有增加。"))
	u.submit(`#create-set`)
	set := text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname`))
	u.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{u.budgetWorkbook(true)}))
	u.do(markStale(), chromedp.Click(chromedp.ID("import-btn")),
		chromedp.WaitNotPresent(chromedp.CSS("body[data-stale]")), chromedp.WaitVisible(chromedp.ID("problems")))
	u.shot("budget-refused")
	if p := u.text(`#problems`); !strings.Contains(p, "《“三公”经费支出表》C3") || !strings.Contains(p, "各分项之和") {
		u.t.Fatalf("the unbalanced workbook is not refused with the cell: %q", p)
	}
	if st := u.text(`#set-status`); st != budget.StatusDraft.Label() {
		u.t.Fatalf("a refused import changed the set: %q", st)
	}
	u.do(chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{u.budgetWorkbook(false)}))
	u.submit(`#import-btn`)
	if st := u.text(`#set-status`); st != budget.StatusReady.Label() {
		u.t.Fatalf("after a balanced import: %q", st)
	}
	// 2026-03-16 + 20 days is Sunday 5 April, in 清明 (4–6 April): due Tuesday 7 April.
	if c := u.text(`.budget-clock`); !strings.Contains(c, "公开时限 2026-04-07") {
		u.t.Fatalf("Art 14 clock: %q", c)
	}
	return set
}

func (u *ui) officerSubmitsBudget(set string) string {
	u.login("officer")
	u.nav("/staff/budgets")
	u.follow(`a[href="` + set + `"]`)
	u.submit(`#submit-btn`)
	doc := text(u.t, u.ctx, chromedp.Evaluate[string](`location.pathname`))
	if !strings.HasPrefix(doc, "/disclosure/docs/") {
		u.t.Fatalf("submission did not lead to the disclosure document: %s", doc)
	}
	return doc
}

func (u *ui) reviewBudgetDocument(doc string) {
	u.login("reviewer")
	u.nav("/disclosure")
	u.follow(`#in-review a[href="` + doc + `"]`)
	u.do(chromedp.WaitVisible(chromedp.ID("f-basis")), chromedp.SetValue(chromedp.ID("f-conclusion"), "pass"),
		chromedp.SendKeys(chromedp.ID("f-basis"), "《保守国家秘密法》第三十五条；《预算法》第十四条"))
	u.submit(`#review-btn`)
	u.submit(`#approve-btn`)
	u.login("officer")
	u.nav("/staff/budgets")
	u.follow(`tr a[href^="/staff/budgets/"]`)
	u.follow(`#doc-link`)
	u.submit(`#publish-btn`)
	if st := u.text(`#doc-status`); st != "已发布" {
		u.t.Fatalf("budget document: %q", st)
	}
}

func (u *ui) publicBudgetComparison() {
	u.do(chromedp.Navigate(u.app.URL("/")), chromedp.WaitVisible(chromedp.CSS(`a.card[href="/budgets"]`)))
	u.follow(`a.card[href="/budgets"]`)
	if n := u.text(`#timeliness-2026 .on-time`); n == "" || n == "0" {
		u.t.Fatalf("the set published within the clock is not counted on time in 2026's figures: %q", n)
	}
	u.follow(`tbody tr:first-child a`)
	u.do(chromedp.WaitVisible(chromedp.ID("sangong-table")))
	u.shot("budget-public")
	if c := u.text(`.budget-clock`); !strings.Contains(c, "已按期公开") || !strings.Contains(c, "公开日期 2026-03-18") {
		u.t.Fatalf("public clock: %q", c)
	}
	total := u.text(`#sangong-table tr[data-code="S00"]`)
	// Last year's demo set has 48.00; this year's sample at 108% has 51.84.
	if !strings.Contains(total, "48.00") || !strings.Contains(total, "51.84") || !strings.Contains(total, "+8.0%") {
		u.t.Fatalf("三公 total against last year: %q", total)
	}
	if n := text(u.t, u.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll('#sangong figure svg rect').length)`)); n != "8" {
		u.t.Fatalf("三公 chart has %s bars, want 4 items × 2 years", n)
	}
}
