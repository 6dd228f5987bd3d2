package supervision

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
)

// springFestival is the two-department case submitted on 2026-02-12 and
// accepted on Friday 2026-02-13, the last working day before the Spring
// Festival block: its working days are 02-14 (make-up Saturday), 02-24,
// 02-25, 02-26, 02-27, 02-28 (make-up Saturday), 03-02 …
func springFestival(t *testing.T) *history {
	h := newHistory(t, twoDepartments()).submit(at(2026, 2, 12, 10, 0))
	return h.do(cases.Command{Kind: cases.CmdAccept, ActorID: 9, ActorLabel: "陈静（clerk）"}, at(2026, 2, 13, 10, 0))
}

// TestCardsAcrossSpringFestival: with the defaults (yellow at 80 % used or
// one working day left, red when overdue) the 5-day 审核 steps turn yellow
// on 02-26 (4 used) and red on 02-28, the make-up Saturday (6 used); the
// 10-day promised limit (due 03-05) turns yellow on 03-03 (8 used) and red
// on 03-06, for the case and for each 并联 branch.
func TestCardsAcrossSpringFestival(t *testing.T) {
	h := springFestival(t)
	l := ledger{}
	l.add(evaluate(t, input(t, h, at(2026, 3, 9, 9, 0))))
	want := []string{
		"b0 红牌 03-06 00:00", "b0 黄牌 03-03 00:00 → 03-06 00:00 升级为红牌",
		"b1 红牌 03-06 00:00", "b1 黄牌 03-03 00:00 → 03-06 00:00 升级为红牌",
		"case 红牌 03-06 00:00", "case 黄牌 03-03 00:00 → 03-06 00:00 升级为红牌",
		"s0@3 红牌 02-28 00:00", "s0@3 黄牌 02-26 00:00 → 02-28 00:00 升级为红牌",
		"s1@3 红牌 02-28 00:00", "s1@3 黄牌 02-26 00:00 → 02-28 00:00 升级为红牌",
	}
	if got := l.lines(); !reflect.DeepEqual(got, want) {
		t.Fatalf("cards:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestEvaluatingInStepsGivesTheSameCards: a case evaluated whenever its
// timer fires and after each event ends with the same cards as one
// evaluation at the end.
func TestEvaluatingInStepsGivesTheSameCards(t *testing.T) {
	h := springFestival(t)
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 1, Reason: "材料齐全，符合条件"}, at(2026, 2, 27, 16, 0))
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 11, 0))
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "同意准予许可", ActorID: 43, ActorLabel: "周强（depthead）"}, at(2026, 3, 4, 15, 0))
	end := at(2026, 3, 10, 9, 0)
	once := ledger{}
	once.add(evaluate(t, input(t, h, end)))

	steps := ledger{}
	in := input(t, h, time.Time{})
	all := in.Events
	in.Events = all[:3] // submitted and accepted
	in.Now = at(2026, 2, 13, 10, 0)
	for i := 0; ; i++ {
		out := evaluate(t, in)
		steps.add(out)
		in.Done, in.Open, in.Pending = out.Done, out.Open, out.Pending
		// The next run: at the timer, or at the next event if earlier.
		next := out.Next
		if len(in.Events) < len(all) && (next.IsZero() || all[len(in.Events)].At.Before(next)) {
			k := len(in.Events)
			for k < len(all) && all[k].At.Equal(all[len(in.Events)].At) {
				k++
			}
			in.Events, in.Now = all[:k], all[k-1].At
			continue
		}
		if next.IsZero() || next.After(end) || i > 50 {
			break
		}
		in.Now = next
	}
	if once.String() != steps.String() {
		t.Fatalf("one evaluation:\n%s\n\nstep by step:\n%s", once, steps)
	}
	if !strings.Contains(once.String(), "s0@3 红牌 02-28 00:00 → 03-02 11:00 审批通过，超期 2 个工作日") {
		t.Errorf("the late 审核 step's red card must clear when it is passed, naming the delay:\n%s", once)
	}
}

