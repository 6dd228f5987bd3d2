package rating

import (
	"strings"
	"testing"
	"time"
)

// TestTicketReminderTimers: the timers of a ticket's clocks, at the
// moments they turn yellow and red (00:00 China time), red on the day
// after the due date whether or not it is a working day: on an ordinary
// stretch (整改 due Friday 04-03, red on 清明 04-04, 04-04…04-06 off),
// across the Spring Festival block (回访 due on the make-up Saturday
// 02-14, red on 02-15; 02-15…02-23 off), for the 整改 clock's run
// after a rejected appeal (the appeal's working days added), and in
// December without the 2027 schedule, where a provisional turn is looked
// at a day later and daily. An anonymous review's 回访 and a 整改 paused by
// an appeal have none.
func TestTicketReminderTimers(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name      string
		anonymous bool
		opened    time.Time
		appeal    []time.Time // appealed, rejected (optional)
		now       time.Time
		want      []string
	}{
		{"ordinary", false, at(2026, 3, 13, 10), nil, at(2026, 3, 13, 10), []string{
			"callback yellow 2026-03-16 00:00 run 03-13 10:00", "callback red 2026-03-18 00:00 run 03-13 10:00",
			"rectify yellow 2026-04-02 00:00 run 03-13 10:00", "rectify red 2026-04-04 00:00 run 03-13 10:00"}},
		{"anonymous: no 回访", true, at(2026, 3, 13, 10), nil, at(2026, 3, 13, 10), []string{
			"rectify yellow 2026-04-02 00:00 run 03-13 10:00", "rectify red 2026-04-04 00:00 run 03-13 10:00"}},
		{"spring festival", false, at(2026, 2, 12, 10), nil, at(2026, 2, 12, 10), []string{
			"callback yellow 2026-02-13 00:00 run 02-12 10:00", "callback red 2026-02-15 00:00 run 02-12 10:00",
			"rectify yellow 2026-03-10 00:00 run 02-12 10:00", "rectify red 2026-03-12 00:00 run 02-12 10:00"}},
		{"spring festival, appealing", false, at(2026, 2, 12, 10), []time.Time{at(2026, 2, 13, 10)}, at(2026, 2, 13, 10), nil},
		{"spring festival, appeal rejected", false, at(2026, 2, 12, 10), []time.Time{at(2026, 2, 13, 10), at(2026, 2, 25, 10)}, at(2026, 2, 25, 10), []string{
			"rectify yellow 2026-03-13 00:00 run 02-25 10:00", "rectify red 2026-03-17 00:00 run 02-25 10:00"}},
		{"december", false, at(2026, 12, 30, 10), nil, at(2026, 12, 30, 10), []string{
			"callback yellow 2026-12-31 00:00 run 12-30 10:00", "callback red 2026-12-31 10:00 run 12-30 10:00",
			"rectify yellow 2026-12-31 10:00 run 12-30 10:00", "rectify red 2026-12-31 10:00 run 12-30 10:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := newTicket(tt.anonymous, tt.opened)
			tk.ID = 42
			names := []TicketClock{ClockCallback, ClockRectify}
			if len(tt.appeal) > 0 {
				step(t, tk, TicketCommand{Kind: TcCallback, Reason: "已电话回访"}, tt.opened)
				step(t, tk, TicketCommand{Kind: TcVerify, Code: FindingUnfounded, Reason: "情况不属实"}, tt.opened.Add(time.Hour))
				step(t, tk, TicketCommand{Kind: TcAppeal, Reason: "评价与办件无关"}, tt.appeal[0])
				names = names[1:]
			}
			if len(tt.appeal) > 1 {
				step(t, tk, TicketCommand{Kind: TcReject, Reason: "评价属实"}, tt.appeal[1])
			}
			timers, err := TicketReminderTimers(tk, cal, tt.now, names...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tm := range timers {
				if tm.TicketID != 42 || tm.Kind() != "rating.ticket_reminder" {
					t.Fatalf("timer %+v", tm)
				}
				got = append(got, string(tm.Clock)+" "+string(tm.Warning)+" "+tm.At.In(cst).Format("2006-01-02 15:04")+
					" run "+time.UnixMicro(tm.Run).In(cst).Format("01-02 15:04"))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("timers\n%q, want\n%q", got, tt.want)
			}
		})
	}
}
