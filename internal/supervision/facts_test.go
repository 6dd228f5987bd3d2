package supervision

import (
	"testing"

	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// twoSteps is a 承诺件 of one department in two steps, with a fee of 50 元.
func twoSteps() cases.Procedure {
	p := oneStep()
	p.Promised = workdays(5)
	p.Branches[0].Steps = []cases.Step{{Name: "审查", Role: identity.RoleApprover, Limit: workdays(2)},
		{Name: "决定", Role: identity.RoleDeptHead, Limit: workdays(2)}}
	p.Fee = catalog.Fees{Charged: true, Items: []catalog.Fee{{Name: "工本费", AmountFen: 5000}}}
	return p
}

func kinds(out Output) map[Kind]Card {
	m := map[Kind]Card{}
	for _, c := range out.Arisen {
		m[c.Kind] = c
	}
	return m
}

// TestEventCards: the cards an event earns by itself, each against the
// article it enforces.
func TestEventCards(t *testing.T) {
	accepted := func() *history {
		h := newHistory(t, twoSteps()).submit(at(2026, 3, 2, 9, 0))
		return h
	}
	for _, tc := range []struct {
		name   string
		events func(*history)
		setup  func(*Input)
		want   Kind
		colour Colour
	}{
		{"不予受理理由不足（第三十八条第二款）", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdRefuse, Reason: "不符"}, at(2026, 3, 2, 10, 0))
		}, nil, KindNoReason, Red},
		{"不予受理说明了理由", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdRefuse, Reason: "申请事项不属于本机关职权范围"}, at(2026, 3, 2, 10, 0))
		}, nil, "", None},
		{"不予许可理由不足", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0))
			h.do(cases.Command{Kind: cases.CmdFail, Branch: 0, Reason: "不行"}, at(2026, 3, 3, 10, 0))
		}, nil, KindNoReason, Red},
		{"网办事项几分钟内集中录入（国务院令第716号第四条）", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0))
			h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 10, 1))
			h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 10, 2))
		}, func(in *Input) { in.Online = true }, KindNotOnline, Yellow},
		{"非网办事项不查集中录入", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0))
			h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 10, 1))
			h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 10, 2))
		}, nil, "", None},
		{"关闭集中录入检查", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0))
			h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 10, 1))
			h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 10, 2))
		}, func(in *Input) { in.Online, in.Rules.BackfillMinutes = true, 0 }, "", None},
		{"多收费（第五十九条、第七十五条）", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0)) // the fee is due before the result, not before 受理
			h.c.Apply(cases.Event{Kind: cases.EventFeePaid, At: at(2026, 3, 2, 10, 30), ActorID: 9, Branch: -1, Code: "6000", Ref: "收费-1"})
		}, func(in *Input) { in.Extras = &Extras{Form: map[string]string{"summary": "x"}} }, KindFee, Red},
		{"按标准收费", func(h *history) {
			h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0)) // the fee is due before the result, not before 受理
			h.c.Apply(cases.Event{Kind: cases.EventFeePaid, At: at(2026, 3, 2, 10, 30), ActorID: 9, Branch: -1, Code: "5000", Ref: "收费-1"})
		}, func(in *Input) { in.Extras = &Extras{Form: map[string]string{"summary": "x"}} }, "", None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := accepted()
			tc.events(h)
			in := input(t, h, at(2026, 3, 3, 12, 0))
			if tc.setup != nil {
				tc.setup(&in)
			}
			got := kinds(evaluate(t, in))
			if tc.want == "" {
				for _, k := range []Kind{KindNoReason, KindNotOnline, KindFee} {
					if c, ok := got[k]; ok {
						t.Fatalf("unexpected card %+v", c)
					}
				}
				return
			}
			c, ok := got[tc.want]
			if !ok || c.Colour != tc.colour || c.UserID != 42 && tc.want != KindFee {
				t.Fatalf("want a %s %s card naming the actor, got %+v", tc.colour.Label(), tc.want.Label(), got)
			}
		})
	}
}

