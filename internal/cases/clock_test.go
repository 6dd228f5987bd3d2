package cases

import (
	"testing"
	"time"

	"openhall/internal/calendar"
)

func clocksAt(t *testing.T, c *Case, now time.Time) Clocks {
	t.Helper()
	cl, err := ComputeClocks(c, nationalCalendar(t), calendar.DefaultOfficeHours(), now)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

// accepted is the two-department case accepted on Friday 2026-02-13, the
// last working day before the Spring Festival block (02-14 is a Saturday
// make-up working day; 02-15 … 02-23 are off; 02-28 is a make-up Saturday).
func accepted(t *testing.T) *Case {
	c := newCase(twoDepartments())
	do(t, c, Command{Kind: CmdSubmit}, at(2026, 2, 12, 10, 0))
	do(t, c, Command{Kind: CmdAccept}, at(2026, 2, 13, 10, 0))
	return c
}

func TestClocksAcrossSpringFestival(t *testing.T) {
	c := accepted(t)
	cl := clocksAt(t, c, at(2026, 2, 24, 9, 0))
	if got := cl.Promised.Due.String(); got != "2026-03-05" {
		t.Errorf("promised due (10 wd) = %s, want 2026-03-05", got)
	}
	if got := cl.Legal.Due.String(); got != "2026-03-19" {
		t.Errorf("legal due (20 wd) = %s, want 2026-03-19", got)
	}
	if cl.Promised.Consumed != 2 || cl.Promised.Remaining != 8 {
		t.Errorf("on 02-24: consumed %d, remaining %d; want 2 (02-14, 02-24) and 8", cl.Promised.Consumed, cl.Promised.Remaining)
	}
	if got := cl.Branches[0].Step.Due.String(); got != "2026-02-27" {
		t.Errorf("审核 step (5 wd) due %s, want 2026-02-27", got)
	}
	if !cl.Promised.DueAt.Equal(at(2026, 3, 5, 17, 30)) {
		t.Errorf("due at %v, want the end of office hours", cl.Promised.DueAt)
	}
}

// TestSiteInspectionStopsTheClock: a special procedure consumes the working
// days from its start day to its end day, both included (行政许可法 Art 45),
// here across the Spring Festival's make-up Saturday 02-28.
func TestSiteInspectionStopsTheClock(t *testing.T) {
	c := accepted(t)
	do(t, c, Command{Kind: CmdStartSpecial, Branch: 0, Code: "site_inspection", Reason: "核查场所", Days: 3}, at(2026, 2, 26, 15, 0))
	during := clocksAt(t, c, at(2026, 3, 2, 10, 0))
	if !during.Promised.Paused || !during.Branches[0].Branch.Paused || during.Branches[1].Branch.Paused {
		t.Fatalf("paused: case %v, 甲局 %v, 乙局 %v; want true, true, false", during.Promised.Paused, during.Branches[0].Branch.Paused, during.Branches[1].Branch.Paused)
	}
	if during.Promised.Consumed != 3 {
		t.Errorf("consumed while paused = %d, want 3 (02-14, 02-24, 02-25: the start day 02-26 is the procedure's)", during.Promised.Consumed)
	}
	do(t, c, Command{Kind: CmdEndSpecial, Branch: 0, Reason: "场所符合要求"}, at(2026, 3, 3, 11, 0))
	after := clocksAt(t, c, at(2026, 3, 4, 9, 0))
	// 02-26, 02-27, 02-28, 03-02 and 03-03 did not count: the due date moves by 5 working days.
	if got := after.Promised.Due.String(); got != "2026-03-12" {
		t.Errorf("promised due after the inspection = %s, want 2026-03-12", got)
	}
	if sp := after.Specials; len(sp) != 1 || sp[0].Days != 5 || sp[0].Expected != 3 || sp[0].End.IsZero() {
		t.Errorf("the inspection took 5 working days (02-26 … 03-03, both included), 3 expected: %+v", sp)
	}
	if got := after.Branches[1].Branch.Due.String(); got != "2026-03-05" {
		t.Errorf("乙局's own clock must not move: %s", got)
	}
	again := clocksAt(t, c, at(2026, 3, 4, 9, 0))
	if a, b := again.Promised, after.Promised; a.Due != b.Due || a.Consumed != b.Consumed || !a.DueAt.Equal(b.DueAt) {
		t.Error("recomputing gave a different clock")
	}
}

// TestCountedProcedureDoesNotStopTheClock: a procedure the item counts
// (not one of Art 45's) leaves the due date where it was.
func TestCountedProcedureDoesNotStopTheClock(t *testing.T) {
	c := accepted(t)
	do(t, c, Command{Kind: CmdStartSpecial, Branch: 0, Code: "public_notice", Reason: "批前公示", Days: 7}, at(2026, 2, 26, 15, 0))
	do(t, c, Command{Kind: CmdEndSpecial, Branch: 0, Reason: "公示无异议"}, at(2026, 3, 3, 11, 0))
	cl := clocksAt(t, c, at(2026, 3, 4, 9, 0))
	if got := cl.Promised.Due.String(); got != "2026-03-05" {
		t.Errorf("promised due = %s, want it unchanged at 2026-03-05", got)
	}
	if sp := cl.Specials; len(sp) != 1 || sp[0].Days != 6 {
		t.Errorf("批前公示 counts natural days 02-26 … 03-03, both included: %+v", sp)
	}
}

// TestSameDaySpecialProcedure: a procedure started and ended on one day
// takes that whole day, and no other.
func TestSameDaySpecialProcedure(t *testing.T) {
	c := accepted(t)
	do(t, c, Command{Kind: CmdStartSpecial, Branch: 0, Code: "expert_review", Reason: "专家论证", Days: 1}, at(2026, 2, 25, 9, 0))
	do(t, c, Command{Kind: CmdEndSpecial, Branch: 0, Reason: "论证通过"}, at(2026, 2, 25, 16, 0))
	cl := clocksAt(t, c, at(2026, 2, 26, 9, 0))
	if cl.Promised.Due.String() != "2026-03-06" || cl.Specials[0].Days != 1 {
		t.Errorf("one day out: due %s (want 2026-03-06), took %d", cl.Promised.Due, cl.Specials[0].Days)
	}
}

func TestExtensionLengthensOnlyTheLegalLimit(t *testing.T) {
	c := accepted(t)
	do(t, c, Command{Kind: CmdRequestExtension, Branch: 0, Days: 10, Reason: "情况复杂"}, at(2026, 3, 2, 9, 0))
	if got := clocksAt(t, c, at(2026, 3, 2, 10, 0)).Legal.Due.String(); got != "2026-03-19" {
		t.Errorf("before approval the legal due is unchanged: %s", got)
	}
	do(t, c, Command{Kind: CmdApproveExtension, Branch: 0}, at(2026, 3, 2, 11, 0))
	cl := clocksAt(t, c, at(2026, 3, 2, 12, 0))
	if cl.Legal.Limit.N != 30 || cl.Legal.Due.String() != "2026-04-02" {
		t.Errorf("legal after a 10-day extension: %d, %s; want 30, 2026-04-02", cl.Legal.Limit.N, cl.Legal.Due)
	}
	if cl.Promised.Due.String() != "2026-03-05" {
		t.Errorf("promised must not move: %s", cl.Promised.Due)
	}
}

func TestReturnToApplicantPausesAndOverdue(t *testing.T) {
	c := accepted(t)
	do(t, c, Command{Kind: CmdReturnToApplicant, Branch: 1, Reason: "图纸缺页", Items: []string{"平面图第2页"}}, at(2026, 2, 25, 9, 0))
	do(t, c, Command{Kind: CmdCorrect, Answers: []string{"已补第2页"}}, at(2026, 3, 4, 16, 0))
	cl := clocksAt(t, c, at(2026, 3, 20, 9, 0))
	// Paused 02-26 … 03-04 (6 working days incl. the make-up Saturday 02-28).
	if got := cl.Promised.Due.String(); got != "2026-03-13" {
		t.Errorf("promised due after correction = %s, want 2026-03-13", got)
	}
	if !cl.Promised.Overdue || cl.Promised.Remaining >= 0 {
		t.Errorf("on 03-20 the promise is broken: overdue %v remaining %d", cl.Promised.Overdue, cl.Promised.Remaining)
	}
	if cl.Legal.Overdue {
		t.Error("the legal limit is not yet reached")
	}
}

func TestClosedCaseStopsItsClocks(t *testing.T) {
	c := accepted(t)
	do(t, c, Command{Kind: CmdPass, Branch: 1, Reason: "同意"}, at(2026, 2, 25, 10, 0))
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "同意"}, at(2026, 2, 26, 10, 0))
	do(t, c, Command{Kind: CmdPass, Branch: 0, Reason: "准予"}, at(2026, 2, 27, 10, 0))
	cl := clocksAt(t, c, at(2026, 6, 1, 9, 0))
	if !cl.Promised.Stopped || cl.Promised.Overdue || cl.Promised.Consumed != 5 {
		t.Errorf("closed on 02-27: stopped %v overdue %v consumed %d", cl.Promised.Stopped, cl.Promised.Overdue, cl.Promised.Consumed)
	}
	if cl.Branches[1].Branch.Consumed != 3 {
		t.Errorf("乙局 decided on 02-25 after %d working days, want 3", cl.Branches[1].Branch.Consumed)
	}
}

