package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// supScenario is the supervision journey: the applicants' and the staff's
// handling of the cases is arranged through the services (it is not what is
// under test); the supervisor's and the department head's work is clicked
// through from the home page.
type supScenario struct {
	t     *testing.T
	ctx   context.Context
	a     *apptest.App
	clock *clockAt
	cases map[string]*cases.Case
}

// TestBrowserSupervision: the 特种设备使用登记 case of 西湖区市场监督管理局
// (5 working days promised; 审查 2, 决定 2) accepted on 2026-04-01 turns
// yellow on its 审查 step on 04-02 and red across 清明 (04-04 … 04-06) on
// 04-07; the supervisor opens it and issues a 督办, the department head
// answers, the supervisor closes it; a 督办 left unanswered escalates to
// 二级督办; April's evaluation of 西湖区政务服务中心 shows the figures the
// test counts from the cases' events and the cards list, and the 好评率 and
// complaints it counts from the applicants' ratings and complaints.
func TestBrowserSupervision(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := testutil.BrowserWithTimeout(t, 240*time.Second)
		clock := &clockAt{}
		clock.Set(day(4, 1, 9))
		a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: clock.Now, Workers: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		s := &supScenario{t: t, ctx: ctx, a: a, clock: clock, cases: map[string]*cases.Case{}}
		s.arrange()
		s.yellowThenRed()
		order := s.issueOrder()
		s.answer(order)
		s.closeOrder(order)
		s.escalation()
		s.finishA()
		s.evaluation(s.rateAndComplain())
	})
}

// actor logs a demo account in through the service, for arranging cases.
func (s *supScenario) actor(user string) *identity.Actor {
	s.t.Helper()
	_, a, err := s.a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: user, Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		s.t.Fatalf("login %s: %v", user, err)
	}
	return a
}

func (s *supScenario) file(key, user string, at time.Time) {
	s.t.Helper()
	s.clock.Set(at)
	in := cases.FileInput{ItemVersionID: apptest.ItemVersion(s.t, s.a, "特种设备使用登记"), Key: "sup-" + key,
		Form:      map[string]string{"summary": "锅炉使用登记 " + key},
		Materials: []cases.MaterialFile{{Code: "m4", FileName: "监督检验证书.pdf", SHA256: strings.Repeat("ab", 32), Size: 1000, MIME: "application/pdf"}}}
	filed, err := s.a.Services.Cases.File(context.Background(), s.actor(user), in)
	if err != nil {
		s.t.Fatalf("file %s: %v", key, err)
	}
	s.cases[key] = filed.Case
}

func (s *supScenario) act(key, user string, at time.Time, cmd cases.Command) {
	s.t.Helper()
	s.clock.Set(at)
	c, err := s.a.Services.Cases.Act(context.Background(), s.actor(user), s.cases[key].ID, cases.Action{Command: cmd})
	if err != nil {
		s.t.Fatalf("%s on %s: %v", cmd.Kind, key, err)
	}
	s.cases[key] = c
}

