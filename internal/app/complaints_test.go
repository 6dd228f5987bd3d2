package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/audit"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

func deptID(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	ds, err := a.Services.Org.Departments(context.Background(), orgDeptFilter())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Name == name {
			return d.ID
		}
	}
	t.Fatalf("no department %s", name)
	return 0
}

// TestComplaintAboutWindow: a citizen complains about window A01; the
// desk accepts and assigns it to a department, which replies without
// seeing who complained; the desk answers; the citizen rates the answer.
func TestComplaintAboutWindow(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		w := demoWindow(t, a, "A01")
		citizen := actor(t, a, "citizen")
		filed, err := a.Services.Complaints.Submit(ctx, citizen, complaint.Input{Subject: complaint.SubjectWindow, WindowID: w.ID,
			Content: "窗口工作人员态度生硬，拒绝解释材料要求"})
		if err != nil {
			t.Fatal(err)
		}
		id := filed.Complaint.ID
		if len(filed.QueryCode) != 8 || !strings.HasPrefix(filed.Complaint.Number, "TS260309") {
			t.Fatalf("number %s code %s", filed.Complaint.Number, filed.QueryCode)
		}
		if n := inbox(t, a, "supervisor", "complaint.desk"); len(n) != 1 {
			t.Fatalf("the desk is told: %d", len(n))
		}
		scjg := deptID(t, a, "西湖区市场监督管理局")
		act := func(who string, cmd complaint.Command) {
			t.Helper()
			if _, err := a.Services.Complaints.Act(ctx, actor(t, a, who), id, cmd, 0); err != nil {
				t.Fatalf("%s %s: %v", who, cmd.Kind, err)
			}
		}
		clock.Set(cstAt(3, 10, 9))
		act("supervisor", complaint.Command{Kind: complaint.CmdAccept, DepartmentID: scjg, Days: 5})
		view, err := a.Services.Complaints.Get(ctx, actor(t, a, "approver"), id)
		if err != nil || view.Identity || view.Complaint.Complainant.Name != "" || strings.Contains(view.Complaint.Events[0].ActorLabel, "张") {
			t.Fatalf("the department must not see who complained: %+v %v", view.Complaint.Complainant, err)
		}
		if _, err := a.Services.Complaints.Get(ctx, actor(t, a, "approver2"), id); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another department: %v", err)
		}
		act("approver", complaint.Command{Kind: complaint.CmdReply, Text: "已约谈该窗口人员并加强培训"})
		replyShown(t, a, id, filed)
		act("supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "经核查属实，已约谈相关人员"})
		if n := inbox(t, a, "citizen", "complaint.answered"); len(n) != 1 {
			t.Fatalf("the citizen is told the answer: %d", len(n))
		}
		act("citizen", complaint.Command{Kind: complaint.CmdRate, Level: 2})
		desk, _ := a.Services.Complaints.Get(ctx, actor(t, a, "supervisor"), id)
		if desk.Complaint.Status != complaint.StatusClosed || !desk.Identity || desk.Complaint.Complainant.Name == "" || !desk.Clocks.Accept.Met {
			t.Fatalf("the desk's view %+v", desk.Complaint)
		}
		f, err := a.Services.Complaints.Figures(ctx, actor(t, a, "supervisor"), complaint.FigureQuery{By: "window", From: mustDate(t, "2026-03-01"), To: mustDate(t, "2026-03-31")})
		if err != nil || f.Sum.Received != 1 || f.Sum.Satisfied != 1 || len(f.Rows) != 1 || !strings.Contains(f.Rows[0].Label, "A01") {
			t.Fatalf("complaint figures %+v %v", f, err)
		}
	})
}