// TestSiteInspectionStopsTheCards: 现场勘察 (a 特别程序 that stops the clock,
// 行政许可法第四十五条) holds 甲局's step where it is; the days of the
// inspection, its first and last day included, do not count. 02-14 and
// 02-24 are used before it (02-25, the day it starts, is its own); after
// it ends on 03-04 come 03-05 and 03-06 (4 used: yellow), and 03-09 is the
// fifth, so red comes on 03-10 — none during the inspection.
func TestSiteInspectionStopsTheCards(t *testing.T) {
	h := springFestival(t)
	h.do(cases.Command{Kind: cases.CmdStartSpecial, Branch: 0, Code: "site_inspection", Reason: "核查经营场所", Days: 5}, at(2026, 2, 25, 15, 0))
	during := evaluate(t, input(t, h, at(2026, 3, 3, 12, 0)))
	l := ledger{}
	l.add(during)
	if s := l.String(); strings.Contains(s, "s0@") || strings.Contains(s, "case ") {
		t.Fatalf("no card for the stopped step or case during the inspection:\n%s", s)
	}
	if !during.Summary.Paused {
		t.Error("the case is suspended during the inspection")
	}
	h.do(cases.Command{Kind: cases.CmdEndSpecial, Branch: 0, Reason: "场所符合要求"}, at(2026, 3, 4, 11, 0))
	after := ledger{}
	after.add(evaluate(t, input(t, h, at(2026, 3, 10, 12, 0))))
	for _, want := range []string{"s0@3 黄牌 03-06 00:00 → 03-10 00:00 升级为红牌", "s0@3 红牌 03-10 00:00"} {
		if !strings.Contains(after.String(), want) {
			t.Errorf("missing %q in:\n%s", want, after)
		}
	}
}

// TestSupplementPausesTheCards: a case returned to the applicant for 补正
// (退回申请人补正) stops its clocks until the correction comes back.
func TestSupplementPausesTheCards(t *testing.T) {
	h := newHistory(t, oneStep()).submit(at(2026, 3, 2, 9, 0))
	h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 3, 2, 10, 0))
	h.do(cases.Command{Kind: cases.CmdReturnToApplicant, Branch: 0, Reason: "缺少场地证明", Items: []string{"场地证明"}}, at(2026, 3, 3, 10, 0))
	mid := evaluate(t, input(t, h, at(2026, 3, 20, 10, 0)))
	if len(mid.Arisen) != 0 || !mid.Summary.Paused || !mid.Next.IsZero() {
		t.Fatalf("while with the applicant: cards %v, paused %v, next %v", mid.Arisen, mid.Summary.Paused, mid.Next)
	}
	h.c.Apply(cases.Event{Kind: cases.EventCorrected, At: at(2026, 3, 23, 9, 0), Branch: -1})
	// 3 days: 03-03 used before the return; 03-24, 03-25 after. Yellow with
	// one day left (03-24), red on 03-26.
	l := ledger{}
	l.add(evaluate(t, input(t, h, at(2026, 3, 27, 9, 0))))
	for _, want := range []string{"case 黄牌 03-24 00:00 → 03-26 00:00 升级为红牌", "case 红牌 03-26 00:00", "s0@3 红牌 03-26 00:00"} {
		if !strings.Contains(l.String(), want) {
			t.Errorf("missing %q in:\n%s", want, l)
		}
	}
}

