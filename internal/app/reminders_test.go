package app_test

import (
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/audit"
	"openhall/internal/complaint"
	"openhall/internal/jobs"
	"openhall/internal/notify"
	"openhall/internal/rating"
)

// timers runs the reminder timers on the queue as its workers would, the
// clock standing at each job's time: the jobs of both reminder kinds due
// by a moment, earliest first, the ones a run sets included. ran keeps
// each job run (by kind, arguments and time), so that it runs once, and
// again only through again.
type timers struct {
	t     *testing.T
	a     *apptest.App
	clock *testClock
	ran   map[string]jobs.Waiting
}

func newTimers(t *testing.T, a *apptest.App, clock *testClock) *timers {
	return &timers{t: t, a: a, clock: clock, ran: map[string]jobs.Waiting{}}
}

var reminderKinds = []string{complaint.Reminder{}.Kind(), rating.TicketReminder{}.Kind()}

// until runs every timer due by the moment and leaves the clock there.
func (tm *timers) until(moment time.Time) {
	tm.t.Helper()
	for {
		var next jobs.Waiting
		var nextKind, nextKey string
		for _, kind := range reminderKinds {
			list, err := tm.a.WaitingJobs(context.Background(), kind)
			if err != nil {
				tm.t.Fatal(err)
			}
			for _, w := range list {
				key := kind + string(w.Args) + w.RunAt.UTC().Format(time.RFC3339Nano)
				if _, done := tm.ran[key]; done || w.RunAt.After(moment) {
					continue
				}
				if nextKey == "" || w.RunAt.Before(next.RunAt) {
					next, nextKind, nextKey = w, kind, key
				}
			}
		}
		if nextKey == "" {
			break
		}
		tm.ran[nextKey] = next
		if next.RunAt.After(tm.clock.Now()) {
			tm.clock.Set(next.RunAt)
		}
		tm.run(nextKind, next.Args)
	}
	tm.clock.Set(moment)
}

// again runs every timer run so far once more, now.
func (tm *timers) again() {
	tm.t.Helper()
	keys := make([]string, 0, len(tm.ran))
	for k := range tm.ran {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kind := reminderKinds[0]
		if strings.HasPrefix(k, reminderKinds[1]) {
			kind = reminderKinds[1]
		}
		tm.run(kind, tm.ran[k].Args)
	}
}

func (tm *timers) run(kind string, args []byte) {
	tm.t.Helper()
	ctx := context.Background()
	var err error
	if kind == reminderKinds[0] {
		var r complaint.Reminder
		if err = json.Unmarshal(args, &r); err == nil {
			err = tm.a.Services.Complaints.Remind(ctx, r)
		}
	} else {
		var r rating.TicketReminder
		if err = json.Unmarshal(args, &r); err == nil {
			err = tm.a.Services.Ratings.RemindTicket(ctx, r)
		}
	}
	if err != nil {
		tm.t.Fatalf("%s %s: %v", kind, args, err)
	}
}

// reminders are the reminders in a user's inbox.
func reminders(t *testing.T, a *apptest.App, user string) []*notify.Notification {
	t.Helper()
	return append(inbox(t, a, user, "complaint.reminder"), inbox(t, a, user, "rating.ticket.reminder")...)
}

// oldestTitles lists the titles of notes, oldest first.
func oldestTitles(ns []*notify.Notification) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[len(ns)-1-i] = n.Title
	}
	return out
}

func sameTitles(got []string, want ...string) bool {
	return strings.Join(got, "|") == strings.Join(want, "|")
}