// replyShown: what the department told the desk is read by the desk and
// the department; the complainant, logged in or with the 查询码, sees that
// the department answered the desk but not what it said, until the desk
// answers them.
func replyShown(t *testing.T, a *apptest.App, id int64, filed *complaint.Filed) {
	t.Helper()
	ctx := context.Background()
	const reply = "已约谈该窗口人员并加强培训"
	for who, want := range map[string]bool{"supervisor": true, "approver": true, "citizen": false} {
		v, err := a.Services.Complaints.Get(ctx, actor(t, a, who), id)
		if err != nil || hasText(v.Complaint, reply) != want {
			t.Fatalf("%s sees the department's reply: %v, want %v (%v)", who, !want, want, err)
		}
	}
	v, err := a.Services.Complaints.Track(ctx, filed.Complaint.Number, filed.QueryCode, "1.2.3.4")
	if err != nil || hasText(v.Complaint, reply) || v.Complaint.Status != complaint.StatusReplied {
		t.Fatalf("with the 查询码 the reply must stay hidden: %+v %v", v, err)
	}
	mine, err := a.Services.Complaints.Mine(ctx, actor(t, a, "citizen"))
	if err != nil || len(mine) != 1 || hasText(mine[0].Complaint, reply) {
		t.Fatalf("the complainant's list must not carry the reply: %v", err)
	}
}

func hasText(c *complaint.Complaint, text string) bool {
	for _, e := range c.Events {
		if e.Text == text {
			return true
		}
	}
	return false
}

// TestAnonymousComplaintKeepsNoIdentity: an anonymous complaint stores
// nothing of who filed it and is followed with its number and 查询码.
func TestAnonymousComplaintKeepsNoIdentity(t *testing.T) {
	a, _ := demoApp(t, "sqlite", cstAt(3, 9, 10))
	ctx := context.Background()
	filed, err := a.Services.Complaints.Submit(ctx, actor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
		WindowID: demoWindow(t, a, "A01").ID, Content: "窗口长时间无人", Anonymous: true, Name: "张三", Phone: "13800001234"})
	if err != nil {
		t.Fatal(err)
	}
	desk, _ := a.Services.Complaints.Get(ctx, actor(t, a, "supervisor"), filed.Complaint.ID)
	if desk.Complaint.Complainant != (complaint.Complainant{}) || desk.Complaint.Events[0].ActorID != 0 || desk.Complaint.Events[0].ActorLabel != "匿名" {
		t.Fatalf("stored identity: %+v %+v", desk.Complaint.Complainant, desk.Complaint.Events[0])
	}
	if _, err := a.Services.Complaints.Track(ctx, filed.Complaint.Number, "00000000", "1.2.3.4"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a wrong code: %v", err)
	}
	v, err := a.Services.Complaints.Track(ctx, filed.Complaint.Number, filed.QueryCode, "1.2.3.4")
	if err != nil || !v.Complainant {
		t.Fatalf("tracking: %v", err)
	}
	// As typed by hand: the number in lower case, the code in the
	// full-width digits of a Chinese input method, in two groups.
	fullWidth := strings.Map(func(r rune) rune { return r - '0' + '０' }, filed.QueryCode)
	if _, err := a.Services.Complaints.Track(ctx, " "+strings.ToLower(filed.Complaint.Number), fullWidth[:12]+" "+fullWidth[12:], "1.2.3.4"); err != nil {
		t.Fatalf("tracking with a lower-case number and a full-width code: %v", err)
	}
	entries, _ := a.Services.Audit.Find(ctx, auditFilter("complaint"))
	for _, e := range entries {
		if strings.Contains(string(e.Detail), "13800001234") || strings.Contains(e.ActorLabel, "张") {
			t.Fatalf("the audit log holds the complainant: %s %s", e.ActorLabel, e.Detail)
		}
	}
}

