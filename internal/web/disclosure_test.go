package web_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/catalog"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// disclosureNow keeps every deadline inside the shipped 2026 calendar.
func disclosureNow() time.Time { return time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC) }

// disclosureApp is an app with an agency, two officers and a published
// policy, a repealed rule and its replacement.
func disclosureApp(t *testing.T, backend string) (*apptest.App, *disclosure.Agency, map[string]int64) {
	t.Helper()
	a := apptest.New(t, backend, apptest.Options{Now: disclosureNow})
	a.Staff(t, "officer", "disclosure_officer", &a.Tree.County.ID, nil)
	a.Staff(t, "reviewer", "disclosure_officer", &a.Tree.County.ID, nil)
	ctx, d := context.Background(), a.Services.Disclosure
	ag, err := d.SaveAgency(ctx, identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: a.Tree.County.ID, Name: "西湖区人民政府",
		Code: "002482133", Guide: "## 一、主动公开\n\n本机关主动公开的信息见目录。"})
	if err != nil {
		t.Fatal(err)
	}
	act := func(u string) *identity.Actor {
		_, actor, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: u, Password: "secret123"})
		if err != nil {
			t.Fatal(err)
		}
		return actor
	}
	officer, reviewer := act("officer"), act("reviewer")
	docs := map[string]int64{}
	publish := func(key, title string, genre disclosure.Genre) {
		doc, err := d.SaveDocument(ctx, officer, 0, disclosure.DocInput{AgencyID: ag.ID, Title: title, Topic: "综合政务", Genre: genre,
			Category: "a20-1", FormedOn: "2026-03-10", Summary: title + "的概述", Body: "正文：" + title})
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []func() error{
			func() error { _, err := d.Submit(ctx, officer, doc.ID); return err },
			func() error {
				_, err := d.Review(ctx, reviewer, doc.ID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "保密法"})
				return err
			},
			func() error { _, err := d.Approve(ctx, reviewer, doc.ID); return err },
			func() error { _, err := d.Publish(ctx, officer, doc.ID); return err },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		docs[key] = doc.ID
	}
	publish("old", "西湖区停车管理办法（2020年）", disclosure.GenreRule)
	publish("new", "西湖区停车管理办法", disclosure.GenreRule)
	newID := docs["new"]
	if _, err := d.SetValidity(ctx, officer, docs["old"], disclosure.ValidityInput{Validity: disclosure.Repealed, ReplacedByID: &newID}); err != nil {
		t.Fatal(err)
	}
	return a, ag, docs
}

func TestDisclosurePortal(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, ag, docs := disclosureApp(t, backend)
		b := newBrowser(t, a)
		agency := "/open/agencies/" + idStr(ag.ID)
		if p := b.get("/open"); p.status != 200 || !strings.Contains(p.doc.Find(".cards").Text(), "西湖区人民政府") {
			t.Fatalf("/open: %d", p.status)
		}
		home := b.get(agency)
		if home.status != 200 || !strings.Contains(home.doc.Find("main").Text(), "一、主动公开") || home.doc.Find(".catalogue a").Length() == 0 {
			t.Fatalf("agency page: %d %q", home.status, home.doc.Find("main").Text())
		}
		old := b.get("/open/docs/" + idStr(docs["old"]))
		if old.status != 200 || !strings.Contains(old.doc.Find(".notice-repealed").Text(), "废止") || old.doc.Find(".notice-repealed a").Length() != 1 {
			t.Fatalf("repealed document not clearly marked: %d %q", old.status, old.doc.Find("main").Text())
		}
		meta := old.doc.Find(".doc-meta").Text()
		for _, want := range []string{"索引号", "002482133/2026-0000", "成文日期", "2026-03-10", "有 效 性"} {
			if !strings.Contains(meta, want) {
				t.Errorf("document metadata lacks %q: %q", want, meta)
			}
		}
		if p := b.get("/open/docs/" + idStr(docs["new"]) + "/print"); p.status != 200 || p.doc.Find(".print-view").Length() != 1 {
			t.Fatalf("print view: %d", p.status)
		}
		catalogueLinks(t, b, home)
		feedsAndSitemap(t, b, agency)
		searchPage(t, b)
	})
}

// catalogueLinks follows every category and topic link of an agency page:
// each heading reads as written (not URL-encoded) and lists the documents
// the link's count promises.
func catalogueLinks(t *testing.T, b *browser, home *page) {
	n := 0
	home.doc.Find(".catalogue li").Each(func(_ int, li *goquery.Selection) {
		a := li.Find("a")
		href, _ := a.Attr("href")
		label := strings.TrimSpace(a.Text())
		p := b.get(href)
		heading := p.doc.Find("h1").Text()
		rows := p.doc.Find("tbody tr td a").Length()
		if p.status != 200 || strings.Contains(heading, "%") || !strings.Contains(heading, label) || rows == 0 {
			t.Errorf("link %q (%s): %d, heading %q, %d documents", label, href, p.status, heading, rows)
		}
		n++
	})
	if n < 2 {
		t.Fatalf("agency page has %d catalogue links, want a category and a topic at least", n)
	}
}

