package web_test

import (
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"

	"github.com/chromedp/chromedp"
)

// TestBrowserCompanyJourney: a company finds a 法人 item by search and
// applies for it online; a person is told the item is not for them.
func TestBrowserCompanyJourney(t *testing.T) {
	s := newScenario(t, "sqlite", day(11, 2, 10))
	s.as("citizen")
	s.openGuide("社会保险登记", "用人单位社会保险登记")
	s.wantOnPage("个人账号不能申请")
	s.as("company")
	s.openGuide("社会保险登记", "用人单位社会保险登记")
	do(t, s.ctx, chromedp.Click(chromedp.CSS(`.guide-do a.button.primary`)), chromedp.WaitVisible(byID("f-form.summary")))
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(byID("f-form.summary"), "新设立公司首次参保"),
		chromedp.SetUploadFiles(byID("f-material.m2"), []string{s.file("开户许可.pdf", pdf)}),
	}
	steps = append(steps, s.submitting(chromedp.Click(chromedp.CSS(`form.apply-form button.primary`)))...)
	do(t, s.ctx, steps...)
	s.wantOnPage("申请已提交", "查询密码", "用人单位社会保险登记")
}

// openGuide searches from the home page and opens a result's guide.
func (s *scenario) openGuide(query, name string) {
	s.t.Helper()
	s.home()
	do(s.t, s.ctx,
		chromedp.SendKeys(chromedp.ID("home-q"), query+"\n"),
		chromedp.WaitVisible(chromedp.ID("result-count")),
		chromedp.Click(chromedp.Search(`//a[strong[normalize-space()="`+name+`"]]`)),
		chromedp.WaitVisible(chromedp.ID("h-do")),
	)
}

// TestBrowserBundleJourney: a citizen opens 开办餐饮店 from the home page,
// fills the one combined form (a material two items need uploaded once),
// submits once and follows the three cases on one page.
func TestBrowserBundleJourney(t *testing.T) {
	s := newScenario(t, "sqlite", day(3, 9, 10))
	s.home()
	do(t, s.ctx,
		chromedp.Click(chromedp.Search(`//section[@aria-labelledby="h-bundles"]//a[normalize-space()="开办餐饮店"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.bundle-items`)),
	)
	s.wantOnPage("个体工商户设立登记", "食品经营许可", "城镇污水排入排水管网许可", "登录后申请")
	do(t, s.ctx, chromedp.Click(chromedp.Search(`//a[normalize-space()="登录后申请"]`)), chromedp.WaitVisible(chromedp.ID("f-username")))
	s.login("citizen")
	do(t, s.ctx, chromedp.WaitVisible(byID("f-shared.店铺名称")))
	uploads := s.eval(`Array.from(document.querySelectorAll("input[type=file]")).map(function (i) { return i.id }).join(",")`)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(byID("f-shared.店铺名称"), "张三小吃店"),
		chromedp.SendKeys(byID("f-shared.经营场所"), "西湖区文三路 100 号"),
		chromedp.SetValue(byID("f-shared.是否向市政管网排放污水"), "是"),
		chromedp.SendKeys(chromedp.ID("f-note"), "开一家小吃店"),
	}
	for _, id := range strings.Split(uploads, ",") {
		steps = append(steps, chromedp.SetUploadFiles(byID(id), []string{s.file(id+".pdf", pdf+"% "+id+"\n")}))
	}
	steps = append(steps, s.submitting(chromedp.Click(chromedp.CSS(`form.apply-form button.primary`)))...)
	do(t, s.ctx, steps...)
	s.shot("bundle-errors")
	s.wantOnPage("申请表有误", "已上传")
	own := map[string]string{"经营范围": "小吃", "从业人数": "3", "经营面积（平方米）": "40", "日排水量（立方米）": "1.5"}
	steps = nil
	for name, v := range own {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(`[id^="f-own."][id$=".`+name+`"]`), v))
	}
	steps = append(steps, chromedp.SetValue(chromedp.CSS(`[id^="f-own."][id$=".主体业态"]`), "餐饮服务经营者"))
	steps = append(steps, s.submitting(chromedp.Click(chromedp.CSS(`form.apply-form button.primary`)))...)
	do(t, s.ctx, steps...)
	s.shot("bundle-filed")
	s.wantOnPage("一件事已提交", "共 3 个办件", "城镇污水排入排水管网许可", "查询密码")
	s.nav("/cases", `table.stack`)
	do(t, s.ctx, chromedp.Click(chromedp.Search(`//section[@aria-labelledby="h-apps"]//a[normalize-space()="开办餐饮店"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.query-code`)))
	s.wantOnPage("3 个办理中", "待受理")
}