// arrange files three applications on 2026-04-01: A accepted, B refused,
// C accepted and decided the next day.
func (s *supScenario) arrange() {
	s.file("A", "citizen", day(4, 1, 9))
	s.file("B", "citizen", day(4, 1, 9).Add(10*time.Minute))
	s.file("C", "company", day(4, 1, 9).Add(20*time.Minute))
	s.act("A", "clerk", day(4, 1, 10), cases.Command{Kind: cases.CmdAccept})
	s.act("B", "clerk", day(4, 1, 10).Add(10*time.Minute), cases.Command{Kind: cases.CmdRefuse, Reason: "申请材料不齐全且不符合法定形式，请补齐后重新申请"})
	s.act("C", "clerk", day(4, 1, 10).Add(20*time.Minute), cases.Command{Kind: cases.CmdAccept})
	s.act("C", "approver", day(4, 2, 10), cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"})
	s.act("C", "depthead", day(4, 2, 11), cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"})
}

// login signs in from the home page by clicking 登录.
func (s *supScenario) login(user string) {
	s.t.Helper()
	do(s.t, s.ctx, chromedp.Navigate(s.a.URL("/")), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if out := text(s.t, s.ctx, chromedp.Evaluate[string](`document.querySelector("form[action='/logout'] button") ? "in" : "out"`)); out == "in" {
		do(s.t, s.ctx, chromedp.Click(chromedp.CSS(`form[action='/logout'] button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	}
	do(s.t, s.ctx,
		chromedp.Click(chromedp.CSS(`.main-nav a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.ID("f-username")),
		chromedp.SendKeys(chromedp.ID("f-username"), user),
		chromedp.SendKeys(chromedp.ID("f-password"), demo.Password+"\n"),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
}

// click follows a link and waits for the page it leads to.
func (s *supScenario) click(sel string) {
	s.t.Helper()
	s.navigating(`main h1`, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
}

// navigating runs actions that leave the page and waits for wait on the
// page that answers: the old page is marked first, so that an element it
// also has (a heading, a table) is not taken for the new page's.
func (s *supScenario) navigating(wait string, actions ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	var mark chromedp.Action[chromedp.Void] = func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`document.body.classList.add("left-behind"), true`)(ctx, tg)
		return chromedp.Void{}, err
	}
	steps := append([]chromedp.Action[chromedp.Void]{mark}, actions...)
	do(s.t, s.ctx, append(steps, chromedp.WaitVisible(chromedp.CSS(`body:not(.left-behind) `+wait)))...)
}

func (s *supScenario) main() string {
	s.t.Helper()
	return text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`main`)))
}

// figure reads one number of the workbench ("" when the page has none).
func (s *supScenario) figure(key string) string {
	s.t.Helper()
	return strings.TrimSpace(text(s.t, s.ctx, chromedp.Evaluate[string](`(document.querySelector('[data-figure="`+key+`"]') || {textContent: ""}).textContent`)))
}

// waitFigures refreshes the workbench (its own link) until the figures
// read as wanted: the evaluator job runs every two seconds.
func (s *supScenario) waitFigures(want map[string]string) {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok := true
		for k, v := range want {
			ok = ok && s.figure(k) == v
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the workbench does not show %v:\n%s", want, s.main())
		}
		time.Sleep(500 * time.Millisecond)
		s.click(`.live-note a`)
	}
}

// yellowThenRed: the supervisor watches case A's 审查 step turn yellow,
// then red after 清明.
func (s *supScenario) yellowThenRed() {
	s.clock.Set(day(4, 2, 12))
	s.login("supervisor")
	s.click(`.main-nav a[href="/supervision"]`)
	s.waitFigures(map[string]string{"yellow": "1", "red": "0", "open": "1"})
	testutil.Screenshot(s.t, s.ctx, "yellow")
	s.clock.Set(day(4, 7, 9))
	s.login("supervisor") // days later: the session has timed out
	s.click(`.main-nav a[href="/supervision"]`)
	s.waitFigures(map[string]string{"yellow": "0", "red": "1"})
	testutil.Screenshot(s.t, s.ctx, "red")
}

// issueOrder opens the red card's case and issues a 督办 on it.
func (s *supScenario) issueOrder() string {
	s.click(`a[href*="colour=red"]`)
	if got := s.main(); !strings.Contains(got, "红牌") || !strings.Contains(got, s.cases["A"].Number) {
		s.t.Fatalf("the red cards list shows case A:\n%s", got)
	}
	s.click(`a[href="/supervision/cases/` + idStr(s.cases["A"].ID) + `"]`)
	got := s.main()
	for _, want := range []string{"红牌", "审查", "2026-04-03"} {
		if !strings.Contains(got, want) {
			s.t.Fatalf("the case's supervision page lacks %q:\n%s", want, got)
		}
	}
	do(s.t, s.ctx,
		chromedp.Click(chromedp.CSS(`#order-form summary`)),
		chromedp.SendKeys(chromedp.ID("f-content"), "审查环节已超期，请说明原因并于今日办结"),
		chromedp.SendKeys(chromedp.ID("f-days"), "1"),
		chromedp.Click(chromedp.CSS(`#order-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	flash := text(s.t, s.ctx, chromedp.Text(chromedp.CSS(`.flash`)))
	if !strings.Contains(flash, "一级督办") || !strings.Contains(flash, "2026-04-08") {
		s.t.Fatalf("督办 issued with its deadline of 1 working day: %q", flash)
	}
	return text(s.t, s.ctx, chromedp.Evaluate[string](`location.pathname`))
}

// answer: the department head finds the 督办 on their workbench and answers.
func (s *supScenario) answer(order string) {
	s.login("depthead")
	s.click(`.main-nav a[href="/supervision"]`)
	s.click(`a[href="/supervision/orders?status=open"]`)
	s.click(`main a[href="` + order + `"]`)
	do(s.t, s.ctx, chromedp.WaitVisible(chromedp.ID("f-feedback")),
		chromedp.SendKeys(chromedp.ID("f-feedback"), "现场核查排期延误，已安排今日办结"),
		chromedp.Click(chromedp.CSS(`form[action$="/answer"] button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if got := s.main(); !strings.Contains(got, "已反馈") || !strings.Contains(got, "现场核查排期延误") {
		s.t.Fatalf("the answer is recorded:\n%s", got)
	}
}

// closeOrder: the supervisor closes the answered 督办 with a 监察结果.
func (s *supScenario) closeOrder(order string) {
	s.login("supervisor")
	s.click(`.main-nav a[href="/supervision"]`)
	s.click(`a[href="/supervision/orders"]`)
	s.click(`main a[href="` + order + `"]`)
	do(s.t, s.ctx, chromedp.WaitVisible(chromedp.ID("f-result")),
		chromedp.SendKeys(chromedp.ID("f-result"), "原因属实，责令今日办结"),
		chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)), chromedp.WaitVisible(chromedp.CSS(`.flash`)))
	if got := s.main(); !strings.Contains(got, "已办结") || !strings.Contains(got, "原因属实") {
		s.t.Fatalf("the 督办 is closed:\n%s", got)
	}
	testutil.Screenshot(s.t, s.ctx, "order-closed")
}

// escalation: a 督办 on the department left unanswered past its day
// becomes a 二级督办.
func (s *supScenario) escalation() {
	s.click(`.main-nav a[href="/supervision"]`)
	s.click(`a[href="/supervision/orders/new"]`)
	do(s.t, s.ctx,
		chromedp.SetValue(chromedp.ID("f-dept_id"), strconv.FormatInt(s.cases["A"].Procedure.DepartmentID, 10)),
		chromedp.SendKeys(chromedp.ID("f-content"), "请报告本月超期办件整改情况"),
		chromedp.SendKeys(chromedp.ID("f-days"), "1"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash`)),
	)
	s.clock.Set(day(4, 9, 0).Add(5 * time.Minute))
	s.login("supervisor")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(s.main(), "二级督办") {
		if time.Now().After(deadline) {
			s.t.Fatalf("the unanswered 督办 did not escalate:\n%s", s.main())
		}
		time.Sleep(500 * time.Millisecond)
		s.click(`.main-nav a[href="/supervision"]`)
		s.click(`a[href="/supervision/orders"]`)
	}
	testutil.Screenshot(s.t, s.ctx, "escalated")
}

// finishA: the department decides case A on 04-09, its due date.
func (s *supScenario) finishA() {
	s.act("A", "approver", day(4, 9, 10), cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"})
	s.act("A", "depthead", day(4, 9, 11), cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"})
}
