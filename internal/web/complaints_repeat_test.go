package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestComplaintFormSentTwice: the complaint form sent twice (a double
// click, a resend after a lost answer: the same key and CSRF token) files
// one complaint, and the second answer gives the first one's receipt.
func TestComplaintFormSentTwice(t *testing.T) {
	a := ratingsApp(t)
	visitor := newBrowser(t, a)
	form := visitor.get("/complaints/new")
	key, _ := form.doc.Find(`form[action="/complaints"] input[name=key]`).Attr("value")
	token, _ := form.doc.Find(`form[action="/complaints"] input[name=csrf_token]`).Attr("value")
	if len(key) < 16 || token == "" {
		t.Fatalf("the form's key %q, token %q", key, token)
	}
	v := url.Values{"csrf_token": {token}, "key": {key}, "kind": {"complaint"}, "subject": {"platform"}, "region_id": {"1"},
		"content": {"网上申报页面打不开"}, "anonymous": {"1"}}
	var receipts [2]string
	for i := range receipts {
		p := visitor.post("/complaints/new", "/complaints", v)
		if p.status != http.StatusSeeOther {
			t.Fatalf("send %d: %d %s", i+1, p.status, p.doc.Find(".form-error").Text())
		}
		msg := visitor.get(p.location).doc.Find(".flash").Text()
		receipts[i] = msg[strings.Index(msg, "编号"):]
	}
	if receipts[0] != receipts[1] || !strings.Contains(receipts[1], "查询码") {
		t.Fatalf("the receipts %q", receipts)
	}
}
