package app_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/notify"
	"openhall/internal/org"
	"openhall/internal/rating"
)

// testClock is a settable clock.
type testClock struct{ ns atomic.Int64 }

func (c *testClock) Now() time.Time  { return time.Unix(0, c.ns.Load()) }
func (c *testClock) Set(t time.Time) { c.ns.Store(t.UnixNano()) }

var cst = time.FixedZone("CST", 8*3600)

func cstAt(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, cst) }

// demoApp starts an app with the demo data at a settable time.
func demoApp(t *testing.T, backend string, at time.Time) (*apptest.App, *testClock) {
	t.Helper()
	clock := &testClock{}
	clock.Set(at)
	a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: clock.Now})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return a, clock
}

func actor(t *testing.T, a *apptest.App, username string) *identity.Actor {
	t.Helper()
	_, act, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: username, Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return act
}

// decidedCase files an instant demo item for the applicant and has the
// clerk decide it at the window.
func decidedCase(t *testing.T, a *apptest.App, item, applicant string) *cases.Case {
	t.Helper()
	filed := filedCase(t, a, item, applicant)
	c, err := a.Services.Cases.Act(context.Background(), actor(t, a, "clerk"), filed.ID,
		cases.Action{Command: cases.Command{Kind: cases.CmdDecideInstant, Decision: cases.DecisionApproved, Reason: "材料齐全"}})
	if err != nil {
		t.Fatalf("decide: %v", err)
	}
	return c
}

// filedCase files an item for an applicant, with its required materials.
func filedCase(t *testing.T, a *apptest.App, item, applicant string) *cases.Case {
	t.Helper()
	ctx := context.Background()
	version := apptest.ItemVersion(t, a, item)
	p, err := a.Services.Cases.Procedure(ctx, version)
	if err != nil {
		t.Fatal(err)
	}
	in := cases.FileInput{ItemVersionID: version, Form: apptest.FormFor(p, map[string]string{"summary": "测试申请"}),
		Key: "test-" + applicant + "-" + time.Now().Format("150405.000000000")}
	for _, m := range p.Materials {
		if m.Kind == cases.MaterialUpload && m.Required {
			b, err := a.Services.Blobs.Put(ctx, strings.NewReader(pdfDoc+m.Code), blob.PutOptions{Name: m.Code + ".pdf"})
			if err != nil {
				t.Fatal(err)
			}
			in.Materials = append(in.Materials, cases.MaterialFile{Code: m.Code, FileName: m.Code + ".pdf", SHA256: b.SHA256, Size: b.Size, MIME: b.MIME})
		}
	}
	filed, err := a.Services.Cases.File(ctx, actor(t, a, applicant), in)
	if err != nil {
		t.Fatalf("file %s: %v", item, err)
	}
	return filed.Case
}

const pdfDoc = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n% "

