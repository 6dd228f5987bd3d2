package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"openhall/internal/apptest"
)

// TestLoginLockSaysWhenToRetry: after too many wrong passwords the login
// page answers 429 with the form, its reason, and Retry-After.
func TestLoginLockSaysWhenToRetry(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Citizen(t, "locked", "王五", 1, "", "")
	b := newBrowser(t, a)
	var p *page
	for range 6 {
		p = b.post("/login", "/login", url.Values{"username": {"locked"}, "password": {"wrong-password"}})
	}
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("after six wrong passwords: %d", p.status)
	}
	wait, err := strconv.Atoi(p.header.Get("Retry-After"))
	if err != nil || wait < 60 || wait > 15*60 {
		t.Fatalf("Retry-After %q", p.header.Get("Retry-After"))
	}
	if !strings.Contains(p.doc.Find("main").Text(), "后再试") || p.doc.Find(`form[action="/login"]`).Length() != 1 {
		t.Fatalf("the locked login page:\n%s", p.body)
	}
}
