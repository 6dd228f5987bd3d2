package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/identity"
	"openhall/internal/org"

	"github.com/PuerkitoBio/goquery"
)

// TestAuditPageReach: the audit page shows a county's administrator the
// county's entries only, and pages back through them; the chain's
// verification is offered to, and run for, the deployment's administrators
// only.
func TestAuditPageReach(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	a.Staff(t, "xhadmin", "sysadmin", &a.Tree.County.ID, nil)
	sys := identity.SystemActor()
	for i := range 3 {
		for _, parent := range []*org.Region{a.Tree.County, a.Tree.OtherCounty} {
			code := fmt.Sprintf("%s%03d", parent.Code, 900+i)
			if _, err := a.Services.Org.CreateRegion(t.Context(), sys, org.RegionInput{ParentID: &parent.ID, Code: code,
				Name: "街道" + code, Level: org.LevelTownship}); err != nil {
				t.Fatal(err)
			}
		}
	}
	b := newBrowser(t, a)
	b.login("xhadmin", "secret123")
	var scopes []string
	path := "/admin/audit?action=org.region.create"
	for pages := 0; path != ""; pages++ {
		p := b.get(path)
		if p.status != http.StatusOK || p.doc.Find(`form[action="/admin/audit/verify"]`).Length() != 0 {
			t.Fatalf("%s: status %d, or the verification is offered", path, p.status)
		}
		p.doc.Find("tbody tr td.mono:nth-child(6)").Each(func(_ int, s *goquery.Selection) { scopes = append(scopes, s.Text()) })
		path, _ = p.doc.Find(`a:contains("更早的记录")`).Attr("href")
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if len(scopes) != 6 { // 西湖区, 北山街道 and 北山社区 (BuildTree), and the three townships above
		t.Errorf("西湖区's administrator reads %d regions created: %v", len(scopes), scopes)
	}
	for _, s := range scopes {
		if !strings.HasPrefix(s, "region:"+a.Tree.County.Path) {
			t.Errorf("西湖区's administrator reads an entry of %s", s)
		}
	}
	if r := b.post("/admin/audit", "/admin/audit/verify", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("西湖区's administrator verifies the chain: status %d", r.status)
	}
	root := newBrowser(t, a)
	root.login("root", "secret123")
	if r := root.post("/admin/audit", "/admin/audit/verify", url.Values{}); r.status != http.StatusOK ||
		!strings.Contains(r.doc.Find("main").Text(), "校验通过") {
		t.Errorf("the deployment's administrator verifies the chain: status %d", r.status)
	}
}