// TestHotlineHandOff: a 12345 ticket arrives as a complaint, a repeat is
// recognised, and the desk's answer is returned to the hotline's feed.
func TestHotlineHandOff(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		tk := hotline.Ticket{Kind: "complaint", TicketNo: "12345-20260309-0001", RegionCode: "330106", ReceivedAt: cstAt(3, 9, 9),
			Caller: hotline.Caller{Name: "赵六", Phone: "13700001111"}, Subject: hotline.Subject{Kind: "window", Text: "西湖区政务服务中心 A01"},
			Content: "来电反映窗口午休时间无人值守"}
		rc, err := a.Services.Hotline.Receive(ctx, tk)
		if err != nil || rc.Repeated || !strings.HasPrefix(rc.Ref, "TS") {
			t.Fatalf("receipt %+v %v", rc, err)
		}
		again, err := a.Services.Hotline.Receive(ctx, tk)
		if err != nil || !again.Repeated || again.Ref != rc.Ref {
			t.Fatalf("repeat %+v %v", again, err)
		}
		tk.Kind = "letter"
		if _, err := a.Services.Hotline.Receive(ctx, tk); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("an unregistered kind: %v", err)
		}
		list, _ := a.Services.Complaints.Queue(ctx, actor(t, a, "supervisor"), false)
		if len(list) != 1 || list[0].Complaint.Channel != complaint.ChannelHotline {
			t.Fatalf("desk queue %d", len(list))
		}
		if s := list[0].Complaint.Subject; s.Kind != complaint.SubjectWindow || s.Kind.Label()+"："+s.Label != "窗口：西湖区政务服务中心 A01" {
			t.Fatalf("subject %+v shown as %s：%s", s, s.Kind.Label(), s.Label)
		}
		id := list[0].Complaint.ID
		sup := actor(t, a, "supervisor")
		if _, err := a.Services.Complaints.Act(ctx, sup, id, complaint.Command{Kind: complaint.CmdAccept}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Complaints.Act(ctx, sup, id, complaint.Command{Kind: complaint.CmdAnswer, Text: "已安排午间轮岗"}, 0); err != nil {
			t.Fatal(err)
		}
		st, err := a.Services.Hotline.Status(ctx, "complaint", tk.TicketNo)
		if err != nil || st.Status != string(complaint.StatusAnswered) || !strings.Contains(st.Answer, "午间轮岗") {
			t.Fatalf("status %+v %v", st, err)
		}
		feed, err := a.Services.Hotline.Answers(ctx, 0, 10)
		if err != nil || len(feed) != 1 || feed[0].TicketNo != tk.TicketNo || feed[0].Ref != rc.Ref {
			t.Fatalf("feed %+v %v", feed, err)
		}
	})
}

// TestExportImportRoundTrip: ratings exported in the national format come
// back through the import with the right levels and channels; importing
// again into the same system skips every record.
func TestExportImportRoundTrip(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		c := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.VerySatisfied, Channel: rating.ChannelMobile}); err != nil {
			t.Fatal(err)
		}
		counter := a01Tablet(t, a)
		if _, err := a.Services.Ratings.RateCounter(ctx, counter, rating.Input{Level: rating.VeryDissatisfied}); err != nil {
			t.Fatal(err)
		}
		sup := actor(t, a, "supervisor")
		recs, err := a.Services.Ratings.Export(ctx, sup, rating.ExportQuery{From: mustDate(t, "2026-03-09"), To: mustDate(t, "2026-03-09")})
		if err != nil || len(recs) != 2 {
			t.Fatalf("export %d %v", len(recs), err)
		}
		byPf := map[string]rating.Record{}
		for _, r := range recs {
			byPf[r.Pf] = r
		}
		if byPf["2"].Satisfaction != "5" || byPf["4"].Satisfaction != "1" || byPf["2"].ProjectNo != c.Number || byPf["2"].DeptCode == "" {
			t.Fatalf("national codes %+v", byPf)
		}
		data, _ := json.Marshal(recs)
		res, err := a.Services.Ratings.Import(ctx, sup, "/1/2/3/", data, false)
		if err != nil || res.Existing != 2 || res.New != 0 || res.Imported {
			t.Fatalf("re-import into the same system: %+v", res)
		}
		checkImportElsewhere(t, backend, data)
	})
}

