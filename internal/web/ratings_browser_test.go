package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/cases"
	"openhall/internal/demo"
	"openhall/internal/rating"
	"openhall/internal/testutil"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// journey drives one browser from the home page as each person in turn.
type journey struct {
	t   *testing.T
	ctx context.Context
	a   *apptest.App
}

// leaving marks the page shown now, so that waiting for the next page
// cannot be satisfied by this one.
var leaving = chromedp.Evaluate[chromedp.Void](`document.body.dataset.old = "1"`)

// arrived waits for the next page (after a click that navigates).
var arrived = chromedp.WaitVisible(chromedp.CSS(`body:not([data-old])`))

// as logs in from the home page, logging out whoever is logged in.
func (j *journey) as(user string) {
	j.t.Helper()
	do(j.t, j.ctx, chromedp.Navigate(j.a.URL("/")), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if text(j.t, j.ctx, chromedp.Evaluate[string](`document.querySelector("form[action='/logout'] button") ? "in" : "out"`)) == "in" {
		do(j.t, j.ctx, leaving, chromedp.Click(chromedp.CSS(`form[action='/logout'] button`)), arrived, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	}
	do(j.t, j.ctx,
		leaving, chromedp.Click(chromedp.CSS(`.main-nav a[href='/login']`)), arrived,
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), user),
		leaving, chromedp.SendKeys(chromedp.ID("f-password"), demo.Password+"\n"), arrived,
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
}

// follow clicks something that leads to another page and waits for it.
func (j *journey) follow(sel string, then ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	do(j.t, j.ctx, append([]chromedp.Action[chromedp.Void]{leaving, chromedp.Click(chromedp.CSS(sel)), arrived}, then...)...)
}

// nav follows a link of the main navigation.
func (j *journey) nav(href string) {
	j.t.Helper()
	j.follow(`.main-nav a[href='`+href+`']`, chromedp.WaitVisible(chromedp.CSS(`main h1`)))
}

// submit opens an action's details, fills it and submits it.
func (j *journey) submit(details string, fill ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(details + ` summary`))}, fill...)
	steps = append(steps, leaving, chromedp.Click(chromedp.CSS(details+` button[type=submit]`)), arrived, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	ctx, cancel := context.WithTimeout(j.ctx, 20*time.Second)
	defer cancel()
	for i, s := range steps {
		if err := chromedp.Do(ctx, s); err != nil {
			testutil.Screenshot(j.t, j.ctx, "submit-failed")
			j.t.Fatalf("%s step %d: %v", details, i, err)
		}
	}
}

