package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/audit"
	"openhall/internal/complaint"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

// Ratings, complaints and their tickets seen by the staff of other
// tenants: the demo has one city and one county with a hall; these tests
// add a second city (宁波市), people of the second county (余杭区) and
// grants narrowed to one department, so that every rule meets two of each.

// outsiders are the staff of other tenants, by name, logged in.
type outsiders map[string]*identity.Actor

// twoOfEach adds 宁波市 with its 监察人员, 余杭区's 监察人员, window clerk
// and market regulator's head, beside the demo's 西湖区 and 杭州市.
func twoOfEach(t *testing.T, a *apptest.App) outsiders {
	t.Helper()
	ctx := context.Background()
	zj := region(t, a, "330000")
	nb, err := a.Services.Org.CreateRegion(ctx, actor(t, a, "admin"), org.RegionInput{ParentID: &zj.ID, Code: "330200", Name: "宁波市", Level: org.Level(3)})
	if err != nil {
		t.Fatal(err)
	}
	yh := region(t, a, "330110")
	yhscjg := deptID(t, a, "余杭区市场监督管理局")
	a.Staff(t, "nbdesk", string(identity.RoleSupervisor), &nb.ID, nil)
	a.Staff(t, "yhdesk", string(identity.RoleSupervisor), &yh.ID, nil)
	a.Staff(t, "yhclerk", string(identity.RoleWindowClerk), &yh.ID, nil)
	a.Staff(t, "yhhead", string(identity.RoleDeptHead), nil, &yhscjg)
	out := outsiders{"approver2": actor(t, a, "approver2")}
	for _, u := range []string{"nbdesk", "yhdesk", "yhclerk", "yhhead"} {
		out[u] = staffActor(t, a, u)
	}
	return out
}

func region(t *testing.T, a *apptest.App, code string) *org.Region {
	t.Helper()
	r, err := a.Services.Org.RegionByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// staffActor logs in a member of staff made by apptest.App.Staff.
func staffActor(t *testing.T, a *apptest.App, username string) *identity.Actor {
	t.Helper()
	_, act, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: username, Password: "secret123", Address: "127.0.0.1"})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return act
}

// sameAsMissing fails unless what an outsider was told of an existing
// object is word for word what anyone is told of one that does not exist.
func sameAsMissing(t *testing.T, what string, seen, missing error) {
	t.Helper()
	if seen == nil || missing == nil {
		t.Fatalf("%s: existing %v, missing %v", what, seen, missing)
	}
	if apperr.CodeOf(seen) != apperr.CodeOf(missing) || apperr.MessageOf(seen) != apperr.MessageOf(missing) {
		t.Fatalf("%s tells an existing object from a missing one: %q (%s) against %q (%s)", what,
			apperr.MessageOf(seen), apperr.CodeOf(seen), apperr.MessageOf(missing), apperr.CodeOf(missing))
	}
}

// badReview has the demo citizen rate a decided case of 西湖区市场监督管理局
// 非常不满意 and returns the rating and its ticket.
func badReview(t *testing.T, a *apptest.App) (*rating.Rating, int64) {
	t.Helper()
	ctx := context.Background()
	c := decidedCase(t, a, "个体工商户设立登记", "citizen")
	r, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.VeryDissatisfied, Comment: "窗口排队太久"})
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
	if err != nil || len(list) != 1 {
		t.Fatalf("the department's tickets: %d %v", len(list), err)
	}
	return r, list[0].Ticket.ID
}