// checkImportElsewhere imports the file into a second system.
func checkImportElsewhere(t *testing.T, backend string, data []byte) {
	t.Helper()
	b, _ := demoApp(t, backend, cstAt(3, 20, 10))
	ctx := context.Background()
	admin := actor(t, b, "xhadmin")
	region, _ := b.Services.Org.RegionByCode(ctx, "330106")
	res, err := b.Services.Ratings.Import(ctx, admin, region.Path, data, false)
	if err != nil || res.New != 2 || res.Bad != 0 || !res.Imported {
		t.Fatalf("import elsewhere: %+v %v", res, err)
	}
	f, err := b.Services.Ratings.Figures(ctx, admin, rating.FigureQuery{By: rating.ByDepartment, From: mustDate(t, "2026-03-01"), To: mustDate(t, "2026-03-31")})
	if err != nil || f.Sum.Levels[0] != 1 || f.Sum.Levels[4] != 1 || f.Sum.Tickets != 1 {
		t.Fatalf("imported levels (非常满意 %d, 非常不满意 %d, tickets %d) %v", f.Sum.Levels[0], f.Sum.Levels[4], f.Sum.Tickets, err)
	}
}

// TestDefaultRating: a case left unrated gets the default rating once the
// period (15 working days after 办结, across 清明) has passed, not before.
func TestDefaultRating(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 27, 10))
		ctx := context.Background()
		c := decidedCase(t, a, "出生登记", "citizen")
		// 15 working days from Friday 03-27: 03-30 … 04-03 (5), 04-07 … 04-10 (9; 04-06 is 清明),
		// 04-13 … 04-17 (14), 04-20 (15): the default comes on 04-21.
		clock.Set(cstAt(4, 20, 23))
		if err := a.Services.Ratings.GiveDefault(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if st, _ := a.Services.Ratings.ForCase(ctx, actor(t, a, "citizen"), c.ID); len(st.Ratings) != 0 {
			t.Fatal("the default came before the period ended")
		}
		clock.Set(cstAt(4, 21, 0).Add(time.Minute))
		if err := a.Services.Ratings.GiveDefault(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.Services.Ratings.GiveDefault(ctx, c.ID); err != nil {
			t.Fatal("a repeated timer must be harmless:", err)
		}
		st, _ := a.Services.Ratings.ForCase(ctx, actor(t, a, "citizen"), c.ID)
		if len(st.Ratings) != 1 || !st.Ratings[0].Default || st.Ratings[0].Channel != rating.ChannelDefault || st.Ratings[0].Level != rating.Satisfied {
			t.Fatalf("default rating %+v", st.Ratings)
		}
		if st.CanRate {
			t.Fatal("after the default rating the stage is rated")
		}
	})
}

// TestDefaultRatingInDecember: a case decided in December, whose rating
// period ends in 2027 before that year's holiday schedule is imported, gets
// no default rating on the date counted on weekends alone; once the
// schedule is imported (元旦 off on Friday 01-01 and Monday 01-04) it comes
// after the period's true end.
func TestDefaultRatingInDecember(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(12, 14, 10))
		ctx := context.Background()
		c := decidedCase(t, a, "出生登记", "citizen")
		rated := func(when time.Time) bool {
			t.Helper()
			clock.Set(when)
			if err := a.Services.Ratings.GiveDefault(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
			st, _ := a.Services.Ratings.ForCase(ctx, actor(t, a, "citizen"), c.ID)
			return len(st.Ratings) == 1 && st.Ratings[0].Default
		}
		// Weekends alone: 12-15 … 12-31 (13), 01-01 (14), 01-04 (15).
		if rated(time.Date(2027, 1, 5, 0, 1, 0, 0, cst)) {
			t.Fatal("the default rating was given on a provisional end")
		}
		schedule := `{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},
			{"name":"元旦","date":"2027-01-04","isOffDay":true},{"name":"元旦","date":"2027-01-09","isOffDay":false}]}`
		if _, err := a.Services.Calendar.ImportSchedule(ctx, actor(t, a, "admin"), "json", "2027.json", 0, []byte(schedule)); err != nil {
			t.Fatal(err)
		}
		// With it: 12-31 (13), 01-05 (14), 01-06 (15).
		if rated(time.Date(2027, 1, 6, 12, 0, 0, 0, cst)) {
			t.Fatal("the default rating came before the period's end on the imported schedule")
		}
		if !rated(time.Date(2027, 1, 7, 0, 1, 0, 0, cst)) {
			t.Fatal("no default rating after the period's end on the imported schedule")
		}
	})
}

