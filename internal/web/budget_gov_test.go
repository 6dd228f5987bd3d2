package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/budget"
	"openhall/internal/demo"

	"github.com/PuerkitoBio/goquery"
)

// TestGovernmentBudgetPages: the government's own budget (本级政府预算, 预算法
// Art 14 ¶1) is reached from the home page with its own tables and
// template; the officer starts the government's final accounts, a second
// agency of the district cannot start another, an unbalanced workbook is
// refused with its cell and a balanced one is imported.
func TestGovernmentBudgetPages(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{Now: disclosureNow, NoTree: true})
		if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, a)
		list := b.get(attr(t, b.get("/").doc.Find(`a.card[href="/budgets"]`), "href"))
		row := list.doc.Find("tbody tr").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Text(), "本级政府预算")
		})
		set := b.get(attr(t, row.Find("a"), "href"))
		if h := set.doc.Find("h1").Text(); h != "2025年本级政府预算（西湖区人民政府公开）" || !strings.Contains(set.body, "一般性转移支付分地区表") ||
			set.doc.Find("#sangong-table").Length() != 1 {
			t.Fatalf("government set page %q", h)
		}
		tpl := b.get(attr(t, list.doc.Find(`a[href="/budgets/template.xlsx?kind=gov_budget"]`), "href"))
		if _, err := budget.ParseWorkbook(budget.Government, []byte(tpl.body)); err != nil {
			t.Fatalf("government template: %v", err)
		}
		if p := b.get("/budgets/template.xlsx?kind=province"); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown template kind: %d", p.status)
		}

		b.login("officer", demo.Password)
		desk := b.get("/staff/budgets")
		if desk.doc.Find(`select[name=kind] option[value=gov_final]`).Length() != 1 {
			t.Fatal("the desk does not offer 本级政府决算")
		}
		agency := func(name string) string {
			return attr(t, desk.doc.Find(`select[name=agency_id] option`).FilterFunction(func(_ int, s *goquery.Selection) bool {
				return s.Text() == name
			}), "value")
		}
		form := url.Values{"agency_id": {agency("西湖区人民政府")}, "year": {"2025"}, "kind": {"gov_final"},
			"approved_on": {"2026-03-02"}, "explanation": {"本级决算经区人大常委会批准。"}}
		created := b.post("/staff/budgets", "/staff/budgets", form)
		if created.status != http.StatusSeeOther {
			t.Fatalf("create government final accounts: %d %s", created.status, created.doc.Find(".form-error").Text())
		}
		form.Set("agency_id", agency("西湖区市场监督管理局"))
		if p := b.post("/staff/budgets", "/staff/budgets", form); p.status != http.StatusConflict || !strings.Contains(p.body, "已由西湖区人民政府编报") {
			t.Fatalf("a second government final account in one district: %d", p.status)
		}
		staff := b.get(created.location)
		if !strings.Contains(staff.body, "2026-03-23") {
			t.Fatal("the Art 14 due date (20 days from 03-02 end on Sunday 03-22, so Monday 03-23) is not shown")
		}
		upload := attr(t, staff.doc.Find(`form[enctype="multipart/form-data"]`), "action")
		bad := budget.SampleGovernment(100)
		for i := range bad {
			if bad[i].Table == "gregion" && bad[i].Code == "340103" {
				bad[i].Amounts[0]++
			}
		}
		refused := b.upload(created.location, upload, workbook(t, budget.Government, bad))
		if refused.status != http.StatusUnprocessableEntity || !strings.Contains(refused.doc.Find("#problems").Text(), "《一般性转移支付分地区表》C3（金额）：（合计） 合计 为 30000.00，其下各地区之和为 30000.01") {
			t.Fatalf("unbalanced government workbook: %d %q", refused.status, refused.doc.Find("#problems").Text())
		}
		if p := b.upload(created.location, upload, workbook(t, budget.Government, budget.SampleGovernment(100))); p.status != http.StatusSeeOther {
			t.Fatalf("balanced government workbook: %d %s", p.status, p.doc.Find("#problems").Text())
		}
		if st := b.get(created.location).doc.Find("#set-status").Text(); st != budget.StatusReady.Label() {
			t.Fatalf("status after import: %q", st)
		}
	})
}

func attr(t *testing.T, s *goquery.Selection, name string) string {
	t.Helper()
	v, ok := s.First().Attr(name)
	if !ok {
		t.Fatalf("no %s on %d elements", name, s.Length())
	}
	return v
}

func workbook(t *testing.T, sc *budget.Schema, lines []budget.Line) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := budget.WriteWorkbook(&buf, sc, "测试", lines); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
