package mailbox

import (
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, chinaTime)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestComputeClock: the limit counts working days from the day after
// receipt, on an ordinary week, across the Spring Festival with its make-up
// Saturdays, and into a year whose schedule is not imported (provisional,
// with the days off the law fixes).
func TestComputeClock(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, received string
		days           int
		assignedDays   int
		answered, now  string
		due            string
		level          Level
		left           int
		provisional    int
	}{
		{"ordinary week", "2026-03-18 10:00", 10, 0, "", "2026-03-20 09:00", "2026-04-01", LevelNormal, 8, 0},
		{"near the deadline", "2026-03-18 10:00", 10, 0, "", "2026-03-30 09:00", "2026-04-01", LevelNear, 2, 0},
		{"overdue", "2026-03-18 10:00", 10, 0, "", "2026-04-03 09:00", "2026-04-01", LevelOverdue, -2, 0},
		// Due Friday 20 Mar: overdue on the Saturday, with no working day
		// past the due date used yet.
		{"overdue on the Saturday", "2026-03-18 10:00", 2, 0, "", "2026-03-21 09:00", "2026-03-20", LevelOverdue, 0, 0},
		{"assignment sets the limit", "2026-03-18 10:00", 10, 5, "", "2026-03-20 09:00", "2026-03-25", LevelNormal, 3, 0},
		{"answered on the due day", "2026-03-18 10:00", 10, 0, "2026-04-01 17:00", "2026-04-20 09:00", "2026-04-01", LevelOnTime, 0, 0},
		{"answered late", "2026-03-18 10:00", 10, 0, "2026-04-02 09:00", "2026-04-20 09:00", "2026-04-01", LevelLate, 0, 0},
		// Received Friday 13 Feb: the make-up Saturday 14 Feb counts, the
		// holiday 15–23 Feb does not, the make-up Saturday 28 Feb counts.
		{"across the Spring Festival", "2026-02-13 16:00", 5, 0, "", "2026-02-13 17:00", "2026-02-27", LevelNormal, 5, 0},
		{"across the Spring Festival, 6 days", "2026-02-13 16:00", 6, 0, "", "2026-02-13 17:00", "2026-02-28", LevelNormal, 6, 0},
		// Received Thursday 24 Dec: 12-25, 12-28 … 12-31, then 01-04 …
		// 01-08, provisionally: 1 January is 元旦, off by law even before
		// the 2027 schedule is imported, 2–3 January the weekend.
		{"December, next year not imported", "2026-12-24 10:00", 10, 0, "", "2026-12-24 11:00", "2027-01-08", LevelNormal, 10, 2027},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Letter{Days: tc.days, ReceivedAt: at(t, tc.received), Status: StatusReceived,
				Events: []Event{{Kind: EventReceived, At: at(t, tc.received)}}}
			if tc.assignedDays > 0 {
				l.Events = append(l.Events, Event{Kind: EventAssigned, At: at(t, tc.received).Add(time.Hour), Days: tc.assignedDays})
			}
			if tc.answered != "" {
				l.Events = append(l.Events, Event{Kind: EventAnswered, At: at(t, tc.answered)})
			}
			c, err := ComputeClock(l, cal, at(t, tc.now))
			if err != nil {
				t.Fatal(err)
			}
			if c.Due.String() != tc.due || c.Level != tc.level || c.Left != tc.left || c.Provisional != tc.provisional {
				t.Fatalf("got due %s level %s left %d provisional %d", c.Due, c.Level, c.Left, c.Provisional)
			}
			if c.Due == (calendar.Date{}) {
				t.Fatal("zero due date")
			}
		})
	}
}

// TestTransition: who may do what is the service's; what the state allows
// is here.
func TestTransition(t *testing.T) {
	now := time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		status Status
		cmd    Command
		want   Status
		code   apperr.Code
	}{
		{"assign a new letter", StatusReceived, Command{Kind: CmdAssign, DeptID: 3, Days: 5}, StatusAssigned, ""},
		{"assign needs a department", StatusReceived, Command{Kind: CmdAssign}, "", apperr.Invalid},
		{"limit too long", StatusReceived, Command{Kind: CmdAssign, DeptID: 3, Days: 90}, "", apperr.Invalid},
		{"draft", StatusAssigned, Command{Kind: CmdDraft, Text: "答复稿"}, StatusDrafted, ""},
		{"no draft before assignment", StatusReceived, Command{Kind: CmdDraft, Text: "答复稿"}, "", apperr.Conflict},
		{"return the draft", StatusDrafted, Command{Kind: CmdReturn, Text: "请补充政策依据"}, StatusAssigned, ""},
		{"return needs a reason", StatusDrafted, Command{Kind: CmdReturn}, "", apperr.Invalid},
		{"answer the draft", StatusDrafted, Command{Kind: CmdAnswer, Text: "答复"}, StatusAnswered, ""},
		{"answer directly", StatusReceived, Command{Kind: CmdAnswer, Text: "答复"}, StatusAnswered, ""},
		{"answer twice", StatusAnswered, Command{Kind: CmdAnswer, Text: "答复"}, "", apperr.Conflict},
		{"publish without consent", StatusDrafted, Command{Kind: CmdAnswer, Text: "答复", Publish: true, PublicText: "x"}, "", apperr.Invalid},
		{"reject", StatusReceived, Command{Kind: CmdReject, Text: "重复来信"}, StatusRejected, ""},
		{"no rejection after a draft", StatusDrafted, Command{Kind: CmdReject, Text: "重复来信"}, "", apperr.Conflict},
		{"rate", StatusAnswered, Command{Kind: CmdRate, Rating: RatingSatisfied}, StatusAnswered, ""},
		{"rate with no rating", StatusAnswered, Command{Kind: CmdRate}, "", apperr.Invalid},
		{"rate before the answer", StatusAssigned, Command{Kind: CmdRate, Rating: RatingSatisfied}, "", apperr.Conflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &Letter{Status: tc.status, Days: 10}
			evs, err := Transition(l, tc.cmd, now)
			if tc.code != "" {
				if apperr.CodeOf(err) != tc.code {
					t.Fatalf("got %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				l.Apply(e, tc.cmd)
			}
			if l.Status != tc.want {
				t.Fatalf("status %s, want %s", l.Status, tc.want)
			}
		})
	}
}

func TestRatingSatisfied(t *testing.T) {
	want := map[Rating]bool{1: true, 2: true, 3: true, 4: false, 5: false, 0: false}
	for r, ok := range want {
		if r.Satisfied() != ok {
			t.Errorf("%d (%s) satisfied = %v", r, r.Label(), !ok)
		}
	}
	if RatingVerySatisfed.Label() != "非常满意" || RatingVeryBad.Label() != "非常不满意" {
		t.Fatal("GB/T 39046 A.8 order: 1 非常满意 … 5 非常不满意")
	}
}

func TestNumber(t *testing.T) {
	l := &Letter{ID: 42, ReceivedAt: time.Date(2026, 3, 17, 20, 0, 0, 0, time.UTC)}
	if l.Number() != "20260318000042" || ParseNumber(l.Number()) != 42 {
		t.Fatalf("%s", l.Number())
	}
}
