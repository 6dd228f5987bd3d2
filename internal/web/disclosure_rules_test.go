package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

// TestPublishRulesPage: an officer reads the periods and cannot change
// them; a global administrator adds one, sees a named error for a bad entry
// with what was typed kept, and removes it again.
func TestPublishRulesPage(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _, _ := disclosureApp(t, backend)
		a.Staff(t, "root", "sysadmin", nil, nil)
		officer := newBrowser(t, a)
		officer.login("officer", "secret123")
		p := officer.get("/disclosure/publish-rules")
		if p.status != 200 || !strings.Contains(p.doc.Find("#publish-rules").Text(), "《预算法》第十四条") || p.doc.Find(`form[action="/disclosure/publish-rules"]`).Length() != 0 {
			t.Fatalf("officer's view: %d %q", p.status, p.doc.Find("main").Text())
		}
		if p := officer.post("/disclosure/publish-rules", "/disclosure/publish-rules", url.Values{"category": {"a20-14"}, "days": {"7"},
			"unit": {"workdays"}, "basis": {"《某某规定》第九条"}}); p.status != http.StatusForbidden {
			t.Fatalf("officer sets a rule: %d", p.status)
		}
		root := newBrowser(t, a)
		root.login("root", "secret123")
		bad := root.post("/disclosure/publish-rules", "/disclosure/publish-rules", url.Values{"category": {"a20-14"}, "days": {"7"},
			"unit": {"days"}, "basis": {"领导要求"}})
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.fieldError(t, "basis"), "书名号") {
			t.Fatalf("bad basis: %d %q", bad.status, bad.doc.Find("main").Text())
		}
		if v, _ := bad.doc.Find(`input[name=days]`).Attr("value"); v != "7" || bad.doc.Find(`input[name=unit][value=days][checked]`).Length() != 1 {
			t.Errorf("typed values lost: days %q", v)
		}
		ok := root.post("/disclosure/publish-rules", "/disclosure/publish-rules", url.Values{"category": {"a20-14"}, "days": {"7"},
			"unit": {"days"}, "basis": {"《某某规定》第九条"}})
		if ok.status != http.StatusSeeOther {
			t.Fatalf("save: %d %q", ok.status, ok.doc.Find("main").Text())
		}
		table := root.get("/disclosure/publish-rules").doc.Find("#publish-rules").Text()
		if !strings.Contains(table, "《某某规定》第九条") || !strings.Contains(table, "7 日内") {
			t.Fatalf("rule not listed: %q", table)
		}
		if p := root.post("/disclosure/publish-rules", "/disclosure/publish-rules/a20-14/delete", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("delete: %d", p.status)
		}
		if strings.Contains(root.get("/disclosure/publish-rules").doc.Find("#publish-rules").Text(), "《某某规定》") {
			t.Fatal("deleted rule still listed")
		}
	})
}
