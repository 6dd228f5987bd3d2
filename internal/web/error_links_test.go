package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"openhall/internal/complaint"
	"openhall/internal/demo"

	"github.com/PuerkitoBio/goquery"
)

// summaryLinksLand fails the test unless the page refuses a form with an
// error summary whose links lead, each, to exactly one element: the field
// (or the legend of a group of radio buttons) of the form that was sent
// (the one whose hidden kind is sent, when sent is not ""), which is
// marked invalid and names its error, e-<field>, with aria-describedby.
// Every field of want must be among the links, and no id may appear twice
// on the page.
func summaryLinksLand(t *testing.T, what string, p *page, sent string, want ...string) {
	t.Helper()
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d, want %d: %s", what, p.status, http.StatusUnprocessableEntity, p.doc.Find(".form-error").Text())
	}
	got := map[string]bool{}
	p.doc.Find(".form-error a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		name, ok := strings.CutPrefix(href, "#f-")
		if !ok {
			t.Errorf("%s: summary link %q is not to a field", what, href)
			return
		}
		got[name] = true
		target := p.doc.Find(`[id="f-` + name + `"]`)
		if target.Length() != 1 {
			t.Errorf("%s: the summary links to #f-%s, which %d elements have as id", what, name, target.Length())
			return
		}
		if e := p.doc.Find(`[id="e-` + name + `"]`); e.Length() != 1 || strings.TrimSpace(e.Text()) == "" {
			t.Errorf("%s: %d error messages with id e-%s (%q)", what, e.Length(), name, e.Text())
		}
		described := target
		switch {
		case target.Is("legend"):
			described = target.Parent()
			if !described.Is("fieldset") {
				t.Errorf("%s: #f-%s is a legend outside a fieldset", what, name)
			}
		case target.Is("input,select,textarea"):
			if v, _ := target.Attr("aria-invalid"); v != "true" {
				t.Errorf("%s: #f-%s is not marked aria-invalid", what, name)
			}
			if n := p.doc.Find(`label[for="f-` + name + `"]`).Length(); n != 1 {
				t.Errorf("%s: %d labels for #f-%s", what, n, name)
			}
		default:
			t.Errorf("%s: #f-%s is a %s, not a field", what, name, goquery.NodeName(target))
		}
		if desc, _ := described.Attr("aria-describedby"); !slices.Contains(strings.Fields(desc), "e-"+name) {
			t.Errorf("%s: #f-%s does not name its error e-%s (aria-describedby %q)", what, name, name, desc)
		}
		if sent != "" {
			if k, _ := target.Closest("form").Find(`input[name=kind]`).Attr("value"); k != sent {
				t.Errorf("%s: #f-%s is in the form of %q, not of %q that was sent", what, name, k, sent)
			}
		}
	})
	for _, w := range want {
		if !got[w] {
			t.Errorf("%s: the error summary does not link to %s: %s", what, w, p.doc.Find(".form-error").Text())
		}
	}
	seen := map[string]bool{}
	p.doc.Find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if seen[id] {
			t.Errorf("%s: id %q appears more than once", what, id)
		}
		seen[id] = true
	})
}

