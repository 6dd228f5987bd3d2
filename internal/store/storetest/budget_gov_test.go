package storetest

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/budget"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/opendata/sources"
)

// TestBudgetGovernmentSet: a government's own budget (预算法 Art 14 ¶1),
// published by its finance department through the disclosure workflow, one
// per region and year, in its own table set and its own dataset; two
// regions keep theirs apart.
func TestBudgetGovernmentSet(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil))
		ctx := context.Background()
		finance, err := e.d.SaveAgency(ctx, identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: e.agency.RegionID,
			Name: "西湖区财政局", Code: "002482161", Guide: "# 指南"})
		if err != nil {
			t.Fatal(err)
		}
		e.publishSet(t, 2026, "2026-02-10", 100) // the district government's own department budget
		in := budget.SetInput{AgencyID: finance.ID, Year: 2026, Kind: budget.KindGovBudget, ApprovedOn: "2026-03-02",
			Explanation: "本级预算经区人民代表大会批准；政府债务限额和余额情况见说明。"}
		set, err := e.bud.CreateSet(ctx, e.drafter, in)
		if err != nil {
			t.Fatal(err)
		}
		in.AgencyID = e.agency.ID
		if _, err := e.bud.CreateSet(ctx, e.drafter, in); !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "西湖区财政局") {
			t.Fatalf("a second government budget in one region: %v", err)
		}
		in.AgencyID = e.other.ID
		if _, err := e.bud.CreateSet(ctx, e.outsider, in); err != nil {
			t.Fatalf("another region's government budget: %v", err)
		}
		_, err = e.bud.SaveLines(ctx, e.drafter, set.ID, budget.Sample(100))
		if probs := budget.Problems(err); len(probs) == 0 || !strings.Contains(probs[0].Message, "没有这张报表") {
			t.Fatalf("department tables in a government set: %v", err)
		}
		if _, err := e.bud.SaveLines(ctx, e.drafter, set.ID, budget.SampleGovernment(100)); err != nil {
			t.Fatal(err)
		}
		set, err = e.bud.Submit(ctx, e.drafter, set.ID)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := e.d.Document(ctx, e.drafter, *set.DocID)
		if err != nil || doc.Title != "2026年本级政府预算（西湖区财政局公开）" || !strings.Contains(doc.BodySource, "## 一般性转移支付分地区表") {
			t.Fatalf("government document: %q %v", doc.Title, err)
		}
		e.d.Review(ctx, e.reviewer, *set.DocID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass, Basis: "保密法第三十五条"})
		e.d.Approve(ctx, e.reviewer, *set.DocID)
		if _, err := e.d.Publish(ctx, e.drafter, *set.DocID); err != nil {
			t.Fatal(err)
		}
		// 20 days from 2026-03-02 end on Sunday 03-22, so on Monday 03-23
		pub, err := e.bud.PublishedSet(ctx, finance.ID, 2026, budget.KindGovBudget)
		if err != nil || pub.Clock.Due.String() != "2026-03-23" || pub.Clock.Provisional != 0 || !pub.Clock.OnTime {
			t.Fatalf("published government set: %+v %v", pub, err)
		}
		cmp, err := e.bud.Compare(ctx, pub)
		if err != nil || cmp.HasPrevious || len(cmp.Tables) != len(budget.Government.Tables) || len(cmp.SanGong) != 6 {
			t.Fatalf("comparison: %+v %v", cmp, err)
		}
		e.od.Register(sources.Budgets{Agencies: e.d, Sets: e.bud})
		if _, err := e.od.Regenerate(ctx, budget.Source, true); err != nil {
			t.Fatal(err)
		}
		gd, err := e.od.Dataset(ctx, nil, "gov-budget-"+itoa(finance.ID))
		if err != nil || gd.RowCount != int64(amountCount(budget.SampleGovernment(100))) {
			t.Fatalf("government budget dataset: %+v %v", gd, err)
		}
		dd, err := e.od.Dataset(ctx, nil, "budget-"+itoa(e.agency.ID))
		if err != nil || dd.RowCount != int64(amountCount(budget.Sample(100))) {
			t.Fatalf("department budget dataset: %+v %v", dd, err)
		}
		if _, err := e.od.Dataset(ctx, nil, "budget-"+itoa(finance.ID)); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a department dataset for the finance bureau, which published only the government's: %v", err)
		}
	})
}

func amountCount(ls []budget.Line) int {
	n := 0
	for _, l := range ls {
		n += len(l.Amounts)
	}
	return n
}