func orgDeptFilter() org.DepartmentFilter { return org.DepartmentFilter{} }

func auditFilter(objectType string) audit.Filter {
	return audit.Filter{ObjectType: objectType, Limit: 500}
}

// TestVisitorComplaintAboutCase: a visitor who is not logged in complains
// about someone else's case by its number and 查询密码 (as the applicant
// gave them): the complaint shows the number only, not what was applied
// for; the visitor's name is kept for the desk and never becomes the
// step's actor; an overlong name is refused.
func TestVisitorComplaintAboutCase(t *testing.T) {
	a, _ := demoApp(t, "sqlite", cstAt(3, 9, 10))
	ctx := context.Background()
	c := decidedCase(t, a, "个体工商户设立登记", "citizen")
	code, err := a.Services.Cases.QueryCode(ctx, actor(t, a, "citizen"), c)
	if err != nil {
		t.Fatal(err)
	}
	in := complaint.Input{Subject: complaint.SubjectCase, CaseNumber: c.Number, QueryCode: code, Content: "办理时间过长，无人答复", Name: strings.Repeat("王", 51), Phone: "13800002222"}
	if _, err := a.Services.Complaints.Submit(ctx, nil, in); apperr.FieldsOf(err)["name"] == "" {
		t.Fatalf("a 51-character name: %v", err)
	}
	in.Name = "王五"
	filed, err := a.Services.Complaints.Submit(ctx, nil, in)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Services.Complaints.Track(ctx, filed.Complaint.Number, filed.QueryCode, "1.2.3.4")
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Complaint.Subject.Label; got != "办件 "+c.Number || strings.Contains(got, c.Procedure.ItemName) {
		t.Fatalf("the complainant sees the case as %q", got)
	}
	if l := v.Complaint.Events[0].ActorLabel; l == "匿名" || strings.Contains(l, "王五") {
		t.Fatalf("the submission's actor: %q", l)
	}
}

// TestComplaintDesksByRegion: each county's 监察人员 is the desk of its own
// county's complaints only; the city's sees both counties'.
func TestComplaintDesksByRegion(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		desks := map[string]*identity.Actor{}
		for user, code := range map[string]string{"xhdesk": "330106", "yhdesk": "330110"} {
			r, err := a.Services.Org.RegionByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			a.Staff(t, user, string(identity.RoleSupervisor), &r.ID, nil)
			_, desks[user], err = a.Services.Identity.Login(ctx, identity.LoginInput{Username: user, Password: "secret123", Address: "127.0.0.1"})
			if err != nil {
				t.Fatal(err)
			}
		}
		filed := citizenComplaintA01(t, a, "窗口工作人员态度生硬")
		id := filed.Complaint.ID
		for user, sees := range map[string]bool{"xhdesk": true, "yhdesk": false} {
			_, err := a.Services.Complaints.Get(ctx, desks[user], id)
			queue, qerr := a.Services.Complaints.Queue(ctx, desks[user], true)
			if (err == nil) != sees || qerr != nil || (len(queue) == 1) != sees {
				t.Fatalf("%s: get %v, queue %d (%v); want seen %v", user, err, len(queue), qerr, sees)
			}
		}
		if _, err := a.Services.Complaints.Act(ctx, desks["yhdesk"], id, complaint.Command{Kind: complaint.CmdRefuse, Text: "不属于本区"}, 0); err == nil {
			t.Fatal("another county's desk refused the complaint")
		}
		if _, err := a.Services.Complaints.Get(ctx, actor(t, a, "supervisor"), id); err != nil {
			t.Fatalf("the city's desk: %v", err)
		}
		if _, err := a.Services.Complaints.Act(ctx, desks["xhdesk"], id, complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptID(t, a, "西湖区市场监督管理局"), Days: 5}, 0); err != nil {
			t.Fatalf("the county's own desk: %v", err)
		}
	})
}

