package cases

import (
	"slices"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

var t0 = at(2026, 2, 2, 9, 0)

// caseIn builds a case of the two-department procedure in a status.
func caseIn(t *testing.T, s Status) *Case {
	t.Helper()
	c := newCase(twoDepartments())
	if s == StatusDraft {
		return c
	}
	do(t, c, Command{Kind: CmdSubmit}, t0)
	switch s {
	case StatusSupplement:
		do(t, c, Command{Kind: CmdRequestSupplement, Items: []string{"营业执照复印件"}}, t0)
	case StatusReview:
		do(t, c, Command{Kind: CmdAccept}, t0)
	case StatusCorrection:
		do(t, c, Command{Kind: CmdAccept}, t0)
		do(t, c, Command{Kind: CmdReturnToApplicant, Branch: 0, Reason: "图纸不清晰", Items: []string{"平面图"}, Needs: []string{"m1"}}, t0)
	case StatusPayment:
		c.Fee.DueFen = 1000
		do(t, c, Command{Kind: CmdAccept}, t0)
		do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "同意"}, t0)
		do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
		do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "准予"}, t0)
	case StatusClosed:
		do(t, c, Command{Kind: CmdRefuse, Reason: "不属于本机关职权范围"}, t0)
	}
	return c
}

// TestTransitionTable checks, for every command, the statuses it is
// allowed in; everywhere else it must be refused as a conflict (HTTP 409).
func TestTransitionTable(t *testing.T) {
	all := []Status{StatusDraft, StatusSubmitted, StatusSupplement, StatusReview, StatusCorrection, StatusPayment, StatusClosed}
	valid := map[CommandKind]Command{
		CmdSubmit:            {Kind: CmdSubmit},
		CmdRequestSupplement: {Kind: CmdRequestSupplement, Items: []string{"身份证复印件"}},
		CmdSupplement:        {Kind: CmdSupplement, Answers: []string{"已附营业执照复印件"}},
		CmdSupplementTimeout: {Kind: CmdSupplementTimeout},
		CmdAccept:            {Kind: CmdAccept},
		CmdRefuse:            {Kind: CmdRefuse, Reason: "材料不全且无法补正"},
		CmdWithdraw:          {Kind: CmdWithdraw},
		CmdPass:              {Kind: CmdPass, Reason: "材料齐全，符合条件"},
		CmdFail:              {Kind: CmdFail, Reason: "不符合条件"},
		CmdReturnToApplicant: {Kind: CmdReturnToApplicant, Reason: "需补充说明", Items: []string{"说明"}},
		CmdCorrect:           {Kind: CmdCorrect, Supplied: []string{"m1"}},
		CmdStartSpecial:      {Kind: CmdStartSpecial, Code: "site_inspection", Reason: "需现场核查", Days: 3},
		CmdRequestExtension:  {Kind: CmdRequestExtension, Days: 10, Reason: "情况复杂"},
	}
	allowed := map[CommandKind][]Status{
		CmdSubmit:            {StatusDraft},
		CmdRequestSupplement: {StatusSubmitted},
		CmdSupplement:        {StatusSupplement},
		CmdSupplementTimeout: {StatusSupplement},
		CmdAccept:            {StatusSubmitted},
		CmdRefuse:            {StatusSubmitted, StatusSupplement},
		CmdWithdraw:          {StatusSubmitted, StatusSupplement, StatusReview, StatusCorrection, StatusPayment},
		CmdPass:              {StatusReview},
		CmdFail:              {StatusReview},
		CmdReturnToApplicant: {StatusReview},
		CmdCorrect:           {StatusCorrection},
		CmdStartSpecial:      {StatusReview},
		CmdRequestExtension:  {StatusReview},
	}
	for kind, cmd := range valid {
		for _, s := range all {
			_, err := Transition(caseIn(t, s), cmd, t0)
			want := slices.Contains(allowed[kind], s)
			if want && err != nil {
				t.Errorf("%s in %s: refused: %v", kind, s, err)
			}
			if !want && !apperr.Is(err, apperr.Conflict) {
				t.Errorf("%s in %s: got %v, want a conflict", kind, s, err)
			}
		}
	}
}

func TestTransitionRefusalsNameTheProblem(t *testing.T) {
	cases := []struct {
		name  string
		s     Status
		cmd   Command
		field string
		code  apperr.Code
	}{
		{"RefuseWithoutReason", StatusSubmitted, Command{Kind: CmdRefuse}, "reason", apperr.Invalid},
		{"SupplementWithoutItems", StatusSubmitted, Command{Kind: CmdRequestSupplement, Items: []string{" "}}, "items", apperr.Invalid},
		{"ReturnFromFirstStep", StatusReview, Command{Kind: CmdReturn, Reason: "重新审核"}, "", apperr.Conflict},
		{"UnknownSpecial", StatusReview, Command{Kind: CmdStartSpecial, Code: "hearing", Reason: "听证"}, "code", apperr.Invalid},
		{"ExtensionTooLong", StatusReview, Command{Kind: CmdRequestExtension, Days: 21, Reason: "复杂"}, "days", apperr.Invalid},
		{"NoPendingExtension", StatusReview, Command{Kind: CmdApproveExtension}, "", apperr.Conflict},
		{"NoSuchBranch", StatusReview, Command{Kind: CmdPass, Branch: 5, Reason: "同意"}, "", apperr.NotFound},
		{"InstantOnPromisedItem", StatusSubmitted, Command{Kind: CmdDecideInstant, Decision: DecisionApproved}, "", apperr.Conflict},
	}
	for _, tc := range cases {
		_, err := Transition(caseIn(t, tc.s), tc.cmd, t0)
		if apperr.CodeOf(err) != tc.code || (tc.field != "" && apperr.FieldsOf(err)[tc.field] == "") {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
}

func TestParallelApproval(t *testing.T) {
	c := caseIn(t, StatusReview)
	do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "同意"}, t0)
	if !c.Branches[1].Done || c.Branches[1].Decision != DecisionApproved || c.Status != StatusReview {
		t.Fatalf("after 乙局 approves: %+v %s", c.Branches[1], c.Status)
	}
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
	if c.Branches[0].Step != 1 || c.Branches[0].Done {
		t.Fatalf("甲局 should move to 批准: %+v", c.Branches[0])
	}
	do(t, c, Command{Kind: CmdReturn, Branch: 0, ToStep: 0, Reason: "审核意见不完整"}, t0)
	if c.Branches[0].Step != 0 {
		t.Fatal("return did not go back to 审核")
	}
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
	if c.Status != StatusClosed || c.Decision != DecisionApproved || c.Completion != CompletionCertificate {
		t.Fatalf("both approved: %s %s %s", c.Status, c.Decision, c.Completion)
	}
	if _, err := Transition(c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("acting on a closed case: %v", err)
	}
}