func TestNaturalDayAndHourLimits(t *testing.T) {
	p := twoDepartments()
	p.Promised = calendar.Limit{N: 7, Unit: calendar.UnitNaturalDay}
	p.Legal = calendar.Limit{N: 4, Unit: calendar.UnitHour}
	c := newCase(p)
	do(t, c, Command{Kind: CmdSubmit}, at(2026, 9, 24, 9, 0))
	do(t, c, Command{Kind: CmdAccept}, at(2026, 9, 24, 16, 0))
	cl := clocksAt(t, c, at(2026, 9, 24, 17, 0))
	// 09-24 + 7 days = 10-01, a holiday: the period ends on the next working day, 10-08.
	if got := cl.Promised.Due.String(); got != "2026-10-08" {
		t.Errorf("7 natural days from 09-24 = %s, want 2026-10-08", got)
	}
	// 16:00 Thursday + 4 office hours: 1.5 h that day, then Friday 09-25 is
	// 中秋节 and the weekend follows; Monday 09-28 09:00 + 2.5 h = 11:30.
	if !cl.Legal.DueAt.Equal(at(2026, 9, 28, 11, 30)) {
		t.Errorf("4 office hours from 09-24 16:00 = %v, want 2026-09-28 11:30", cl.Legal.DueAt)
	}
}

