package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/demo"
)

// TestIntakeLapsedAPI: an application received on Friday 11-13 is due to
// be answered by Friday 11-20; unanswered over the weekend its intake
// period has lapsed (ended, the case counts as accepted) but is not
// overdue; on Monday it is.
func TestIntakeLapsedAPI(t *testing.T) {
	clock := newTestClock(cst(11, 13, 10))
	a := demoApp(t, "sqlite", clock)
	filed := fileFood(t, a, "intake-lapse")
	for _, tt := range []struct {
		day                     int
		lapsed, overdue, deemed bool
	}{
		{20, false, false, false},
		{21, true, false, true},
		{23, false, true, true},
	} {
		clock.Set(cst(11, tt.day, 10))
		var got struct {
			Clocks struct {
				Intake map[string]any `json:"intake"`
			} `json:"clocks"`
		}
		loginWith(t, a, "clerk", demo.Password).call("GET", fmt.Sprintf("/api/v1/cases/%d", filed.ID), nil, http.StatusOK, &got)
		ic := got.Clocks.Intake
		if ic["due"] != "2026-11-20" || ic["lapsed"] != tt.lapsed || ic["overdue"] != tt.overdue || ic["deemed_accepted"] != tt.deemed {
			t.Errorf("11-%d: intake %v; want lapsed %v overdue %v deemed %v", tt.day, ic, tt.lapsed, tt.overdue, tt.deemed)
		}
	}
}
