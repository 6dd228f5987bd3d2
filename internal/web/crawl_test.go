package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/rating"

	"github.com/PuerkitoBio/goquery"
)

// crawlBad is what no page may show: a zero or epoch date, a template's
// missing value, a formatting error, or a script's failed number.
var crawlBad = regexp.MustCompile(`1970-01-01|1970年|0001-01-01|0001年|<no value>|%!|\bNaN\b|\bundefined\b|Infinity`)

// crawlShape folds the numbers of a path, so that the crawl visits a few
// pages of each kind, not every case and document.
var crawlShape = regexp.MustCompile(`[0-9]+`)

// crawl follows every link a user sees, from the home page on, like a
// person clicking through the site, and reports each page that fails or
// shows what crawlBad matches.
func crawl(t *testing.T, b *browser, who string, limit int) {
	t.Helper()
	n, left := walk(t, b, limit, func(path, from string, p *page) {
		if p.status >= 400 {
			t.Errorf("%s: GET %s (linked from %s): status %d: %s", who, path, from, p.status, crawlSays(p))
			return
		}
		if p.doc == nil || p.status != http.StatusOK {
			return
		}
		if m := crawlBad.FindString(p.doc.Find("body").Text()); m != "" {
			t.Errorf("%s: %s shows %q", who, path, m)
		}
		for _, miss := range crawlA11y(p.doc) {
			t.Errorf("%s: %s: %s", who, path, miss)
		}
	})
	t.Logf("%s: %d pages, %d links left", who, n, left)
}

// walk visits the site's pages breadth first from the home page, following
// links and redirects, at most two pages of each shape and limit pages in
// all; visit sees each page with the page that led to it. It returns how
// many pages it visited and how many links it left.
func walk(t *testing.T, b *browser, limit int, visit func(path, from string, p *page)) (int, int) {
	t.Helper()
	seen, shapes := map[string]bool{"/": true}, map[string]int{}
	queue := [][2]string{{"/", ""}}
	follow := func(from, href string, bounded bool) {
		next, ok := crawlTarget(from, href)
		shape := crawlShape.ReplaceAllString(next, "N")
		if !ok || href == "" || seen[next] || bounded && shapes[shape] >= 2 {
			return
		}
		seen[next] = true
		shapes[shape]++
		queue = append(queue, [2]string{next, from})
	}
	n := 0
	for ; len(queue) > 0 && n < limit; n++ {
		path, from := queue[0][0], queue[0][1]
		queue = queue[1:]
		p := crawlGet(t, b, path)
		follow(path, p.location, false)
		visit(path, from, p)
		if p.doc != nil && p.status == http.StatusOK {
			p.doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) { follow(path, a.AttrOr("href", ""), true) })
		}
	}
	return n, len(queue)
}

// crawlGet fetches a page, parsing it only when it is HTML (a dataset's
// Turtle or an export is not).
func crawlGet(t *testing.T, b *browser, path string) *page {
	t.Helper()
	res, err := b.client.Get(b.app.URL(path))
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	p := &page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body), header: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		if p.doc, err = goquery.NewDocumentFromReader(bytes.NewReader(body)); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return p
}

// crawlSays is what a refused page says: its main text, or its body.
func crawlSays(p *page) string {
	if p.doc == nil {
		return strings.TrimSpace(p.body)
	}
	return strings.Join(strings.Fields(p.doc.Find("main").Text()), " ")
}

// crawlTarget resolves href (a link, or where a redirect leads) against the
// page at from and returns it when it is one of the site's pages; logging
// out would end the crawl.
func crawlTarget(from, href string) (string, bool) {
	base, _ := url.Parse("http://site" + from)
	u, err := base.Parse(href)
	if err != nil || u.Host != "site" || strings.HasPrefix(u.Path, "/logout") {
		return "", false
	}
	u.Fragment = ""
	return u.RequestURI(), true
}

