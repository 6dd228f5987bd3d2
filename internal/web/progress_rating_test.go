package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/rating"

	"github.com/PuerkitoBio/goquery"
)

// TestProgressOffersRatingOncePerStage: the progress lookup offers
// 评价本次服务 while the case's current stage is unrated; once it is rated
// (一事一评) it says 本阶段已评价 instead of a link that could only refuse,
// and once the department has fed back on the bad review it leads to the
// second evaluation.
func TestProgressOffersRatingOncePerStage(t *testing.T) {
	a := ratingsApp(t)
	c, code := citizenCase(t, a)
	visitor := newBrowser(t, a)
	actions := func() *goquery.Selection {
		t.Helper()
		p := visitor.post("/progress", "/progress", url.Values{"number": {c.Number}, "code": {code}})
		if p.status != http.StatusOK {
			t.Fatalf("the progress lookup: %d", p.status)
		}
		return p.doc.Find(".actions")
	}
	if got := actions(); got.Find(`a:contains("评价本次服务")`).Length() != 1 || strings.Contains(got.Text(), "已评价") {
		t.Fatalf("an unrated stage: %q", got.Text())
	}
	in := rating.Input{Level: rating.VeryDissatisfied, Comment: "排队一个多小时", Anonymous: true}
	if _, err := a.Services.Ratings.RateCase(context.Background(), demoActor(t, a, "citizen"), c.ID, in); err != nil {
		t.Fatal(err)
	}
	rated := actions()
	if rated.Find(`a:contains("评价本次服务")`).Length() != 0 || !strings.Contains(rated.Text(), "本阶段已评价") || rated.Find("a[href^='/rate/']").Length() != 0 {
		t.Fatalf("a rated stage, before any feedback: %q", rated.Text())
	}
	feedBack(t, a)
	href, ok := actions().Find(`a:contains("二次评价")`).Attr("href")
	if !ok {
		t.Fatal("after the department's feedback the lookup does not lead to the second evaluation")
	}
	if p := visitor.get(href); p.doc.Find(`input[name=again]`).Length() != 1 {
		t.Fatalf("%s: no second evaluation: %s", href, p.doc.Find("main").Text())
	}
}
