package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
)

// TestTicketPagePhoneMasked: the ticket page shows the rater's phone
// masked; the department's 显示完整号码 shows it in full, the supervisor
// is not offered it.
func TestTicketPagePhoneMasked(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		const full, masked = "13812345678", "138****5678" // the demo citizen's
		a := ratingsAppOn(t, backend)
		citizen := newBrowser(t, a)
		citizen.login("citizen", demo.Password)
		casePath := caseLink(t, citizen)
		if p := citizen.post(casePath, casePath+"/rating", url.Values{"level": {"5"}, "comment": {"等候太久"}}); p.status != http.StatusSeeOther {
			t.Fatalf("rating: %d", p.status)
		}
		list, err := a.Services.Ratings.Tickets(context.Background(), demoActor(t, a, "approver"), true)
		if err != nil || len(list) != 1 {
			t.Fatalf("tickets %v %v", list, err)
		}
		page := fmt.Sprintf("/staff/ratings/tickets/%d", list[0].Ticket.ID)
		approver := newBrowser(t, a)
		approver.login("approver", demo.Password)
		checkPhoneReveal(t, approver, page, masked, full)
		sup := newBrowser(t, a)
		sup.login("supervisor", demo.Password)
		if p := sup.get(page); p.status != http.StatusOK || strings.Contains(p.body, full) || strings.Contains(p.body, "显示完整号码") {
			t.Fatalf("the supervisor's ticket page: %d", p.status)
		}
	})
}