// TestOutOfSightIsNotFound: a ticket, a complaint, a rating or a counter
// tablet of another department, county or city is answered to its
// outsiders exactly as one that does not exist, on every read and step.
func TestOutOfSightIsNotFound(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		others := twoOfEach(t, a)
		r, ticket := badReview(t, a)
		filed := citizenComplaintA01(t, a, "窗口工作人员态度生硬")
		const far = 100000 // no such id
		for who, o := range others {
			_, seen := a.Services.Ratings.Ticket(ctx, o, ticket)
			_, missing := a.Services.Ratings.Ticket(ctx, o, ticket+far)
			sameAsMissing(t, who+" reads a ticket", seen, missing)
			cmd := rating.TicketCommand{Kind: rating.TcCallback, Reason: "电话回访"}
			_, seen = a.Services.Ratings.ActTicket(ctx, o, ticket, cmd, 0)
			_, missing = a.Services.Ratings.ActTicket(ctx, o, ticket+far, cmd, 0)
			sameAsMissing(t, who+" acts on a ticket", seen, missing)
			_, seen = a.Services.Complaints.Get(ctx, o, filed.Complaint.ID)
			_, missing = a.Services.Complaints.Get(ctx, o, filed.Complaint.ID+far)
			sameAsMissing(t, who+" reads a complaint", seen, missing)
			accept := complaint.Command{Kind: complaint.CmdRefuse, Text: "不属于本机关受理范围"}
			_, seen = a.Services.Complaints.Act(ctx, o, filed.Complaint.ID, accept, 0)
			_, missing = a.Services.Complaints.Act(ctx, o, filed.Complaint.ID+far, accept, 0)
			sameAsMissing(t, who+" acts on a complaint", seen, missing)
		}
		company := actor(t, a, "company")
		_, seen := a.Services.Ratings.RaterRating(ctx, company, r.ID)
		_, missing := a.Services.Ratings.RaterRating(ctx, company, r.ID+far)
		sameAsMissing(t, "another applicant reads a rating", seen, missing)
		_, seen = a.Services.Ratings.Again(ctx, company, r.ID, "", rating.Input{Level: rating.Satisfied})
		_, missing = a.Services.Ratings.Again(ctx, company, r.ID+far, "", rating.Input{Level: rating.Satisfied})
		sameAsMissing(t, "another applicant rates again", seen, missing)

		counter := a01Tablet(t, a)
		seen = a.Services.Ratings.EndCounter(ctx, others["yhclerk"], counter.ID)
		missing = a.Services.Ratings.EndCounter(ctx, others["yhclerk"], counter.ID+far)
		sameAsMissing(t, "余杭区's clerk ends 西湖区's tablet", seen, missing)
		if strings.Contains(apperr.MessageOf(seen), "A01") {
			t.Fatalf("the refusal names the window: %q", apperr.MessageOf(seen))
		}
	})
}

// TestDepartmentGrantStaysInDepartment: a 监察人员 or 系统管理员 whose grant
// names one department (西湖区农业农村局) is not the county's desk or
// centre management: they list no ticket or complaint of another
// department or of the centre, and their figures are their department's,
// not the county's.
func TestDepartmentGrantStaysInDepartment(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		xh, ny := region(t, a, "330106"), deptID(t, a, "西湖区农业农村局")
		a.Staff(t, "nydesk", string(identity.RoleSupervisor), &xh.ID, &ny)
		a.Staff(t, "nyadmin", string(identity.RoleSysAdmin), &xh.ID, &ny)
		badReview(t, a) // 西湖区市场监督管理局's ticket
		counter := a01Tablet(t, a)
		if _, err := a.Services.Ratings.RateCounter(ctx, counter, rating.Input{Level: rating.Dissatisfied}); err != nil {
			t.Fatal(err) // the centre's ticket
		}
		citizenComplaintA01(t, a, "窗口工作人员态度生硬")
		q := rating.FigureQuery{By: rating.ByDepartment, From: mustDate(t, "2026-03-01"), To: mustDate(t, "2026-03-31")}
		if f, err := a.Services.Ratings.Figures(ctx, actor(t, a, "supervisor"), q); err != nil || f.Sum.Total != 2 {
			t.Fatalf("the city's figures: %+v %v", f, err)
		}
		cq := complaint.FigureQuery{By: "department", From: q.From, To: q.To}
		if f, err := a.Services.Complaints.Figures(ctx, actor(t, a, "supervisor"), cq); err != nil || f.Sum.Received != 1 {
			t.Fatalf("the city's complaint figures: %+v %v", f, err)
		}
		for _, user := range []string{"nydesk", "nyadmin"} {
			o := staffActor(t, a, user)
			if list, _ := a.Services.Ratings.Tickets(ctx, o, false); len(list) != 0 {
				t.Fatalf("%s lists %d tickets of other departments or the centre", user, len(list))
			}
			if list, _ := a.Services.Complaints.Queue(ctx, o, true); len(list) != 0 {
				t.Fatalf("%s lists %d complaints of the county", user, len(list))
			}
			if f, err := a.Services.Ratings.Figures(ctx, o, q); err == nil && f.Sum.Total != 0 {
				t.Fatalf("%s counts %d ratings of other departments", user, f.Sum.Total)
			}
			if f, err := a.Services.Complaints.Figures(ctx, o, cq); err == nil && f.Sum.Received != 0 {
				t.Fatalf("%s counts %d complaints of other departments", user, f.Sum.Received)
			}
			if _, err := a.Services.Ratings.Export(ctx, o, rating.ExportQuery{From: q.From, To: q.To}); err == nil {
				t.Fatalf("%s exports the county's ratings", user)
			}
		}
	})
}