// TestReturnedComplaintLeavesDepartmentQueue: a complaint the department
// returned (not its duty) waits for the desk to assign it again: it leaves
// the department's to-do list, where it offered no step, and stays in the
// desk's; the department still finds it among all its complaints.
func TestReturnedComplaintLeavesDepartmentQueue(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		filed := citizenComplaintA01(t, a, "窗口工作人员态度生硬")
		id := filed.Complaint.ID
		in := func(who string, all bool) bool {
			t.Helper()
			list, err := a.Services.Complaints.Queue(ctx, actor(t, a, who), all)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range list {
				if it.Complaint.ID == id {
					return true
				}
			}
			return false
		}
		if _, err := a.Services.Complaints.Act(ctx, actor(t, a, "supervisor"), id,
			complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptID(t, a, "西湖区市场监督管理局"), Days: 5}, 0); err != nil {
			t.Fatal(err)
		}
		if !in("approver", false) {
			t.Fatal("an assigned complaint is not in the department's to-do list")
		}
		if _, err := a.Services.Complaints.Act(ctx, actor(t, a, "approver"), id, complaint.Command{Kind: complaint.CmdReturn, Text: "窗口由政务服务中心管理，不属本局职责"}, 0); err != nil {
			t.Fatal(err)
		}
		if in("approver", false) || !in("approver", true) || !in("supervisor", false) {
			t.Fatalf("after the return: department's to-do %v, all %v; desk's %v", in("approver", false), in("approver", true), in("supervisor", false))
		}
	})
}

// TestReopenedComplaintCountsAsAnswered: a complaint answered, rated
// unsatisfying and reopened was answered: the figures count it among the
// answered as well as the rated and the reopened (已答复 read 0 beside
// 答复已评价 1). The desk's messages of the rating and the reopening give
// what the complainant wrote with the phone number in it masked.
func TestReopenedComplaintCountsAsAnswered(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		filed := citizenComplaintA01(t, a, "窗口工作人员未一次性告知所需材料")
		scjg := deptID(t, a, "西湖区市场监督管理局")
		for i, s := range []struct {
			who string
			cmd complaint.Command
		}{
			{"supervisor", complaint.Command{Kind: complaint.CmdAccept, DepartmentID: scjg, Days: 5}},
			{"approver", complaint.Command{Kind: complaint.CmdReply, Text: "已要求窗口一次性告知"}},
			{"supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "已督促整改"}},
			{"citizen", complaint.Command{Kind: complaint.CmdRate, Level: 4, Text: "仍未说明缺哪些材料，请回电 13800003333"}},
			{"citizen", complaint.Command{Kind: complaint.CmdReopen, Text: "请重新核查，回电 13800003333"}},
		} {
			clock.Set(cstAt(3, 10+i, 10))
			if _, err := a.Services.Complaints.Act(ctx, actor(t, a, s.who), filed.Complaint.ID, s.cmd, 0); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.cmd.Kind, err)
			}
		}
		desk := inbox(t, a, "supervisor", "complaint.desk")
		masked := 0
		for _, n := range desk {
			if strings.Contains(n.Body, "13800003333") {
				t.Fatalf("the desk's message gives the complainant's number: %q", n.Body)
			}
			if strings.Contains(n.Body, "138****3333") {
				masked++
			}
		}
		if masked != 2 {
			t.Fatalf("%d of the desk's messages give the masked number, want 2 (rating, reopening): %+v", masked, desk)
		}
		f, err := a.Services.Complaints.Figures(ctx, actor(t, a, "supervisor"), complaint.FigureQuery{By: "department", From: mustDate(t, "2026-03-01"), To: mustDate(t, "2026-03-31")})
		if err != nil || f.Sum.Received != 1 || f.Sum.Answered != 1 || f.Sum.Rated != 1 || f.Sum.Reopened != 1 {
			t.Fatalf("figures of a reopened complaint %+v %v", f.Sum, err)
		}
	})
}

// citizenComplaintA01 files the demo citizen's complaint about window A01.
func citizenComplaintA01(t *testing.T, a *apptest.App, content string) *complaint.Filed {
	t.Helper()
	filed, err := a.Services.Complaints.Submit(context.Background(), actor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectWindow,
		WindowID: demoWindow(t, a, "A01").ID, Content: content})
	if err != nil {
		t.Fatal(err)
	}
	return filed
}
