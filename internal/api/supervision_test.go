package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/org"
)

// centreID finds a demo centre by name.
func centreID(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	cs, err := a.Services.Org.Centres(context.Background(), org.CentreFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == name {
			return c.ID
		}
	}
	t.Fatalf("no centre %s", name)
	return 0
}

// TestSupervisionAPI: who may use supervision's endpoints, what bad input
// earns, and the 督办 and card lifecycles over JSON. Every answer is
// checked against the OpenAPI document by the client.
func TestSupervisionAPI(t *testing.T) {
	clock := newTestClock(cst(11, 2, 10))
	a := demoApp(t, "sqlite", clock)
	filed := fileFood(t, a, "sup-1")
	clerk := loginWith(t, a, "clerk", demo.Password)
	clerk.call("POST", fmt.Sprintf("/api/v1/cases/%d/actions", filed.ID), map[string]any{"kind": "accept", "version": filed.Version}, http.StatusOK, nil)
	clock.Set(cst(11, 12, 10)) // the 审查 step (10 working days) is near its end
	if _, err := a.Services.Supervision.EvaluateDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	sup := loginWith(t, a, "supervisor", demo.Password)
	checkSupervisionAccess(t, a, filed.ID)
	var wb struct {
		Figures map[string]int `json:"figures"`
	}
	sup.call("GET", "/api/v1/supervision/workbench", nil, http.StatusOK, &wb)
	if wb.Figures["open"] != 1 || wb.Figures["review"] != 1 || wb.Figures["yellow"] != 1 {
		t.Fatalf("workbench figures %v", wb.Figures)
	}
	wantFields(t, sup.fail("GET", "/api/v1/supervision/cases?colour=green&from=11-02", nil, http.StatusUnprocessableEntity), "colour", "from")
	var list struct {
		Items []struct {
			CaseID      int64   `json:"case_id"`
			PromisedDue *string `json:"promised_due"`
		} `json:"items"`
		Total int `json:"total"`
	}
	sup.call("GET", "/api/v1/supervision/cases?status=review", nil, http.StatusOK, &list)
	if list.Total != 1 || list.Items[0].CaseID != filed.ID || list.Items[0].PromisedDue == nil {
		t.Fatalf("supervised cases %+v", list)
	}
	sup.call("GET", fmt.Sprintf("/api/v1/supervision/cases/%d", filed.ID), nil, http.StatusOK, nil)
	sup.call("POST", fmt.Sprintf("/api/v1/supervision/cases/%d/urge", filed.ID), map[string]string{"message": "请加快"}, http.StatusCreated, nil)
	checkOrdersAPI(t, a, sup, filed.ID)
	checkCardsAPI(t, a, sup, filed.ID)
	checkEvaluationAPI(t, a, sup)
}

// checkSupervisionAccess: only supervisors, department heads and
// administrators have a workbench, and see cases in their scope only;
// staff have their own cards.
func checkSupervisionAccess(t *testing.T, a *apptest.App, caseID int64) {
	t.Helper()
	file := fmt.Sprintf("/api/v1/supervision/cases/%d", caseID)
	for _, tc := range []struct {
		user, path string
		want       int
	}{
		{"", "/api/v1/supervision/workbench", http.StatusUnauthorized},
		{"citizen", "/api/v1/supervision/workbench", http.StatusForbidden},
		{"approver", "/api/v1/supervision/workbench", http.StatusForbidden},
		{"depthead", "/api/v1/supervision/workbench", http.StatusOK},
		{"xhadmin", "/api/v1/supervision/workbench", http.StatusOK},
		{"approver", "/api/v1/supervision/my-cards", http.StatusOK},
		{"citizen", "/api/v1/supervision/my-cards", http.StatusForbidden},
		{"supervisor", file, http.StatusOK},
		{"depthead", file, http.StatusOK},
		{"cghead", file, http.StatusNotFound}, // another department's head
		{"approver", file, http.StatusForbidden},
		{"", "/api/v1/public/indicators", http.StatusOK},
	} {
		c := anonymous(t, a)
		if tc.user != "" {
			c = loginWith(t, a, tc.user, demo.Password)
		}
		if r := c.do("GET", tc.path, nil); r.status != tc.want {
			t.Errorf("%s GET %s: %d, want %d: %s", tc.user, tc.path, r.status, tc.want, r.body)
		}
	}
}

func checkOrdersAPI(t *testing.T, a *apptest.App, sup *client, caseID int64) {
	t.Helper()
	e := sup.fail("POST", "/api/v1/supervision/orders", map[string]any{"case_id": caseID, "content": "短", "days": 0}, http.StatusUnprocessableEntity)
	wantFields(t, e, "content", "days")
	var o struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Due    string `json:"due"`
		Level  int    `json:"level"`
	}
	sup.call("POST", "/api/v1/supervision/orders", map[string]any{"case_id": caseID, "content": "请说明审查进度", "days": 2}, http.StatusCreated, &o)
	if o.Level != 1 || o.Due != "2026-11-16" || o.Status != "open" {
		t.Fatalf("督办 %+v (2 working days from Thursday 11-12 end on Monday 11-16)", o)
	}
	path := fmt.Sprintf("/api/v1/supervision/orders/%d", o.ID)
	approver2 := loginWith(t, a, "approver2", demo.Password)
	approver2.fail("POST", path+"/answer", map[string]string{"feedback": "不是我们的"}, http.StatusNotFound)
	head := loginWith(t, a, "depthead", demo.Password)
	head.fail("POST", path+"/answer", map[string]string{"result": "x"}, http.StatusUnprocessableEntity)
	head.call("POST", path+"/answer", map[string]string{"feedback": "已安排今日办结"}, http.StatusOK, &o)
	head.fail("POST", path+"/answer", map[string]string{"feedback": "再次"}, http.StatusConflict)
	head.fail("POST", path+"/close", map[string]string{"result": "自己办结"}, http.StatusForbidden)
	sup.call("POST", path+"/close", map[string]string{"result": "属实"}, http.StatusOK, &o)
	if o.Status != "closed" {
		t.Fatalf("closed %+v", o)
	}
	var mine struct {
		Total int `json:"total"`
	}
	head.call("GET", "/api/v1/supervision/orders", nil, http.StatusOK, &mine)
	if mine.Total != 1 {
		t.Fatalf("the department head sees the department's 督办: %d", mine.Total)
	}
}

