package complaint

import (
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/workclock"
)

var cst = time.FixedZone("CST", 8*3600)

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, cst) }

func filed(when time.Time) *Complaint {
	c := &Complaint{Kind: KindComplaint, RegionPath: "/1/2/3/", Channel: ChannelOnline, Complainant: Complainant{UserID: 9, Name: "李四", Phone: "13800001234"}}
	c.Apply(Event{Kind: EvSubmitted, At: when, ActorID: 9, ActorLabel: "李*（citizen）"})
	return c
}

func do(t *testing.T, c *Complaint, cmd Command, when time.Time) {
	t.Helper()
	evs, err := Transition(c, cmd, when)
	if err != nil {
		t.Fatalf("%s: %v", cmd.Kind, err)
	}
	for _, e := range evs {
		c.Apply(e)
	}
}

func TestTransitions(t *testing.T) {
	tests := []struct {
		name   string
		status Status
		cmd    Command
		code   apperr.Code
		want   Status
	}{
		{"accept and assign", StatusSubmitted, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, "", StatusAssigned},
		{"accept only", StatusSubmitted, Command{Kind: CmdAccept}, "", StatusAccepted},
		{"accept with a bad deadline", StatusSubmitted, Command{Kind: CmdAccept, DepartmentID: 7, Days: 31}, apperr.Invalid, ""},
		{"refuse without reason", StatusSubmitted, Command{Kind: CmdRefuse}, apperr.Invalid, ""},
		{"refuse", StatusSubmitted, Command{Kind: CmdRefuse, Text: "不属于政务服务投诉范围"}, "", StatusRefused},
		{"assign", StatusAccepted, Command{Kind: CmdAssign, DepartmentID: 7, Days: 5}, "", StatusAssigned},
		{"assign without department", StatusAccepted, Command{Kind: CmdAssign, Days: 5}, apperr.Invalid, ""},
		{"department returns", StatusAssigned, Command{Kind: CmdReturn, Text: "非本部门职责"}, "", StatusAccepted},
		{"department replies", StatusAssigned, Command{Kind: CmdReply, Text: "已约谈窗口人员"}, "", StatusReplied},
		{"reply before assignment", StatusAccepted, Command{Kind: CmdReply, Text: "答复"}, apperr.Conflict, ""},
		{"answer", StatusReplied, Command{Kind: CmdAnswer, Text: "经查属实，已整改"}, "", StatusAnswered},
		{"answer a consultation directly", StatusAccepted, Command{Kind: CmdAnswer, Text: "可网上办理"}, "", StatusAnswered},
		{"rate", StatusAnswered, Command{Kind: CmdRate, Level: 2}, "", StatusClosed},
		{"rate out of range", StatusAnswered, Command{Kind: CmdRate, Level: 6}, apperr.Invalid, ""},
		{"reopen", StatusClosed, Command{Kind: CmdReopen, Text: "问题仍未解决"}, "", StatusAccepted},
		{"reopen a refusal", StatusRefused, Command{Kind: CmdReopen, Text: "再议"}, apperr.Conflict, ""},
		{"answer too long", StatusReplied, Command{Kind: CmdAnswer, Text: strings.Repeat("答", 4001)}, apperr.Invalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filed(at(2026, 3, 9, 10))
			c.Status = tt.status
			evs, err := Transition(c, tt.cmd, at(2026, 3, 10, 10))
			if got := apperr.CodeOf(err); got != tt.code {
				t.Fatalf("error %v (code %q), want %q", err, got, tt.code)
			}
			for _, e := range evs {
				c.Apply(e)
			}
			if err == nil && c.Status != tt.want {
				t.Fatalf("status %s, want %s", c.Status, tt.want)
			}
		})
	}
}

func TestReopenOnce(t *testing.T) {
	c := filed(at(2026, 3, 9, 10))
	do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 9, 15))
	do(t, c, Command{Kind: CmdReply, Text: "已处理"}, at(2026, 3, 12, 10))
	do(t, c, Command{Kind: CmdAnswer, Text: "已处理"}, at(2026, 3, 12, 15))
	do(t, c, Command{Kind: CmdReopen, Text: "未解决"}, at(2026, 3, 13, 10))
	do(t, c, Command{Kind: CmdAssign, DepartmentID: 7, Days: 5}, at(2026, 3, 13, 15))
	do(t, c, Command{Kind: CmdReply, Text: "已再次处理"}, at(2026, 3, 16, 10))
	do(t, c, Command{Kind: CmdAnswer, Text: "已再次处理"}, at(2026, 3, 16, 15))
	if _, err := Transition(c, Command{Kind: CmdReopen, Text: "还是不行"}, at(2026, 3, 17, 10)); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second reopening: %v", err)
	}
}

