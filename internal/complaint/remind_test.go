package complaint

import (
	"strings"
	"testing"
	"time"
)

// TestReminderTimers: the timers a change sets for the clocks it starts,
// at the moments they turn yellow and red (00:00 China time): on an
// ordinary day, across the Spring Festival block (02-14 and 02-28 make-up
// Saturdays, 02-15…02-23 off) and in December without the 2027 schedule,
// where a turn counted on a plain week is looked at a day later and
// daily, and one before 2027 is not.
func TestReminderTimers(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name  string
		start time.Time
		steps []Command // applied at start, the last one's events being the change
		want  []string  // clock warning time, in order
	}{
		{"ordinary, filed", at(2026, 3, 9, 10), nil,
			[]string{"accept yellow 2026-03-13 00:00", "accept red 2026-03-17 00:00"}},
		{"ordinary, accepted without 转办", at(2026, 3, 10, 10), []Command{{Kind: CmdAccept}},
			[]string{"desk yellow 2026-03-16 00:00", "desk red 2026-03-18 00:00"}},
		{"ordinary, accepted and assigned: no desk clock", at(2026, 3, 10, 10), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 10}},
			[]string{"department yellow 2026-03-23 00:00", "department red 2026-03-25 00:00"}},
		{"ordinary, one day: red only", at(2026, 3, 13, 10), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 1}},
			[]string{"department red 2026-03-17 00:00"}},
		{"spring festival, assigned: red on a make-up saturday", at(2026, 2, 13, 16), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 5}},
			[]string{"department yellow 2026-02-26 00:00", "department red 2026-02-28 00:00"}},
		{"spring festival, returned", at(2026, 2, 12, 10), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 5}, {Kind: CmdReturn, Text: "非本部门职责"}},
			[]string{"desk yellow 2026-02-25 00:00", "desk red 2026-02-27 00:00"}},
		{"spring festival, replied", at(2026, 2, 13, 10), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 5}, {Kind: CmdReply, Text: "已处理"}},
			[]string{"answer yellow 2026-02-26 00:00", "answer red 2026-02-28 00:00"}},
		{"december, before 2027", at(2026, 12, 21, 10), nil,
			[]string{"accept yellow 2026-12-25 00:00", "accept red 2026-12-29 00:00"}},
		{"december, into 2027: a day later", at(2026, 12, 29, 10), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 5}},
			[]string{"department yellow 2026-12-30 10:00", "department red 2026-12-30 10:00"}},
		{"december, reopened", at(2026, 12, 30, 15), []Command{{Kind: CmdAccept, DepartmentID: 7, Days: 5}, {Kind: CmdReply, Text: "已处理"},
			{Kind: CmdAnswer, Text: "已处理"}, {Kind: CmdReopen, Text: "仍未解决"}},
			[]string{"desk yellow 2026-12-31 15:00", "desk red 2026-12-31 15:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := filed(tt.start)
			c.ID = 42
			evs := c.Events
			for _, cmd := range tt.steps {
				n := len(c.Events)
				do(t, c, cmd, tt.start)
				evs = c.Events[n:]
			}
			timers, err := ReminderTimers(c, cal, tt.start, evs)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tm := range timers {
				if tm.ComplaintID != 42 || tm.Kind() != "complaint.reminder" {
					t.Fatalf("timer %+v", tm)
				}
				got = append(got, string(tm.Clock)+" "+string(tm.Warning)+" "+tm.At.In(cst).Format("2006-01-02 15:04"))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("timers %q, want %q", got, tt.want)
			}
		})
	}
}