// citizenFiles files the citizen's application for a demo item, with a
// small PDF for each required upload.
func citizenFiles(t *testing.T, a *apptest.App, item, key string, form map[string]string) *cases.Filed {
	t.Helper()
	ctx := context.Background()
	version := apptest.ItemVersion(t, a, item)
	p, err := a.Services.Cases.Procedure(ctx, version)
	if err != nil {
		t.Fatal(err)
	}
	in := cases.FileInput{ItemVersionID: version, Form: apptest.FormFor(p, form), Key: key}
	for _, m := range p.Materials {
		if m.Kind == cases.MaterialUpload && m.Required {
			b, err := a.Services.Blobs.Put(ctx, strings.NewReader(pdf+"% "+m.Code), blob.PutOptions{Name: m.Code + ".pdf"})
			if err != nil {
				t.Fatal(err)
			}
			in.Materials = append(in.Materials, cases.MaterialFile{Code: m.Code, FileName: m.Code + ".pdf", SHA256: b.SHA256, Size: b.Size, MIME: b.MIME})
		}
	}
	f, err := a.Services.Cases.File(ctx, demoActor(t, a, "citizen"), in)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (j *journey) main() string {
	j.t.Helper()
	return text(j.t, j.ctx, chromedp.Text(chromedp.CSS(`main`)))
}

func (j *journey) flash() string {
	j.t.Helper()
	return text(j.t, j.ctx, chromedp.Text(chromedp.CSS(`.flash`)))
}

// openMessage opens the newest message whose title contains title.
func (j *journey) openMessage(title string) {
	j.t.Helper()
	j.follow(`.inbox-link`, chromedp.WaitVisible(chromedp.CSS(`.messages`)))
	do(j.t, j.ctx, leaving, chromedp.Click(`//li[h2[contains(., "`+title+`")]]//button[@name="open"]`), arrived, chromedp.WaitVisible(chromedp.CSS(`main h1`)))
}

// TestBrowserRatingsAndComplaints is the journey of 好差评 and complaints:
// a decided case rated 非常不满意, called back, rectified, fed back and
// re-rated 满意; a visitor rating on the counter tablet; a complaint about
// a window accepted, answered and rated; and the national export brought
// back through the import with its codes right.
func TestBrowserRatingsAndComplaints(t *testing.T) {
	ctx := testutil.BrowserWithTimeout(t, 150*time.Second)
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: func() time.Time { return at }, Workers: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	decideForCitizen(t, a)
	j := &journey{t: t, ctx: ctx, a: a}
	badReviewLoop(j)
	counterTablet(j)
	windowComplaint(j)
	exchangeRoundTrip(j)
}

// decideForCitizen is the fixture: the citizen's 个体工商户设立登记, decided
// at the window (the journey is about what follows the decision).
func decideForCitizen(t *testing.T, a *apptest.App) {
	t.Helper()
	ctx := context.Background()
	f := citizenFiles(t, a, "个体工商户设立登记", "browser-rating", map[string]string{"summary": "开办面馆"})
	if _, err := a.Services.Cases.Act(ctx, demoActor(t, a, "clerk"), f.Case.ID, cases.Action{Command: cases.Command{Kind: cases.CmdDecideInstant, Decision: cases.DecisionApproved}}); err != nil {
		t.Fatal(err)
	}
}

func badReviewLoop(j *journey) {
	t := j.t
	j.as("citizen")
	j.nav("/cases")
	j.follow(`main table a`, chromedp.WaitVisible(chromedp.ID("rating")))
	do(t, j.ctx,
		chromedp.Click(chromedp.CSS(`#rating input[name=level][value="5"]`)),
		chromedp.SendKeys(chromedp.ID("rate-comment"), "取号后等了一个多小时，窗口只开了一个"),
		leaving, chromedp.Click(chromedp.CSS(`#rating button[type=submit]`)), arrived,
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	testutil.Screenshot(t, j.ctx, "rated-very-dissatisfied")
	if f := j.flash(); !strings.Contains(f, "非常不满意") || !strings.Contains(f, "回访整改") {
		t.Fatalf("after rating: %q", f)
	}
	j.as("approver")
	j.openMessage("收到差评")
	testutil.Screenshot(t, j.ctx, "ticket")
	if m := j.main(); !strings.Contains(m, "取号后等了一个多小时") || !strings.Contains(m, "2026-03-11 到期") {
		t.Fatalf("ticket page:\n%s", m)
	}
	// The rater's phone is masked until the department asks to see it
	// for the call back (recorded in the audit log).
	if m := j.main(); !strings.Contains(m, "138****5678") || strings.Contains(m, "13812345678") {
		t.Fatalf("the ticket shows the rater's phone unmasked:\n%s", m)
	}
	do(t, j.ctx, leaving, chromedp.Click(chromedp.CSS(`form[action$="/phone"] button`)), arrived)
	if m := j.main(); !strings.Contains(m, "13812345678") {
		t.Fatalf("显示完整号码:\n%s", m)
	}
	j.submit(`#tk-callback`, chromedp.SendKeys(chromedp.ID("tk-reason-callback"), "已电话回访申请人，了解等候情况"))
	j.submit(`#tk-verify`, chromedp.Click(chromedp.CSS(`#tk-verify input[name=code][value=founded]`)),
		chromedp.SendKeys(chromedp.ID("tk-reason-verify"), "调取叫号记录，等候 70 分钟属实"))
	j.submit(`#tk-rectify`, chromedp.Click(chromedp.CSS(`#tk-rectify input[name=code][value=rectify]`)),
		chromedp.SendKeys(chromedp.ID("tk-reason-rectify"), "上午高峰增开一个综合窗口"))
	j.submit(`#tk-feedback`, chromedp.SendKeys(chromedp.ID("tk-reason-feedback"), "已在上午高峰增开窗口，感谢您的监督"))
	j.as("citizen")
	j.openMessage("整改反馈")
	if m := j.main(); !strings.Contains(m, "已在上午高峰增开窗口") {
		t.Fatalf("the citizen sees the feedback:\n%s", m)
	}
	do(t, j.ctx, chromedp.Click(chromedp.CSS(`input[name=level][value="2"]`)), leaving, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		arrived, chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	testutil.Screenshot(t, j.ctx, "re-rated")
	if m := j.main(); !strings.Contains(m, "二次评价") || !strings.Contains(m, "已办结") {
		t.Fatalf("after the second evaluation:\n%s", m)
	}
}

func counterTablet(j *journey) {
	t := j.t
	j.as("clerk")
	j.nav("/staff/counter")
	j.follow(`form[action='/staff/counter/start'] button`, chromedp.WaitVisible(chromedp.CSS(`.counter-buttons`)))
	testutil.Screenshot(t, j.ctx, "counter-tablet")
	if m := j.main(); !strings.Contains(m, "A01") || !strings.Contains(m, "为您服务的工作人员") {
		t.Fatalf("tablet:\n%s", m)
	}
	// With its script, the tablet rates over its live channel: the page
	// stays (window.stay survives) and thanks the visitor once stored.
	before := ratingCount(j)
	do(t, j.ctx, chromedp.WaitVisible(chromedp.CSS(`form.counter-form[data-live]`)))
	text(t, j.ctx, chromedp.Evaluate[string](`String(window.stay = 1)`))
	for range 2 {
		do(t, j.ctx, chromedp.Click(chromedp.CSS(`.counter-button.level-2`)), chromedp.WaitVisible(chromedp.CSS(`#counter-thanks`)))
		// The screen is shared: the thanks does not repeat the level given.
		if th := text(t, j.ctx, chromedp.Text(chromedp.CSS(`#counter-thanks`))); !strings.Contains(th, "感谢") || strings.Contains(th, "满意") {
			t.Fatalf("thanks: %q", th)
		}
		do(t, j.ctx, chromedp.WaitNotPresent(chromedp.CSS(`form.counter-form[aria-busy=true]`)))
	}
	if text(t, j.ctx, chromedp.Evaluate[string](`String(window.stay)`)) != "1" {
		t.Fatal("the page was reloaded: the ratings did not go over the live channel")
	}
	if n := ratingCount(j) - before; n != 2 {
		t.Fatalf("%d ratings stored over the live channel, want 2", n)
	}
	// The connection breaks right after a rating is sent: the page sends
	// it again, under its key, once the channel is back; it is stored once.
	text(t, j.ctx, chromedp.Evaluate[string](`(function(){ var send = WebSocket.prototype.send, n = 0;
		WebSocket.prototype.send = function (d) { send.call(this, d); if (!n++) { this.close(); } }; return "" })()`))
	do(t, j.ctx, chromedp.Click(chromedp.CSS(`.counter-button.level-1`)), chromedp.WaitVisible(chromedp.CSS(`#counter-thanks`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form.counter-form[aria-busy=true]`)))
	if n := ratingCount(j) - before; n != 3 || text(t, j.ctx, chromedp.Evaluate[string](`String(window.stay)`)) != "1" {
		t.Fatalf("%d ratings stored after the channel broke, want 3: the last one once, over the channel back", n)
	}
	// The channel keeps failing (a proxy that drops it): after 8 s without
	// an answer, the server being up, the form posts the rating under the
	// same key.
	text(t, j.ctx, chromedp.Evaluate[string](`(function(){ var send = WebSocket.prototype.send;
		WebSocket.prototype.send = function (d) { send.call(this, d); this.close(); }; return "" })()`))
	do(t, j.ctx, leaving, chromedp.Click(chromedp.CSS(`.counter-button.level-2`)), arrived, chromedp.WaitVisible(chromedp.CSS(`#counter-thanks`)))
	if n := ratingCount(j) - before; n != 4 {
		t.Fatalf("%d ratings stored after the form took over, want 4", n)
	}
	if n := text(t, j.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll(".main-nav").length)`)); n != "0" {
		t.Fatal("the tablet shows no menu")
	}
}

func ratingCount(j *journey) int {
	j.t.Helper()
	_, n, err := j.a.Stores.Ratings.FindRatings(context.Background(), rating.Filter{Limit: 1})
	if err != nil {
		j.t.Fatal(err)
	}
	return n
}

func windowComplaint(j *journey) {
	t := j.t
	j.as("company")
	j.nav("/complaints")
	j.follow(`main a[href='/complaints/new']`, chromedp.WaitVisible(chromedp.ID("f-subject")))
	do(t, j.ctx, chromedp.SetValue(chromedp.ID("f-subject"), "window"))
	text(t, j.ctx, chromedp.Evaluate[string](`String(document.getElementById("f-subject").dispatchEvent(new Event("change")))`))
	// Only the field of the chosen 对象 is shown.
	shown := text(t, j.ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("[data-when]")).filter(e => !e.hidden).map(e => e.getAttribute("data-when")).join("|")`))
	if shown != "window staff" {
		t.Fatalf("fields shown for a complaint about a window: %q", shown)
	}
	do(t, j.ctx,
		chromedp.SetValue(chromedp.ID("f-window_id"), optionValue(t, j.ctx, "f-window_id", "A01")),
		chromedp.SendKeys(chromedp.ID("f-content"), "A01 窗口工作人员拒绝说明材料要求，态度生硬"),
		leaving, chromedp.Click(chromedp.CSS(`main form button.primary`)), arrived,
		chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if f := j.flash(); !strings.Contains(f, "编号：TS") {
		t.Fatalf("after complaining: %q", f)
	}
	j.as("supervisor")
	j.openComplaint()
	j.submit(`#cp-accept`, chromedp.SetValue(chromedp.ID("cp-dept-accept"), optionValue(t, j.ctx, "cp-dept-accept", "西湖区市场监督管理局")))
	j.as("approver")
	j.openComplaint()
	if m := j.main(); strings.Contains(m, "杭州示例科技") || !strings.Contains(m, "仅投诉受理机构可见") {
		t.Fatalf("the department sees who complained:\n%s", m)
	}
	j.submit(`#cp-reply`, chromedp.SendKeys(chromedp.ID("cp-text-reply"), "已约谈 A01 窗口人员，并要求一次性告知材料"))
	j.as("supervisor")
	j.openComplaint()
	j.submit(`#cp-answer`, chromedp.SendKeys(chromedp.ID("cp-text-answer"), "经核查属实，已约谈相关人员并整改"))
	j.as("company")
	j.nav("/complaints")
	j.follow(`main table a`, chromedp.WaitVisible(chromedp.ID("cp-rate")))
	j.submit(`#cp-rate`, chromedp.Click(chromedp.CSS(`#cp-rate input[name=level][value="2"]`)))
	testutil.Screenshot(t, j.ctx, "complaint-rated")
	if m := j.main(); !strings.Contains(m, "已办结") || !strings.Contains(m, "满意") || !strings.Contains(m, "经核查属实") {
		t.Fatalf("complaint after rating:\n%s", m)
	}
	if m := j.main(); strings.Contains(m, "要求一次性告知材料") || !strings.Contains(m, "不对外公开") {
		t.Fatalf("the complainant reads what the department told the desk:\n%s", m)
	}
}

// openComplaint opens the first complaint of the queue.
func (j *journey) openComplaint() {
	j.t.Helper()
	j.nav("/staff/complaints")
	j.follow(`main table a`, chromedp.WaitVisible(chromedp.CSS(`main h1`)))
}

// optionValue is the value of the option of a select whose text contains s.
func optionValue(t *testing.T, ctx context.Context, selectID, s string) string {
	t.Helper()
	v := text(t, ctx, chromedp.Evaluate[string](`(([...document.getElementById("`+selectID+`").options].find(o => o.text.includes("`+s+`"))) || {value: ""}).value`))
	if v == "" {
		t.Fatalf("no option %q in #%s", s, selectID)
	}
	return v
}

func exchangeRoundTrip(j *journey) {
	t := j.t
	dir := t.TempDir()
	if _, err := chromedp.Call(j.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	j.as("supervisor")
	j.nav("/staff/ratings")
	j.follow(`main a[href='/staff/ratings/exchange']`, chromedp.WaitVisible(chromedp.ID("export")))
	do(t, j.ctx, chromedp.Click(chromedp.ID("export")))
	file := waitDownload(t, dir)
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), `"satisfaction": "1"`) || !strings.Contains(string(data), `"satisfaction": "4"`) {
		t.Fatalf("export:\n%s", data)
	}
	do(t, j.ctx, chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}))
	j.follow(`form[action='/staff/ratings/import'] button`, chromedp.WaitVisible(chromedp.ID("import-result")))
	testutil.Screenshot(t, j.ctx, "import")
	res := text(t, j.ctx, chromedp.Text(chromedp.ID("import-result")))
	for _, want := range []string{"代码 1：非常不满意", "代码 4：满意", "代码 5：非常满意", "已存在（跳过） 6 条", "有误 0 条"} {
		if !strings.Contains(res, want) {
			t.Fatalf("import result lacks %q:\n%s", want, res)
		}
	}
}

// waitDownload waits for the exported file to be complete in dir.
func waitDownload(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ms, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(ms) == 1 {
			if b, err := os.ReadFile(ms[0]); err == nil && strings.HasSuffix(strings.TrimSpace(string(b)), "]") {
				return ms[0]
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the export was not downloaded")
	return ""
}