// TestComplaintReminders: the clocks of two complaints turn yellow and red
// on the working-day calendar and whoever must act is told, once: the
// department of its deadline (never who complained), the desk of its own
// (acceptance, and the 转办 or answer after an acceptance without one).
// Timers of a department's first run, ended by its return and a new 转办,
// and of clocks met say nothing. Running every timer again tells nobody
// anything more, and each reminder is in the audit log.
func TestComplaintReminders(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		tm := newTimers(t, a, clock)
		one := citizenComplaintA01(t, a, "窗口工作人员态度生硬，拒绝解释材料要求").Complaint
		two := citizenComplaintA01(t, a, "窗口工作人员未一次性告知所需材料").Complaint
		scjg := deptID(t, a, "西湖区市场监督管理局")
		act := func(at time.Time, who string, id int64, cmd complaint.Command) {
			t.Helper()
			tm.until(at)
			if _, err := a.Services.Complaints.Act(ctx, actor(t, a, who), id, cmd, 0); err != nil {
				t.Fatalf("%s %s: %v", who, cmd.Kind, err)
			}
		}
		// One: assigned (5 working days from 03-10), returned, assigned again
		// from 03-13: due Friday 03-20, yellow on 03-19, red on Saturday 03-21.
		act(cstAt(3, 10, 10), "supervisor", one.ID, complaint.Command{Kind: complaint.CmdAccept, DepartmentID: scjg, Days: 5})
		act(cstAt(3, 12, 10), "approver", one.ID, complaint.Command{Kind: complaint.CmdReturn, Text: "窗口由政务服务中心管理，不属本局职责"})
		act(cstAt(3, 13, 10), "supervisor", one.ID, complaint.Command{Kind: complaint.CmdAssign, DepartmentID: scjg, Days: 5})
		// Two: its acceptance clock (due 03-16) turns yellow on 03-13; accepted
		// then without a 转办, the desk's clock runs to 03-20.
		if got := oldestTitles(reminders(t, a, "supervisor")); !sameTitles(got, "投诉 "+two.Number+"：受理时限即将到期") {
			t.Fatalf("the desk by 03-13 10:00: %q", got)
		}
		act(cstAt(3, 13, 11), "supervisor", two.ID, complaint.Command{Kind: complaint.CmdAccept})
		tm.until(cstAt(3, 18, 12))
		if got := reminders(t, a, "approver"); len(got) != 0 {
			t.Fatalf("the department's first run, returned, warned: %q", oldestTitles(got))
		}
		tm.until(cstAt(4, 30, 12))
		deptWant := []string{"投诉 " + one.Number + "：承办部门办理时限即将到期", "投诉 " + one.Number + "：承办部门办理时限已超期"}
		deskWant := []string{"投诉 " + two.Number + "：受理时限即将到期", "投诉 " + two.Number + "：受理后转办或答复时限即将到期",
			"投诉 " + two.Number + "：受理后转办或答复时限已超期"}
		check := func() {
			t.Helper()
			for _, who := range []string{"approver", "depthead"} {
				if got := oldestTitles(reminders(t, a, who)); !sameTitles(got, deptWant...) {
					t.Fatalf("%s: %q", who, got)
				}
			}
			if got := oldestTitles(reminders(t, a, "supervisor")); !sameTitles(got, deskWant...) {
				t.Fatalf("the desk: %q", got)
			}
			if got := reminders(t, a, "approver2"); len(got) != 0 {
				t.Fatalf("another department: %q", oldestTitles(got))
			}
		}
		check()
		tm.again()
		check()
		dept := reminders(t, a, "approver")
		if b := dept[1].Body; !strings.Contains(b, "剩余 1 个工作日，2026-03-20 到期") || strings.Contains(b, "暂定") {
			t.Fatalf("the yellow reminder says %q", b)
		}
		if b := dept[0].Body; !strings.Contains(b, "已超期（2026-03-20 到期）") {
			t.Fatalf("the red reminder says %q", b)
		}
		citizen := actor(t, a, "citizen")
		for _, n := range append(dept, reminders(t, a, "depthead")...) {
			for _, id := range []string{citizen.Name, citizen.Account().Phone} {
				if id != "" && (strings.Contains(n.Title, id) || strings.Contains(n.Body, id)) {
					t.Fatalf("the department learns who complained: %q %q", n.Title, n.Body)
				}
			}
		}
		for id, want := range map[int64]int{one.ID: 2, two.ID: 3} {
			es, err := a.Services.Audit.Find(ctx, audit.Filter{ObjectType: "complaint", ObjectID: strconv.FormatInt(id, 10), Action: "complaint.reminder", Limit: 50})
			if err != nil || len(es) != want || es[0].ActorLabel != "系统" {
				t.Fatalf("complaint %d: %d reminders in the audit log, want %d (%v)", id, len(es), want, err)
			}
		}
	})
}

// TestTicketReminders: a bad review's ticket warns its department when the
// 回访 clock turns yellow and red, and the 整改 clock does so only on its
// run after the appeal that paused it was rejected: the first run's
// timers, falling during the appeal, say nothing. Every timer run again
// tells nobody anything more; each reminder is in the audit log.
func TestTicketReminders(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		tm := newTimers(t, a, clock)
		c := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.VeryDissatisfied, Comment: "与本人办件无关的抱怨"}); err != nil {
			t.Fatal(err)
		}
		tickets, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
		if err != nil || len(tickets) != 1 {
			t.Fatalf("department tickets: %v", err)
		}
		id := tickets[0].Ticket.ID
		act := func(at time.Time, who string, cmd rating.TicketCommand) {
			t.Helper()
			tm.until(at)
			if _, err := a.Services.Ratings.ActTicket(ctx, actor(t, a, who), id, cmd, 0); err != nil {
				t.Fatalf("%s: %v", cmd.Kind, err)
			}
		}
		// 回访 (2 working days from 03-09): yellow 03-10, red 03-12.
		act(cstAt(3, 12, 10), "approver", rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访，评价人所述与办件不符"})
		act(cstAt(3, 12, 11), "approver", rating.TicketCommand{Kind: rating.TcVerify, Code: rating.FindingUnfounded, Reason: "调取记录，情况不属实"})
		act(cstAt(3, 13, 10), "depthead", rating.TicketCommand{Kind: rating.TcAppeal, Reason: "评价内容与所办事项无关"})
		// The 整改 clock (15 from 03-09, due 03-30) would have turned yellow
		// on 03-27 and red on 03-31; it stands still until 04-02.
		act(cstAt(4, 2, 10), "supervisor", rating.TicketCommand{Kind: rating.TcReject, Reason: "评价人确为申请人，所述属实"})
		number := "差评整改工单 " + strconv.FormatInt(id, 10) + "："
		if got := oldestTitles(reminders(t, a, "approver")); !sameTitles(got, number+"回访时限即将到期", number+"回访时限已超期") {
			t.Fatalf("by the rejected appeal: %q", got)
		}
		tm.until(cstAt(6, 30, 12))
		want := []string{number + "回访时限即将到期", number + "回访时限已超期", number + "整改反馈时限即将到期", number + "整改反馈时限已超期"}
		check := func() {
			t.Helper()
			for _, who := range []string{"approver", "depthead"} {
				if got := oldestTitles(reminders(t, a, who)); !sameTitles(got, want...) {
					t.Fatalf("%s: %q", who, got)
				}
			}
			if got := reminders(t, a, "approver2"); len(got) != 0 {
				t.Fatalf("another department: %q", oldestTitles(got))
			}
		}
		check()
		tm.again()
		check()
		v, err := a.Services.Ratings.Ticket(ctx, actor(t, a, "approver"), id)
		if err != nil {
			t.Fatal(err)
		}
		due := v.Clocks.Rectify.Due.String()
		if b := reminders(t, a, "approver")[0].Body; !strings.Contains(b, "（"+due+" 到期）") {
			t.Fatalf("the red 整改 reminder says %q, due %s", b, due)
		}
		es, err := a.Services.Audit.Find(ctx, audit.Filter{ObjectType: "rating_ticket", ObjectID: strconv.FormatInt(id, 10), Action: "rating.ticket.reminder", Limit: 50})
		if err != nil || len(es) != 4 {
			t.Fatalf("%d reminders in the audit log, want 4 (%v)", len(es), err)
		}
	})
}

