package storetest

import (
	"context"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// TestDisclosurePublishRules checks the publication periods: the Art 26
// default and 预算法 Art 14 built in, an administrator's period for another
// category stored, replaced and removed, and the workbench marking what is
// overdue under each (the test clock is 2026-03-18).
func TestDisclosurePublishRules(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		e := newDisclosureEnv(t, b.Open(t, nil), nil)
		ctx, sys := context.Background(), identity.SystemActor()
		budget := e.draft(t, disclosure.DocInput{Title: "2026年部门预算", Category: "a20-7", FormedOn: "2026-02-20"})
		e.draft(t, disclosure.DocInput{Title: "一般规范性文件", FormedOn: "2026-02-20"})
		exam := e.draft(t, disclosure.DocInput{Title: "招考职位表", Category: "a20-14", FormedOn: "2026-03-05"})
		wantOverdue(t, e, budget.ID)
		if _, err := e.d.SetPublishRule(ctx, e.drafter, disclosure.PublishRuleInput{Category: "a20-14", Days: 7, Basis: "《某某规定》第九条"}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("officer sets a rule: %v", err)
		}
		if _, err := e.d.SetPublishRule(ctx, sys, disclosure.PublishRuleInput{Category: "a20-7", Days: 30, Basis: "《某某规定》第九条"}); apperr.FieldsOf(err)["category"] == "" {
			t.Fatalf("statutory budget rule changed: %v", err)
		}
		for _, days := range []int{30, 7} {
			if _, err := e.d.SetPublishRule(ctx, sys, disclosure.PublishRuleInput{Category: "a20-14", Days: days, Basis: "《某某规定》第九条"}); err != nil {
				t.Fatal(err)
			}
		}
		rules, err := e.d.PublishRules(ctx)
		if err != nil || len(rules) != 3 || rules[2].Category != "a20-14" || rules[2].Days != 7 || rules[2].Calendar {
			t.Fatalf("rules %+v, %v", rules, err)
		}
		wantOverdue(t, e, budget.ID, exam.ID)
		due, err := e.d.Deadline(ctx, e.agency, budget)
		if err != nil || due.Due.String() != "2026-03-12" || due.Rule.Basis != "《预算法》第十四条" {
			t.Fatalf("budget deadline %+v, %v", due, err)
		}
		if err := e.d.DeletePublishRule(ctx, sys, "a20-14"); err != nil {
			t.Fatal(err)
		}
		if err := e.d.DeletePublishRule(ctx, sys, "a20-14"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		wantOverdue(t, e, budget.ID)
		entries, _ := e.sv.Audit.Find(ctx, audit.Filter{ObjectType: "disclosure_publish_rule", ObjectID: "a20-14"})
		if len(entries) != 3 {
			t.Fatalf("audit entries: %d, want 2 set and 1 delete", len(entries))
		}
	})
}

func wantOverdue(t *testing.T, e *disclosureEnv, ids ...int64) {
	t.Helper()
	w, err := e.d.Workbench(context.Background(), e.drafter)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]bool{}
	for _, d := range w.Overdue {
		got[d.ID] = true
		if !w.Deadlines[d.ID].Overdue(w.AsOf) {
			t.Errorf("%s listed overdue with deadline %s", d.Title, w.Deadlines[d.ID])
		}
	}
	if len(got) != len(ids) {
		t.Fatalf("overdue %d documents, want %v", len(got), ids)
	}
	for _, id := range ids {
		if !got[id] {
			t.Fatalf("document %d not marked overdue", id)
		}
	}
}
