package storetest

import (
	"context"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// hallCases is the cases service over two procedures: the test procedure
// (1) and the same item charging a fee at acceptance (2), with a clock the
// test moves.
func hallCases(sv *Services, tr *Tree, now *time.Time) *cases.Service {
	fee := testProcedure(tr)
	fee.ItemVersionID, fee.FeeAtAccept = 2, true
	fee.Fee = catalog.Fees{Charged: true, Items: []catalog.Fee{{Name: "工本费", Basis: "《测试收费办法》", Standard: "每证 20 元", AmountFen: 2000}}}
	cal, _ := calendar.New(calendar.EmbeddedSchedules(), nil)
	fx := &sideEffects{}
	return cases.NewService(cases.Deps{Store: sv.Stores.Cases, Tx: sv.Stores, Audit: sv.Audit,
		Procedures: procedures{1: testProcedure(tr), 2: fee}, Calendars: calendars{cal}, Notifier: fx, Certifier: fx,
		Throttle: fx, Accounts: accounts{sv.Stores.Identity}, Scheduler: fx, Secret: []byte("test"),
		Now: func() time.Time { return *now }})
}

func act(t *testing.T, svc *cases.Service, a *identity.Actor, id int64, cmd cases.Command, ms ...cases.MaterialFile) *cases.Case {
	t.Helper()
	c, err := svc.Act(context.Background(), a, id, cases.Action{Command: cmd, Materials: ms})
	if err != nil {
		t.Fatalf("%s: %v", cmd.Kind, err)
	}
	return c
}

// TestCaseDetails: the 查询密码 kept for the applicant and its reset, the
// intake due date the queue sorts by, on both backends.
func TestCaseDetails(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		now := time.Date(2026, 3, 9, 2, 0, 0, 0, time.UTC) // Monday 10:00 in China
		svc := hallCases(sv, tr, &now)
		ctx := context.Background()
		citizen := registerCitizen(t, sv)
		_, clerk := Staff(t, sv, "clerk9", identity.RoleWindowClerk, &tr.County.ID, nil)
		filed, err := svc.File(ctx, citizen, fileInput("d1"))
		if err != nil {
			t.Fatal(err)
		}
		c := filed.Case
		if code, err := svc.QueryCode(ctx, citizen, c); err != nil || code != filed.QueryCode {
			t.Fatalf("the applicant reads the code again: %q %v", code, err)
		}
		if _, err := svc.QueryCode(ctx, clerk, c); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("the clerk does not: %v", err)
		}
		queue, _, err := svc.IntakeQueue(ctx, clerk, 0)
		if err != nil || len(queue) != 1 || queue[0].IntakeDue != "2026-03-16" {
			t.Fatalf("intake queue with the Art 32 due date: %+v %v", queue, err)
		}
		code, err := svc.ResetQueryCode(ctx, citizen, c.ID)
		if err != nil || code == filed.QueryCode && len(code) != 6 {
			t.Fatalf("reset: %q %v", code, err)
		}
		if _, err := svc.Lookup(ctx, c.Number, filed.QueryCode, "10.0.0.9"); !apperr.Is(err, apperr.NotFound) && code != filed.QueryCode {
			t.Fatalf("the old code still works: %v", err)
		}
		if _, err := svc.Lookup(ctx, c.Number, code, "10.0.0.9"); err != nil {
			t.Fatalf("the new code: %v", err)
		}
		if got, _ := svc.QueryCode(ctx, citizen, c); got != code {
			t.Fatalf("the kept code after the reset: %q, want %q", got, code)
		}
		act(t, svc, clerk, c.ID, cases.Command{Kind: cases.CmdRequestSupplement, Items: []string{"执照不清晰"}, Needs: []string{"licence"}})
		if queue, _, _ := svc.IntakeQueue(ctx, clerk, 0); len(queue) != 0 {
			t.Fatalf("a case waiting for its applicant is not in the intake queue: %+v", queue)
		}
		now = now.Add(24 * time.Hour)
		act(t, svc, citizen, c.ID, cases.Command{Kind: cases.CmdSupplement}, cases.MaterialFile{Code: "licence", FileName: "执照2.pdf", SHA256: "cd34", Size: 900, MIME: "application/pdf"})
		ds, err := sv.Stores.Cases.FindDetails(ctx, []int64{c.ID, 999})
		if err != nil || ds[c.ID].IntakeDue != "2026-03-17" || len(ds) != 1 {
			t.Fatalf("the supplement starts a new period: %+v %v", ds, err)
		}
	})
}

