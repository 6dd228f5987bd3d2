package app_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/identity"
	"openhall/internal/rating"
)

// TestTicketListAgreesWithView: whatever rectification tickets a member of
// staff lists they can open, and whatever they cannot open is not listed.
// Tickets of two departments of 西湖区, of its centre's comprehensive window
// and of 余杭区's market regulator, seen by the deployment's administrator,
// each county's administrator and 监察人员, the city's 监察人员 and the two
// 西湖区 departments' approvers.
func TestTicketListAgreesWithView(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		xh, yh := region(t, a, "330106"), region(t, a, "330110")
		a.Staff(t, "yhadmin", string(identity.RoleSysAdmin), &yh.ID, nil)
		a.Staff(t, "yhdesk", string(identity.RoleSupervisor), &yh.ID, nil)
		tickets := map[string]int64{
			"西湖区市场监督管理局": storedTicket(t, a, rating.Target{RegionPath: xh.Path, DepartmentID: deptID(t, a, "西湖区市场监督管理局")}),
			"西湖区农业农村局":   storedTicket(t, a, rating.Target{RegionPath: xh.Path, DepartmentID: deptID(t, a, "西湖区农业农村局")}),
			"西湖区政务服务中心":  storedTicket(t, a, rating.Target{RegionPath: xh.Path}),
			"余杭区市场监督管理局": storedTicket(t, a, rating.Target{RegionPath: yh.Path, DepartmentID: deptID(t, a, "余杭区市场监督管理局")}),
		}
		xhAll := []string{"西湖区市场监督管理局", "西湖区农业农村局", "西湖区政务服务中心"}
		all := append(slices.Clone(xhAll), "余杭区市场监督管理局")
		for who, want := range map[string][]string{
			"admin": all, "xhadmin": xhAll, "yhadmin": {"余杭区市场监督管理局"},
			"supervisor": all, "yhdesk": {"余杭区市场监督管理局"},
			"approver": {"西湖区市场监督管理局"}, "approver2": {"西湖区农业农村局"},
		} {
			act := staffOrDemo(t, a, who)
			listed, opened := ticketsSeen(t, a, act, tickets)
			if !slices.Equal(listed, opened) {
				t.Errorf("%s lists %v but opens %v", who, listed, opened)
			}
			if want = slices.Sorted(slices.Values(want)); !slices.Equal(opened, want) {
				t.Errorf("%s opens %v, want %v", who, opened, want)
			}
		}
	})
}

// staffOrDemo logs in a demo account, or one made by apptest.App.Staff.
func staffOrDemo(t *testing.T, a *apptest.App, who string) *identity.Actor {
	t.Helper()
	if who == "yhadmin" || who == "yhdesk" {
		return staffActor(t, a, who)
	}
	return actor(t, a, who)
}

// ticketsSeen is which of the named tickets the actor lists and which it
// opens, sorted by name.
func ticketsSeen(t *testing.T, a *apptest.App, act *identity.Actor, tickets map[string]int64) (listed, opened []string) {
	t.Helper()
	ctx := context.Background()
	list, err := a.Services.Ratings.Tickets(ctx, act, false)
	if err != nil {
		t.Fatal(err)
	}
	for name, id := range tickets {
		if slices.ContainsFunc(list, func(v *rating.TicketView) bool { return v.Ticket.ID == id }) {
			listed = append(listed, name)
		}
		if _, err := a.Services.Ratings.Ticket(ctx, act, id); err == nil {
			opened = append(opened, name)
		}
	}
	slices.Sort(listed)
	slices.Sort(opened)
	return listed, opened
}

// storedTicket stores a bad rating of the target, as an import would, and
// its open ticket.
func storedTicket(t *testing.T, a *apptest.App, target rating.Target) int64 {
	t.Helper()
	ctx, at := context.Background(), cstAt(3, 9, 10)
	r := &rating.Rating{Subject: rating.SubjectCase, Stage: rating.StageDone, Number: rating.FirstEvaluation, Level: rating.VeryDissatisfied,
		Channel: rating.ChannelPC, Target: target, Source: rating.SourceImport, Key: fmt.Sprintf("scope-%s-%d", target.RegionPath, target.DepartmentID), At: at}
	if err := a.Stores.Ratings.CreateRatings(ctx, []*rating.Rating{r}); err != nil {
		t.Fatal(err)
	}
	tk := &rating.Ticket{RatingID: r.ID, Target: target, Anonymous: true}
	tk.ApplyTicket(rating.TicketEvent{Kind: rating.TevOpened, At: at, ActorLabel: "系统", Days: 2, Days2: 15, Level: r.Level, RatingID: r.ID})
	if err := a.Stores.Ratings.CreateTicket(ctx, tk); err != nil {
		t.Fatal(err)
	}
	return tk.ID
}