// TestBrowserDecemberJourney: filed and accepted in December with 2027's
// holiday schedule missing, the case page, the receipt and the list show
// the dates as 暂定; the administrator, reminded on every page, enters
// 2027's notice, and the same pages show the corrected official dates.
func TestBrowserDecemberJourney(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		s := newScenario(t, backend, time.Date(2026, 12, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
		number, _ := s.applyRoad("2026-12-28")
		s.as("clerk")
		s.openCase("/staff/intake", number)
		s.action("accept", -1)
		// 22–31 December, then 元旦 (off by law even before the notice), 4–5 January.
		s.wantOnPage("2027-01-05 到期（暂定：2027 年节假日安排尚未导入")
		s.as("citizen")
		s.nav("/cases", `table.stack`)
		s.wantOnPage("2027-01-05（暂定")
		s.openCase("/cases", number)
		do(t, s.ctx, chromedp.Click(chromedp.CSS(`a[href$="/docs/receipt"]`)), chromedp.WaitVisible(chromedp.CSS(`.doc-code`)))
		s.shot("december-receipt-provisional")
		s.wantOnPage("2027-01-05（暂定", "2027-01-19（暂定")
		if strings.Contains(s.main(), "1970-01-01") || strings.Contains(s.main(), "0001-01-01") {
			t.Fatal("a zero date is printed")
		}
		s.enter2027()
		s.as("citizen")
		s.openCase("/cases", number)
		s.wantOnPage("2027-01-06 到期")
		if strings.Contains(s.main(), "暂定") {
			t.Fatalf("still provisional after the import:\n%s", s.main())
		}
		do(t, s.ctx, chromedp.Click(chromedp.CSS(`a[href$="/docs/receipt"]`)), chromedp.WaitVisible(chromedp.CSS(`.doc-code`)))
		s.wantOnPage("承诺时限，2027-01-06 前")
		s.listCorrected()
	})
}

// enter2027 is the administrator typing 2027's notice (test data: 1–4
// January off, a bridging Monday beyond 元旦) into 工作日历, reached from
// the reminder every page shows.
func (s *scenario) enter2027() {
	t := s.t
	s.as("admin")
	s.wantOnPage("尚未导入 2027 年的国务院节假日安排")
	do(t, s.ctx, chromedp.Click(chromedp.CSS(`.reminder a`)), chromedp.WaitVisible(byID("f-holidays.0.from")))
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys(chromedp.ID("f-notice_year"), "2027"),
		chromedp.SendKeys(chromedp.ID("f-notice_paper"), "国务院办公厅关于2027年部分节假日安排的通知（测试数据）"),
		chromedp.SetValue(byID("f-holidays.0.from"), "2027-01-01"),
		chromedp.SetValue(byID("f-holidays.0.to"), "2027-01-04"),
	}
	steps = append(steps, s.submitting(chromedp.Click(chromedp.CSS(`form.schedule-form button.primary`)))...)
	do(t, s.ctx, steps...)
	s.wantOnPage("已录入 2027 年节假日安排")
	if strings.Contains(s.main(), "尚未导入 2027") {
		t.Fatal("the reminder stays after the import")
	}
}

// listCorrected waits for the job that rewrites the stored due dates, then
// finds 我的办件 showing the official date.
func (s *scenario) listCorrected() {
	deadline := time.Now().Add(15 * time.Second)
	for {
		s.home()
		s.nav("/cases", `table.stack`)
		got := s.main()
		if strings.Contains(got, "2027-01-06") && !strings.Contains(got, "暂定") {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("我的办件 still shows the provisional date:\n%s", got)
		}
		time.Sleep(300 * time.Millisecond)
	}
}