func inbox(t *testing.T, a *apptest.App, username, kind string) []*notify.Notification {
	t.Helper()
	all, err := a.Services.Notify.Inbox(context.Background(), actor(t, a, username), notify.Filter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out []*notify.Notification
	for _, n := range all {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

// TestBadReviewLoop: a decided case is rated 非常不满意; the department is
// told, calls back, verifies, rectifies and feeds back; the citizen
// evaluates again; the figures count the loop as closed at 100 %.
func TestBadReviewLoop(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		c := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if n := inbox(t, a, "citizen", "rating.invite"); len(n) != 1 {
			t.Fatalf("the applicant is invited to rate: %d", len(n))
		}
		citizen := actor(t, a, "citizen")
		r, err := a.Services.Ratings.RateCase(ctx, citizen, c.ID, rating.Input{Level: rating.VeryDissatisfied, Comment: "窗口排队太久"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Ratings.RateCase(ctx, citizen, c.ID, rating.Input{Level: rating.Satisfied}); err == nil {
			t.Fatal("a stage is rated once")
		}
		if n := inbox(t, a, "approver", "rating.ticket"); len(n) != 1 {
			t.Fatalf("the department's approver is told of the bad review: %d", len(n))
		}
		tickets, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
		if err != nil || len(tickets) != 1 || tickets[0].Ticket.RatingID != r.ID {
			t.Fatalf("department tickets %v", err)
		}
		id := tickets[0].Ticket.ID
		ticketOutOfReach(t, a, id)
		runTicket(t, a, clock, id)
		view, err := a.Services.Ratings.RaterRating(ctx, citizen, r.ID)
		if err != nil || !view.CanAgain || view.Feedback == nil || !strings.Contains(view.Feedback.Reason, "增设") {
			t.Fatalf("the citizen sees the feedback: %+v %v", view, err)
		}
		// A second bad evaluation needs its reason, as a first one does.
		if _, err := a.Services.Ratings.Again(ctx, citizen, r.ID, "", rating.Input{Level: rating.Dissatisfied}); apperr.FieldsOf(err)["comment"] == "" {
			t.Fatalf("a second bad evaluation without a reason: %v", err)
		}
		if _, err := a.Services.Ratings.Again(ctx, citizen, r.ID, "", rating.Input{Level: rating.Satisfied}); err != nil {
			t.Fatal(err)
		}
		tv, _ := a.Services.Ratings.Ticket(ctx, actor(t, a, "approver"), id)
		if tv.Ticket.Status != rating.TicketClosed || tv.Ticket.Outcome != rating.OutcomeRerated {
			t.Fatalf("ticket after the second evaluation: %s %s", tv.Ticket.Status, tv.Ticket.Outcome)
		}
		checkLoopFigures(t, a)
	})
}

// ticketOutOfReach: another department of the county and another county's
// 监察人员 neither see the ticket nor act on it.
func ticketOutOfReach(t *testing.T, a *apptest.App, id int64) {
	t.Helper()
	ctx := context.Background()
	r, err := a.Services.Org.RegionByCode(ctx, "330110")
	if err != nil {
		t.Fatal(err)
	}
	a.Staff(t, "yhdesk", string(identity.RoleSupervisor), &r.ID, nil)
	_, other, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "yhdesk", Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	for who, act := range map[string]*identity.Actor{"approver2": actor(t, a, "approver2"), "余杭区监察人员": other} {
		if _, err := a.Services.Ratings.Ticket(ctx, act, id); err == nil {
			t.Fatalf("%s sees the ticket", who)
		}
		if list, _ := a.Services.Ratings.Tickets(ctx, act, false); len(list) != 0 {
			t.Fatalf("%s lists %d tickets", who, len(list))
		}
		cmd := rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访"}
		if _, err := a.Services.Ratings.ActTicket(ctx, act, id, cmd, 0); err == nil {
			t.Fatalf("%s acted on the ticket", who)
		}
	}
}

func runTicket(t *testing.T, a *apptest.App, clock *testClock, id int64) {
	t.Helper()
	ctx := context.Background()
	steps := []struct {
		who string
		cmd rating.TicketCommand
	}{
		{"approver", rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访，申请人反映取号后等待一小时"}},
		{"approver", rating.TicketCommand{Kind: rating.TcVerify, Code: rating.FindingFounded, Reason: "调取排队记录，情况属实"}},
		{"approver", rating.TicketCommand{Kind: rating.TcRectify, Code: rating.RemedyRectify, Reason: "高峰时段增开窗口"}},
		{"depthead", rating.TicketCommand{Kind: rating.TcFeedback, Reason: "已在高峰时段增设一个窗口，感谢监督"}},
	}
	for i, s := range steps {
		clock.Set(cstAt(3, 10+i, 10))
		if _, err := a.Services.Ratings.ActTicket(ctx, actor(t, a, s.who), id, s.cmd, 0); err != nil {
			t.Fatalf("%s: %v", s.cmd.Kind, err)
		}
	}
	if _, err := a.Services.Ratings.ActTicket(ctx, actor(t, a, "citizen"), id, rating.TicketCommand{Kind: rating.TcCallback, Reason: "x"}, 0); err == nil {
		t.Fatal("a citizen cannot act on a ticket")
	}
}

func checkLoopFigures(t *testing.T, a *apptest.App) {
	t.Helper()
	from, to := mustDate(t, "2026-03-01"), mustDate(t, "2026-03-31")
	f, err := a.Services.Ratings.Figures(context.Background(), actor(t, a, "supervisor"), rating.FigureQuery{By: rating.ByDepartment, From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	s := f.Sum
	if s.Total != 2 || s.Bad != 1 || s.Tickets != 1 || s.CallbackRate() != 100 || s.RectifyRate() != 100 || s.Closed != 1 {
		t.Fatalf("figures %+v", s)
	}
	if len(f.Rows) != 1 || f.Rows[0].Label != "西湖区市场监督管理局" {
		t.Fatalf("rows %+v", f.Rows)
	}
	if _, err := a.Services.Ratings.Figures(context.Background(), actor(t, a, "citizen"), rating.FigureQuery{By: rating.ByDepartment, From: from, To: to}); err == nil {
		t.Fatal("citizens see no figures")
	}
}

// TestCounterTablet: the clerk seated at A01 starts its tablet; fifty
// visitors rate at once; every rating counts for A01 and the clerk; a bad
// one goes to the centre's administrator (A01 is a comprehensive window).
func TestCounterTablet(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		w := demoWindow(t, a, "A01")
		if _, _, err := a.Services.Ratings.StartCounter(ctx, actor(t, a, "approver"), w.ID); err == nil {
			t.Fatal("only a clerk seated at the window starts its tablet")
		}
		tok, _, err := a.Services.Ratings.StartCounter(ctx, actor(t, a, "clerk"), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		counter, err := a.Services.Ratings.CounterByToken(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				level := rating.VerySatisfied
				if i == 0 {
					level = rating.Dissatisfied
				}
				if _, err := a.Services.Ratings.RateCounter(ctx, counter, rating.Input{Level: level}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		f, err := a.Services.Ratings.Figures(ctx, actor(t, a, "xhadmin"), rating.FigureQuery{By: rating.ByStaff, From: mustDate(t, "2026-03-09"), To: mustDate(t, "2026-03-09")})
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Total != 50 || f.Rows[0].Bad != 1 {
			t.Fatalf("per person %+v %v", f, err)
		}
		tk, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "xhadmin"), true)
		if err != nil || len(tk) != 1 || !tk[0].Ticket.Anonymous {
			t.Fatalf("the centre's ticket %v", err)
		}
		// The ticket says which window and which clerk were rated.
		v, err := a.Services.Ratings.Ticket(ctx, actor(t, a, "xhadmin"), tk[0].Ticket.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(v.Window, "A01") || v.Staff == "" {
			t.Fatalf("the ticket's window %q and clerk %q", v.Window, v.Staff)
		}
		if err := a.Services.Ratings.EndCounter(ctx, actor(t, a, "clerk"), counter.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Ratings.CounterByToken(ctx, tok); err == nil {
			t.Fatal("an ended tablet takes no ratings")
		}
	})
}

// a01Tablet starts window A01's counter tablet for the demo clerk seated
// there and returns it as its token finds it.
func a01Tablet(t *testing.T, a *apptest.App) *rating.Counter {
	t.Helper()
	ctx := context.Background()
	tok, _, err := a.Services.Ratings.StartCounter(ctx, actor(t, a, "clerk"), demoWindow(t, a, "A01").ID)
	if err != nil {
		t.Fatal(err)
	}
	counter, err := a.Services.Ratings.CounterByToken(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	return counter
}

func demoWindow(t *testing.T, a *apptest.App, number string) *org.Window {
	t.Helper()
	return a.Window(t, number)
}

func mustDate(t *testing.T, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestFiguresStayInScope: with ratings in two counties, a county's
// administrator sees only theirs, the city's supervisor both, a department
// head only the department's.
func TestFiguresStayInScope(t *testing.T) {
	a, _ := demoApp(t, "sqlite", cstAt(3, 9, 10))
	ctx := context.Background()
	end := cstAt(6, 30, 12)
	if err := a.SeedRatings(ctx, "330106", 300, end, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.SeedRatings(ctx, "330110", 200, end, nil); err != nil {
		t.Fatal(err)
	}
	q := rating.FigureQuery{By: rating.ByDepartment, From: mustDate(t, "2025-06-01"), To: mustDate(t, "2026-06-30")}
	total := func(user string) int {
		f, err := a.Services.Ratings.Figures(ctx, actor(t, a, user), q)
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		return f.Sum.Total
	}
	city, county, head := total("supervisor"), total("xhadmin"), total("depthead")
	if city != 500 || county != 300 || head == 0 || head >= county {
		t.Fatalf("city %d, 西湖区 %d, one department %d", city, county, head)
	}
	q.RegionPath = "/no/such/"
	if _, err := a.Services.Ratings.Figures(ctx, actor(t, a, "xhadmin"), q); err == nil {
		t.Fatal("a region outside the scope is refused")
	}
}

// TestVisitSMSInvite: without an SMS gateway, or without the product's
// public address for the link, the clerk's SMS invitation is refused and
// says why (it used to be confirmed, then its job failed); with both, the
// visitor's message names the window once and carries an absolute link.
func TestVisitSMSInvite(t *testing.T) {
	for _, tc := range []struct {
		name, gateway, public, refused string
	}{
		{"NoGateway", "", "https://zw.example.gov.cn", "未配置短信网关"},
		{"NoPublicURL", "log", "", "--public-url"},
		{"Sent", "log", "https://zw.example.gov.cn", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs := &lockedBuffer{}
			clock := &testClock{}
			clock.Set(cstAt(3, 9, 10))
			a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: clock.Now, Log: logs,
				Config: func(c *config.Config) { c.SMSGateway, c.PublicURL = tc.gateway, tc.public }})
			if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			v, err := a.Services.Ratings.InviteVisit(ctx, actor(t, a, "clerk"), demoWindow(t, a, "A01").ID, "13800009999", "")
			if tc.refused != "" {
				if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), tc.refused) {
					t.Fatalf("invitation without SMS: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// A case number given must be a case of the window's region.
			w := demoWindow(t, a, "A01").ID
			if _, err := a.Services.Ratings.InviteVisit(ctx, actor(t, a, "clerk"), w, "13800009999", "NOPE"); apperr.FieldsOf(err)["case_number"] == "" {
				t.Fatalf("an unknown case number: %v", err)
			}
			c := decidedCase(t, a, "个体工商户设立登记", "citizen")
			if _, err := a.Services.Ratings.InviteVisit(ctx, actor(t, a, "clerk"), w, "13800009999", c.Number); err != nil {
				t.Fatalf("the case served: %v", err)
			}
			if _, err := a.Services.Ratings.InviteVisit(ctx, actor(t, a, "approver"), w, "13800009999", ""); !apperr.Is(err, apperr.NotFound) ||
				!strings.Contains(apperr.MessageOf(err), "就座") {
				t.Fatalf("someone not seated at the window: %v", err)
			}
			if err := a.Services.Ratings.SendVisitSMS(ctx, a.Services.Notify, v.ID); err != nil {
				t.Fatal(err)
			}
			out := logs.String()
			if !strings.Contains(out, "https://zw.example.gov.cn/rate/") || strings.Contains(out, "窗口窗口") || strings.Contains(out, "13800009999") {
				t.Fatalf("the SMS sent:\n%s", out)
			}
		})
	}
}

// TestAnonymousTicket: a bad review given anonymously reaches the
// department without the case it was about (which would name the
// applicant); the 监察人员 see it; the department sees the window rated.
func TestAnonymousTicket(t *testing.T) {
	a, _ := demoApp(t, "sqlite", cstAt(3, 9, 10))
	ctx := context.Background()
	c := decidedCase(t, a, "个体工商户设立登记", "citizen")
	r, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.Dissatisfied, Comment: "排队太久", Anonymous: true})
	if err != nil || !r.Anonymous {
		t.Fatalf("anonymous rating: %+v %v", r, err)
	}
	tickets, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
	if err != nil || len(tickets) != 1 {
		t.Fatalf("department tickets: %v", err)
	}
	// No one to call back: the ticket waits for 核实, not for a 回访 the
	// department would have to mark impossible by hand.
	if tk := tickets[0].Ticket; tk.Status != rating.TicketCalledBack || tk.CalledBack || tk.Events[len(tk.Events)-1].Kind != rating.TevCallbackSkipped {
		t.Fatalf("anonymous ticket opened as %s (called back %v)", tk.Status, tk.CalledBack)
	}
	notes, err := a.Services.Notify.Inbox(ctx, actor(t, a, "approver"), notify.Filter{Limit: 5})
	if err != nil || len(notes) == 0 || strings.Contains(notes[0].Body, "回访、") || !strings.Contains(notes[0].Body, "无需回访") {
		t.Fatalf("the department was told %+v (%v)", notes, err)
	}
	for user, shown := range map[string]bool{"approver": false, "depthead": false, "supervisor": true} {
		v, err := a.Services.Ratings.Ticket(ctx, actor(t, a, user), tickets[0].Ticket.ID)
		if err != nil {
			t.Fatalf("%s opens the ticket: %v", user, err)
		}
		if (v.Rating.CaseNumber == c.Number) != shown || (v.Rating.CaseID == c.ID) != shown || v.Contact != "" {
			t.Fatalf("%s sees case %q (id %d), contact %q", user, v.Rating.CaseNumber, v.Rating.CaseID, v.Contact)
		}
	}
}

// TestAppealTold: a department's appeal against a bad review is put to the
// 监察人员, who are told; their decision is told to the department, whose
// clock runs again.
func TestAppealTold(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		c := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.VeryDissatisfied, Comment: "与本人办件无关的抱怨"}); err != nil {
			t.Fatal(err)
		}
		tickets, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
		if err != nil || len(tickets) != 1 {
			t.Fatalf("department tickets: %v", err)
		}
		id := tickets[0].Ticket.ID
		appealTicket(t, a, clock, id)
		if n := inbox(t, a, "supervisor", "rating.appeal"); len(n) != 1 || !strings.Contains(n[0].Body, "评价内容与所办事项无关") {
			t.Fatalf("the 监察人员 are told of the appeal: %+v", n)
		}
		if _, err := a.Services.Ratings.ActTicket(ctx, actor(t, a, "supervisor"), id, rating.TicketCommand{Kind: rating.TcReject, Reason: "评价人确为申请人，所述属实"}, 0); err != nil {
			t.Fatal(err)
		}
		if n := inbox(t, a, "depthead", "rating.appeal"); len(n) != 1 || n[0].Title != "差评申诉不成立" || !strings.Contains(n[0].Body, "所述属实") {
			t.Fatalf("the department is told the appeal failed: %+v", n)
		}
	})
}

// appealTicket takes a department's ticket of a bad review to its appeal,
// a step a day from Tuesday 10 March: called back, found unfounded,
// appealed by the department's head.
func appealTicket(t *testing.T, a *apptest.App, clock *testClock, id int64) {
	t.Helper()
	for i, s := range []struct {
		who string
		cmd rating.TicketCommand
	}{
		{"approver", rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访，评价人所述与办件不符"}},
		{"approver", rating.TicketCommand{Kind: rating.TcVerify, Code: rating.FindingUnfounded, Reason: "调取记录，情况不属实"}},
		{"depthead", rating.TicketCommand{Kind: rating.TcAppeal, Reason: "评价内容与所办事项无关"}},
	} {
		clock.Set(cstAt(3, 10+i, 10))
		if _, err := a.Services.Ratings.ActTicket(context.Background(), actor(t, a, s.who), id, s.cmd, 0); err != nil {
			t.Fatalf("%s: %v", s.cmd.Kind, err)
		}
	}
}

// TestVisitLinkExpires: a visit's SMS link takes a first rating within the
// region's 评价时效 (15 working days) after the visit, not after it.
func TestVisitLinkExpires(t *testing.T) {
	logs := &lockedBuffer{}
	clock := &testClock{}
	clock.Set(cstAt(3, 9, 10))
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: clock.Now, Log: logs,
		Config: func(c *config.Config) { c.SMSGateway, c.PublicURL = "log", "https://zw.example.gov.cn" }})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	v, err := a.Services.Ratings.InviteVisit(ctx, actor(t, a, "clerk"), demoWindow(t, a, "A01").ID, "13800009999", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Services.Ratings.SendVisitSMS(ctx, a.Services.Notify, v.ID); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`/rate/([A-Za-z0-9_-]+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no link in the SMS:\n%s", logs)
	}
	// 15 working days from Monday 03-09: 03-10 … 03-30; the link closes on 03-31.
	clock.Set(cstAt(3, 30, 20))
	if ls, err := a.Services.Ratings.Link(ctx, m[1]); err != nil || !ls.CanRate {
		t.Fatalf("the link on the period's last day: %+v %v", ls, err)
	}
	clock.Set(cstAt(3, 31, 9))
	if ls, err := a.Services.Ratings.Link(ctx, m[1]); err != nil || ls.CanRate || !strings.Contains(ls.Why, "评价时效") {
		t.Fatalf("the link after the period: %+v %v", ls, err)
	}
	if _, err := a.Services.Ratings.RateLink(ctx, nil, m[1], rating.Input{Level: rating.Satisfied}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a rating after the period: %v", err)
	}
}