// TestComplaintReminderInDecember: a department's deadline reaching into
// 2027, whose holiday schedule is not imported, still has its timers: they
// look again daily, and once the schedule is imported (元旦 off on 01-01
// and 01-04, 01-09 a make-up Saturday) the reminders come on its days;
// without it they come on the provisional ones, marked 暂定.
func TestComplaintReminderInDecember(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		for _, imported := range []bool{false, true} {
			a, clock := demoApp(t, backend, time.Date(2026, 12, 29, 10, 0, 0, 0, cst))
			ctx := context.Background()
			tm := newTimers(t, a, clock)
			c := citizenComplaintA01(t, a, "窗口工作人员态度生硬").Complaint
			tm.until(time.Date(2026, 12, 30, 10, 0, 0, 0, cst))
			if _, err := a.Services.Complaints.Act(ctx, actor(t, a, "supervisor"), c.ID,
				complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptID(t, a, "西湖区市场监督管理局"), Days: 5}, 0); err != nil {
				t.Fatal(err)
			}
			waiting, err := a.WaitingJobs(ctx, complaint.Reminder{}.Kind())
			if err != nil || len(waiting) == 0 {
				t.Fatalf("no timer for a provisional deadline: %v", err)
			}
			tm.until(time.Date(2027, 1, 2, 12, 0, 0, 0, cst))
			if imported {
				schedule := `{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},
			{"name":"元旦","date":"2027-01-04","isOffDay":true},{"name":"元旦","date":"2027-01-09","isOffDay":false}]}`
				if _, err := a.Services.Calendar.ImportSchedule(ctx, actor(t, a, "admin"), "json", "2027.json", 0, []byte(schedule)); err != nil {
					t.Fatal(err)
				}
			}
			// Provisional (weekends and 元旦 01-01, off by law): 12-31, 01-04,
			// 01-05, 01-06 (yellow), 01-07 due, red 01-08.
			// The notice (01-04 off too): 12-31, 01-05, 01-06, 01-07 (yellow),
			// 01-08 due, red 01-09.
			yellow, red, note := 6, 8, true
			if imported {
				yellow, red, note = 7, 9, false
			}
			before := func(day int) time.Time { return time.Date(2027, 1, day, 0, 0, 0, 0, cst).Add(-time.Minute) }
			tm.until(before(yellow))
			if n := reminders(t, a, "approver"); len(n) != 0 {
				t.Fatalf("imported %v: told before the yellow day: %q", imported, oldestTitles(n))
			}
			tm.until(before(yellow + 1))
			n := reminders(t, a, "approver")
			if len(n) != 1 || !strings.HasSuffix(n[0].Title, "即将到期") || strings.Contains(n[0].Body, "暂定") != note {
				t.Fatalf("imported %v: on the yellow day %q %v", imported, oldestTitles(n), n)
			}
			tm.until(before(red))
			if n := reminders(t, a, "approver"); len(n) != 1 {
				t.Fatalf("imported %v: red before its day: %q", imported, oldestTitles(n))
			}
			tm.until(before(red + 1))
			if n := reminders(t, a, "approver"); len(n) != 2 || !strings.HasSuffix(n[0].Title, "已超期") || strings.Contains(n[0].Body, "1970") {
				t.Fatalf("imported %v: on the red day %q", imported, oldestTitles(n))
			}
		}
	})
}
