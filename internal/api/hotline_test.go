package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

// TestHotlineTicketRefusals: a ticket the hotline sends wrong is refused
// with the field named, including a received_at that is not a time at all
// or is in the future.
func TestHotlineTicketRefusals(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		hot := anonymous(t, a)
		bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+hotlineToken) }
		ticket := func(no string, edit func(map[string]any)) map[string]any {
			tk := map[string]any{"kind": "complaint", "ticket_no": no, "region_code": "330106", "received_at": "2026-03-09T09:00:00+08:00",
				"caller": map[string]any{"name": "赵六", "phone": "13700001111"}, "subject": map[string]any{"kind": "window", "text": "A01窗口"},
				"content": "窗口午休时间无人值守"}
			edit(tk)
			return tk
		}
		tests := []struct {
			name    string
			edit    func(map[string]any)
			field   string // "" = accepted
			message string
		}{
			{"a window", func(map[string]any) {}, "", ""},
			{"received yesterday, in words", func(tk map[string]any) { tk["received_at"] = "yesterday" }, "received_at", "RFC 3339"},
			{"received at a number", func(tk map[string]any) { tk["received_at"] = 20260309 }, "received_at", "字符串"},
			{"received in 2030", func(tk map[string]any) { tk["received_at"] = "2030-01-01T00:00:00+08:00" }, "received_at", "晚于本系统当前时间"},
			{"an unknown subject kind", func(tk map[string]any) { tk["subject"] = map[string]any{"kind": "zzz", "text": "A01窗口"} }, "subject.kind", "platform"},
			// Wrong JSON types are named by the interface's field, not
			// by a Go type around it ("Ticket.subject").
			{"subject as text", func(tk map[string]any) { tk["subject"] = "A01窗口" }, "subject", "字段 subject 的类型应为对象"},
			{"caller's phone a number", func(tk map[string]any) { tk["caller"] = map[string]any{"name": "赵六", "phone": 13700001111} }, "caller.phone", "字段 caller.phone 的类型应为字符串"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := hot.do("POST", "/api/v1/hotline/tickets", ticket("T-"+strings.Repeat("9", i+1), tt.edit), bearer)
				if tt.field == "" {
					if r.status != http.StatusCreated {
						t.Fatalf("status %d: %s", r.status, r.body)
					}
					return
				}
				e := r.mustError(t, tt.name, http.StatusUnprocessableEntity)
				wantFields(t, e, tt.field)
				if !strings.Contains(e.Error.Fields[tt.field], tt.message) {
					t.Fatalf("%s: %q, want it to say %q", tt.field, e.Error.Fields[tt.field], tt.message)
				}
			})
		}
	})
}

// TestHotlineTicketNumberOfOtherKind: a consultation sent under the
// number of a complaint already taken in is refused with ticket_no named,
// not answered with the complaint's receipt (its status would then be
// nowhere to be found); the same kind again still returns the first
// receipt.
func TestHotlineTicketNumberOfOtherKind(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		hot := anonymous(t, a)
		bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+hotlineToken) }
		ticket := func(kind string) map[string]any {
			return map[string]any{"kind": kind, "ticket_no": "T-KIND-1", "region_code": "330106", "received_at": "2026-03-09T09:00:00+08:00",
				"caller": map[string]any{"name": "赵六", "phone": "13700001111"}, "subject": map[string]any{"kind": "window", "text": "A01窗口"},
				"content": "窗口午休时间无人值守"}
		}
		if r := hot.do("POST", "/api/v1/hotline/tickets", ticket("complaint"), bearer); r.status != http.StatusCreated {
			t.Fatalf("complaint: status %d: %s", r.status, r.body)
		}
		if r := hot.do("POST", "/api/v1/hotline/tickets", ticket("complaint"), bearer); r.status != http.StatusOK || !strings.Contains(string(r.body), `"repeated":true`) {
			t.Fatalf("complaint again: status %d: %s", r.status, r.body)
		}
		r := hot.do("POST", "/api/v1/hotline/tickets", ticket("consultation"), bearer)
		e := r.mustError(t, "consultation under a complaint's number", http.StatusUnprocessableEntity)
		wantFields(t, e, "ticket_no")
		if !strings.Contains(e.Error.Fields["ticket_no"], "已作为投诉收到") {
			t.Fatalf("ticket_no: %q", e.Error.Fields["ticket_no"])
		}
	})
}