func national(t *testing.T) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestClocks: acceptance within 5 working days and the department's
// deadline, on an ordinary day, across the Spring Festival block (02-14
// and 02-28 are make-up Saturdays) and in December without the 2027
// schedule.
func TestClocks(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name                 string
		submitted, assigned  time.Time
		now                  time.Time
		accept, dept         string
		acceptWarn, deptWarn workclock.Warning
		provisional          int
	}{
		{"ordinary", at(2026, 3, 9, 10), at(2026, 3, 10, 10), at(2026, 3, 13, 9), "2026-03-16", "2026-03-24", workclock.WarnNone, workclock.WarnNone, 0},
		{"spring festival", at(2026, 2, 12, 10), at(2026, 2, 13, 10), at(2026, 2, 24, 9), "2026-02-26", "2026-03-05", workclock.WarnNone, workclock.WarnNone, 0},
		// 元旦 01-01 is off by law before the 2027 schedule is imported.
		{"december", at(2026, 12, 28, 10), at(2026, 12, 29, 10), at(2026, 12, 30, 9), "2027-01-05", "2027-01-13", workclock.WarnNone, workclock.WarnNone, 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filed(tt.submitted)
			do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, tt.assigned)
			cl, err := ComputeClocks(c, cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if cl.Accept.Due.String() != tt.accept || cl.Department.Due.String() != tt.dept || cl.Department.Provisional != tt.provisional {
				t.Fatalf("受理 %s, 部门 %s (暂定 %d); want %s, %s (%d)", cl.Accept.Due, cl.Department.Due, cl.Department.Provisional, tt.accept, tt.dept, tt.provisional)
			}
			if !cl.Accept.Met || cl.Accept.Warning != tt.acceptWarn || cl.Department.Warning != tt.deptWarn {
				t.Fatalf("warnings %q %q", cl.Accept.Warning, cl.Department.Warning)
			}
		})
	}
}

func TestUnacceptedComplaintTurnsRed(t *testing.T) {
	cal := national(t)
	c := filed(at(2026, 3, 9, 10))
	yellow, _ := ComputeClocks(c, cal, at(2026, 3, 13, 9))
	red, _ := ComputeClocks(c, cal, at(2026, 3, 17, 9))
	if yellow.Warning() != workclock.WarnYellow || red.Warning() != workclock.WarnRed {
		t.Fatalf("warnings %q then %q", yellow.Warning(), red.Warning())
	}
}

// TestIdentityOnlyForTheDesk: the department sees who complained only
// with the complainant's consent; the desk always.
func TestIdentityOnlyForTheDesk(t *testing.T) {
	dept := int64(7)
	deptActor := &identity.Actor{UserID: 2, Kind: identity.KindStaff, Grants: []*identity.Grant{{Role: identity.RoleApprover, DepartmentID: &dept, RegionPath: "/1/2/3/"}}}
	desk := &identity.Actor{UserID: 3, Kind: identity.KindStaff, Grants: []*identity.Grant{{Role: identity.RoleSupervisor, RegionPath: "/1/2/"}}}
	c := filed(at(2026, 3, 9, 10))
	do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 9, 15))
	if SeesIdentity(deptActor, c) || !SeesIdentity(desk, c) {
		t.Fatal("without consent only the desk sees the complainant")
	}
	hidden := hideIdentity(c)
	if hidden.Complainant != (Complainant{}) || strings.Contains(hidden.Events[0].ActorLabel, "李") || c.Complainant.Name != "李四" {
		t.Fatalf("hidden copy: %+v / %+v", hidden.Complainant, hidden.Events[0])
	}
	c.Consent = true
	if !SeesIdentity(deptActor, c) {
		t.Fatal("with consent the department sees the complainant")
	}
}

