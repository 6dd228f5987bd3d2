package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/budget"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// TestBudgetWatch: the supervision figures of 预算法 Art 14 (published
// within 20 days of approval) count each supervisor's own area only, list
// the unpublished sets within five days of their due date or past it, most
// urgent first, and in December, with next year's holiday schedule not
// imported, show a provisional due date in the new year instead of failing.
func TestBudgetWatch(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newOpenDataEnv(t, b.Open(t, nil)) // today is 2026-03-18
		ctx := context.Background()
		finance, err := e.d.SaveAgency(ctx, identity.SystemActor(), 0, disclosure.AgencyInput{RegionID: e.agency.RegionID,
			Name: "西湖区财政局", Code: "002482161", Guide: "# 指南"})
		if err != nil {
			t.Fatal(err)
		}
		_, xihu := Staff(t, e.sv, "sup-xihu", identity.RoleSupervisor, &e.tree.County.ID, nil)
		_, yuhang := Staff(t, e.sv, "sup-yuhang", identity.RoleSupervisor, &e.tree.OtherCounty.ID, nil)
		create := func(a *identity.Actor, agency int64, kind budget.Kind, approved string) *budget.Set {
			t.Helper()
			set, err := e.bud.CreateSet(ctx, a, budget.SetInput{AgencyID: agency, Year: 2026, Kind: kind, ApprovedOn: approved})
			if err != nil {
				t.Fatalf("create %s approved %s: %v", kind, approved, err)
			}
			return set
		}
		e.publishSet(t, 2026, "2026-02-10", 100)                                     // due 03-02, published today: late
		pending := create(e.drafter, finance.ID, budget.KindGovBudget, "2026-03-16") // due 04-05 (Sunday, in 清明) → 04-07
		overdue := create(e.drafter, e.agency.ID, budget.KindFinal, "2026-02-20")
		soon := create(e.drafter, finance.ID, budget.KindBudget, "2026-03-01") // due 03-21 (Saturday) → 03-23: five days left
		other := create(e.outsider, e.other.ID, budget.KindFinal, "2026-02-01")

		w, err := e.bud.Watch(ctx, xihu)
		if err != nil {
			t.Fatal(err)
		}
		want := budget.Timeliness{Total: 4, Late: 1, Overdue: 1, Pending: 2}
		if w.Year != 2026 || w.Timeliness != want {
			t.Fatalf("西湖区 figures: %d %+v, want %+v", w.Year, w.Timeliness, want)
		}
		if len(w.Attention) != 2 || w.Attention[0].ID != overdue.ID || w.Attention[1].ID != soon.ID ||
			w.Attention[0].Clock.Due.String() != "2026-03-12" || w.Attention[1].Clock.DaysLeft != 5 {
			t.Fatalf("西湖区 attention: %+v", w.Attention)
		}
		if v, err := e.bud.Set(ctx, xihu, pending.ID); err != nil || v.Clock.Due.String() != "2026-04-07" || v.Clock.State() != "公开期限内" {
			t.Fatalf("a period ending in the 清明 holiday: %+v %v", v, err)
		}
		w, err = e.bud.Watch(ctx, yuhang)
		if err != nil || w.Timeliness != (budget.Timeliness{Total: 1, Overdue: 1}) || len(w.Attention) != 1 || w.Attention[0].ID != other.ID {
			t.Fatalf("余杭区 sees its own set only: %+v %v", w, err)
		}
		if _, err := e.bud.Watch(ctx, e.drafter); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a 公开专员 is not a supervisor: %v", err)
		}

		*e.now = time.Date(2026, 12, 20, 2, 0, 0, 0, time.UTC) // 2027's schedule is not imported
		late := create(e.outsider, e.other.ID, budget.KindBudget, "2026-12-18")
		w, err = e.bud.Watch(ctx, yuhang)
		if err != nil || w.Timeliness != (budget.Timeliness{Total: 2, Overdue: 1, Pending: 1}) {
			t.Fatalf("December: %+v %v", w, err)
		}
		v, err := e.bud.Set(ctx, yuhang, late.ID)
		if err != nil || v.Clock.Due.String() != "2027-01-07" || v.Clock.Provisional != 2027 || v.Clock.Note() == "" {
			t.Fatalf("a December approval's due date: %+v %v", v, err)
		}
	})
}
