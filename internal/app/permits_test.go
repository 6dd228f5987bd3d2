package app_test

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/catalog"
)

// TestApprovedLicenceEnteredWithDecision: an approved licence is in the
// 双公示 register as soon as its decision commits (行政许可法 Art 40
// makes 准予 decisions public), with no job to wait for, naming its
// certificate and the legal bases of the item version; a decision on an
// item that is not 行政许可 is not entered.
func TestApprovedLicenceEnteredWithDecision(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		c := approveThrough(t, a, "食品经营许可")
		e, err := a.Stores.Publicity.FindEntryBySource(ctx, c.Number)
		if err != nil {
			t.Fatalf("the decision of %s is not in the register: %v", c.Number, err)
		}
		if e.Number != "许可决定-"+c.Number || c.Certificate == "" || !strings.Contains(e.Content, c.Certificate) || !strings.Contains(e.Basis, "第") {
			t.Fatalf("register entry %+v (certificate %q)", e, c.Certificate)
		}
		if c.Procedure.ItemType != string(catalog.TypeLicence) {
			t.Errorf("the procedure names item type %q, want the licence's", c.Procedure.ItemType)
		}
		other := decidedCase(t, a, "个体工商户设立登记", "citizen")
		if _, err := a.Stores.Publicity.FindEntryBySource(ctx, other.Number); err == nil {
			t.Fatal("a decision on an item that is not a licence was entered")
		}
	})
}

// approveThrough files an item for the company and has the demo staff
// take every step offered to them, passing each review, until it is
// decided.
func approveThrough(t *testing.T, a *apptest.App, item string) *cases.Case {
	t.Helper()
	c := filedCase(t, a, item, "company")
	for range 20 {
		if c.Status == cases.StatusClosed {
			return c
		}
		c = takeStep(t, a, c)
	}
	t.Fatalf("%s not decided: %s", item, c.Status)
	return nil
}

func takeStep(t *testing.T, a *apptest.App, c *cases.Case) *cases.Case {
	t.Helper()
	ctx := context.Background()
	for _, who := range []string{"clerk", "approver", "approver2", "depthead", "company"} {
		act := actor(t, a, who)
		cur, cl, err := a.Services.Cases.Get(ctx, act, c.ID)
		if err != nil {
			continue
		}
		for _, o := range cases.Options(act, cur, cl) {
			cmd := cases.Command{Kind: o.Kind, Branch: o.Branch, Reason: "材料齐全，符合条件", Decision: cases.DecisionApproved, AmountFen: cur.Fee.DueFen}
			if o.Kind != cases.CmdAccept && o.Kind != cases.CmdPass && o.Kind != cases.CmdPayFee {
				continue
			}
			next, err := a.Services.Cases.Act(ctx, act, c.ID, cases.Action{Command: cmd, Version: cur.Version})
			if err != nil {
				t.Fatalf("%s %s: %v", who, o.Kind, err)
			}
			return next
		}
	}
	t.Fatalf("nobody can move case %s on from %s", c.Number, c.Status)
	return nil
}
