package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

// TestTicketPhoneMasked: the department handling a named bad review sees
// the rater's phone masked; the full number is shown only on an explicit
// request by one who handles the ticket, recorded in the audit log (who,
// which ticket) without the number.
func TestTicketPhoneMasked(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		const full, masked = "13812345678", "138****5678" // the demo citizen's
		a := demoAPIApp(t, backend)
		c := instantCase(t, a)
		demoLogin(t, a, "citizen").call("POST", fmt.Sprintf("/api/v1/cases/%d/ratings", c.ID), map[string]any{"level": 5, "comment": "等候时间过长"}, http.StatusCreated, nil)
		approver := demoLogin(t, a, "approver")
		var tickets list[struct {
			ID int64 `json:"id"`
		}]
		approver.call("GET", "/api/v1/rating-tickets", nil, http.StatusOK, &tickets)
		if len(tickets.Items) != 1 {
			t.Fatalf("tickets %+v", tickets.Items)
		}
		path := fmt.Sprintf("/api/v1/rating-tickets/%d", tickets.Items[0].ID)
		type ticket struct {
			Contact    string `json:"contact"`
			PhoneShown bool   `json:"phone_shown"`
		}
		var seen, shown ticket
		approver.call("GET", path, nil, http.StatusOK, &seen)
		if !strings.Contains(seen.Contact, masked) || strings.Contains(seen.Contact, full) || seen.PhoneShown {
			t.Fatalf("the ticket shows the rater as %+v", seen)
		}
		demoLogin(t, a, "supervisor").fail("POST", path+"/phone", nil, http.StatusForbidden) // sees the ticket, does not call back
		demoLogin(t, a, "approver2").fail("POST", path+"/phone", nil, http.StatusNotFound)   // another department's
		approver.call("POST", path+"/phone", nil, http.StatusOK, &shown)
		if !strings.Contains(shown.Contact, full) || !shown.PhoneShown {
			t.Fatalf("shown in full: %+v", shown)
		}
		var entries list[auditEntryJSON]
		demoLogin(t, a, "admin").call("GET", fmt.Sprintf("/api/v1/audit?object_type=rating_ticket&object_id=%d&action=rating.ticket.phone_shown", tickets.Items[0].ID),
			nil, http.StatusOK, &entries)
		if len(entries.Items) != 1 || entries.Items[0].ActorID != approver.me.ID || entries.Items[0].At == "" ||
			strings.Contains(string(entries.Items[0].Detail), "5678") {
			t.Fatalf("audit entries %+v", entries.Items)
		}
	})
}
