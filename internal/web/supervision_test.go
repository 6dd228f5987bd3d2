package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/supervision"
)

// TestSupervisionPages: who reaches which supervision page, bad filters and
// forms answered with the field named and what was typed kept, exports
// delivered as workbooks, and the public page reachable from the home page.
func TestSupervisionPages(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	anon := newBrowser(t, a)
	home := anon.get("/")
	if href, _ := home.doc.Find(`a.card[href="/indicators"]`).Attr("href"); href != "/indicators" {
		t.Fatal("the home page links the public indicators")
	}
	if p := anon.get("/indicators"); p.status != http.StatusOK || !strings.Contains(p.doc.Find("main").Text(), "审计日志每日公布的哈希") {
		t.Fatalf("public indicators: %d", p.status)
	}
	if p := anon.get("/supervision"); p.status != http.StatusSeeOther {
		t.Fatalf("anonymous workbench: %d", p.status)
	}

	sup := newBrowser(t, a)
	sup.login("supervisor", demo.Password)
	if !slices.Contains(sup.get("/supervision").navLabels(), "电子监察") {
		t.Fatal("the supervisor's menu has 电子监察")
	}
	for _, path := range []string{"/supervision", "/supervision/cases", "/supervision/cards", "/supervision/orders", "/supervision/orders/new",
		"/supervision/evaluation", "/supervision/evaluation?period=2026-Q1", "/supervision/rules"} {
		if p := sup.get(path); p.status != http.StatusOK {
			t.Errorf("%s: %d %s", path, p.status, p.doc.Find("main").Text())
		}
	}
	bad := sup.get("/supervision/cases?colour=green&from=2026-13-01&item=XK1")
	if bad.status != http.StatusUnprocessableEntity || bad.fieldError(t, "colour") == "" || bad.fieldError(t, "from") == "" {
		t.Fatalf("bad filter: %d %q %q", bad.status, bad.fieldError(t, "colour"), bad.fieldError(t, "from"))
	}
	if v, _ := bad.doc.Find("#f-item").Attr("value"); v != "XK1" {
		t.Fatalf("the filter keeps what was typed: %q", v)
	}
	for _, path := range []string{"/supervision/cases.xlsx?status=review", "/supervision/cards.xlsx", "/supervision/evaluation.xlsx?period=2026-03",
		"/supervision/orders.xlsx?status=open&dept=1"} {
		if p := sup.get(path); p.status != http.StatusOK || p.header.Get("Content-Type") != supervision.XLSXType || !strings.HasPrefix(p.body, "PK") {
			t.Errorf("%s: %d %s", path, p.status, p.header.Get("Content-Type"))
		}
	}
	if p := sup.get("/supervision/orders.xlsx?dept=x"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "被督办部门") {
		t.Errorf("a bad department filter: %d", p.status)
	}
	order := sup.post("/supervision/orders/new", "/supervision/orders", url.Values{"dept_id": {""}, "content": {"请报告超期情况"}, "days": {"x"}})
	if order.status != http.StatusUnprocessableEntity || order.fieldError(t, "days") == "" {
		t.Fatalf("bad 督办: %d %q", order.status, order.doc.Find(".form-error").Text())
	}
	if got := order.doc.Find("#f-content").Text(); got != "请报告超期情况" {
		t.Fatalf("the 督办 form keeps its content: %q", got)
	}
	if p := sup.get("/supervision/evaluation?period=2026-13"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad period: %d", p.status)
	}

	approver := newBrowser(t, a)
	approver.login("approver", demo.Password)
	if p := approver.get("/supervision"); p.status != http.StatusForbidden {
		t.Fatalf("an approver has no supervision workbench: %d", p.status)
	}
	if p := approver.get("/supervision/my"); p.status != http.StatusOK || !slices.Contains(p.navLabels(), "我的红黄牌") {
		t.Fatalf("an approver's own cards: %d %v", p.status, p.navLabels())
	}
	admin := newBrowser(t, a)
	admin.login("xhadmin", demo.Password)
	rules := admin.post("/supervision/rules", "/supervision/rules", url.Values{"centre": {"1"}, "yellow_percent": {"20"}})
	if rules.status != http.StatusUnprocessableEntity || rules.fieldError(t, "yellow_days") == "" {
		t.Fatalf("bad rules name each field: %d", rules.status)
	}
}