// TestClockWithoutCalendarData: in December, with next year's schedule not
// imported, the due date is computed on the plain week with the days off
// the law fixes (放假办法 Art 2) and marked provisional; once the schedule
// is imported the same events give the official date.
func TestClockWithoutCalendarData(t *testing.T) {
	c := newCase(twoDepartments())
	do(t, c, Command{Kind: CmdSubmit}, at(2026, 12, 20, 9, 0))
	do(t, c, Command{Kind: CmdAccept}, at(2026, 12, 21, 9, 0))
	now := at(2026, 12, 22, 9, 0)
	cl, err := ComputeClocks(c, nationalCalendar(t), calendar.DefaultOfficeHours(), now)
	if err != nil {
		t.Fatal(err)
	}
	// 10 working days from Monday 21 December: 22–25, 28–31, then
	// provisionally Monday 4 and Tuesday 5 January. Friday 1 January is
	// 元旦, off by law even before the 2027 schedule is imported; 2 and 3
	// January are the weekend.
	if p := cl.Promised; p.Provisional != 2027 || p.MissingYear != 0 || p.Due.String() != "2027-01-05" {
		t.Fatalf("provisional due date: %+v", p)
	}
	if cl.Promised.DueAt.Year() != 2027 {
		t.Fatalf("DueAt must be a real date: %v", cl.Promised.DueAt)
	}
	// The 2027 notice confirms 元旦 on 1 January and adds no day: the same
	// date, now official.
	cal := calendarWith2027(t)
	cl, err = ComputeClocks(c, cal, calendar.DefaultOfficeHours(), now)
	if err != nil {
		t.Fatal(err)
	}
	if p := cl.Promised; p.Provisional != 0 || p.Due.String() != "2027-01-05" {
		t.Fatalf("official due date after the import: %+v", p)
	}
}

// calendarWith2027 is the national calendar plus a 2027 schedule whose only
// holiday near the new year is 1 January.
func calendarWith2027(t *testing.T) *calendar.Calendar {
	t.Helper()
	y := calendar.NewDate(2027, time.January, 1)
	cal, err := calendar.New(append(calendar.EmbeddedSchedules(), calendar.Schedule{Year: 2027,
		Days: []calendar.Day{{Date: y, Name: "元旦", IsOffDay: true}}}), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}
