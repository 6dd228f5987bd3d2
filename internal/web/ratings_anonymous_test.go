package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/demo"
	"openhall/internal/rating"
)

// ratingsAppOn is ratingsApp on a given backend.
func ratingsAppOn(t *testing.T, backend string) *apptest.App {
	t.Helper()
	at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: func() time.Time { return at }})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	decideForCitizen(t, a)
	return a
}

// TestAnonymousBadRatingFromCasePage: the applicant who rates their case
// anonymously from its page is told to come back to that page (no link
// was used), and the page shows the stage rated, not 尚无评价 beside
// 已作出评价; from it they reach the department's feedback and evaluate
// again.
func TestAnonymousBadRatingFromCasePage(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := ratingsAppOn(t, backend)
		b := newBrowser(t, a)
		b.login("citizen", demo.Password)
		casePath := caseLink(t, b)
		p := b.post(casePath, casePath+"/rating", url.Values{"level": {"4"}, "comment": {"排队一个多小时"}, "anonymous": {"1"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("rating: %d %s", p.status, p.doc.Find(".form-error").Text())
		}
		page := b.get(casePath)
		flash, block := page.doc.Find(".flash").Text(), page.doc.Find("#rating").Text()
		if strings.Contains(flash, "链接") || strings.Contains(flash, "通知您") || !strings.Contains(flash, "本办件页面") {
			t.Fatalf("after an anonymous bad review from the case page: %q", flash)
		}
		if strings.Contains(block, "尚无评价") || !strings.Contains(block, "不满意") || !strings.Contains(block, "匿名") {
			t.Fatalf("the case page after rating: %q", block)
		}
		feedBack(t, a)
		href, ok := b.get(casePath).doc.Find(`#rating a:contains("查看处理情况")`).Attr("href")
		if !ok {
			t.Fatalf("no way to the handling from the case page: %q", block)
		}
		if p := b.get(href); !strings.Contains(p.doc.Find(".feedback").Text(), "已增开窗口") || p.doc.Find(`input[name=again]`).Length() == 0 {
			t.Fatalf("%s: no feedback or second evaluation: %s", href, p.doc.Find("main").Text())
		}
	})
}

// feedBack takes the demo department's only ticket to its feedback.
func feedBack(t *testing.T, a *apptest.App) {
	t.Helper()
	ctx, approver := context.Background(), demoActor(t, a, "approver")
	list, err := a.Services.Ratings.Tickets(ctx, approver, true)
	if err != nil || len(list) != 1 {
		t.Fatalf("tickets %v %v", list, err)
	}
	for _, c := range []rating.TicketCommand{{Kind: rating.TcVerify, Code: "founded", Reason: "属实"},
		{Kind: rating.TcRectify, Code: "rectify", Reason: "增开窗口"}, {Kind: rating.TcFeedback, Reason: "已增开窗口"}} {
		if _, err := a.Services.Ratings.ActTicket(ctx, approver, list[0].Ticket.ID, c, 0); err != nil {
			t.Fatalf("%s: %v", c.Kind, err)
		}
	}
}
