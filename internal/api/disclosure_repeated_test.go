package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"openhall/internal/apptest"
)

// TestDisclosure_RepeatedRequests (条例第四十四条) through the API: two
// requests registered at the desk and tagged with one topic, the report at
// threshold 2, the draft made once, and a citizen refused everywhere.
func TestDisclosure_RepeatedRequests(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow})
		a.Staff(t, "officer", "disclosure_officer", &a.Tree.County.ID, nil)
		citizenAccount(t, a)
		officer, citizen := login(t, a, "officer"), login(t, a, "citizen")
		var ag idJSON
		officer.call("POST", "/api/v1/disclosure/agencies", map[string]any{"region_id": a.Tree.County.ID, "name": "西湖区人民政府",
			"code": "002482133"}, http.StatusCreated, &ag)
		var last int64
		for _, name := range []string{"张三", "杭州某某科技有限公司"} {
			var r requestOut
			officer.call("POST", "/api/v1/disclosure/requests", map[string]any{"agency_id": ag.ID, "channel": "in_person",
				"name": name, "description": "西湖区停车收费标准", "delivery": "纸质文本"}, http.StatusCreated, &r)
			var tag struct {
				Topic string `json:"topic"`
			}
			officer.call("PUT", fmt.Sprintf("/api/v1/disclosure/requests/%d/topic", r.ID), map[string]any{"topic": " 停车  收费标准 "},
				http.StatusOK, &tag)
			if tag.Topic != "停车 收费标准" {
				t.Fatalf("topic saved as %q", tag.Topic)
			}
			last = r.ID
		}
		citizen.fail("PUT", fmt.Sprintf("/api/v1/disclosure/requests/%d/topic", last), map[string]any{"topic": "x"}, http.StatusNotFound)
		report := fmt.Sprintf("/api/v1/disclosure/repeated-requests?agency=%d&min=2", ag.ID)
		var topics []struct {
			Topic      string   `json:"topic"`
			Requests   int      `json:"requests"`
			Applicants int      `json:"applicants"`
			Numbers    []string `json:"numbers"`
			DocID      *int64   `json:"doc_id"`
		}
		officer.call("GET", report, nil, http.StatusOK, &topics)
		if len(topics) != 1 || topics[0].Requests != 2 || topics[0].Applicants != 2 || len(topics[0].Numbers) != 2 {
			t.Fatalf("report: %+v", topics)
		}
		wantFields(t, officer.fail("GET", report+"&from=2026-02-30", nil, http.StatusUnprocessableEntity), "from")
		citizen.fail("GET", report, nil, http.StatusForbidden)
		body := map[string]any{"agency_id": ag.ID, "topic": "停车 收费标准", "min": 2}
		var d docOut
		officer.call("POST", "/api/v1/disclosure/repeated-requests/drafts", body, http.StatusCreated, &d)
		if d.Status != "draft" {
			t.Fatalf("draft: %+v", d)
		}
		officer.fail("POST", "/api/v1/disclosure/repeated-requests/drafts", body, http.StatusConflict)
		officer.call("GET", report, nil, http.StatusOK, &topics)
		if topics[0].DocID == nil || *topics[0].DocID != d.ID {
			t.Fatalf("report after the draft: %+v", topics)
		}
	})
}
