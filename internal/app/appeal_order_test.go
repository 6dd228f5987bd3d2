package app_test

import (
	"context"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/rating"
)

// TestAppealsLeadDecidersList: a ticket whose appeal waits for a 监察人员's
// decision leads that 监察人员's list (its clocks are paused, so by urgency
// it would come after any ticket running late) and is marked for them; the
// department that appealed sees it by urgency, not marked.
func TestAppealsLeadDecidersList(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		var ids []int64
		for range 2 {
			c := decidedCase(t, a, "个体工商户设立登记", "citizen")
			if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.VeryDissatisfied, Comment: "等候时间过长"}); err != nil {
				t.Fatal(err)
			}
			list, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, newest(list))
		}
		appealed := ids[0]
		appealTicket(t, a, clock, appealed)
		clock.Set(cstAt(4, 20, 10)) // the other ticket's 回访 and 整改 are long overdue
		sup, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "supervisor"), true)
		if err != nil || len(sup) != 2 {
			t.Fatalf("the 监察人员's list: %d (%v)", len(sup), err)
		}
		if sup[0].Ticket.ID != appealed || !sup[0].Decide || sup[1].Decide {
			t.Fatalf("the 监察人员's list: %d (decide %v) then %d (decide %v); want the appeal %d first",
				sup[0].Ticket.ID, sup[0].Decide, sup[1].Ticket.ID, sup[1].Decide, appealed)
		}
		dept, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "depthead"), true)
		if err != nil || len(dept) != 2 || dept[0].Ticket.ID != ids[1] || dept[0].Decide || dept[1].Decide {
			t.Fatalf("the department's list (%v): want the overdue ticket %d first, nothing to decide", err, ids[1])
		}
	})
}

// newest is the ticket of the list opened last.
func newest(list []*rating.TicketView) int64 {
	var id int64
	for _, v := range list {
		id = max(id, v.Ticket.ID)
	}
	return id
}
