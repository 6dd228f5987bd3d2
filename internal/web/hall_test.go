package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/demo"
	"openhall/internal/identity"
)

func demoSite(t *testing.T) *apptest.App {
	t.Helper()
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true, Now: func() time.Time { return day(11, 2, 10) }})
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestHomeLocalItemsFirst: a village's or township's own items come first
// on the home page — for a 代办员 of the village by their post, for anyone
// who chooses the region — and the county home lists none of them first.
func TestHomeLocalItemsFirst(t *testing.T) {
	a := demoSite(t)
	anon := newBrowser(t, a)
	if anon.get("/").doc.Find("#h-local").Length() != 0 {
		t.Fatal("no region chosen: no local section")
	}
	agent := newBrowser(t, a)
	agent.login("agent", demo.Password)
	home := agent.get("/")
	if got := home.doc.Find("#h-local").Text(); got != "兰里村可办事项" {
		t.Fatalf("the village agent's home: %q", got)
	}
	if first := home.doc.Find("section.panel").First().Find("#h-local").Length(); first != 1 {
		t.Fatal("the village's items are not first")
	}
	if !strings.Contains(home.doc.Find("#h-local").Parent().Text(), "城乡居民基本医疗保险参保代办") {
		t.Fatalf("the village's own item is missing: %s", home.doc.Find("#h-local").Parent().Text())
	}
	sd := regionID(t, a, "三墩镇")
	p := anon.post("/", "/region", url.Values{"region_id": {sd}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("choosing a region: %d", p.status)
	}
	if !strings.Contains(anon.get("/").doc.Find("#h-local").Parent().Text(), "农村村民宅基地审批") {
		t.Fatal("the township's items after choosing it")
	}
	bad := anon.post("/", "/region", url.Values{"region_id": {"abc"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad region: %d", bad.status)
	}
}

func regionID(t *testing.T, a *apptest.App, name string) string {
	t.Helper()
	rs, _ := a.Services.Org.AdminRegions(context.Background(), identity.SystemActor())
	for _, r := range rs {
		if r.Name == name {
			return idStr(r.ID)
		}
	}
	t.Fatalf("no region %s", name)
	return ""
}

// TestApplyRefusals: the apply page refuses, saying why and where to go,
// an item not filed online, an item not for the applicant's kind, and a
// version replaced by a newer one.
func TestApplyRefusals(t *testing.T) {
	a := demoSite(t)
	citizen := newBrowser(t, a)
	citizen.login("citizen", demo.Password)
	marriage := publishedOf(t, a, "结婚登记")
	if p := citizen.get("/apply/" + idStr(marriage)); p.status != http.StatusConflict || !strings.Contains(p.body, "不支持网上申请") {
		t.Fatalf("an item not filed online: %d", p.status)
	}
	insurance := publishedOf(t, a, "用人单位社会保险登记")
	if p := citizen.get("/apply/" + idStr(insurance)); p.status != http.StatusConflict || !strings.Contains(p.body, "服务对象") {
		t.Fatalf("an item not for persons: %d", p.status)
	}
	old := publishedOf(t, a, "城市道路占用、挖掘许可")
	republish(t, a, "城市道路占用、挖掘许可")
	if p := citizen.get("/apply/" + idStr(old)); p.status != http.StatusConflict || !strings.Contains(p.body, "已不再施行") {
		t.Fatalf("a replaced version: %d", p.status)
	}
	if p := citizen.get("/apply/" + idStr(publishedOf(t, a, "城市道路占用、挖掘许可"))); p.status != http.StatusOK {
		t.Fatalf("the version in effect: %d", p.status)
	}
	// An instant item's limit reads as its guide says, not as 0 days.
	if p := citizen.get("/apply/" + idStr(publishedOf(t, a, "个体工商户设立登记"))); p.status != http.StatusOK ||
		!strings.Contains(p.body, "承诺办结时限：当场办结") || strings.Contains(p.body, "0 个工作日") {
		t.Fatalf("an instant item's application page: %d", p.status)
	}
}

// publishedOf is the version in effect of a demo item.
func publishedOf(t *testing.T, a *apptest.App, name string) int64 {
	t.Helper()
	its, _, err := a.Services.Catalog.Search(context.Background(), catalog.SearchQuery{Text: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range its {
		if it.Name == name {
			v, err := a.Services.Catalog.CurrentVersion(context.Background(), it.ID)
			if err != nil {
				t.Fatal(err)
			}
			return v.ID
		}
	}
	t.Fatalf("no item %s", name)
	return 0
}

// republish publishes a second version of a demo item, in effect today.
func republish(t *testing.T, a *apptest.App, name string) {
	t.Helper()
	ctx, sys := context.Background(), identity.SystemActor()
	its, _, _ := a.Services.Catalog.Search(ctx, catalog.SearchQuery{Text: name})
	v, err := a.Services.Catalog.CurrentVersion(ctx, its[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	g := v.Guide
	g.Conditions += "（修订）"
	if _, err := a.Services.Catalog.SaveDraft(ctx, sys, its[0].ID, g); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Catalog.Submit(ctx, sys, its[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Catalog.Approve(ctx, sys, its[0].ID, catalog.ReviewInput{Note: "修订"}); err != nil {
		t.Fatal(err)
	}
}