// TestComplaintAssignedInItsLine: the desk assigns a complaint about
// 西湖区 to a department of 西湖区 or above it (杭州市), never to another
// county's, whose staff would then read it.
func TestComplaintAssignedInItsLine(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		others := twoOfEach(t, a)
		id := citizenComplaintA01(t, a, "窗口工作人员态度生硬").Complaint.ID
		desk := actor(t, a, "supervisor")
		assign := func(dept string) error {
			_, err := a.Services.Complaints.Act(ctx, desk, id, complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptID(t, a, dept), Days: 5}, 0)
			return err
		}
		if err := assign("余杭区市场监督管理局"); apperr.FieldsOf(err)["department_id"] == "" {
			t.Fatalf("assigned to another county's department: %v", err)
		}
		if _, err := a.Services.Complaints.Get(ctx, others["yhhead"], id); err == nil {
			t.Fatal("余杭区's department head reads 西湖区's complaint")
		}
		if err := assign("杭州市市场监督管理局"); err != nil {
			t.Fatalf("the city's department: %v", err)
		}
	})
}

// TestComplainantNotInAuditLog: the audit log, which every 系统管理员 and
// 监察人员 reads, records a complainant's own steps (filing, rating the
// answer, reopening) without saying who they are: their identity is the
// desk's to see, in the complaint, and the department's only with consent.
func TestComplainantNotInAuditLog(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		citizen := actor(t, a, "citizen")
		id := citizenComplaintA01(t, a, "窗口工作人员态度生硬").Complaint.ID
		for i, s := range []struct {
			who string
			cmd complaint.Command
		}{
			{"supervisor", complaint.Command{Kind: complaint.CmdAccept, DepartmentID: deptID(t, a, "西湖区市场监督管理局"), Days: 5}},
			{"approver", complaint.Command{Kind: complaint.CmdReply, Text: "已约谈窗口人员"}},
			{"supervisor", complaint.Command{Kind: complaint.CmdAnswer, Text: "已督促整改"}},
			{"citizen", complaint.Command{Kind: complaint.CmdRate, Level: 4, Text: "仍不满意"}},
			{"citizen", complaint.Command{Kind: complaint.CmdReopen, Text: "请重新核查"}},
		} {
			clock.Set(cstAt(3, 10+i, 10))
			if _, err := a.Services.Complaints.Act(ctx, actor(t, a, s.who), id, s.cmd, 0); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.cmd.Kind, err)
			}
		}
		entries, err := a.Services.Audit.Find(ctx, audit.Filter{ObjectType: "complaint", ObjectID: strconv.FormatInt(id, 10), Limit: 100})
		if err != nil || len(entries) != 6 {
			t.Fatalf("audit entries %d %v", len(entries), err)
		}
		for _, e := range entries {
			if e.ActorID == citizen.UserID || strings.Contains(e.ActorLabel, "citizen") || strings.Contains(e.ActorLabel, "张") {
				t.Fatalf("%s names the complainant: %d %q", e.Action, e.ActorID, e.ActorLabel)
			}
		}
	})
}

// TestCaseRatingsByRegion: a case's ratings are shown to the 监察人员 and
// 系统管理员 of its region, not to those of another region: neither to
// 余杭区's 监察人员 asking for a 西湖区 case, nor to a 西湖区 window clerk
// who also supervises 余杭区 and sees the case as its clerk.
func TestCaseRatingsByRegion(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		others := twoOfEach(t, a)
		c := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.Satisfied}); err != nil {
			t.Fatal(err)
		}
		xh, yh := region(t, a, "330106"), region(t, a, "330110")
		a.Staff(t, "twohats", string(identity.RoleWindowClerk), &xh.ID, nil)
		hats := identity.GrantInput{UserID: staffActor(t, a, "twohats").UserID, Role: string(identity.RoleSupervisor), RegionID: &yh.ID}
		if _, err := a.Services.Identity.GrantRole(ctx, identity.SystemActor(), hats); err != nil {
			t.Fatal(err)
		}
		for who, o := range map[string]*identity.Actor{"yhdesk": others["yhdesk"], "twohats": staffActor(t, a, "twohats")} {
			st, err := a.Services.Ratings.ForCase(ctx, o, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Ratings) != 0 {
				t.Fatalf("%s reads %d ratings of another region's case", who, len(st.Ratings))
			}
		}
		if st, err := a.Services.Ratings.ForCase(ctx, actor(t, a, "supervisor"), c.ID); err != nil || len(st.Ratings) != 1 {
			t.Fatalf("the city's 监察人员: %+v %v", st, err)
		}
	})
}