// TestExtensionClearsTheBranchCard: an approved 延长审批 (行政许可法第四十二条)
// lengthens the branch's limit; its yellow card clears at the approval.
func TestExtensionClearsTheBranchCard(t *testing.T) {
	h := springFestival(t)
	in := input(t, h, at(2026, 3, 3, 9, 0))
	out := evaluate(t, in)
	h.do(cases.Command{Kind: cases.CmdRequestExtension, Branch: 0, Days: 10, Reason: "需组织专家论证"}, at(2026, 3, 3, 10, 0))
	h.do(cases.Command{Kind: cases.CmdApproveExtension, Branch: 0, ActorID: 43, ActorLabel: "周强（depthead）"}, at(2026, 3, 3, 11, 0))
	in = input(t, h, at(2026, 3, 3, 12, 0))
	in.Done, in.Open = out.Done, out.Open
	later := evaluate(t, in)
	found := false
	for _, cl := range later.Cleared {
		if cl.Subject == "b0" && cl.Colour == Yellow {
			found = cl.Outcome == "批准延长审批后重新计算，预警解除" && cl.UserID == 43
		}
	}
	if !found {
		t.Fatalf("the 甲局 branch's yellow card clears with the extension: %+v", later.Cleared)
	}
}

// TestHourLimits: a limit in office hours turns yellow at 80 % of its hours
// and red when used up.
func TestHourLimits(t *testing.T) {
	p := oneStep()
	p.Promised = calendar.Limit{N: 8, Unit: calendar.UnitHour}
	p.Branches[0].Steps[0].Limit = calendar.Limit{N: 8, Unit: calendar.UnitHour}
	h := newHistory(t, p).submit(at(2026, 3, 2, 9, 0))
	h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 9, 0))
	// 09:00–12:00 and 13:30–17:30 are seven office hours: 6.4 hours (yellow)
	// are used at 16:54, 8 hours at 10:00 the next day.
	l := ledger{}
	l.add(evaluate(t, input(t, h, at(2026, 3, 3, 12, 0))))
	for _, want := range []string{"case 黄牌 03-02 16:54 → 03-03 10:01 升级为红牌", "case 红牌 03-03 10:01"} {
		if !contains(l.lines(), want) {
			t.Errorf("missing %q in\n%s", want, l)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// TestProvisionalCountsAreCorrected: a case decided on 2027-01-05 whose
// promised limit ran into 2027 before its schedule was imported is
// counted on time provisionally, and the count is confirmed when the
// schedule agrees or corrected when it shows otherwise.
func TestProvisionalCountsAreCorrected(t *testing.T) {
	p := oneStep()
	p.Promised, p.Branches[0].Steps[0].Limit = workdays(5), workdays(5)
	h := newHistory(t, p).submit(at(2026, 12, 28, 9, 0))
	h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 12, 28, 10, 0))
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2027, 1, 5, 15, 0))
	// Provisionally: 12-29, 12-30, 12-31, 01-04, 01-05 (1 January is 元旦,
	// off by law even before the import; 2–3 January the weekend) → due
	// 01-05, decided on the due day: on time, five working days used.
	plain := evaluate(t, input(t, h, at(2027, 1, 5, 16, 0)))
	// The intake (five days from 12-28), the step and the close all ran
	// into 2027.
	if len(plain.Pending) != 3 || plain.Pending[2].Provisional != 2027 || plain.Pending[2].Tallies[0].Counts.Decided != 1 {
		t.Fatalf("the judgements over 2027 are provisional: %+v", plain.Pending)
	}
	onTime := sum(plain.Tallies).OnTime
	// A notice with 元旦 alone near the new year confirms the judgement:
	// nothing to correct.
	in := input(t, h, at(2027, 1, 6, 9, 0))
	in.Done, in.Open, in.Pending, in.Calendar = plain.Done, plain.Open, plain.Pending, withNewYear(t)
	same := evaluate(t, in)
	if len(same.Pending) != 0 || sum(same.Tallies) != (Counts{}) {
		t.Fatalf("a notice that agrees with the law changes no count: pending %+v counts %+v", same.Pending, sum(same.Tallies))
	}
	// With Monday 01-04 off as well the due date is 01-06: still on time,
	// now early, and four working days used instead of five.
	in.Calendar = withBridgingDay(t)
	official := evaluate(t, in)
	if len(official.Pending) != 0 {
		t.Fatalf("the import settles the judgement: %+v", official.Pending)
	}
	fix := sum(official.Tallies)
	if onTime != 1 || fix.OnTime != 0 || fix.Early != 1 || fix.UsedDays != -1 || fix.Decided != 0 {
		t.Fatalf("corrections after the import: %+v (on time before %d)", fix, onTime)
	}
}

func sum(ts []Tally) Counts {
	var c Counts
	for _, t := range ts {
		if t.Dept != 0 {
			c.Add(t.Counts)
		}
	}
	return c
}