// TestHotlineAnswerTextSameInFeedAndStatus: the hotline reads an answer,
// and a refusal, word for word the same in the answers' feed and in the
// ticket's status.
func TestHotlineAnswerTextSameInFeedAndStatus(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := demoAPIApp(t, backend)
		hot := anonymous(t, a)
		sup := demoLogin(t, a, "supervisor")
		for no, text := range map[string]string{"T-ANS-1": "答复：请携带身份证和居住证明", "T-ANS-2": "不予受理：不属于本中心受理范围"} {
			tk := map[string]any{"kind": "consultation", "ticket_no": no, "region_code": "330106", "received_at": "2026-03-09T09:00:00+08:00",
				"caller": map[string]any{"name": "钱七", "phone": "13600001111"}, "content": "办理居住证需要哪些材料？"}
			hotlineGet(t, hot, "POST", "/api/v1/hotline/tickets", tk, http.StatusCreated, nil)
			var queue struct {
				Items []struct {
					ID            int64  `json:"id"`
					HotlineTicket string `json:"hotline_ticket"`
				} `json:"items"`
			}
			sup.call("GET", "/api/v1/complaints?queue=1", nil, http.StatusOK, &queue)
			for _, it := range queue.Items {
				if it.HotlineTicket != no {
					continue
				}
				kind, words, _ := strings.Cut(text, "：")
				if kind == "答复" {
					actOnComplaint(sup, it.ID, map[string]any{"kind": "accept"})
					actOnComplaint(sup, it.ID, map[string]any{"kind": "answer", "text": words})
				} else {
					actOnComplaint(sup, it.ID, map[string]any{"kind": "refuse", "text": words})
				}
			}
		}
		var feed struct {
			Items []struct {
				TicketNo string `json:"ticket_no"`
				Answer   string `json:"answer"`
			} `json:"items"`
		}
		hotlineGet(t, hot, "GET", "/api/v1/hotline/answers?after=0", nil, http.StatusOK, &feed)
		if len(feed.Items) != 2 {
			t.Fatalf("feed: %+v", feed.Items)
		}
		for _, it := range feed.Items {
			var st struct {
				Answer string `json:"answer"`
			}
			hotlineGet(t, hot, "GET", "/api/v1/hotline/tickets/consultation/"+it.TicketNo, nil, http.StatusOK, &st)
			if st.Answer != it.Answer {
				t.Fatalf("%s: the status says %q, the feed %q", it.TicketNo, st.Answer, it.Answer)
			}
		}
	})
}

// hotlineGet sends a request as the hotline system (with its token) and
// decodes the answer into out.
func hotlineGet(t *testing.T, c *client, method, path string, body any, want int, out any) {
	t.Helper()
	r := c.do(method, path, body, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+hotlineToken) })
	if r.status != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatal(err)
		}
	}
}

// actOnComplaint takes a step on a complaint with its version as last
// seen, as a client showing the complaint does.
func actOnComplaint(c *client, id int64, body map[string]any) {
	c.t.Helper()
	var cur struct {
		Version int `json:"version"`
	}
	c.call("GET", fmt.Sprintf("/api/v1/complaints/%d", id), nil, http.StatusOK, &cur)
	body["version"] = cur.Version
	c.call("POST", fmt.Sprintf("/api/v1/complaints/%d/actions", id), body, http.StatusOK, nil)
}
