package web_test

import (
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/testutil"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// demoApp is an app on SQLite with the demo data set loaded.
func demoApp(t *testing.T) *apptest.App {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	if _, err := demo.Load(t.Context(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestBrowserCatalogFlow is the catalogue's "done when" in a browser: create
// a draft item, submit it, approve it, see it on the public site, change its
// promised limit in a new version, and read the change history.
func TestBrowserCatalogFlow(t *testing.T) {
	ctx := testutil.Browser(t)
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	shot := func(name string) { testutil.Screenshot(t, ctx, name) }
	do(t, ctx,
		chromedp.Navigate(a.URL("/login?next=/staff/catalog/new")),
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), "root"),
		chromedp.SendKeys(chromedp.ID("f-password"), "secret123\n"),
		chromedp.WaitVisible(chromedp.ID("f-materials")),
	)
	fields := map[string]string{
		"f-department_id": a.Tree.Department.CreditCode, "f-code": "XK00012000", "f-name": "食品经营许可",
		"f-type": "行政许可", "f-level": "县级",
		"f-legal_bases": "《中华人民共和国食品安全法》|第三十五条|从事食品销售和餐饮服务，应当依法取得许可",
		"f-conditions":  "具有与经营的食品品种、数量相适应的经营场所和设备设施。",
		"f-materials":   "食品经营许可申请书|申请人自备||1|0|必要||上传电子件\n营业执照|政府部门核发||1|0|必要||窗口出示原件",
		"f-steps":       "受理|窗口人员|1|工作日|20|10\n审查|审批人员|10|工作日\n决定|部门负责人|4|工作日",
		"f-legal_limit": "20", "f-promised_limit": "15", "f-kind": "承诺件",
		"f-result.name": "食品经营许可证", "f-result.type": "证照", "f-result.valid_months": "60",
		"f-audiences": "企业法人、自然人", "f-themes": "准营准办",
		"f-location": "西湖区政务服务中心", "f-hours": "周一至周五 9:00–17:00", "f-consult": "0571-87061315", "f-complaint": "12345",
	}
	for id, v := range fields {
		do(t, ctx, chromedp.SetValue(chromedp.CSS(`[id="`+id+`"]`), v)) // ids such as f-result.name hold dots
	}
	do(t, ctx, chromedp.SetValue(chromedp.ID("f-promised_limit"), "25"), chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.ID("e-promised_limit")))
	shot("form-error")
	if msg := text(t, ctx, chromedp.Text(chromedp.ID("e-promised_limit"))); !strings.Contains(msg, "不能超过法定办结时限") {
		t.Fatalf("promised above legal: %q", msg)
	}
	do(t, ctx, chromedp.SetValue(chromedp.ID("f-promised_limit"), "15"), chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.ID("btn-submit")), chromedp.Click(chromedp.ID("btn-submit")),
		chromedp.WaitVisible(chromedp.ID("btn-approve")))
	shot("submitted")
	do(t, ctx, chromedp.Click(chromedp.ID("btn-approve")), chromedp.WaitNotPresent(chromedp.ID("btn-approve")))
	if st := text(t, ctx, chromedp.Text(chromedp.ID("item-status"))); st != "正常办理" {
		t.Fatalf("status after approval: %q", st)
	}
	do(t, ctx, chromedp.Navigate(a.URL("/items?q=食")), chromedp.WaitVisible(chromedp.ID("result-count")),
		chromedp.Click(`//a[strong[text()="食品经营许可"]]`), chromedp.WaitVisible(chromedp.ID("guide-title")))
	shot("public-guide")
	if page := text(t, ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(page, "15 个工作日") || !strings.Contains(page, "首次发布") {
		t.Fatalf("public guide: %q", page)
	}
	guideURL := text(t, ctx, chromedp.Evaluate[string](`location.pathname`))
	do(t, ctx, chromedp.Navigate(a.URL("/staff/catalog")), chromedp.Click(`//a[text()="食品经营许可"]`),
		chromedp.WaitVisible(chromedp.CSS(`a.button.primary`)), chromedp.Click(chromedp.CSS(`a.button.primary`)),
		chromedp.WaitVisible(chromedp.ID("f-promised_limit")),
		chromedp.SetValue(chromedp.ID("f-promised_limit"), "10"), chromedp.Click(chromedp.CSS(`form button.primary`)),
		chromedp.WaitVisible(chromedp.ID("btn-submit")), chromedp.Click(chromedp.ID("btn-submit")),
		chromedp.WaitVisible(chromedp.ID("btn-approve")), chromedp.Click(chromedp.ID("btn-approve")),
		chromedp.WaitNotPresent(chromedp.ID("btn-approve")),
		chromedp.Navigate(a.URL(guideURL)), chromedp.WaitVisible(chromedp.ID("history")))
	shot("history")
	hist := text(t, ctx, chromedp.Text(chromedp.ID("history")))
	if !strings.Contains(hist, "承诺办结时限由 15 个工作日调整为 10 个工作日") {
		t.Fatalf("change history: %q", hist)
	}
}

// TestBrowserGuidePage checks the public guide page of the demo catalogue:
// complete, with a QR code, a working download and a print stylesheet
// that hides the controls.
func TestBrowserGuidePage(t *testing.T) {
	ctx := testutil.Browser(t)
	a := demoApp(t)
	do(t, ctx, chromedp.Navigate(a.URL("/items?audience=person&theme=婚姻登记")), chromedp.WaitVisible(chromedp.ID("result-count")))
	testutil.Screenshot(t, ctx, "browse")
	if n := text(t, ctx, chromedp.Text(chromedp.ID("result-count"))); !strings.Contains(n, "共 2 个事项") {
		t.Fatalf("婚姻登记 items: %q", n)
	}
	do(t, ctx, chromedp.Click(`//a[strong[text()="结婚登记"]]`), chromedp.WaitVisible(chromedp.ID("guide-title")))
	testutil.Screenshot(t, ctx, "guide")
	body := text(t, ctx, chromedp.Text(chromedp.CSS(`main`)))
	for _, want := range []string{"办理依据", "《婚姻登记条例》 第四条", "申请材料", "办理程序", "法定办结时限", "不收费", "监督投诉方式", "变更历史"} {
		if !strings.Contains(body, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	if w := text(t, ctx, chromedp.Evaluate[string](`String(document.querySelector('.guide-qr img').naturalWidth)`)); w == "0" {
		t.Fatal("the QR code image did not load")
	}
	// The display form of the page kept for anonymous visitors (no token;
	// checked by origin) works in a real browser.
	do(t, ctx, chromedp.Click(chromedp.CSS(`button[value=large]`)), chromedp.WaitVisible(chromedp.CSS(`html.large-text`)),
		chromedp.WaitVisible(chromedp.ID("guide-title")))
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if d := text(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('.site-header')).display`)); d != "none" {
		t.Fatalf("print: header display %q", d)
	}
	testutil.Screenshot(t, ctx, "guide-print")
}
