package web_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"openhall/internal/demo"
	"openhall/internal/disclosure"

	"github.com/PuerkitoBio/goquery"
)

// TestDocFormOffersOwnAgencies: the drafting form names only the agencies
// whose 公开专员 the officer is, not every agency of the deployment, which
// saving would then refuse.
func TestDocFormOffersOwnAgencies(t *testing.T) {
	a, _ := demoAt(t, time.Date(2026, 6, 17, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	all, err := a.Services.Disclosure.Agencies(context.Background(), disclosure.AgencyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	officer := demoActor(t, a, "officer")
	b := newBrowser(t, a)
	b.login("officer", demo.Password)
	shown := map[string]bool{}
	b.get("/disclosure/docs/new").doc.Find(`select[name=agency_id] option`).Each(func(_ int, o *goquery.Selection) {
		shown[o.AttrOr("value", "")] = true
	})
	own := 0
	for _, ag := range all {
		may := disclosure.CanDraft(officer, ag) == nil
		if may {
			own++
		}
		if shown[strconv.FormatInt(ag.ID, 10)] != may {
			t.Errorf("%s: offered %v, may draft %v", ag.Name, shown[strconv.FormatInt(ag.ID, 10)], may)
		}
	}
	if own == 0 || own == len(all) {
		t.Fatalf("the officer drafts for %d of %d agencies: the test needs some of each", own, len(all))
	}
}
