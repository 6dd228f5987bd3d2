package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/demo"

	"github.com/PuerkitoBio/goquery"
)

// TestBudgetWatchOnWorkbench: the supervision workbench shows the 预算法
// Art 14 clock of the budgets in the supervisor's area. An officer of 西湖区
// starts a final account approved five weeks ago and does not publish it;
// the 杭州市 supervisor, reaching 电子监察 from the home page, sees it
// overdue with its due date, and a supervisor of 余杭区 does not.
func TestBudgetWatchOnWorkbench(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow, NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		yuhang, err := a.Services.Org.RegionByCode(t.Context(), "330110")
		if err != nil {
			t.Fatal(err)
		}
		a.Staff(t, "sup-yuhang", "supervisor", &yuhang.ID, nil)

		b := newBrowser(t, a)
		b.login("officer", demo.Password)
		desk := b.get("/staff/budgets")
		agency := attr(t, desk.doc.Find(`select[name=agency_id] option`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Text() == "西湖区人民政府"
		}), "value")
		form := url.Values{"agency_id": {agency}, "year": {"2025"}, "kind": {"final"}, "approved_on": {"2026-02-10"},
			"explanation": {"决算经区财政局批复。"}}
		if p := b.post("/staff/budgets", "/staff/budgets", form); p.status != http.StatusSeeOther {
			t.Fatalf("create the final account: %d %s", p.status, p.doc.Find(".form-error").Text())
		}

		watch := func(username, password string) string {
			t.Helper()
			s := newBrowser(t, a)
			s.login(username, password)
			home := s.get("/")
			wb := s.get(attr(t, home.doc.Find(`.main-nav a`).FilterFunction(func(_ int, x *goquery.Selection) bool {
				return x.Text() == "电子监察"
			}), "href"))
			if wb.status != http.StatusOK {
				t.Fatalf("%s: workbench %d", username, wb.status)
			}
			panel := wb.doc.Find("#budget-watch")
			// Every tile is boxed: a link, or a span holding figure and label.
			if n := panel.Find("ul.figures > li").Length(); n == 0 || panel.Find("ul.figures > li > a > .n, ul.figures > li > span > .n").Length() != n {
				t.Fatalf("%s: unboxed tiles in the budget panel", username)
			}
			var cells []string
			panel.Find("tbody th, tbody td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
			return strings.Join(strings.Fields(panel.Find("p").Text()), " ") + " | " + strings.Join(cells, "|")
		}
		city := watch("supervisor", demo.Password)
		if !strings.Contains(city, "西湖区人民政府|2025|部门决算|2026-02-10|2026-03-02|已逾期未公开（逾期 16 日）") {
			t.Fatalf("the city supervisor's panel: %q", city)
		}
		if county := watch("sup-yuhang", "secret123"); !strings.Contains(county, "没有即将到期或逾期未公开的预决算") || strings.Contains(county, "西湖区") {
			t.Fatalf("余杭区's supervisor sees another district's budget: %q", county)
		}
	})
}
