package rating

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

// The deadlines of ratings on the three calendar edges every deadline is
// tested on: an ordinary stretch, the 2026 Spring Festival block (02-14
// and 02-28 make-up Saturdays, 02-15…02-23 off) and December 2026 without
// the 2027 holiday schedule (暂定: the weekends and the days off the law
// fixes, so Friday 01-01 is 元旦, off by law, and 01-02/03 a weekend).

// limitsStore is a Store that holds the regions' limits only.
type limitsStore struct {
	Store
	limits []*Limits
}

func (l limitsStore) FindLimits(context.Context) ([]*Limits, error) { return l.limits, nil }

// TestCallbackClockEdges: the 回访 clock (2 working days) over a weekend,
// over the Spring Festival block and into 2027 without its schedule.
func TestCallbackClockEdges(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name        string
		opened, now time.Time
		due         string
		remaining   int
		warning     workclock.Warning
		provisional int
	}{
		{"ordinary, over a weekend", at(2026, 3, 13, 10), at(2026, 3, 16, 9), "2026-03-17", 1, workclock.WarnYellow, 0},
		{"spring festival", at(2026, 2, 13, 16), at(2026, 2, 23, 9), "2026-02-24", 1, workclock.WarnYellow, 0},
		// 2 days from 12-30: 12-31, then 01-04 (01-01 is 元旦, off by law
		// before the 2027 schedule is imported; 01-02/03 a weekend).
		{"december, into 2027", at(2026, 12, 30, 10), at(2026, 12, 30, 11), "2027-01-04", 2, workclock.WarnNone, 2027},
		// On the due day 01-04 (12-31 and 01-04 used; 元旦 not counted).
		{"december, due in 2027", at(2026, 12, 30, 10), at(2027, 1, 4, 9), "2027-01-04", 0, workclock.WarnYellow, 2027},
		// 12-31, 01-04 and 01-05 used: one working day past 01-04.
		{"december, overdue in 2027", at(2026, 12, 30, 10), at(2027, 1, 5, 9), "2027-01-04", -1, workclock.WarnRed, 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl, err := ComputeTicketClocks(newTicket(false, tt.opened), cal, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			c := cl.Callback
			if c.Due.String() != tt.due || c.Remaining != tt.remaining || c.Warning != tt.warning || c.Provisional != tt.provisional {
				t.Fatalf("回访 %+v; want due %s, %d left, %q (暂定 %d)", c, tt.due, tt.remaining, tt.warning, tt.provisional)
			}
			if strings.Contains(c.Text(), "暂定") != (tt.provisional != 0) || !strings.Contains(c.Text(), tt.due) {
				t.Fatalf("text %q", c.Text())
			}
		})
	}
}

// TestRectifyClockAcrossAppeal: an appeal stops the 整改 clock (15 working
// days) while it is decided; the working days it takes are added to the
// due date, counted on the calendar: the make-up Saturday inside the
// Spring Festival block and the provisional 2027 days among them.
func TestRectifyClockAcrossAppeal(t *testing.T) {
	cal := national(t)
	tests := []struct {
		name                       string
		opened, appealed, rejected time.Time
		during                     time.Time // while the appeal is decided
		now                        time.Time // after it was rejected
		due                        string
		remaining                  int
		provisional                int
	}{
		// 15 days from 03-10: 03-31; the appeal takes 03-13 and 03-16 out.
		{"ordinary", at(2026, 3, 10, 10), at(2026, 3, 12, 10), at(2026, 3, 16, 10), at(2026, 3, 13, 9), at(2026, 3, 17, 9), "2026-04-02", 12, 0},
		// 15 days from 02-12: 03-11; the appeal takes 02-14, 02-24 and 02-25 out.
		{"spring festival", at(2026, 2, 12, 10), at(2026, 2, 13, 10), at(2026, 2, 25, 10), at(2026, 2, 24, 9), at(2026, 3, 2, 9), "2026-03-16", 10, 0},
		// 15 days from 12-21: 12-22 … 12-31 (8), 01-04 … 01-08, 01-11, 01-12:
		// 2027-01-12 (暂定; 01-01 is 元旦, off by law, 01-02/03 a weekend);
		// the appeal takes 12-24 … 12-30 (5) out: 01-13 … 01-15, 01-18, 01-19.
		{"december", at(2026, 12, 21, 10), at(2026, 12, 23, 10), at(2026, 12, 30, 10), at(2026, 12, 28, 9), at(2026, 12, 31, 9), "2027-01-19", 12, 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := newTicket(false, tt.opened)
			step(t, tk, TicketCommand{Kind: TcCallback, Reason: "已电话回访"}, tt.opened)
			step(t, tk, TicketCommand{Kind: TcVerify, Code: FindingUnfounded, Reason: "情况不属实"}, tt.opened.Add(time.Hour))
			step(t, tk, TicketCommand{Kind: TcAppeal, Reason: "评价与办件无关"}, tt.appealed)
			cl, err := ComputeTicketClocks(tk, cal, tt.during)
			if err != nil {
				t.Fatal(err)
			}
			if !cl.Rectify.Paused || cl.Rectify.Warning != workclock.WarnNone || !strings.HasPrefix(cl.Rectify.Text(), "暂停计时") {
				t.Fatalf("during the appeal: %+v %q", cl.Rectify, cl.Rectify.Text())
			}
			step(t, tk, TicketCommand{Kind: TcReject, Reason: "评价属实"}, tt.rejected)
			if cl, err = ComputeTicketClocks(tk, cal, tt.now); err != nil {
				t.Fatal(err)
			}
			r := cl.Rectify
			if r.Paused || r.Due.String() != tt.due || r.Remaining != tt.remaining || r.Provisional != tt.provisional {
				t.Fatalf("整改 after the appeal %+v; want due %s, %d left (暂定 %d)", r, tt.due, tt.remaining, tt.provisional)
			}
			if strings.Contains(r.Text(), "暂定") != (tt.provisional != 0) {
				t.Fatalf("text %q", r.Text())
			}
		})
	}
}

