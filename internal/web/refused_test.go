package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/apptest"
)

// TestRefusedFormKeepsText: a form sent after the login timed out is
// refused before anything is saved, and the page shows the visitor what
// they wrote, to copy, never the page's token or a password; a form
// posted from another site gets the refusal alone.
func TestRefusedFormKeepsText(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC).UnixNano())
	a := apptest.New(t, "sqlite", apptest.Options{Now: func() time.Time { return time.Unix(0, now.Load()) }})
	a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
	b := newBrowser(t, a)
	b.login("clerk", "secret123")
	token := b.csrf("/complaints/new")
	now.Add(int64(31 * time.Minute)) // typing a long complaint
	text := "大厅叫号系统上午一直故障，\n排队两个多小时没有人解释。"
	v := url.Values{"csrf_token": {token}, "kind": {"complaint"}, "subject": {"platform"}, "content": {text},
		"password": {"secret123 not shown"}, "region_id": {"1"}}
	p := b.post("/complaints/new", "/complaints", v)
	main := p.doc.Find("main").Text()
	kept, _ := p.doc.Find("textarea[readonly]").Html()
	if p.status != http.StatusUnauthorized || !strings.Contains(main, "登录已超时") || !strings.Contains(main, "未保存") {
		t.Fatalf("refused after the timeout: %d %q", p.status, main)
	}
	if p.doc.Find("textarea[readonly]").Text() != text || p.doc.Find(`label[for="kept-0"]`).Text() != "内容" {
		t.Fatalf("the text kept: %q", kept)
	}
	if strings.Contains(p.body, token) || strings.Contains(p.body, "not shown") || p.doc.Find("textarea").Length() != 1 {
		t.Fatal("the refusal shows the token, the password or a choice")
	}

	req, _ := http.NewRequest(http.MethodPost, a.URL("/complaints"), strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if p := b.do(req); p.status < 400 || strings.Contains(p.body, "叫号系统") {
		t.Fatalf("a form from another site: %d, its text shown back", p.status)
	}
}
