package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/rating"
)

// TestTicketStepNeedsVersionAPI: a ticket step names the version it was
// taken on; without one, or with one that is no positive integer, it is
// refused on version (422) and not taken, and a stale one is a conflict.
func TestTicketStepNeedsVersionAPI(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	c := instantCase(t, a)
	if _, err := a.Services.Ratings.RateCase(context.Background(), serviceActor(t, a, "citizen"), c.ID,
		rating.Input{Level: rating.Dissatisfied, Comment: "等候时间过长"}); err != nil {
		t.Fatal(err)
	}
	approver := demoLogin(t, a, "approver")
	type ticket struct {
		ID      int64 `json:"id"`
		Version int   `json:"version"`
		Events  []any `json:"events"`
	}
	var list struct {
		Items []ticket `json:"items"`
	}
	approver.call("GET", "/api/v1/rating-tickets", nil, http.StatusOK, &list)
	if len(list.Items) != 1 {
		t.Fatalf("tickets %+v", list.Items)
	}
	tk := list.Items[0]
	path := fmt.Sprintf("/api/v1/rating-tickets/%d", tk.ID)
	for _, version := range []any{nil, "abc", "3", 1.5, 0, -1} {
		body := map[string]any{"kind": "callback", "reason": "已电话联系申请人"}
		if version != nil {
			body["version"] = version
		}
		wantFields(t, approver.fail("POST", path+"/actions", body, http.StatusUnprocessableEntity), "version")
	}
	var after ticket
	approver.call("GET", path, nil, http.StatusOK, &after)
	if after.Version != tk.Version || len(after.Events) != len(tk.Events) {
		t.Fatalf("a step without a version was taken: %+v, before %+v", after, tk)
	}
	approver.call("POST", path+"/actions", map[string]any{"kind": "callback", "reason": "已电话联系申请人", "version": tk.Version}, http.StatusOK, &after)
	e := approver.fail("POST", path+"/actions", map[string]any{"kind": "verify", "code": "founded", "reason": "属实", "version": tk.Version}, http.StatusConflict)
	if e.Error.Code == "" || after.Version == tk.Version {
		t.Fatalf("a stale version: %+v, version %d then %d", e, tk.Version, after.Version)
	}
}
