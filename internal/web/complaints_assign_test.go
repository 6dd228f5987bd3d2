package web_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/store/storetest"

	"github.com/PuerkitoBio/goquery"
)

// TestComplaintDeskOffersDepartmentsInLine: the desk of a 西湖区
// complaint is offered, to accept it with or assign it to, the departments
// the service takes: 西湖区's, those of the regions above (杭州市) and
// below (北山街道), not another county's (余杭区).
func TestComplaintDeskOffersDepartmentsInLine(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	ctx, sys, tr := context.Background(), identity.SystemActor(), a.Tree
	for i, d := range []struct {
		region *org.Region
		name   string
	}{{tr.City, "杭州市民政局"}, {tr.Township, "北山街道办事处"}, {tr.OtherCounty, "余杭区市场监督管理局"}} {
		if _, err := a.Services.Org.SaveDepartment(ctx, sys, 0, org.DepartmentInput{RegionID: d.region.ID, Name: d.name,
			CreditCode: storetest.CreditCode(20 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	a.Staff(t, "xhdesk", "supervisor", &tr.County.ID, nil)
	filed, err := a.Services.Complaints.Submit(ctx, nil, complaint.Input{Kind: complaint.KindComplaint,
		Subject: complaint.SubjectPlatform, RegionID: tr.County.ID, Content: "网上申报页面无法上传图片", Name: "王五", Phone: "13700002222"})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	b.login("xhdesk", "secret123")
	p := b.get(fmt.Sprintf("/complaints/%d", filed.Complaint.ID))
	sel := p.doc.Find(`select[name="department_id"]`)
	if sel.Length() == 0 {
		t.Fatalf("no department to choose: status %d", p.status)
	}
	var offered []string
	sel.First().Find("option[value]").Each(func(_ int, o *goquery.Selection) {
		if v, _ := o.Attr("value"); v != "" {
			offered = append(offered, strings.TrimSpace(o.Text()))
		}
	})
	slices.Sort(offered)
	want := []string{"北山街道办事处", "杭州市民政局", "西湖区市场监督管理局"}
	slices.Sort(want)
	if !slices.Equal(offered, want) {
		t.Fatalf("the desk is offered %v, want %v", offered, want)
	}
}