func TestOneRefusalDenies(t *testing.T) {
	c := caseIn(t, StatusReview)
	do(t, c, Command{Kind: CmdFail, Branch: 1, Reason: "不符合规划"}, t0)
	if c.Status != StatusClosed || c.Decision != DecisionDenied || c.Completion != CompletionReturned {
		t.Fatalf("one refusal: %s %s %s", c.Status, c.Decision, c.Completion)
	}
	p := twoDepartments()
	p.AnyRefusalDenies = false
	c = newCase(p)
	do(t, c, Command{Kind: CmdSubmit}, t0)
	do(t, c, Command{Kind: CmdAccept}, t0)
	do(t, c, Command{Kind: CmdFail, Branch: 1, Reason: "部分不符合"}, t0)
	if c.Status != StatusReview {
		t.Fatal("without the rule the case waits for the other department")
	}
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
	if c.Decision != DecisionApproved {
		t.Fatalf("partial approval: %s", c.Decision)
	}
}

func TestSpecialProcedureBlocksTheStep(t *testing.T) {
	c := caseIn(t, StatusReview)
	do(t, c, Command{Kind: CmdStartSpecial, Branch: 0, Code: "site_inspection", Reason: "核查经营场所", Days: 2}, t0)
	if _, err := Transition(c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("passing during 现场勘察: %v", err)
	}
	if _, err := Transition(c, Command{Kind: CmdStartSpecial, Branch: 0, Code: "expert_review", Reason: "评审", Days: 5}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second procedure at once: %v", err)
	}
	do(t, c, Command{Kind: CmdEndSpecial, Branch: 0, Reason: "现场符合要求"}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, t0)
}

func TestInstantItem(t *testing.T) {
	p := twoDepartments()
	p.Instant, p.Result.Certificate = true, false
	c := newCase(p)
	do(t, c, Command{Kind: CmdSubmit}, t0)
	if _, err := Transition(c, Command{Kind: CmdAccept}, t0); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("accepting an 即办件 for review: %v", err)
	}
	do(t, c, Command{Kind: CmdDecideInstant, Decision: DecisionApproved}, t0)
	if c.Status != StatusClosed || c.Completion != CompletionDone || c.AcceptedAt.IsZero() {
		t.Fatalf("即办件: %s %s", c.Status, c.Completion)
	}
}

func TestReplayRebuildsTheCase(t *testing.T) {
	c := caseIn(t, StatusReview)
	do(t, c, Command{Kind: CmdRequestExtension, Branch: 0, Days: 5, Reason: "复杂"}, t0)
	do(t, c, Command{Kind: CmdApproveExtension, Branch: 0}, t0)
	do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "同意"}, t0)
	replay := &Case{Procedure: c.Procedure}
	for _, e := range c.Events {
		replay.Apply(e)
	}
	if replay.Status != c.Status || replay.Version != c.Version || replay.Branches[0].Extension != 5 || !replay.Branches[1].Done {
		t.Fatalf("replay differs: %+v vs %+v", replay.Branches, c.Branches)
	}
}

func TestOptionsFollowRolesAndState(t *testing.T) {
	c := caseIn(t, StatusReview)
	c.Procedure.RegionPath = "/1/"
	c.Procedure.Branches[0].DepartmentID, c.Procedure.Branches[1].DepartmentID = 10, 20
	approverA := &identity.Actor{UserID: 5, Kind: identity.KindStaff, Grants: []*identity.Grant{{Role: identity.RoleApprover, RegionPath: "/1/", DepartmentID: ptr(int64(10))}}}
	got := map[string]bool{}
	for _, o := range Options(approverA, c, Clocks{}) {
		got[string(o.Kind)+":"+itoa(o.Branch)] = true
	}
	for _, want := range []string{"pass:0", "fail:0", "return_to_applicant:0", "start_special:0", "request_extension:0"} {
		if !got[want] {
			t.Errorf("approver of 甲局 should be offered %s; got %v", want, got)
		}
	}
	for _, not := range []string{"pass:1", "return:0", "accept:-1", "approve_extension:0", "withdraw:-1"} {
		if got[not] {
			t.Errorf("approver of 甲局 must not be offered %s", not)
		}
	}
}

func ptr[T any](v T) *T { return &v }
