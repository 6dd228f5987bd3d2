package storetest

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/cases"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/supervision"
)

// TestSupervision runs a case through supervision on both backends: cards
// raised by the evaluator as the clock passes their thresholds, scoped to
// each supervisor, 督办 answered, closed and escalated, 催办, the monthly
// counts and the evaluation built from them, frozen periods.
func TestSupervision(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		f := newSupFixture(t, b)
		if _, err := f.sv.Org.SaveWindow(f.ctx, identity.SystemActor(), 0, org.WindowInput{CentreID: f.tr.Centre.ID, Number: "A01",
			Name: "综合受理窗口", Kind: org.WindowComprehensive, DepartmentIDs: []int64{f.tr.Department.ID}, StaffIDs: []int64{f.clerk.UserID}}); err != nil {
			t.Fatal(err)
		}
		a := f.file(1, "a")
		bCase := f.file(2, "b")
		f.clock.Set(cst(3, 2, 10, 0))
		a = f.act(f.clerk, a, cases.Command{Kind: cases.CmdAccept})
		if n := f.evaluateAt(cst(3, 2, 10, 5)); n != 2 {
			t.Fatalf("first evaluation wrote %d cases, want 2", n)
		}
		if n := f.evaluateAt(cst(3, 5, 12, 0)); n != 0 {
			t.Fatalf("no threshold crossed by 03-05: %d evaluated", n)
		}
		if n := f.evaluateAt(cst(3, 9, 9, 0)); n != 2 {
			t.Fatalf("on 03-09 both cases crossed a threshold: %d evaluated", n)
		}
		checkScopes(f, a, bCase)
		checkCardEntries(f, a, bCase)
		checkLists(f, a)
		checkOrders(f, a)
		f.evaluateAt(cst(3, 10, 9, 0))
		f.clock.Set(cst(3, 11, 14, 0))
		f.act(f.approver, a, cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"})
		f.evaluateAt(cst(3, 11, 14, 1))
		checkClosed(f, a)
		checkCounts(f)
		checkEvaluation(f)
		checkRefusals(f)
		checkSettings(f)
	})
}