// TestRerateDeadline: a ticket fed back waits for the second evaluation
// for the period given with the feedback (15 working days here); after it
// the ticket closes without one, and while the end is provisional only
// three weeks past it, looking again daily.
func TestRerateDeadline(t *testing.T) {
	var now time.Time
	s := &Service{d: Deps{Calendars: oneCalendar{national(t)}, Now: func() time.Time { return now }}}
	tests := []struct {
		name        string
		fedBack     time.Time
		end         string // the day the period is over (it ends at its start)
		provisional int
		before      time.Time // still waiting
		after       time.Time // over
	}{
		{"ordinary", at(2026, 3, 10, 16), "2026-04-01", 0, at(2026, 3, 31, 23), at(2026, 4, 1, 0)},
		{"spring festival", at(2026, 2, 13, 16), "2026-03-13", 0, at(2026, 3, 12, 23), at(2026, 3, 13, 0)},
		// 15 days from 12-24: 12-25 … 12-31 (5), 01-04 … 01-15 (暂定; 01-01 is
		// 元旦, off by law, 01-02/03 a weekend); over at the start of 01-16,
		// closed three weeks later.
		{"december", at(2026, 12, 24, 16), "2027-01-16", 2027, at(2027, 2, 5, 23), at(2027, 2, 6, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := newTicket(false, tt.fedBack.Add(-72*time.Hour))
			tk.Status = TicketRectified
			tk.ApplyTicket(TicketEvent{Kind: TevFedBack, At: tt.fedBack, Days: 15, Reason: "已增开窗口"})
			now = tt.fedBack
			end, prov, err := s.rerateDeadline(tk)
			if err != nil {
				t.Fatal(err)
			}
			if got := calendar.DateOf(end).String(); got != tt.end || prov != tt.provisional || !end.Equal(calendar.DateOf(end).Time()) {
				t.Fatalf("end %v (provisional %v), want the start of %s (%v)", end, prov, tt.end, tt.provisional)
			}
			now = tt.before
			if over, next := s.passed(end, prov); over || !next.After(now) {
				t.Fatalf("at %v: over %v, next %v", now, over, next)
			}
			now = tt.after
			if over, _ := s.passed(end, prov); !over {
				t.Fatalf("at %v the period is not over", now)
			}
		})
	}
}

// TestDefaultAndVisitPeriods: the region's 评价时效 (10 working days here,
// set for the county) decides when a closed case gets its default rating
// and until when a visit's SMS link takes a first rating; while the end is
// provisional the link stays open three weeks past it, as the default
// rating waits.
func TestDefaultAndVisitPeriods(t *testing.T) {
	var now time.Time
	store := limitsStore{limits: []*Limits{{RegionPath: "/1/2/", CallbackDays: 2, RectifyDays: 15, DefaultDays: 10}}}
	s := &Service{d: Deps{Calendars: oneCalendar{national(t)}, Store: store, Now: func() time.Time { return now }}}
	tests := []struct {
		name        string
		closed      time.Time
		end         string
		provisional int
		open        time.Time // the link still takes a rating
		shut        time.Time // it no longer does
	}{
		// 10 days from 03-10: 03-24.
		{"ordinary", at(2026, 3, 10, 16), "2026-03-25", 0, at(2026, 3, 24, 20), at(2026, 3, 25, 9)},
		// 10 days from 02-13: 02-14, 02-24 … 02-28, 03-02 … 03-05.
		{"spring festival", at(2026, 2, 13, 16), "2026-03-06", 0, at(2026, 3, 5, 20), at(2026, 3, 6, 9)},
		// 10 days from 12-24: 12-25 … 12-31 (5), 01-04 … 01-08 (暂定; 01-01 is
		// 元旦, off by law, 01-02/03 a weekend); the link shuts three weeks
		// after the start of 01-09.
		{"december", at(2026, 12, 24, 16), "2027-01-09", 2027, at(2027, 1, 20, 9), at(2027, 1, 30, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now = tt.closed
			end, prov, err := s.defaultDue(context.Background(), &CaseInfo{Target: Target{RegionPath: "/1/2/3/"}, ClosedAt: tt.closed})
			if err != nil {
				t.Fatal(err)
			}
			if got := calendar.DateOf(end).String(); got != tt.end || prov != tt.provisional {
				t.Fatalf("default rating at %s (provisional %v), want %s (%v)", got, prov, tt.end, tt.provisional)
			}
			if at := workclock.CheckAt(end, prov, now); prov != 0 && !at.Equal(now.Add(24*time.Hour)) || prov == 0 && !at.Equal(end) {
				t.Fatalf("timer at %v", at)
			}
			v := &Visit{Target: Target{RegionPath: "/1/2/3/"}, CreatedAt: tt.closed}
			for _, c := range []struct {
				when time.Time
				can  bool
			}{{tt.open, true}, {tt.shut, false}} {
				now = c.when
				ls := &LinkSubject{CanRate: true}
				if err := s.visitPeriod(context.Background(), ls, v); err != nil {
					t.Fatal(err)
				}
				if ls.CanRate != c.can || !c.can && ls.Why != "本次服务的评价时效（10 个工作日）已过，不能再评价" {
					t.Fatalf("at %v the link takes a rating: %v (%q), want %v", c.when, ls.CanRate, ls.Why, c.can)
				}
			}
		})
	}
}