// crawlActivity gives the demo a case in each state, with a bad review's
// ticket and a complaint, so that their pages are among those crawled.
func crawlActivity(t *testing.T, a *apptest.App) {
	t.Helper()
	ctx := context.Background()
	act := func(user string, c *cases.Case, cmd cases.Command) {
		t.Helper()
		if _, err := a.Services.Cases.Act(ctx, demoActor(t, a, user), c.ID, cases.Action{Command: cmd}); err != nil {
			t.Fatalf("%s %s: %v", user, cmd.Kind, err)
		}
	}
	waiting := citizenFiles(t, a, "特种设备使用登记", "crawl-waiting", map[string]string{"summary": "锅炉使用登记"})
	running := citizenFiles(t, a, "特种设备使用登记", "crawl-running", map[string]string{"summary": "电梯使用登记"})
	act("clerk", running.Case, cases.Command{Kind: cases.CmdAccept})
	refused := citizenFiles(t, a, "特种设备使用登记", "crawl-refused", map[string]string{"summary": "起重机使用登记"})
	act("clerk", refused.Case, cases.Command{Kind: cases.CmdRefuse, Reason: "申请材料不齐全且不符合法定形式，请补齐后重新申请"})
	decided := citizenFiles(t, a, "个体工商户设立登记", "crawl-decided", map[string]string{"summary": "开办面馆"})
	act("clerk", decided.Case, cases.Command{Kind: cases.CmdDecideInstant, Decision: cases.DecisionApproved})
	bad := rating.Input{Level: rating.VeryDissatisfied, Comment: "排队一个多小时"}
	if _, err := a.Services.Ratings.RateCase(ctx, demoActor(t, a, "citizen"), decided.Case.ID, bad); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Complaints.Submit(ctx, demoActor(t, a, "citizen"), complaint.Input{Subject: complaint.SubjectCase,
		CaseNumber: waiting.Case.Number, Content: "提交三天了还没有受理"}); err != nil {
		t.Fatal(err)
	}
}

// TestCrawlEveryLink walks the site as each demo account and as an
// anonymous visitor, on an ordinary day, before a holiday block and in
// December, and fails on every link that leads to an error (a link shown
// to someone who may not follow it) and every page showing a zero date or
// a template's slip.
func TestCrawlEveryLink(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	for _, at := range []time.Time{
		time.Date(2026, 6, 17, 10, 0, 0, 0, cst),  // an ordinary Wednesday
		time.Date(2026, 9, 29, 10, 0, 0, 0, cst),  // before 国庆 (10-01–07, make-up day 10-10)
		time.Date(2026, 12, 28, 10, 0, 0, 0, cst), // clocks run into 2027, whose schedule is not imported
	} {
		a, _ := demoAt(t, at)
		crawlActivity(t, a)
		crawl(t, newBrowser(t, a), "anonymous "+at.Format("2006-01-02"), 600)
		for _, acc := range demo.Accounts() {
			b := newBrowser(t, a)
			b.login(acc.Username, demo.Password)
			crawl(t, b, acc.Username+" "+at.Format("2006-01-02"), 600)
		}
	}
}

// crawlA11y lists what a page lacks for assistive technology: its
// language, one h1, a name for each field, a text for each image.
func crawlA11y(doc *goquery.Document) []string {
	var out []string
	if lang, _ := doc.Find("html").Attr("lang"); lang == "" {
		out = append(out, "no html lang")
	}
	if n := doc.Find("h1").Length(); n != 1 {
		out = append(out, fmt.Sprintf("%d h1", n))
	}
	doc.Find("input, select, textarea").Each(func(_ int, f *goquery.Selection) {
		switch f.AttrOr("type", "") {
		case "hidden", "submit", "button", "reset", "image":
			return
		}
		id := f.AttrOr("id", "")
		named := f.AttrOr("aria-label", "") != "" || f.AttrOr("aria-labelledby", "") != "" || f.AttrOr("title", "") != "" ||
			f.ParentsFiltered("label").Length() > 0 || (id != "" && doc.Find(`label[for="`+id+`"]`).Length() > 0)
		if !named {
			out = append(out, fmt.Sprintf("field %q has no label", f.AttrOr("name", id)))
		}
	})
	doc.Find("img").Each(func(_ int, img *goquery.Selection) {
		if _, ok := img.Attr("alt"); !ok {
			out = append(out, fmt.Sprintf("image %q has no alt", img.AttrOr("src", "")))
		}
	})
	return out
}
