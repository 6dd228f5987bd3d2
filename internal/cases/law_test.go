package cases

import (
	"slices"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// The rules of the 行政许可法 the state machine and the clocks follow, one
// table test each, named by article.

func intakeAt(t *testing.T, c *Case, now time.Time) IntakeClock {
	t.Helper()
	ic, err := Intake(c, nationalCalendar(t), calendar.DefaultOfficeHours(), now)
	if err != nil {
		t.Fatal(err)
	}
	return ic
}

// TestArt32IntakePeriod: a 补正 notice is due within 5 working days of
// receipt, counted from the day after, on an ordinary week, across holiday
// blocks with make-up days, and provisionally into a year whose schedule
// is not imported.
func TestArt32IntakePeriod(t *testing.T) {
	for _, tc := range []struct {
		name        string
		received    time.Time
		due         string
		provisional int
	}{
		{"ordinary week", at(2026, 3, 9, 10, 0), "2026-03-16", 0},
		{"Spring Festival: 02-14 is a make-up Saturday", at(2026, 2, 12, 10, 0), "2026-02-26", 0},
		{"清明 04-04 … 04-06", at(2026, 4, 2, 10, 0), "2026-04-10", 0},
		{"劳动节 05-01 … 05-05", at(2026, 4, 30, 10, 0), "2026-05-11", 0},
		{"国庆", at(2026, 9, 29, 10, 0), "2026-10-12", 0},
		// 12-29, 12-30, 12-31, then 1 January is 元旦, off by law even
		// before the 2027 schedule is imported, 2–3 January the weekend:
		// 01-04, 01-05, provisionally.
		{"December, 2027 not imported", at(2026, 12, 28, 10, 0), "2027-01-05", 2027},
	} {
		c := newCase(twoDepartments())
		do(t, c, Command{Kind: CmdSubmit}, tc.received)
		ic := intakeAt(t, c, tc.received)
		if ic.DueDate.String() != tc.due || ic.Provisional != tc.provisional || !ic.Waiting() || ic.Deemed {
			t.Errorf("%s: due %s provisional %d waiting %v deemed %v; want %s, %d", tc.name, ic.DueDate, ic.Provisional, ic.Waiting(), ic.Deemed, tc.due, tc.provisional)
		}
		if want := calendar.DateOf(ic.Due); want.String() != tc.due || ic.Due.In(cst).Hour() != 17 {
			t.Errorf("%s: the period ends at the close of office hours on its last day: %v", tc.name, ic.Due)
		}
	}
}

// TestArt32LateNotice: within the period a notice may be given (up to the
// end of its last day); after it, not: the case counts as accepted from
// the day of receipt, the legal clock runs from then, and the case is
// flagged overdue in the queues.
func TestArt32LateNotice(t *testing.T) {
	received := at(2026, 3, 9, 10, 0) // due 03-16 17:30
	notice := Command{Kind: CmdRequestSupplement, Items: []string{"营业执照复印件不清晰"}, Needs: []string{"m1"}}
	for _, tc := range []struct {
		name string
		when time.Time
		ok   bool
	}{
		{"on the spot", at(2026, 3, 9, 10, 30), true},
		{"the last day, before the close", at(2026, 3, 16, 17, 0), true},
		{"the last day, after the close", at(2026, 3, 16, 18, 0), false},
		{"a day late", at(2026, 3, 17, 9, 0), false},
	} {
		c := newCase(twoDepartments())
		do(t, c, Command{Kind: CmdSubmit}, received)
		cmd := notice
		cmd.IntakeDue = intakeAt(t, c, tc.when).Due
		_, err := Transition(c, cmd, tc.when)
		if tc.ok != (err == nil) || (!tc.ok && !apperr.Is(err, apperr.Conflict)) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok && !strings.Contains(apperr.MessageOf(err), "第三十二条") {
			t.Errorf("%s: the refusal cites Art 32: %s", tc.name, apperr.MessageOf(err))
		}
	}
}

func TestArt32DeemedAcceptance(t *testing.T) {
	c := newCase(twoDepartments())
	do(t, c, Command{Kind: CmdSubmit}, at(2026, 3, 9, 10, 0))
	waiting := clocksAt(t, c, at(2026, 3, 17, 9, 0))
	if !waiting.Intake.Overdue || !waiting.Intake.Deemed || !waiting.Legal.Started || waiting.Legal.Due.String() != "2026-04-07" {
		t.Fatalf("unanswered past the period: intake %+v, legal started %v due %s; want the legal clock from 03-09 (20 wd: 04-07)",
			waiting.Intake, waiting.Legal.Started, waiting.Legal.Due)
	}
	if opts := Options(clerkOf(c), c, waiting); hasOption(opts, CmdRequestSupplement) || !hasOption(opts, CmdAccept) {
		t.Errorf("past the period the clerk is offered acceptance, not a notice: %+v", opts)
	}
	do(t, c, Command{Kind: CmdAccept}, at(2026, 3, 18, 9, 0))
	late := clocksAt(t, c, at(2026, 3, 18, 10, 0))
	if !late.Intake.Deemed || late.Legal.Due.String() != "2026-04-07" || late.Promised.Due.String() != "2026-03-23" {
		t.Errorf("accepted late: deemed %v, legal %s (want 04-07), promised %s (want 03-23, from 03-09)", late.Intake.Deemed, late.Legal.Due, late.Promised.Due)
	}
	onTime := newCase(twoDepartments())
	do(t, onTime, Command{Kind: CmdSubmit}, at(2026, 3, 9, 10, 0))
	do(t, onTime, Command{Kind: CmdAccept}, at(2026, 3, 12, 9, 0))
	if cl := clocksAt(t, onTime, at(2026, 3, 12, 10, 0)); cl.Intake.Deemed || cl.Legal.Due.String() != "2026-04-10" {
		t.Errorf("accepted in time: the clock runs from 03-12 (due 04-10, after 清明): deemed %v due %s", cl.Intake.Deemed, cl.Legal.Due)
	}
}

// TestArt32OneNotice: one notice lists everything; after the applicant
// supplements, a further notice may only name what that round handed in,
// and is marked as such.
func TestArt32OneNotice(t *testing.T) {
	c := newCase(twoDepartments())
	when := at(2026, 3, 9, 10, 0)
	do(t, c, Command{Kind: CmdSubmit}, when)
	do(t, c, Command{Kind: CmdRequestSupplement, Items: []string{"营业执照复印件不清晰", "说明经营面积"}, Needs: []string{"m1", ""}}, when)
	c.Materials = append(c.Materials, MaterialFile{Code: "m1", Round: 1})
	do(t, c, Command{Kind: CmdSupplement, Supplied: []string{"m1"}, Answers: []string{"", "经营面积 80 平方米"}}, when)
	for _, tc := range []struct {
		name  string
		items []string
		needs []string
		ok    bool
	}{
		{"a new material", []string{"经营场所平面图"}, []string{"m2"}, false},
		{"the resupplied licence copy", []string{"复印件仍不清晰"}, []string{"m1"}, true},
		{"the statement given", []string{"面积与平面图不符，请说明"}, []string{NeedStatement}, true},
		{"the licence and a new material", []string{"复印件缺页", "平面图"}, []string{"m1", "m2"}, false},
	} {
		evs, err := Transition(c, Command{Kind: CmdRequestSupplement, Items: tc.items, Needs: tc.needs}, when)
		if tc.ok != (err == nil) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.ok && evs[0].Code != FollowUp {
			t.Errorf("%s: a further notice says it is one", tc.name)
		}
		if !tc.ok && !strings.Contains(apperr.FieldsOf(err)["items"], "营业执照复印件") {
			t.Errorf("%s: the refusal names what may still be asked about: %v", tc.name, err)
		}
	}
}

// TestArt32SupplementAnswersEveryItem: an empty or partial supplement is
// refused, naming each item left unanswered.
func TestArt32SupplementAnswersEveryItem(t *testing.T) {
	c := newCase(twoDepartments())
	do(t, c, Command{Kind: CmdSubmit}, t0)
	do(t, c, Command{Kind: CmdRequestSupplement, Items: []string{"营业执照复印件", "说明经营范围"}, Needs: []string{"m1", NeedStatement}}, t0)
	for _, tc := range []struct {
		name     string
		cmd      Command
		missing  []string
		accepted bool
	}{
		{"empty", Command{Kind: CmdSupplement}, []string{"material.m1", "answer.1"}, false},
		{"only the file", Command{Kind: CmdSupplement, Supplied: []string{"m1"}}, []string{"answer.1"}, false},
		{"a blank statement", Command{Kind: CmdSupplement, Supplied: []string{"m1"}, Answers: []string{"", "  "}}, []string{"answer.1"}, false},
		{"the wrong file", Command{Kind: CmdSupplement, Supplied: []string{"m2"}, Answers: []string{"", "餐饮服务"}}, []string{"material.m1"}, false},
		{"complete", Command{Kind: CmdSupplement, Supplied: []string{"m1"}, Answers: []string{"", "餐饮服务"}}, nil, true},
	} {
		evs, err := Transition(c, tc.cmd, t0)
		if tc.accepted {
			if err != nil || evs[0].Items[1] != "餐饮服务" {
				t.Errorf("%s: %v %+v", tc.name, err, evs)
			}
			continue
		}
		for _, f := range tc.missing {
			if apperr.FieldsOf(err)[f] == "" {
				t.Errorf("%s: no message for %s: %v", tc.name, f, err)
			}
		}
	}
}

// TestArt42OneExtension: one extension per case, at most 10 working days,
// 15 for items handled jointly, more only where the item names another
// law; a second one is refused whichever department asks.
func TestArt42OneExtension(t *testing.T) {
	for _, tc := range []struct {
		name    string
		max     int
		days    int
		allowed bool
	}{
		{"10 days", 0, 10, true},
		{"11 days", 0, 11, false},
		{"15 days, jointly handled", 15, 15, true},
		{"16 days, jointly handled", 15, 16, false},
	} {
		p := twoDepartments()
		p.ExtensionMax = tc.max
		c := newCase(p)
		do(t, c, Command{Kind: CmdSubmit}, t0)
		do(t, c, Command{Kind: CmdAccept}, t0)
		_, err := Transition(c, Command{Kind: CmdRequestExtension, Branch: 0, Days: tc.days, Reason: "情况复杂"}, t0)
		if tc.allowed != (err == nil) || (!tc.allowed && apperr.FieldsOf(err)["days"] == "") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	c := caseIn(t, StatusReview)
	do(t, c, Command{Kind: CmdRequestExtension, Branch: 0, Days: 10, Reason: "情况复杂"}, t0)
	if _, err := Transition(c, Command{Kind: CmdRequestExtension, Branch: 1, Days: 5, Reason: "另需"}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a second request while one waits: %v", err)
	}
	do(t, c, Command{Kind: CmdApproveExtension, Branch: 0}, t0)
	for b := range 2 {
		_, err := Transition(c, Command{Kind: CmdRequestExtension, Branch: b, Days: 3, Reason: "再延长"}, t0)
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "第四十二条") {
			t.Errorf("a second extension (branch %d): %v", b, err)
		}
	}
	if hasOption(Options(nil, c, Clocks{}), CmdRequestExtension) {
		t.Error("a second extension is offered")
	}
}

// TestArt45ExpectedDuration: the applicant is told the expected duration,
// so it is required, and bounded by the item's limit for the procedure.
func TestArt45ExpectedDuration(t *testing.T) {
	for _, tc := range []struct {
		code string
		days int
		ok   bool
	}{
		{"site_inspection", 0, false}, {"site_inspection", 5, true}, {"site_inspection", 6, false},
		{"expert_review", 30, true}, {"public_notice", 7, true}, {"public_notice", 8, false},
	} {
		_, err := Transition(caseIn(t, StatusReview), Command{Kind: CmdStartSpecial, Code: tc.code, Days: tc.days, Reason: "依法启动"}, t0)
		if tc.ok != (err == nil) || (!tc.ok && apperr.FieldsOf(err)["days"] == "") {
			t.Errorf("%s for %d days: %v", tc.code, tc.days, err)
		}
	}
}

// TestArt58FeeDue: a fee is due before the result by default (acceptance
// never waits for it, and it cannot be paid before 受理); before
// acceptance only where the item says so. A fee paid on a case that does
// not end approved is refunded, once, and the refund recorded.
func TestArt58FeeDue(t *testing.T) {
	c := newCase(twoDepartments())
	c.Fee.DueFen = 5000
	do(t, c, Command{Kind: CmdSubmit}, t0)
	if _, err := Transition(c, Command{Kind: CmdPayFee, AmountFen: 5000}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("paying before 受理: %v", err)
	}
	do(t, c, Command{Kind: CmdAccept}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "同意"}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "准予"}, t0)
	if c.Status != StatusPayment || c.Decision != DecisionApproved || !c.ClosedAt.IsZero() {
		t.Fatalf("approved with the fee owed: %s %s", c.Status, c.Decision)
	}
	if _, err := Transition(c, Command{Kind: CmdPayFee, AmountFen: 100}, t0); apperr.FieldsOf(err)["amount"] == "" {
		t.Errorf("wrong amount: %v", err)
	}
	do(t, c, Command{Kind: CmdPayFee, AmountFen: 5000}, t0)
	if c.Status != StatusClosed || c.Completion != CompletionCertificate || c.RefundOwed() != 0 {
		t.Fatalf("paid: %s %s, refund %d", c.Status, c.Completion, c.RefundOwed())
	}

	p := twoDepartments()
	p.FeeAtAccept = true
	c = newCase(p)
	c.Fee.DueFen = 5000
	do(t, c, Command{Kind: CmdSubmit}, t0)
	if _, err := Transition(c, Command{Kind: CmdAccept}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("accepting unpaid where the fee is due at acceptance: %v", err)
	}
	do(t, c, Command{Kind: CmdPayFee, AmountFen: 5000}, t0)
	do(t, c, Command{Kind: CmdAccept}, t0)
	do(t, c, Command{Kind: CmdFail, Branch: 1, Reason: "不符合条件"}, t0)
	if c.RefundOwed() != 5000 || !hasOption(Options(clerkOf(c), c, Clocks{}), CmdRefund) {
		t.Fatalf("denied after payment: refund owed %d", c.RefundOwed())
	}
	if _, err := Transition(c, Command{Kind: CmdRefund, AmountFen: 4000}, t0); apperr.FieldsOf(err)["amount"] == "" {
		t.Errorf("a partial refund: %v", err)
	}
	do(t, c, Command{Kind: CmdRefund, AmountFen: 5000, Ref: "TF-1"}, t0)
	if c.RefundOwed() != 0 || c.Fee.RefundReceipt != "TF-1" {
		t.Errorf("refunded: owed %d receipt %q", c.RefundOwed(), c.Fee.RefundReceipt)
	}
	if _, err := Transition(c, Command{Kind: CmdRefund, AmountFen: 5000}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("a second refund: %v", err)
	}
}

