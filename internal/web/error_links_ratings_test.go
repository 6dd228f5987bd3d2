package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/demo"
)

// TestCounterErrorSummaryLinks: a rating refused on the counter tablet
// (a level out of range; an indicator out of range with a comment too
// long) links each error of the summary to its field, the level's to the
// buttons' group, and shows the error there.
func TestCounterErrorSummaryLinks(t *testing.T) {
	a := ratingsApp(t)
	tablet := newBrowser(t, a)
	tablet.login("clerk", demo.Password)
	id, ok := tablet.get("/staff/counter").doc.Find(`form[action="/staff/counter/start"] input[name=window_id]`).First().Attr("value")
	if !ok {
		t.Fatal("the clerk is offered no tablet to start")
	}
	if p := tablet.post("/staff/counter", "/staff/counter/start", url.Values{"window_id": {id}}); p.status != http.StatusSeeOther {
		t.Fatalf("start the tablet: %d", p.status)
	}
	summaryLinksLand(t, "level 9", tablet.post("/counter", "/counter/ratings", url.Values{"level": {"9"}}), "", "level")
	p := tablet.post("/counter", "/counter/ratings", url.Values{"level": {"2"}, "indicators.attitude": {"7"},
		"comment": {strings.Repeat("慢", 501)}})
	summaryLinksLand(t, "attitude 7, 501 characters", p, "", "indicators.attitude", "comment")
	if got := p.doc.Find("#f-comment").Text(); got != strings.Repeat("慢", 501) {
		t.Fatalf("the comment is not shown back: %d characters", len([]rune(got)))
	}
}

// TestRatingLimitsErrorSummaryLinks: limits refused for one region's row
// link each error of the summary to the field of that row, shown there,
// and the summary names the region.
func TestRatingLimitsErrorSummaryLinks(t *testing.T) {
	a := ratingsApp(t)
	b := newBrowser(t, a)
	b.login("admin", demo.Password)
	region, err := a.Services.Org.Region(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	p := b.post("/admin/rating-limits", "/admin/rating-limits", url.Values{"region_id": {"3"}, "callback_days": {"abc"}, "rectify_days": {"0"}})
	summaryLinksLand(t, "limits of region 3", p, "", "callback_days", "rectify_days", "default_days")
	// A word where a number goes is told as such, a number out of range by its range.
	if cb, rc := p.fieldError(t, "callback_days"), p.fieldError(t, "rectify_days"); !strings.Contains(cb, "整数") || !strings.Contains(rc, "1–60") {
		t.Errorf("callback_days=abc: %q; rectify_days=0: %q", cb, rc)
	}
	for _, name := range []string{"callback_days", "rectify_days", "default_days"} {
		if r, _ := p.doc.Find("#f-" + name).Closest("form").Find("input[name=region_id]").Attr("value"); r != "3" {
			t.Errorf("#f-%s is in the row of region %q, not 3", name, r)
		}
	}
	if msg := p.doc.Find(".form-error > p").Text(); !strings.Contains(msg, region.Name) {
		t.Fatalf("the summary %q does not name %s", msg, region.Name)
	}
	if p := b.post("/admin/rating-limits", "/admin/rating-limits", url.Values{"callback_days": {"2"}}); p.status != http.StatusUnprocessableEntity ||
		p.doc.Find(".form-error a").Length() != 0 || p.doc.Find(".form-error").Length() != 1 {
		t.Fatalf("without a region: %d, %d links: %s", p.status, p.doc.Find(".form-error a").Length(), p.doc.Find(".form-error").Text())
	}
}
