package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestComplaintWithoutLoginLeadsToTracking: a visitor who complains
// without logging in is shown the number and 查询码 once and taken to the
// tracking form with the number filled in; the 查询码 is typed in plain
// digits with a number pad.
func TestComplaintWithoutLoginLeadsToTracking(t *testing.T) {
	a := ratingsApp(t)
	region, err := a.Services.Org.RegionByCode(context.Background(), "330106")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	p := b.post("/complaints/new", "/complaints", url.Values{"kind": {"complaint"}, "subject": {"platform"},
		"region_id": {fmt.Sprint(region.ID)}, "content": {"网上申报页面无法上传图片"}, "name": {"王五"}, "phone": {"13700002222"}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/complaints/track?number=TS") {
		t.Fatalf("after complaining: %d %q %s", p.status, p.location, p.doc.Find(".form-error").Text())
	}
	number := strings.TrimPrefix(p.location, "/complaints/track?number=")
	track := b.get(p.location)
	got, _ := track.doc.Find("#f-number").Attr("value")
	mode, _ := track.doc.Find("#f-code").Attr("inputmode")
	kind, _ := track.doc.Find("#f-code").Attr("type")
	if got != number || mode != "numeric" || kind != "text" || !strings.Contains(track.doc.Find(".flash").Text(), "查询码") {
		t.Fatalf("the tracking form: number %q (want %q), code field %q/%q, notice %q", got, number, kind, mode, track.doc.Find(".flash").Text())
	}
}