// TestRatingErrorSummaryLinks: a rating refused on the case page or on the
// page of a rating link, and a ticket's step refused on the ticket page,
// link each error of the summary to its field.
func TestRatingErrorSummaryLinks(t *testing.T) {
	a := ratingsApp(t)
	citizen := newBrowser(t, a)
	citizen.login("citizen", demo.Password)
	casePath := caseLink(t, citizen)
	summaryLinksLand(t, "case page, no level", citizen.post(casePath, casePath+"/rating", url.Values{}), "", "level")
	summaryLinksLand(t, "case page, 不满意 without a reason", citizen.post(casePath, casePath+"/rating", url.Values{"level": {"4"}}), "", "comment")
	summaryLinksLand(t, "case page, an indicator out of range", citizen.post(casePath, casePath+"/rating",
		url.Values{"level": {"2"}, "indicators.guide": {"9"}}), "", "indicators.guide")

	src, ok := citizen.get(casePath + "/docs/decision").doc.Find(".receipt-rating img").Attr("src")
	if !ok {
		t.Fatal("no rating QR code on the decision")
	}
	link := strings.TrimSuffix(src, "/qr.png")
	scanner := newBrowser(t, a)
	summaryLinksLand(t, "rating link, no level", scanner.post(link, link, url.Values{}), "", "level")
	summaryLinksLand(t, "rating link, 不满意 without a reason", scanner.post(link, link, url.Values{"level": {"4"}}), "", "comment")

	if p := citizen.post(casePath, casePath+"/rating", url.Values{"level": {"5"}, "comment": {"态度差"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rating: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	b := newBrowser(t, a)
	b.login("approver", demo.Password)
	href, _ := b.get("/staff/ratings").doc.Find(`main table a`).First().Attr("href")
	version := func() string {
		v, _ := b.get(href).doc.Find(`form input[name=version]`).First().Attr("value")
		return v
	}
	summaryLinksLand(t, "ticket, empty call back", b.post(href, href+"/actions", url.Values{"kind": {"callback"}, "version": {version()}}), "callback", "reason")
	if p := b.post(href, href+"/actions", url.Values{"kind": {"callback"}, "version": {version()}, "reason": {"已电话联系"}}); p.status != http.StatusSeeOther {
		t.Fatalf("call back: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	summaryLinksLand(t, "ticket, empty 核实", b.post(href, href+"/actions", url.Values{"kind": {"verify"}, "version": {version()}}), "verify", "finding", "reason")
	if p := b.post(href, href+"/actions", url.Values{"kind": {"verify"}, "version": {version()}, "code": {"founded"}, "reason": {"属实"}}); p.status != http.StatusSeeOther {
		t.Fatalf("verify: %d %s", p.status, p.doc.Find(".form-error").Text())
	}
	summaryLinksLand(t, "ticket, empty 整改", b.post(href, href+"/actions", url.Values{"kind": {"rectify"}, "version": {version()}}), "rectify", "remedy", "reason")
}

// TestComplaintErrorSummaryLinks: the steps of a complaint refused for the
// desk, the department and the complainant tracking it with the 查询码
// link each error of the summary to the field of the step's own form,
// though several forms of the page have a field of that name.
func TestComplaintErrorSummaryLinks(t *testing.T) {
	a := ratingsApp(t)
	ctx := context.Background()
	filed, dept := visitorComplaint(t, a)
	c := filed.Complaint
	var err error
	page := fmt.Sprintf("/complaints/%d", c.ID)
	desk := newBrowser(t, a)
	desk.login("supervisor", demo.Password)
	v := fmt.Sprint(c.Version)
	summaryLinksLand(t, "受理 within 45 days", desk.post(page, page+"/actions", url.Values{"kind": {"accept"}, "version": {v},
		"department_id": {fmt.Sprint(dept)}, "days": {"45"}}), "accept", "days")
	summaryLinksLand(t, "不予受理 without a reason", desk.post(page, page+"/actions", url.Values{"kind": {"refuse"}, "version": {v}}), "refuse", "text")

	if c, err = a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), c.ID, complaint.Command{Kind: complaint.CmdAccept}, c.Version); err != nil {
		t.Fatal(err)
	}
	summaryLinksLand(t, "转办 to nobody", desk.post(page, page+"/actions", url.Values{"kind": {"assign"}, "version": {fmt.Sprint(c.Version)}, "days": {"0"}}),
		"assign", "department_id", "days")
	if c, err = a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), c.ID, complaint.Command{Kind: complaint.CmdAssign, DepartmentID: dept, Days: 5}, c.Version); err != nil {
		t.Fatal(err)
	}
	department := newBrowser(t, a)
	department.login("depthead", demo.Password)
	summaryLinksLand(t, "the department's empty reply", department.post(page, page+"/actions", url.Values{"kind": {"reply"}, "version": {fmt.Sprint(c.Version)}}),
		"reply", "text")

	if c, err = a.Services.Complaints.Act(ctx, demoActor(t, a, "depthead"), c.ID, complaint.Command{Kind: complaint.CmdReply, Text: "已增派人员"}, c.Version); err != nil {
		t.Fatal(err)
	}
	if _, err = a.Services.Complaints.Act(ctx, demoActor(t, a, "supervisor"), c.ID, complaint.Command{Kind: complaint.CmdAnswer, Text: "经核查属实，已增派人员"}, c.Version); err != nil {
		t.Fatal(err)
	}
	complainant := newBrowser(t, a)
	track := url.Values{"number": {c.Number}, "code": {filed.QueryCode}}
	if p := complainant.post("/complaints/track", "/complaints/track", track); p.status != http.StatusOK || p.doc.Find("#cp-rate").Length() != 1 {
		t.Fatalf("tracking: %d, rate offered %d: %s", p.status, p.doc.Find("#cp-rate").Length(), p.doc.Find(".form-error").Text())
	}
	track.Set("kind", "rate")
	summaryLinksLand(t, "评价答复 with no level", complainant.post("/complaints/track", "/complaints/track/act", track), "rate", "level")
	track.Set("kind", "reopen")
	summaryLinksLand(t, "重新办理 without a reason", complainant.post("/complaints/track", "/complaints/track/act", track), "reopen", "text")
}
