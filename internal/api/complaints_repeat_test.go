package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestComplaintSentTwiceAPI: the same complaint sent again with its
// Idempotency-Key answers 200 with the first receipt; the key with other
// words is a conflict.
func TestComplaintSentTwiceAPI(t *testing.T) {
	a := demoAPIApp(t, "sqlite")
	anon := anonymous(t, a)
	body := map[string]any{"subject": "platform", "region_id": 1, "content": "网上申报页面打不开", "anonymous": true}
	key := func(r *http.Request) { r.Header.Set("Idempotency-Key", "retry-0123456789abcdef") }
	type filed struct {
		ID        int64  `json:"id"`
		Number    string `json:"number"`
		QueryCode string `json:"query_code"`
	}
	var got [2]filed
	for i, want := range []int{http.StatusCreated, http.StatusOK} {
		r := anon.do("POST", "/api/v1/complaints", body, key)
		if r.status != want {
			t.Fatalf("send %d: %d %s", i+1, r.status, r.body)
		}
		if err := json.Unmarshal(r.body, &got[i]); err != nil {
			t.Fatal(err)
		}
	}
	if got[0] != got[1] || got[0].QueryCode == "" {
		t.Fatalf("the receipts %+v", got)
	}
	body["content"] = "另一件事：网上预约无法取消"
	anon.do("POST", "/api/v1/complaints", body, key).mustError(t, "the key with other words", http.StatusConflict)
}
