package api_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"openhall/internal/demo"
)

// sweepBodies are what a careless or hostile client sends to every
// operation that takes a body: nothing, an empty object, the wrong types,
// a huge text, JSON that does not parse.
var sweepBodies = []any{
	nil,
	map[string]any{},
	map[string]any{"name": 12, "title": []int{1}, "id": "x", "version": -1, "kind": strings.Repeat("长", 5000)},
	`{"title": "未闭合`,
	`[1, 2, 3]`,
}

// TestSweepEveryWrite sends each of sweepBodies to every documented POST,
// PUT, PATCH and DELETE operation, as each demo account and anonymously:
// no answer may be a server error, each must be documented for its
// operation and fit its schema (checkContract), and every refusal carries
// a message.
func TestSweepEveryWrite(t *testing.T) {
	a := demoApp(t, "sqlite", newTestClock(time.Date(2026, 12, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))))
	citizen := loginWith(t, a, "citizen", demo.Password)
	var filed caseView
	jsonUnmarshal(t, citizen.fileInOne(itemVersion(t, a, "食品经营许可"), "sweep-write").body, &filed)
	doc, _, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	type op struct{ method, path string }
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if method != http.MethodGet && method != http.MethodHead && !strings.HasSuffix(path, "/session") {
				ops = append(ops, op{method, path})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	users := []string{""}
	for _, acc := range demo.Accounts() {
		users = append(users, acc.Username)
	}
	for _, user := range users {
		c := anonymous(t, a)
		if user != "" {
			c = loginWith(t, a, user, demo.Password)
		}
		for _, o := range ops {
			url := sweepURL(o.path, filed)
			for _, body := range sweepBodies {
				r := c.do(o.method, url, body)
				if r.status >= 500 {
					t.Errorf("%q: %s %s with %.40v: %d %s", user, o.method, url, body, r.status, r.body)
				}
				if r.status >= 400 && !strings.Contains(string(r.body), `"message"`) {
					t.Errorf("%q: %s %s with %.40v: %d without a message: %s", user, o.method, url, body, r.status, r.body)
				}
			}
		}
	}
	t.Logf("%d operations, %d bodies, %d clients", len(ops), len(sweepBodies), len(users))
}