func feedsAndSitemap(t *testing.T, b *browser, agency string) {
	for _, path := range []string{agency + "/feed.atom", agency + "/feed.rss", "/open/sitemap.xml"} {
		p := b.get(path)
		var v struct{ XMLName xml.Name }
		if p.status != 200 || xml.Unmarshal([]byte(p.body), &v) != nil || !strings.Contains(p.body, "/open/docs/") {
			t.Errorf("%s: status %d, not XML listing the documents: %.200s", path, p.status, p.body)
		}
	}
}

func searchPage(t *testing.T, b *browser) {
	p := b.get("/open/search?q=" + url.QueryEscape("停车"))
	if p.status != 200 || p.doc.Find(".result").Length() != 2 || p.doc.Find(".result mark").First().Text() != "停车" {
		t.Fatalf("search: %d, %d results", p.status, p.doc.Find(".result").Length())
	}
	if p.doc.Find(".result .badge-repealed").Length() != 1 {
		t.Errorf("repealed hit not marked in the results")
	}
	start := time.Now()
	long := b.get("/open/search?q=" + url.QueryEscape(strings.Repeat("公开", 5000)))
	if long.status != 200 || time.Since(start) > 2*time.Second {
		t.Fatalf("10,000-character query: %d in %s", long.status, time.Since(start))
	}
	punct := b.get("/open/search?q=" + url.QueryEscape("，。！？…"))
	if punct.status != 200 || !strings.Contains(punct.doc.Find(".notice").Text(), "请输入") {
		t.Fatalf("punctuation-only query: %d %q", punct.status, punct.doc.Find("main").Text())
	}
}

func TestDisclosureStaffForms(t *testing.T) {
	a, ag, _ := disclosureApp(t, "sqlite")
	b := newBrowser(t, a)
	if p := b.get("/open/apply"); p.status != http.StatusSeeOther {
		t.Fatalf("online application without login: %d", p.status)
	}
	b.login("officer", "secret123")
	bad := b.post("/disclosure/docs/new", "/disclosure/docs", url.Values{"agency_id": {idStr(ag.ID)}, "doc_no": {"西政发【2026】9号"},
		"body": {"<script>alert(1)</script>"}, "mode": {"withheld"}, "formed_on": {"2099-01-01"}})
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad document form: %d", bad.status)
	}
	for _, f := range []string{"title", "genre", "category", "formed_on"} {
		if bad.fieldError(t, f) == "" {
			t.Errorf("field %s has no error", f)
		}
	}
	if v, _ := bad.doc.Find("#f-doc_no").Attr("value"); v != "西政发【2026】9号" {
		t.Errorf("typed 文号 not kept: %q", v)
	}
	wb := b.get("/disclosure")
	if wb.status != 200 || wb.doc.Find("#overdue").Length() != 1 || wb.doc.Find("#open-requests").Length() != 1 {
		t.Fatalf("workbench: %d", wb.status)
	}
	rep := b.get("/disclosure/reports?agency=" + idStr(ag.ID) + "&year=2026")
	if rep.status != 200 || rep.doc.Find("#table3 tbody tr").Length() != len(disclosure.Table3Rows) || rep.doc.Find("#checks .check-failed").Length() != 0 {
		t.Fatalf("report page: %d, %d rows", rep.status, rep.doc.Find("#table3 tbody tr").Length())
	}
}

// TestPortalSearch_OneBox: the portal's box finds a service item and a
// document for one query, marks their kinds, links the item to its guide,
// and filters by kind; the catalogue's own search asks the same engine.
func TestPortalSearch_OneBox(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _, _ := disclosureApp(t, backend)
		ctx, sys := context.Background(), identity.SystemActor()
		in := storetest.SampleItem(a.Tree, "XK00012000")
		in.Guide.Name = "停车场经营备案"
		it, _, err := a.Services.Catalog.CreateItem(ctx, sys, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Catalog.Submit(ctx, sys, it.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Services.Catalog.Approve(ctx, sys, it.ID, catalog.ReviewInput{}); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, a)
		p := b.get("/open/search?q=" + url.QueryEscape("停车"))
		kinds := p.doc.Find(".result .badge-kind").Text()
		href, _ := p.doc.Find(`.result a[href^="/items/"]`).Attr("href")
		if p.status != 200 || !strings.Contains(kinds, "办事") || !strings.Contains(kinds, "信息") || href == "" {
			t.Fatalf("one box: %d, kinds %q, item link %q", p.status, kinds, href)
		}
		if g := b.get(href); g.status != 200 || !strings.Contains(g.doc.Find("h1").Text(), "停车场经营备案") {
			t.Fatalf("item hit's guide %s: %d", href, g.status)
		}
		only := b.get("/open/search?kind=service&q=" + url.QueryEscape("停车"))
		if n := only.doc.Find(".result").Length(); n != 1 {
			t.Fatalf("kind filter: %d results", n)
		}
		items := b.get("/items?q=" + url.QueryEscape("停车场"))
		if !strings.Contains(items.doc.Find("main").Text(), "停车场经营备案") {
			t.Fatalf("/items?q= does not find the item")
		}
		// Suspending the item keeps it findable, re-indexed in the same
		// transaction.
		if _, err := a.Services.Catalog.Suspend(ctx, sys, it.ID, catalog.StatusInput{Reason: "系统升级"}); err != nil {
			t.Fatal(err)
		}
		if p := b.get("/open/search?kind=service&q=" + url.QueryEscape("停车")); p.doc.Find(".result").Length() != 1 {
			t.Fatalf("suspended item lost from the index")
		}
	})
}