// TestDraftsAndDues: a draft is edited and submitted; the stored due dates
// are rewritten when recomputed; a refund owed is listed until recorded.
func TestDraftsAndDues(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		now := time.Date(2026, 12, 21, 2, 0, 0, 0, time.UTC)
		svc := hallCases(sv, tr, &now)
		ctx := context.Background()
		citizen := registerCitizen(t, sv)
		_, clerk := Staff(t, sv, "clerk9", identity.RoleWindowClerk, &tr.County.ID, nil)
		in := fileInput("draft1")
		in.Draft, in.Materials, in.Form = true, nil, map[string]string{"shop": ""}
		draft, err := svc.File(ctx, citizen, in)
		if err != nil || draft.Case.Status != cases.StatusDraft {
			t.Fatalf("draft: %v", err)
		}
		if ds, _ := svc.Drafts(ctx, citizen); len(ds) != 1 {
			t.Fatalf("drafts to resume: %d", len(ds))
		}
		// Until it is submitted a draft is the applicant's alone: staff
		// whose scope covers the case do not see it (nor its files).
		if _, _, err := svc.Get(ctx, citizen, draft.Case.ID); err != nil {
			t.Fatalf("the applicant opens the draft: %v", err)
		}
		if _, _, err := svc.Get(ctx, clerk, draft.Case.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a clerk opens a draft: %v", err)
		}
		if _, err := svc.UpdateDraft(ctx, citizen, draft.Case.ID, cases.FileInput{ItemVersionID: draft.Case.Procedure.ItemVersionID + 1, Draft: true}); apperr.FieldsOf(err)["item_version_id"] == "" {
			t.Fatalf("a draft moved to another item: %v", err)
		}
		if _, err := svc.UpdateDraft(ctx, clerk, draft.Case.ID+1000, cases.FileInput{Draft: true}); apperr.MessageOf(err) != apperr.MessageOf(func() error {
			_, err := svc.UpdateDraft(ctx, clerk, draft.Case.ID, cases.FileInput{Draft: true})
			return err
		}()) {
			t.Fatalf("a missing case and another's draft answer alike: %v", err)
		}
		if _, err := svc.UpdateDraft(ctx, citizen, draft.Case.ID, cases.FileInput{Form: map[string]string{"shop": "李记"}}); apperr.FieldsOf(err)["material.licence"] == "" {
			t.Fatalf("submitting without the material: %v", err)
		}
		sub, err := svc.UpdateDraft(ctx, citizen, draft.Case.ID, fileInput("x"))
		if err != nil || sub.Status != cases.StatusSubmitted || sub.Form["shop"] != "张记小吃" || len(sub.Materials) != 1 {
			t.Fatalf("submitted draft: %+v %v", sub, err)
		}
		accepted := act(t, svc, clerk, sub.ID, cases.Command{Kind: cases.CmdAccept})
		b.Exec(t, sv.Stores, `UPDATE cases SET promised_due = '1999-01-01' WHERE id = ?`, accepted.ID)
		n, err := svc.RecomputeDues(ctx, calendar.NewDate(2026, time.December, 1))
		if err != nil || n != 1 {
			t.Fatalf("recomputed %d: %v", n, err)
		}
		list, _, err := sv.Stores.Cases.FindCases(ctx, cases.Filter{ApplicantUserID: citizen.UserID, Limit: 10})
		if err != nil || list[0].PromisedDue != "2027-01-05" { // 1 January: 元旦, off by law
			t.Fatalf("recomputed due: %+v %v", *list[0], err)
		}
		refundOwed(t, svc, sv, clerk, citizen)
	})
}

// refundOwed: a fee paid at acceptance on a case then refused is listed as
// owed to the applicant until the refund is recorded.
func refundOwed(t *testing.T, svc *cases.Service, sv *Services, clerk, citizen *identity.Actor) {
	ctx := context.Background()
	in := fileInput("fee1")
	in.ItemVersionID = 2
	filed, err := svc.File(ctx, citizen, in)
	if err != nil || filed.Case.Fee.DueFen != 2000 {
		t.Fatalf("filed with a fee: %v", err)
	}
	id := filed.Case.ID
	act(t, svc, clerk, id, cases.Command{Kind: cases.CmdPayFee, AmountFen: 2000})
	act(t, svc, clerk, id, cases.Command{Kind: cases.CmdRefuse, Reason: "不属于本机关职权范围"})
	if _, refunds, err := svc.FeeQueue(ctx, clerk); err != nil || len(refunds) != 1 || refunds[0].ID != id {
		t.Fatalf("refunds owed: %+v %v", refunds, err)
	}
	done := act(t, svc, clerk, id, cases.Command{Kind: cases.CmdRefund, AmountFen: 2000})
	if done.Fee.RefundedFen != 2000 || done.Fee.RefundReceipt == "" {
		t.Fatalf("refund recorded: %+v", done.Fee)
	}
	if list, _, err := sv.Stores.Cases.FindCases(ctx, cases.Filter{RefundOwed: true, Limit: 10}); err != nil || len(list) != 0 {
		t.Fatalf("refunded, no longer owed: %+v %v", list, err)
	}
}