// TestReviewOpinion: every step's decision carries the approver's 审查意见.
func TestReviewOpinion(t *testing.T) {
	for _, kind := range []CommandKind{CmdPass, CmdFail, CmdReturnToApplicant} {
		_, err := Transition(caseIn(t, StatusReview), Command{Kind: kind, Branch: 0, Items: []string{"平面图"}}, t0)
		if apperr.FieldsOf(err)["reason"] == "" {
			t.Errorf("%s without an opinion: %v", kind, err)
		}
	}
	c := caseIn(t, StatusReview)
	evs := do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "交通组织方案可行"}, t0)
	if evs[0].Reason != "交通组织方案可行" {
		t.Errorf("the opinion is on the history: %+v", evs[0])
	}
}

// clerkOf is a window clerk of the case's region.
func clerkOf(c *Case) *identity.Actor {
	return &identity.Actor{UserID: 9, Kind: identity.KindStaff,
		Grants: []*identity.Grant{{Role: identity.RoleWindowClerk, RegionPath: c.Procedure.RegionPath}}}
}

func hasOption(opts []Option, k CommandKind) bool {
	for _, o := range opts {
		if o.Kind == k {
			return true
		}
	}
	return false
}

// TestNoticeItemsAndNeedsPair: 一次性告知 (行政许可法第三十二条) lists every
// item; a material asked for without its item, or by an empty item, would
// vanish from the notice, so it is refused naming the field.
func TestNoticeItemsAndNeedsPair(t *testing.T) {
	for _, tc := range []struct {
		name         string
		items, needs []string
		field        string // "" = accepted
	}{
		{"paired", []string{"复印件不清晰", "说明经营面积"}, []string{"m1", NeedStatement}, ""},
		{"statements only", []string{"说明经营面积"}, nil, ""},
		{"more needs than items", []string{"申请书未签字"}, []string{"m1", "m2"}, "needs"},
		{"a material under an empty item", []string{"", "说明经营面积"}, []string{"m1", NeedStatement}, "items"},
		{"an item of 501 characters", []string{strings.Repeat("说", 501)}, []string{NeedStatement}, "items"},
		{"3500 characters in all", slices.Repeat([]string{strings.Repeat("说", 500)}, 7), nil, "items"},
		{"3000 characters in all", slices.Repeat([]string{strings.Repeat("说", 500)}, 6), nil, ""},
	} {
		c := newCase(twoDepartments())
		err := checkNotice(c, Command{Kind: CmdRequestSupplement, Items: tc.items, Needs: tc.needs})
		if got := apperr.FieldsOf(err); (tc.field == "") != (err == nil) || (tc.field != "" && got[tc.field] == "") {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
