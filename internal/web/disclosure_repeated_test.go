package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// TestRepeatedRequestsPage (条例第四十四条): an officer tags requests on
// their pages, the report lists the topic at threshold 2 and refuses 1 with
// a message on the field, and one click makes the draft, once.
func TestRepeatedRequestsPage(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, ag, _ := disclosureApp(t, backend)
		ctx := context.Background()
		_, officer, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "officer", Password: "secret123"})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, a)
		b.login("officer", "secret123")
		for _, name := range []string{"张三", "李四"} {
			r, err := a.Services.Disclosure.SubmitRequest(ctx, officer, disclosure.RequestInput{AgencyID: ag.ID,
				Channel: disclosure.ChannelInPerson, Name: name, Description: "西湖区停车收费标准", Delivery: "纸质文本"})
			if err != nil {
				t.Fatal(err)
			}
			page := "/disclosure/requests/" + idStr(r.ID)
			if p := b.post(page, page+"/topic", url.Values{"topic": {"停车收费标准"}}); p.status != http.StatusSeeOther {
				t.Fatalf("tag: %d %s", p.status, p.doc.Find(".form-error").Text())
			}
			if v, _ := b.get(page).doc.Find("#f-topic").Attr("value"); v != "停车收费标准" {
				t.Fatalf("topic shown on the request: %q", v)
			}
		}
		report := "/disclosure/repeated?agency=" + idStr(ag.ID) + "&min=2"
		p := b.get(report)
		if rows := p.doc.Find("#repeated tbody tr td.topic"); p.status != 200 || rows.Length() != 1 || rows.Text() != "停车收费标准" {
			t.Fatalf("report: %d %q", p.status, rows.Text())
		}
		if bad := b.get("/disclosure/repeated?agency=" + idStr(ag.ID) + "&min=1"); bad.status != 422 || bad.fieldError(t, "min") == "" {
			t.Fatalf("threshold 1: %d", bad.status)
		}
		draft := url.Values{"agency": {idStr(ag.ID)}, "topic": {"停车收费标准"}, "min": {"2"}}
		done := b.post(report, "/disclosure/repeated/draft", draft)
		if done.status != http.StatusSeeOther || !strings.HasSuffix(done.location, "/edit") {
			t.Fatalf("draft: %d %s", done.status, done.location)
		}
		if again := b.post(report, "/disclosure/repeated/draft", draft); again.status != 422 ||
			!strings.Contains(again.doc.Find(".form-error").Text(), "已起草") {
			t.Fatalf("second draft: %d %q", again.status, again.doc.Find(".form-error").Text())
		}
		if link := b.get(report).doc.Find(`#repeated a[href^="/disclosure/docs/"]`); link.Length() != 1 {
			t.Fatal("report does not link the draft")
		}
	})
}