// TestAnswerClock: the desk answers the complainant within AnswerDays of
// the department's reply, on an ordinary day, across the Spring Festival
// block (02-14 is a make-up Saturday, 02-15…02-23 off) and in December
// without the 2027 schedule (01-01 counted as a plain Friday, 暂定).
func TestAnswerClock(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name         string
		replied, now time.Time
		due          string
		remaining    int
		provisional  int
	}{
		{"ordinary", at(2026, 3, 12, 10), at(2026, 3, 16, 9), "2026-03-19", 3, 0},
		{"spring festival", at(2026, 2, 13, 16), at(2026, 2, 24, 9), "2026-02-27", 3, 0},
		{"december", at(2026, 12, 29, 10), at(2026, 12, 30, 9), "2027-01-06", 4, 2027}, // 30, 31, (元旦), 4, 5, 6
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filed(tt.replied.Add(-48 * time.Hour))
			do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, tt.replied.Add(-24*time.Hour))
			do(t, c, Command{Kind: CmdReply, Text: "已核实处理"}, tt.replied)
			cl, err := ComputeClocks(c, cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			a := cl.Answer
			if !a.Started || a.Met || a.Due.String() != tt.due || a.Remaining != tt.remaining || a.Provisional != tt.provisional || a.Warning != workclock.WarnNone {
				t.Fatalf("答复 %+v; want due %s, %d left (暂定 %d)", a, tt.due, tt.remaining, tt.provisional)
			}
			if strings.Contains(a.Text(), "暂定") != (tt.provisional != 0) || strings.Contains(a.Text(), "0001") || strings.Contains(a.Text(), "1970") {
				t.Fatalf("text %q", a.Text())
			}
		})
	}
}

// TestAnswerClockKeepsFirstAnswer: a complaint reopened after its answer
// and answered again by the desk without a new 转办 keeps the answer
// clock it had: it ended with the first answer. The second answer belongs
// to the reopening (it used to end the answer clock too, which then read
// late by every day the complainant waited before reopening, and counted
// the complaint late in the supervision figures).
func TestAnswerClockKeepsFirstAnswer(t *testing.T) {
	cal := national(t)
	c := filed(at(2026, 3, 9, 10))
	do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 9, 15))
	do(t, c, Command{Kind: CmdReply, Text: "已核实处理"}, at(2026, 3, 12, 10))
	do(t, c, Command{Kind: CmdAnswer, Text: "已处理"}, at(2026, 3, 18, 10))
	do(t, c, Command{Kind: CmdReopen, Text: "问题仍未解决"}, at(2026, 3, 19, 10))
	do(t, c, Command{Kind: CmdAnswer, Text: "经复查，已再次处理"}, at(2026, 3, 25, 10))
	cl, err := ComputeClocks(c, cal, at(2026, 3, 26, 9))
	if err != nil {
		t.Fatal(err)
	}
	if !cl.Answer.Met || !cl.Answer.End.Equal(at(2026, 3, 18, 10)) || cl.Answer.Overdue {
		t.Fatalf("答复 %+v, want met on 03-18, on time", cl.Answer)
	}
	if late, err := Late(c, cal, at(2026, 3, 26, 9)); err != nil || late {
		t.Fatalf("late %v (%v): every deadline was met", late, err)
	}
}

type timed struct {
	cmd  Command
	when time.Time
}

// back files a complaint, assigns it and has it come back to the desk at
// when: returned by the department, or answered and reopened by the
// complainant.
func back(t *testing.T, kind EventKind, when time.Time) *Complaint {
	t.Helper()
	c := filed(when.Add(-72 * time.Hour))
	steps := []timed{{Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, when.Add(-48 * time.Hour)}}
	if kind == EvReturned {
		steps = append(steps, timed{Command{Kind: CmdReturn, Text: "非本部门职责"}, when})
	} else {
		steps = append(steps, timed{Command{Kind: CmdReply, Text: "已处理"}, when.Add(-24 * time.Hour)},
			timed{Command{Kind: CmdAnswer, Text: "已处理"}, when.Add(-23 * time.Hour)},
			timed{Command{Kind: CmdReopen, Text: "问题仍未解决"}, when})
	}
	for _, s := range steps {
		do(t, c, s.cmd, s.when)
	}
	return c
}

