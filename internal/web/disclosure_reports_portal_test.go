package web_test

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/disclosure"
	"openhall/internal/identity"

	"github.com/xuri/excelize/v2"
)

// TestAnnualReportsOnPortal: last year's published report is listed on the
// agency's public page (reached from /open) with its tables and print view.
func TestAnnualReportsOnPortal(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, ag, _ := disclosureApp(t, backend)
		ctx, d := context.Background(), a.Services.Disclosure
		act := func(u string) *identity.Actor {
			_, actor, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: u, Password: "secret123"})
			if err != nil {
				t.Fatal(err)
			}
			return actor
		}
		officer, reviewer := act("officer"), act("reviewer")
		b := newBrowser(t, a)
		agencyPath := "/open/agencies/" + idStr(ag.ID)
		if txt := b.get(agencyPath).doc.Find("#annual-reports").Text(); !strings.Contains(txt, "尚未发布") {
			t.Fatalf("before publication: %q", txt)
		}
		if _, err := d.SaveReport(ctx, officer, ag.ID, 2025, disclosure.ReportInput{Section1: "总体情况良好。", FeesWan: "0"}); err != nil {
			t.Fatal(err)
		}
		doc, err := d.MakeReportDocument(ctx, officer, ag.ID, 2025)
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
		card, ok := b.get("/open").doc.Find(`a.card[href="` + agencyPath + `"]`).Attr("href")
		if !ok {
			t.Fatal("agency card missing on /open")
		}
		links := b.get(card).doc.Find("#annual-reports a")
		href, _ := links.First().Attr("href")
		if links.Length() != 3 || !strings.Contains(links.First().Text(), "2025年政府信息公开工作年度报告") ||
			b.get(card).doc.Find(`#annual-reports li[data-year="2025"]`).Length() != 1 {
			t.Fatalf("reports listed: %d %q", links.Length(), links.Text())
		}
		report := b.get(href)
		if report.status != 200 || !strings.Contains(report.doc.Find("main").Text(), "二、主动公开政府信息情况") || report.doc.Find("main table").Length() < 3 {
			t.Fatalf("report page: %d, %d tables", report.status, report.doc.Find("main table").Length())
		}
		printHref, _ := links.Eq(1).Attr("href")
		if p := b.get(printHref); p.status != 200 || p.doc.Find(".print-view").Length() != 1 {
			t.Fatalf("print view: %d", p.status)
		}
		xlsxHref, _ := links.Eq(2).Attr("href")
		x := b.get(xlsxHref)
		if x.status != 200 || x.header.Get("Content-Type") != disclosure.XLSXType {
			t.Fatalf("xlsx: %d %s", x.status, x.header.Get("Content-Type"))
		}
		book, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := book.GetCellValue("表二 主动公开", "A1"); v == "" || len(book.GetSheetList()) != 3 {
			t.Fatalf("workbook sheets: %v", book.GetSheetList())
		}
		for _, p := range []string{"/reports/2024/xlsx", "/reports/x/xlsx"} {
			if st := b.get(agencyPath + p).status; st != 404 {
				t.Fatalf("%s: %d, want 404", p, st)
			}
		}
	})
}