func checkCardsAPI(t *testing.T, a *apptest.App, sup *client, caseID int64) {
	t.Helper()
	wantFields(t, sup.fail("POST", "/api/v1/supervision/cards", map[string]any{"case_id": caseID, "kind": "99", "colour": "red", "detail": "x"},
		http.StatusUnprocessableEntity), "kind", "detail")
	var card struct {
		ID      int64  `json:"id"`
		Number  string `json:"number"`
		InForce bool   `json:"in_force"`
	}
	sup.call("POST", "/api/v1/supervision/cards", map[string]any{"case_id": caseID, "kind": "08", "colour": "yellow", "detail": "窗口未按规定公示"},
		http.StatusCreated, &card)
	path := fmt.Sprintf("/api/v1/supervision/cards/%d", card.ID)
	loginWith(t, a, "approver", demo.Password).fail("POST", path+"/resolve", map[string]any{"resolution": "我说没事"}, http.StatusNotFound)
	sup.call("POST", path+"/resolve", map[string]any{"resolution": "已整改", "confirmed": true}, http.StatusOK, &card)
	if card.InForce {
		t.Fatal("an entered card is closed by its finding")
	}
	sup.fail("POST", path+"/resolve", map[string]any{"resolution": "再次"}, http.StatusConflict)
	var cards struct {
		Total int `json:"total"`
	}
	sup.call("GET", "/api/v1/supervision/cards?in_force=1&colour=yellow", nil, http.StatusOK, &cards)
	if cards.Total != 1 {
		t.Fatalf("the 审查 step's yellow card is in force: %d", cards.Total)
	}
	loginWith(t, a, "approver", demo.Password).call("GET", "/api/v1/supervision/my-cards", nil, http.StatusOK, &cards)
	if cards.Total != 1 {
		t.Fatalf("the approver holding the step sees its card: %d", cards.Total)
	}
}

func checkEvaluationAPI(t *testing.T, a *apptest.App, sup *client) {
	t.Helper()
	wantFields(t, sup.fail("GET", "/api/v1/supervision/evaluation", nil, http.StatusUnprocessableEntity), "centre_id", "period")
	centre := centreID(t, a, "西湖区政务服务中心")
	var ev struct {
		Frozen bool `json:"frozen"`
		Total  struct {
			Counts struct {
				Received int `json:"received"`
				Accepted int `json:"accepted"`
			} `json:"counts"`
		} `json:"total"`
	}
	sup.call("GET", fmt.Sprintf("/api/v1/supervision/evaluation?centre_id=%d&period=2026-11", centre), nil, http.StatusOK, &ev)
	if ev.Total.Counts.Received != 1 || ev.Total.Counts.Accepted != 1 || ev.Frozen {
		t.Fatalf("November so far %+v", ev)
	}
	sup.fail("POST", "/api/v1/supervision/evaluation/freeze", map[string]any{"centre_id": centre, "period": "2026-11"}, http.StatusConflict)
	sup.call("GET", fmt.Sprintf("/api/v1/supervision/rules/%d", centre), nil, http.StatusOK, nil)
	rules := map[string]any{"yellow_percent": 90, "yellow_days": 2, "reason_min_runes": 6, "backfill_minutes": 10,
		"weights": map[string]int{"on_time_rate": 50, "cards": 50}, "excellent": 90, "good": 80, "pass": 60,
		"yellow_penalty": 2, "red_penalty": 5, "order_penalty": 10}
	sup.fail("PUT", fmt.Sprintf("/api/v1/supervision/rules/%d", centre), rules, http.StatusForbidden)
	admin := loginWith(t, a, "xhadmin", demo.Password)
	rules["pass"] = 95
	wantFields(t, admin.fail("PUT", fmt.Sprintf("/api/v1/supervision/rules/%d", centre), rules, http.StatusUnprocessableEntity), "grades")
	rules["pass"] = 60
	admin.call("PUT", fmt.Sprintf("/api/v1/supervision/rules/%d", centre), rules, http.StatusOK, nil)
	anon := anonymous(t, a)
	anon.call("GET", "/api/v1/public/indicators", nil, http.StatusOK, nil)
	anon.call("GET", fmt.Sprintf("/api/v1/public/indicators/centres/%d", centre), nil, http.StatusOK, nil)
	anon.call("GET", "/api/v1/public/audit-heads", nil, http.StatusOK, nil)
	anon.fail("GET", "/api/v1/public/indicators/centres/999999", nil, http.StatusNotFound)
}