func checkScopes(f *supFixture, a, b *cases.Case) {
	t := f.t
	for _, tc := range []struct {
		who  *identity.Actor
		want []string
	}{{f.xhSup, []string{a.Number}}, {f.yhSup, []string{b.Number}}, {f.citySup, []string{a.Number, b.Number}}} {
		cards, _, err := f.sup.Cards(f.ctx, tc.who, supervision.CardFilter{InForce: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cards {
			got = append(got, c.CaseNumber)
			if c.Colour != supervision.Yellow || c.Number == "" || !c.AroseAt.Equal(cst(3, 6, 0, 0)) {
				t.Errorf("card %+v: want yellow from 03-06 00:00", c)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s sees cards of %v, want %v", tc.who.Username, got, tc.want)
		}
	}
	wb, err := f.sup.Workbench(f.ctx, f.xhSup, 0)
	if err != nil || wb.Total.Open != 1 || wb.Total.Review != 1 || wb.Yellow != 1 || wb.Red != 0 {
		t.Fatalf("西湖区 workbench %+v %v", wb, err)
	}
	wb, err = f.sup.Workbench(f.ctx, f.yhSup, 0)
	if err != nil || wb.Total.Intake != 1 || wb.Total.IntakeLate != 0 || len(wb.Depts) != 1 || wb.Depts[0].Name != "余杭区市场监督管理局" {
		t.Fatalf("余杭区 workbench %+v %v", wb, err)
	}
	if _, err := f.sup.Workbench(f.ctx, f.approver, 0); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("an approver has no supervision workbench: %v", err)
	}
	mine, _, err := f.sup.MyCards(f.ctx, f.approver, 0)
	if err != nil || len(mine) != 1 || mine[0].CaseID != a.ID || mine[0].Role != "approver" {
		t.Fatalf("the approver's own cards (the step in their queue): %+v %v", mine, err)
	}
	mine, _, err = f.sup.MyCards(f.ctx, f.yhClerk, 0)
	if err != nil || len(mine) != 1 || mine[0].CaseID != b.ID || mine[0].Kind != supervision.KindIntakeLate {
		t.Fatalf("the 余杭区 clerk's cards (the intake waiting on them): %+v %v", mine, err)
	}
}

func checkLists(f *supFixture, a *cases.Case) {
	t := f.t
	for _, tc := range []struct {
		filter supervision.CaseFilter
		want   int
	}{
		{supervision.CaseFilter{}, 1},
		{supervision.CaseFilter{Colour: supervision.Yellow}, 1},
		{supervision.CaseFilter{Colour: supervision.Red}, 0},
		{supervision.CaseFilter{Status: cases.StatusReview}, 1},
		{supervision.CaseFilter{Status: cases.StatusSubmitted}, 0},
		{supervision.CaseFilter{Due: "week"}, 0}, // due 03-16, next week
		{supervision.CaseFilter{ItemCode: "XK00001000", From: "2026-03-02", To: "2026-03-02"}, 1},
		{supervision.CaseFilter{From: "2026-03-03"}, 0},
		{supervision.CaseFilter{UserID: f.clerk.UserID}, 1},
	} {
		rows, n, err := f.sup.Cases(f.ctx, f.xhSup, tc.filter)
		if err != nil || n != tc.want || len(rows) != tc.want {
			t.Errorf("filter %+v: %d rows, want %d (%v)", tc.filter, n, tc.want, err)
		}
		if n == 1 && (rows[0].CaseID != a.ID || rows[0].PromisedDue != "2026-03-16" || rows[0].WindowID == 0) {
			t.Errorf("row %+v", rows[0])
		}
	}
	if _, _, err := f.sup.Cases(f.ctx, f.xhSup, supervision.CaseFilter{From: "03-01"}); apperr.FieldsOf(err)["from"] == "" {
		t.Errorf("a bad date names its field: %v", err)
	}
	u, err := f.sup.UrgeCase(f.ctx, f.xhSup, a.ID, "请今日办结")
	if err != nil || u.Recipients != 2 || !slices.Contains(f.rec.kinds(f.approver.UserID), "supervision.urge") {
		t.Fatalf("催办 to the approver and head of the step: %+v %v", u, err)
	}
	if _, err := f.sup.UrgeCase(f.ctx, f.yhSup, a.ID, ""); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("another county's supervisor cannot urge: %v", err)
	}
}

func checkOrders(f *supFixture, a *cases.Case) {
	t := f.t
	if _, err := f.sup.IssueOrder(f.ctx, f.yhSup, supervision.OrderInput{CaseID: a.ID, Content: "请说明延误原因", Days: 2, Level: 1}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("督办 outside the scope: %v", err)
	}
	if _, err := f.sup.IssueOrder(f.ctx, f.xhSup, supervision.OrderInput{CaseID: a.ID, Content: "短", Days: 0, Level: 1}); apperr.FieldsOf(err)["days"] == "" {
		t.Fatalf("a bad 督办 names its fields: %v", err)
	}
	o, err := f.sup.IssueOrder(f.ctx, f.xhSup, supervision.OrderInput{CaseID: a.ID, Content: "请说明审核环节延误原因", Days: 2, Level: 1})
	if err != nil || o.Due.String() != "2026-03-11" || o.DeptID != f.tr.Department.ID || !strings.HasPrefix(o.Number, "DB330106") {
		t.Fatalf("督办 %+v %v", o, err)
	}
	if _, err := f.sup.CloseOrder(f.ctx, f.approver, o.ID, "完成"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("the department cannot close its own 督办: %v", err)
	}
	if o, err = f.sup.AnswerOrder(f.ctx, f.approver, o.ID, "材料核查耗时，今日办结"); err != nil || o.Status != supervision.OrderAnswered {
		t.Fatalf("answer: %+v %v", o, err)
	}
	if o, err = f.sup.CloseOrder(f.ctx, f.xhSup, o.ID, "已说明原因，督促按时办结"); err != nil || o.Status != supervision.OrderClosed {
		t.Fatalf("close: %+v %v", o, err)
	}
	late, err := f.sup.IssueOrder(f.ctx, f.xhSup, supervision.OrderInput{DeptID: f.tr.Department.ID, Content: "请报告本月超期办件情况", Days: 1, Level: 1})
	if err != nil || late.Due.String() != "2026-03-10" {
		t.Fatalf("department 督办 %+v %v", late, err)
	}
	f.clock.Set(cst(3, 10, 12, 0))
	if err := f.sup.EscalateOrder(f.ctx, late.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sup.Order(f.ctx, f.xhSup, late.ID); got.Level != 1 {
		t.Fatal("a 督办 is not escalated before its deadline")
	}
	f.clock.Set(cst(3, 11, 0, 1))
	if n, err := f.sup.EscalateDue(f.ctx); err != nil || n != 1 {
		t.Fatalf("escalated %d 督办 past their deadline: %v", n, err)
	}
	got, err := f.sup.Order(f.ctx, f.citySup, late.ID)
	if err != nil || got.Level != 2 || got.Due.String() != "2026-03-12" || !strings.Contains(got.EscalatedTo, "杭州市") {
		t.Fatalf("escalated: %+v %v", got, err)
	}
	for _, u := range []*identity.Actor{f.head, f.citySup} {
		if !slices.Contains(f.rec.kinds(u.UserID), "supervision.order.escalated") {
			t.Errorf("%s was not told of the 二级督办", u.Username)
		}
	}
	wb, _ := f.sup.Workbench(f.ctx, f.xhSup, 0)
	if wb.OrdersOpen != 1 || wb.OrdersOverdue != 0 {
		t.Errorf("open 督办 on the workbench: %d (%d overdue)", wb.OrdersOpen, wb.OrdersOverdue)
	}
}

func checkClosed(f *supFixture, a *cases.Case) {
	t := f.t
	cards, _, err := f.sup.Cards(f.ctx, f.xhSup, supervision.CardFilter{})
	if err != nil || len(cards) != 2 {
		t.Fatalf("cards of the closed case: %+v %v", cards, err)
	}
	red := cards[0]
	if red.Colour != supervision.Red || red.Outcome != "审批通过，超期 2 个工作日" || red.UserID != f.approver.UserID || red.InForce() {
		t.Fatalf("the red step card clears when the step is passed late, naming the approver: %+v", red)
	}
	entries, err := f.sv.Audit.Find(f.ctx, audit.Filter{Action: "supervision.cards", ObjectType: "case", ObjectID: fmtInt(a.ID)})
	if err != nil || len(entries) < 2 || entries[0].ActorID != 0 {
		t.Fatalf("the cards' arising and clearing are in the audit log, by the system: %d %v", len(entries), err)
	}
	if _, err := f.sv.Stores.Supervision.FindWatch(f.ctx, a.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a closed case is no longer watched: %v", err)
	}
	if _, err := f.sup.ResolveCard(f.ctx, f.xhSup, red.ID, supervision.ResolveInput{Resolution: "情况属实，已约谈", Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sup.ResolveCard(f.ctx, f.xhSup, red.ID, supervision.ResolveInput{Resolution: "再次"}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a finding is made once: %v", err)
	}
}

// checkCounts: the month's counts are exactly the events' (a hand count).
func checkCounts(f *supFixture) {
	t := f.t
	rows, err := f.sv.Stores.Supervision.FindStats(f.ctx, supervision.StatFilter{CentreIDs: []int64{f.tr.Centre.ID}, Months: []string{"2026-03"}})
	if err != nil {
		t.Fatal(err)
	}
	by := map[supervision.Dimension]supervision.Counts{}
	for _, r := range rows {
		c := by[r.Dim]
		c.Add(r.Counts)
		by[r.Dim] = c
	}
	want := supervision.Counts{Received: 1, Accepted: 1, IntakeTotal: 1, IntakeOnTime: 1, Decided: 1, OnTime: 1, Early: 1,
		UsedDays: 7, PromisedDays: 10, Steps: 1, Yellow: 1, Red: 1, Orders: 2}
	if by[supervision.DimDept] != want {
		t.Errorf("department counts\n got %+v\nwant %+v", by[supervision.DimDept], want)
	}
	if w := by[supervision.DimWindow]; w.Accepted != 1 || w.IntakeOnTime != 1 {
		t.Errorf("window counts %+v", w)
	}
	if u := by[supervision.DimUser]; u.Steps != 1 || u.StepsOnTime != 0 || u.Red != 1 || u.Accepted != 1 {
		t.Errorf("person counts %+v", u)
	}
}

func checkEvaluation(f *supFixture) {
	t := f.t
	p, _ := supervision.ParsePeriod("2026-03")
	ev, err := f.sup.Evaluate(f.ctx, f.xhSup, f.tr.Centre.ID, p)
	if err != nil || len(ev.Depts) != 1 || len(ev.Windows) != 1 || len(ev.Users) != 2 || !ev.Depts[0].Scored {
		t.Fatalf("evaluation %+v %v", ev, err)
	}
	if fig, ok := ev.Depts[0].Figure(supervision.IndOnTime); !ok || fig.Value != 1 {
		t.Errorf("按时办结率 %+v", fig)
	}
	if _, err := f.sup.Evaluate(f.ctx, f.yhSup, f.tr.Centre.ID, p); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("another county's centre is out of scope: %v", err)
	}
	if own, err := f.sup.Evaluate(f.ctx, f.head, f.tr.Centre.ID, p); err != nil || len(own.Depts) != 1 || own.Users != nil {
		t.Fatalf("a department head sees their department: %+v %v", own, err)
	}
	if _, err := f.sup.Freeze(f.ctx, f.xhSup, f.tr.Centre.ID, p); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a running month cannot be closed: %v", err)
	}
	f.clock.Set(cst(4, 1, 8, 0))
	frozen, err := f.sup.Freeze(f.ctx, f.xhSup, f.tr.Centre.ID, p)
	if err != nil || !frozen.Frozen {
		t.Fatalf("freeze %v", err)
	}
	if _, err := f.sup.Freeze(f.ctx, f.xhSup, f.tr.Centre.ID, p); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a period is frozen once: %v", err)
	}
	again, err := f.sup.Evaluate(f.ctx, f.xhSup, f.tr.Centre.ID, p)
	if err != nil || !again.Frozen || again.Total.Counts != ev.Total.Counts {
		t.Fatalf("the frozen period shows its figures: %+v %v", again, err)
	}
}

// checkRefusals: a refusal without a real reason earns a red card, and the
// same request accepted later a yellow one on the refusal.
func checkRefusals(f *supFixture) {
	t := f.t
	f.clock.Set(cst(4, 1, 9, 0))
	c := f.file(1, "c")
	f.act(f.clerk, c, cases.Command{Kind: cases.CmdRefuse, Reason: "不符"})
	f.evaluateAt(cst(4, 1, 9, 5))
	f.clock.Set(cst(4, 2, 9, 0))
	d := f.file(1, "d")
	f.act(f.clerk, d, cases.Command{Kind: cases.CmdAccept})
	f.evaluateAt(cst(4, 2, 9, 5))
	cards, _, err := f.sup.Cards(f.ctx, f.xhSup, supervision.CardFilter{InForce: true})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[supervision.Kind]int64{}
	for _, card := range cards {
		kinds[card.Kind] = card.CaseID
	}
	if kinds[supervision.KindNoReason] != c.ID || kinds[supervision.KindRefusedLegal] != c.ID {
		t.Fatalf("cards on the refused case: %+v", cards)
	}
	if n, err := f.sup.ReevaluateAll(f.ctx); err != nil || n != 0 {
		t.Fatalf("re-evaluating with nothing changed writes nothing: %d %v", n, err)
	}
}

func checkSettings(f *supFixture) {
	t := f.t
	r := supervision.DefaultRules()
	r.YellowPercent = 90
	if _, err := f.sup.SaveRules(f.ctx, f.xhSup, f.tr.Centre.ID, r); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a supervisor does not set rules: %v", err)
	}
	if saved, err := f.sup.SaveRules(f.ctx, f.admin, f.tr.Centre.ID, r); err != nil || saved.YellowPercent != 90 {
		t.Fatalf("rules %v", err)
	}
	if got, err := f.sup.RulesOf(f.ctx, f.xhSup, f.tr.Centre.ID); err != nil || got.YellowPercent != 90 || got.Policy.Pass != 60 {
		t.Fatalf("rules read back %+v %v", got, err)
	}
	r.YellowPercent = 20
	if _, err := f.sup.SaveRules(f.ctx, f.admin, f.tr.Centre.ID, r); apperr.FieldsOf(err)["yellow_percent"] == "" {
		t.Fatalf("bad rules name the field: %v", err)
	}
	for range 2 {
		if _, err := f.sup.PublishHead(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if heads, err := f.sup.Heads(f.ctx, 10); err != nil || len(heads) != 1 || len(heads[0].Hash) != 64 {
		t.Fatalf("one head per day: %+v %v", heads, err)
	}
	card, err := f.sup.RaiseCard(f.ctx, f.yhSup, supervision.ManualInput{DeptID: f.other.ID, Kind: supervision.KindOther, Colour: supervision.Red, Detail: "窗口人员脱岗"})
	if err != nil || !strings.HasPrefix(card.Number, "JC330110") || !card.Manual {
		t.Fatalf("manual card %+v %v", card, err)
	}
	// The same card sent again at the same instant (the clock stands
	// still here) is refused as a repeat, not failed on the unique key.
	again := supervision.ManualInput{DeptID: f.other.ID, Kind: supervision.KindOther, Colour: supervision.Red, Detail: "窗口人员脱岗"}
	if _, err := f.sup.RaiseCard(f.ctx, f.yhSup, again); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("the same card again at the same instant: %v", err)
	}
	if _, err := f.sup.RaiseCard(f.ctx, f.yhSup, supervision.ManualInput{DeptID: f.tr.Department.ID, Kind: supervision.KindOther, Colour: supervision.Red, Detail: "越权录入"}); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("a card outside the scope: %v", err)
	}
}

// checkCardEntries: the audit entries of the cards that arose on a case
// are read by its county's 监察人员, not by the other county's.
func checkCardEntries(f *supFixture, a, b *cases.Case) {
	t := f.t
	for _, tc := range []struct {
		who  *identity.Actor
		want []string
	}{{f.xhSup, []string{strconv.FormatInt(a.ID, 10)}}, {f.yhSup, []string{strconv.FormatInt(b.ID, 10)}},
		{f.citySup, []string{strconv.FormatInt(a.ID, 10), strconv.FormatInt(b.ID, 10)}}} {
		reach, err := identity.AuditReach(tc.who)
		if err != nil {
			t.Fatal(err)
		}
		es, err := f.sv.Audit.Find(f.ctx, audit.Filter{Action: "supervision.cards", Within: reach})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, e := range es {
			got[e.ObjectID] = true
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s reads the card entries of cases %v, want %v", tc.who.Name, got, tc.want)
		}
		for _, id := range tc.want {
			if !got[id] {
				t.Errorf("%s does not read the card entries of case %s", tc.who.Name, id)
			}
		}
	}
}
