package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/notify"
)

// sendMessages puts n inbox messages for the user.
func sendMessages(t testing.TB, a *apptest.App, userID int64, n int) []*notify.Notification {
	t.Helper()
	var out []*notify.Notification
	for i := 1; i <= n; i++ {
		m, err := a.Services.Notify.Notify(context.Background(), notify.Message{UserID: userID, Kind: "case.accepted",
			Title: fmt.Sprintf("办件已受理 %d", i), Body: "您的申请已受理，请留意后续通知。", Link: "/account"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestMessagesPage(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		me := a.Citizen(t, "reader", "读者", 1, "", "")
		other := a.Citizen(t, "other", "他人", 2, "", "")
		ms := sendMessages(t, a, me.ID, 3)
		theirs := sendMessages(t, a, other.ID, 1)[0]
		b := newBrowser(t, a)
		if p := b.get("/messages"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
			t.Fatalf("anonymous inbox: %d %s", p.status, p.location)
		}
		b.login("reader", "secret123")
		p := b.get("/messages")
		if got := strings.TrimSpace(p.doc.Find(".inbox-link .badge").Text()); got != "3 条未读" {
			t.Fatalf("header badge %q", got)
		}
		if n := p.doc.Find(".messages li.unread").Length(); n != 3 || !strings.Contains(p.doc.Find(".messages li").First().Text(), "办件已受理 3") {
			t.Fatalf("%d unread items; first: %s", n, p.doc.Find(".messages li").First().Text())
		}
		r := b.post("/messages", fmt.Sprintf("/messages/%d/read", ms[0].ID), url.Values{"open": {"1"}})
		if r.status != http.StatusSeeOther || r.location != "/account" {
			t.Fatalf("open a message: %d %s", r.status, r.location)
		}
		if r := b.post("/messages", fmt.Sprintf("/messages/%d/read", theirs.ID), url.Values{}); r.status != http.StatusNotFound {
			t.Fatalf("marking someone else's message: %d", r.status)
		}
		if got := strings.TrimSpace(b.get("/account").doc.Find(".inbox-link .badge").Text()); got != "2 条未读" {
			t.Fatalf("badge after reading one: %q", got)
		}
		r = b.post("/messages", "/messages/read-all", url.Values{})
		after := b.get("/messages")
		if r.status != http.StatusSeeOther || after.doc.Find(".inbox-link .badge").Length() != 0 || after.doc.Find(".messages li.unread").Length() != 0 {
			t.Fatalf("after reading all: %d, badge %q", r.status, after.doc.Find(".inbox-link .badge").Text())
		}
		if !strings.Contains(after.doc.Find(".flash").Text(), "已将 2 条消息标为已读") {
			t.Fatalf("flash %q", after.doc.Find(".flash").Text())
		}
	})
}

func TestMessagesPaging(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	me := a.Citizen(t, "pager", "翻页", 1, "", "")
	sendMessages(t, a, me.ID, 31)
	b := newBrowser(t, a)
	b.login("pager", "secret123")
	p := b.get("/messages")
	next, ok := p.doc.Find(`a[href^="/messages?before="]`).Attr("href")
	if n := p.doc.Find(".messages li").Length(); n != 30 || !ok {
		t.Fatalf("first page: %d items, next link %v", n, ok)
	}
	if p2 := b.get(next); p2.doc.Find(".messages li").Length() != 1 || !strings.Contains(p2.body, "办件已受理 1<") {
		t.Fatalf("second page: %s", p2.doc.Find(".messages").Text())
	}
}