// TestIntakeFiveWorkingDays: an application must be accepted, refused or
// answered with a one-time 补正 notice within five working days
// (行政许可法第三十二条第一款第（四）项, 第八十二条), on the cases package's
// intake clock. Submitted on Thursday 04-02, across 清明 (04-04 … 04-06)
// the days are 04-03, 04-07, 04-08, 04-09, 04-10: yellow with one day left
// (04-09), red once the office closes on 04-10 (17:30, the first whole
// minute after it). Unanswered then, the application counts as accepted
// from 04-02, so the 3-day promised limit (due 04-08) is overdue at the
// same moment.
func TestIntakeFiveWorkingDays(t *testing.T) {
	h := newHistory(t, oneStep()).submit(at(2026, 4, 2, 16, 0))
	out := evaluate(t, input(t, h, at(2026, 4, 13, 9, 0)))
	l := ledger{}
	l.add(out)
	want := []string{"case 红牌 04-10 17:31", "case 黄牌 04-10 17:31 → 04-10 17:31 升级为红牌",
		"i@2 红牌 04-10 17:31", "i@2 黄牌 04-09 00:00 → 04-10 17:31 升级为红牌"}
	if got := l.lines(); !reflect.DeepEqual(got, want) {
		t.Fatalf("intake cards:\n%s\nwant:\n%s", l, strings.Join(want, "\n"))
	}
	if due := out.Summary.PromisedDue.String(); due != "2026-04-08" {
		t.Errorf("deemed accepted on 04-02, the promised limit is due %s, want 2026-04-08", due)
	}
	if !out.Summary.IntakeLate {
		t.Error("the summary must say the intake is late")
	}
	h.do(cases.Command{Kind: cases.CmdAccept, ActorID: 9, ActorLabel: "陈静（clerk）"}, at(2026, 4, 13, 10, 0))
	in := input(t, h, at(2026, 4, 13, 11, 0))
	in.Done, in.Open = out.Done, out.Open
	later := evaluate(t, in)
	if len(later.Cleared) != 1 || later.Cleared[0].Outcome != "受理，超期 1 个工作日" || later.Cleared[0].UserID != 9 {
		t.Fatalf("accepting clears the red intake card and names the clerk: %+v", later.Cleared)
	}
}

// TestDecemberWithoutNextYear: a case accepted on 2026-12-24 with 10
// working days runs into 2027, whose schedule is not imported: its due date
// and cards are provisional, counted on the plain week with the days off
// the law fixes (1 January is 元旦). When the schedule arrives, a notice
// that only confirms those days makes the same cards official; one that
// adds a day off clears again the yellow cards that only the provisional
// count gave.
func TestDecemberWithoutNextYear(t *testing.T) {
	h := newHistory(t, oneStep()).submit(at(2026, 12, 23, 9, 0))
	h.c.Procedure.Promised = workdays(10)
	h.c.Procedure.Branches[0].Steps[0].Limit = workdays(10)
	h.do(cases.Command{Kind: cases.CmdAccept}, at(2026, 12, 24, 10, 0))
	early := evaluate(t, input(t, h, at(2026, 12, 28, 10, 0)))
	// 12-25, 12-28 … 12-31, then 01-04 … 01-08: Friday 1 January is 元旦,
	// off by law even before the 2027 schedule is imported, 2–3 January
	// the weekend.
	if got := early.Summary.PromisedDue.String(); got != "2027-01-08" || early.Summary.Provisional != 2027 {
		t.Fatalf("provisional due %s (%d), want 2027-01-08 with 元旦 off by law", got, early.Summary.Provisional)
	}
	// On Wednesday 01-06 eight of the ten days are used (12-25, 12-28 …
	// 12-31, 01-04 … 01-06): yellow at 80 %, for the case and its step.
	in := input(t, h, at(2027, 1, 6, 12, 0))
	in.Done, in.Open = early.Done, early.Open
	plain := evaluate(t, in)
	if len(plain.Arisen) != 2 || plain.Arisen[0].Provisional != 2027 || !strings.Contains(plain.Arisen[0].Detail, "暂定") {
		t.Fatalf("a card judged before the import says it is provisional: %+v", plain.Arisen)
	}
	// A notice with 元旦 alone near the new year confirms the count: the
	// cards stay, no longer 暂定, and the due date is the same.
	in.Done, in.Open, in.Calendar = plain.Done, plain.Open, withNewYear(t)
	same := evaluate(t, in)
	if len(same.Cleared) != 0 || len(same.Reflagged) != 2 || same.Reflagged[0].Provisional != 0 {
		t.Fatalf("a notice that agrees with the law keeps the cards, official: cleared %+v reflagged %+v", same.Cleared, same.Reflagged)
	}
	if got := same.Summary.PromisedDue.String(); got != "2027-01-08" || same.Summary.Provisional != 0 {
		t.Fatalf("confirmed due %s (%d), want 2027-01-08", got, same.Summary.Provisional)
	}
	// A notice that also gives Monday 01-04 off: seven days used on 01-06
	// (70 %, four left), so the yellow cards clear, and the tenth working
	// day is Monday 01-11.
	in.Calendar = withBridgingDay(t)
	official := evaluate(t, in)
	if len(official.Cleared) != 2 || official.Cleared[0].Outcome != "工作日历调整后重新计算，预警解除" {
		t.Fatalf("after the import the yellow cards clear: %+v", official.Cleared)
	}
	if got := official.Summary.PromisedDue.String(); got != "2027-01-11" || official.Summary.Provisional != 0 {
		t.Fatalf("official due %s (%d), want 2027-01-11", got, official.Summary.Provisional)
	}
}