// TestDeskClock: a complaint a department returned, or the complainant
// reopened, waits for the desk, which assigns it again or answers within
// DeskDays working days; on an ordinary day, across the Spring Festival
// block (02-14 a make-up Saturday, 02-15…02-23 off) and in December
// without the 2027 schedule (01-01 counted as a plain Friday, 暂定).
func TestDeskClock(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name        string
		kind        EventKind
		back, now   time.Time
		due         string
		remaining   int
		warning     workclock.Warning
		provisional int
		label       string
	}{
		{"ordinary, returned", EvReturned, at(2026, 3, 10, 10), at(2026, 3, 12, 9), "2026-03-17", 3, workclock.WarnNone, 0, "部门退回后重新转办或答复"},
		{"ordinary, returned, last day but one", EvReturned, at(2026, 3, 10, 10), at(2026, 3, 16, 9), "2026-03-17", 1, workclock.WarnYellow, 0, "部门退回后重新转办或答复"},
		{"ordinary, reopened, overdue", EvReopened, at(2026, 3, 11, 10), at(2026, 3, 19, 9), "2026-03-18", -1, workclock.WarnRed, 0, "重新办理：转办或答复"},
		{"spring festival, returned", EvReturned, at(2026, 2, 13, 10), at(2026, 2, 24, 9), "2026-02-27", 3, workclock.WarnNone, 0, "部门退回后重新转办或答复"},
		{"spring festival, reopened", EvReopened, at(2026, 2, 13, 16), at(2026, 2, 26, 9), "2026-02-27", 1, workclock.WarnYellow, 0, "重新办理：转办或答复"},
		// 元旦 01-01 is off by law before the 2027 schedule is imported.
		{"december, returned", EvReturned, at(2026, 12, 29, 10), at(2026, 12, 30, 9), "2027-01-06", 4, workclock.WarnNone, 2027, "部门退回后重新转办或答复"},
		{"december, reopened", EvReopened, at(2026, 12, 30, 10), at(2027, 1, 8, 9), "2027-01-07", -1, workclock.WarnRed, 2027, "重新办理：转办或答复"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := back(t, tt.kind, tt.back)
			if c.Status != StatusAccepted {
				t.Fatalf("status %s", c.Status)
			}
			cl, err := ComputeClocks(c, cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			d := cl.Desk
			if !d.Started || d.Met || d.Days != DeskDays || d.Due.String() != tt.due || d.Remaining != tt.remaining || d.Provisional != tt.provisional {
				t.Fatalf("desk %+v; want due %s, %d left (暂定 %d)", d, tt.due, tt.remaining, tt.provisional)
			}
			if d.Warning != tt.warning || cl.Warning() != tt.warning || cl.DeskLabel() != tt.label {
				t.Fatalf("warning %q (complaint %q), label %q; want %q, %q", d.Warning, cl.Warning(), cl.DeskLabel(), tt.warning, tt.label)
			}
			if txt := d.Text(); !strings.Contains(txt, tt.due) || strings.Contains(txt, "暂定") != (tt.provisional != 0) || strings.Contains(txt, "1970") {
				t.Fatalf("text %q", txt)
			}
			if late, err := Late(c, cal, tt.now); err != nil || late != (tt.remaining < 0) {
				t.Fatalf("late %v (%v) with %d working days left", late, err, tt.remaining)
			}
		})
	}
}

// TestDeskClockStops: the desk's clock stops at the next 转办 or answer,
// late or on time, and starts again when the complaint comes back once
// more; a complaint that never came back has none.
func TestDeskClockStops(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name    string
		kind    EventKind
		then    []timed
		now     time.Time
		met     bool
		overdue bool
		late    bool
	}{
		{"returned, assigned again in time", EvReturned, []timed{{Command{Kind: CmdAssign, DepartmentID: 8, Days: 10}, at(2026, 3, 16, 10)}},
			at(2026, 3, 20, 9), true, false, false},
		{"returned, assigned again late", EvReturned, []timed{{Command{Kind: CmdAssign, DepartmentID: 8, Days: 10}, at(2026, 3, 19, 10)}},
			at(2026, 3, 20, 9), true, true, true},
		{"returned twice", EvReturned, []timed{{Command{Kind: CmdAssign, DepartmentID: 8, Days: 10}, at(2026, 3, 11, 10)},
			{Command{Kind: CmdReturn, Text: "亦非本部门职责"}, at(2026, 3, 16, 10)}}, at(2026, 3, 20, 9), false, false, false},
		{"reopened, answered directly in time", EvReopened, []timed{{Command{Kind: CmdAnswer, Text: "经复查，维持原答复"}, at(2026, 3, 13, 10)}},
			at(2026, 3, 30, 9), true, false, false},
		{"reopened, assigned late", EvReopened, []timed{{Command{Kind: CmdAssign, DepartmentID: 7, Days: 5}, at(2026, 3, 24, 10)}},
			at(2026, 3, 25, 9), true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := back(t, tt.kind, at(2026, 3, 10, 10))
			for _, s := range tt.then {
				do(t, c, s.cmd, s.when)
			}
			cl, err := ComputeClocks(c, cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			if !cl.Desk.Started || cl.Desk.Met != tt.met || cl.Desk.Overdue != tt.overdue {
				t.Fatalf("desk %+v; want met %v, overdue %v", cl.Desk, tt.met, tt.overdue)
			}
			if late, err := Late(c, cal, tt.now); err != nil || late != tt.late {
				t.Fatalf("late %v (%v), want %v", late, err, tt.late)
			}
		})
	}
	c := filed(at(2026, 3, 9, 10))
	do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 9, 15))
	do(t, c, Command{Kind: CmdReply, Text: "已处理"}, at(2026, 3, 10, 10))
	do(t, c, Command{Kind: CmdAnswer, Text: "已处理"}, at(2026, 3, 10, 15))
	if cl, _ := ComputeClocks(c, cal, at(2026, 4, 30, 9)); cl.Desk.Started || cl.Desk.Text() != "尚未开始计时" {
		t.Fatalf("a complaint that never came back: desk %+v", cl.Desk)
	}
}

