package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTicketStepNeedsVersion: every step form of the ticket page carries
// the version it shows; a step posted without one, or with one that is no
// number, is refused with the page asking for a refresh, and not taken.
func TestTicketStepNeedsVersion(t *testing.T) {
	a := ratingsApp(t)
	b, href, page := badReviewTicket(t, a)
	forms := page.doc.Find(`form[action$="/actions"]`)
	if forms.Length() == 0 || forms.Length() != page.doc.Find(`form[action$="/actions"] input[type=hidden][name=version]`).Length() {
		t.Fatalf("%d step forms, not each with its version", forms.Length())
	}
	for _, form := range []url.Values{
		{"kind": {"callback"}, "reason": {"已电话联系"}},
		{"kind": {"callback"}, "reason": {"已电话联系"}, "version": {"abc"}},
	} {
		p := b.post(href, href+"/actions", form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find(".form-error").Text(), "缺少版本号，请刷新页面后重试") {
			t.Fatalf("%v: %d %q", form, p.status, p.doc.Find(".form-error").Text())
		}
	}
	if strings.Contains(b.get(href).doc.Find(".timeline").Text(), "已电话联系") {
		t.Fatal("a step without a version was taken")
	}
}