// withNewYear is the national calendar with a 2027 schedule whose only day
// off near the new year is 元旦, 01-01, as the law already fixes it.
func withNewYear(t *testing.T) *calendar.Calendar {
	t.Helper()
	return with2027(t, calendar.Day{Date: calendar.NewDate(2027, time.January, 1), Name: "元旦", IsOffDay: true})
}

// withBridgingDay is the national calendar with a 2027 schedule that, for
// the tests, also gives Monday 01-04 off, a day the law does not fix: what
// only the imported notice can say, and what a provisional count is
// corrected by.
func withBridgingDay(t *testing.T) *calendar.Calendar {
	t.Helper()
	d := func(day int) calendar.Date { return calendar.NewDate(2027, time.January, day) }
	return with2027(t, calendar.Day{Date: d(1), Name: "元旦", IsOffDay: true}, calendar.Day{Date: d(4), Name: "元旦", IsOffDay: true})
}

func with2027(t *testing.T, days ...calendar.Day) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(append(calendar.EmbeddedSchedules(), calendar.Schedule{Year: 2027, Days: days}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestNextTimer: the evaluation says when to look again: the next
// threshold of any running limit.
func TestNextTimer(t *testing.T) {
	h := springFestival(t)
	out := evaluate(t, input(t, h, at(2026, 2, 24, 12, 0)))
	if want := at(2026, 2, 26, 0, 0); !out.Next.Equal(want) {
		t.Fatalf("next = %v, want %v (the steps' yellow)", out.Next.In(cst), want)
	}
	out = evaluate(t, input(t, h, at(2026, 3, 7, 12, 0)))
	if !out.Next.IsZero() {
		t.Fatalf("with everything red nothing is left to cross: %v", out.Next.In(cst))
	}
}

// TestIntakeLateAtClosingTime: the intake's red card comes at the same
// moment whenever the case is evaluated — by its timer (set for the
// closing of office hours on the due day), just after it, or days later —
// and on an ordinary week the fifth working day is the due day.
func TestIntakeLateAtClosingTime(t *testing.T) {
	h := newHistory(t, oneStep()).submit(at(2026, 4, 2, 16, 0))
	first := evaluate(t, input(t, h, at(2026, 4, 9, 9, 0)))
	if want := at(2026, 4, 10, 17, 31); !first.Next.Equal(want) {
		t.Fatalf("timer %v, want %v", first.Next.In(cst), want)
	}
	for _, now := range []time.Time{first.Next, at(2026, 4, 10, 18, 0), at(2026, 4, 14, 9, 0)} {
		in := input(t, h, now)
		in.Done, in.Open = first.Done, first.Open
		l := ledger{}
		l.add(evaluate(t, in))
		if !strings.Contains(l.String(), "i@2 红牌 04-10 17:31") {
			t.Errorf("evaluated at %v:\n%s", now.In(cst), l)
		}
	}
	ordinary := newHistory(t, oneStep()).submit(at(2026, 3, 2, 9, 0)) // Monday: due Monday 03-09
	before := evaluate(t, input(t, ordinary, at(2026, 3, 9, 17, 0)))
	if before.Summary.IntakeLate || kinds(before)[KindIntakeLate].Colour != Yellow {
		t.Fatalf("on the due day before closing the intake is yellow, not late: %+v", before.Arisen)
	}
}