// TestDeskClockFromAcceptance: a complaint accepted without a 转办 waits
// for the desk, which assigns or answers it within DeskDays working days
// of the acceptance (its clock ran nowhere before); on an ordinary day,
// across the Spring Festival block and in December without the 2027
// schedule. It stops at the 转办 or the answer; accepted and assigned in
// one step, a complaint has no desk clock.
func TestDeskClockFromAcceptance(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name        string
		accepted    time.Time
		then        *timed
		now         time.Time
		due         string
		remaining   int
		warning     workclock.Warning
		provisional int
		met, late   bool
	}{
		{"ordinary", at(2026, 3, 10, 10), nil, at(2026, 3, 12, 9), "2026-03-17", 3, workclock.WarnNone, 0, false, false},
		{"ordinary, overdue", at(2026, 3, 10, 10), nil, at(2026, 3, 18, 9), "2026-03-17", -1, workclock.WarnRed, 0, false, true},
		{"spring festival", at(2026, 2, 13, 16), nil, at(2026, 2, 26, 9), "2026-02-27", 1, workclock.WarnYellow, 0, false, false},
		{"december", at(2026, 12, 29, 10), nil, at(2026, 12, 31, 9), "2027-01-06", 3, workclock.WarnNone, 2027, false, false}, // 元旦 off
		{"assigned in time", at(2026, 3, 10, 10), &timed{Command{Kind: CmdAssign, DepartmentID: 7, Days: 10}, at(2026, 3, 16, 10)},
			at(2026, 3, 30, 9), "2026-03-17", 1, workclock.WarnNone, 0, true, false},
		{"answered late", at(2026, 3, 10, 10), &timed{Command{Kind: CmdAnswer, Text: "可网上办理"}, at(2026, 3, 18, 10)},
			at(2026, 3, 30, 9), "2026-03-17", -1, workclock.WarnNone, 0, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filed(tt.accepted.Add(-24 * time.Hour))
			do(t, c, Command{Kind: CmdAccept}, tt.accepted)
			if tt.then != nil {
				do(t, c, tt.then.cmd, tt.then.when)
			}
			cl, err := ComputeClocks(c, cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			d := cl.Desk
			if !d.Started || d.Met != tt.met || d.Days != DeskDays || d.Due.String() != tt.due || d.Remaining != tt.remaining || d.Provisional != tt.provisional {
				t.Fatalf("desk %+v; want due %s, %d left (暂定 %d), met %v", d, tt.due, tt.remaining, tt.provisional, tt.met)
			}
			if d.Warning != tt.warning || cl.DeskAfter != EvAccepted || cl.DeskLabel() != "受理后转办或答复" {
				t.Fatalf("warning %q, after %q, label %q", d.Warning, cl.DeskAfter, cl.DeskLabel())
			}
			if txt := d.Text(); !strings.Contains(txt, tt.due) || strings.Contains(txt, "暂定") != (tt.provisional != 0) {
				t.Fatalf("text %q", txt)
			}
			if late, err := Late(c, cal, tt.now); err != nil || late != tt.late {
				t.Fatalf("late %v (%v), want %v", late, err, tt.late)
			}
		})
	}
	c := filed(at(2026, 3, 9, 10))
	do(t, c, Command{Kind: CmdAccept, DepartmentID: 7, Days: 10}, at(2026, 3, 9, 15))
	if cl, _ := ComputeClocks(c, cal, at(2026, 3, 30, 9)); cl.Desk.Started || cl.DeskAfter != "" {
		t.Fatalf("accepted and assigned at once: desk %+v after %q", cl.Desk, cl.DeskAfter)
	}
}

// TestTextTooLong: a text over the limit is told as too long, with its
// length, not as missing.
func TestTextTooLong(t *testing.T) {
	c := filed(at(2026, 3, 9, 10))
	c.Status = StatusReplied
	_, err := Transition(c, Command{Kind: CmdAnswer, Text: strings.Repeat("答", 5000)}, at(2026, 3, 10, 10))
	if msg := apperr.FieldsOf(err)["text"]; !strings.Contains(msg, "过长") || !strings.Contains(msg, "5000") {
		t.Fatalf("an over-long answer: %v %q", err, msg)
	}
}
