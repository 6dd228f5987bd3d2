package storetest

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/supervision"
)

// swapCalendar is a calendar a test replaces, as an import does.
type swapCalendar struct {
	cal atomic.Pointer[calendar.Calendar]
}

func (c *swapCalendar) ForRegion(string) (*calendar.Calendar, error) { return c.cal.Load(), nil }

// TestSupervisionOrdersInDecember: a 督办 issued in December with its
// feedback period running into a year whose schedule is not imported gets
// a provisional deadline (weekends and the law's days off) that says so;
// importing the schedule moves it (here a bridging Monday off after 元旦)
// or, where the schedule changes nothing before it, makes the same date
// official.
func TestSupervisionOrdersInDecember(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		f := newSupFixture(t, b)
		sw := &swapCalendar{}
		sw.cal.Store(mustCalendar(t))
		sup := supervision.NewService(supervision.Deps{Store: f.sv.Stores.Supervision, Tx: f.sv.Stores, Audit: f.sv.Audit,
			Cases: f.sv.Stores.Cases, Calendars: sw, Directory: f.sv.Org, Notifier: f.rec, Scheduler: f.rec,
			Heads: f.sv.Stores.Audit, Secret: []byte("test"), Now: f.clock.Now})
		issue := func(at time.Time, days int) *supervision.Order {
			f.clock.Set(at)
			o, err := sup.IssueOrder(f.ctx, f.xhSup, supervision.OrderInput{DeptID: f.tr.Department.ID, Content: "请报告年末积压办件情况",
				Days: days, Level: 1})
			if err != nil {
				t.Fatal(err)
			}
			return o
		}
		// 12-30, 12-31, (元旦 01-01, off by law) 01-04.
		moved := issue(time.Date(2026, 12, 29, 10, 0, 0, 0, cstZone), 3)
		// 01-05, 01-06: New Year's Day is before them.
		same := issue(time.Date(2027, 1, 4, 10, 0, 0, 0, cstZone), 2)
		for _, tc := range []struct {
			o    *supervision.Order
			want string
		}{{moved, "2027-01-04"}, {same, "2027-01-06"}} {
			if tc.o.Due.String() != tc.want || tc.o.Provisional != 2027 || tc.o.DueNote() == "" {
				t.Fatalf("provisional deadline %s (%d, %q), want %s, provisional", tc.o.Due, tc.o.Provisional, tc.o.DueNote(), tc.want)
			}
		}
		sw.cal.Store(mustCalendar(t, calendar.Schedule{Year: 2027,
			Days: []calendar.Day{{Date: calendar.NewDate(2027, 1, 1), Name: "元旦", IsOffDay: true},
				{Date: calendar.NewDate(2027, 1, 4), Name: "元旦", IsOffDay: true}}}))
		if n, err := sup.RedateOrders(f.ctx); err != nil || n != 2 {
			t.Fatalf("redated %d 督办 after the import, want 2: %v", n, err)
		}
		for _, tc := range []struct {
			id   int64
			want string
		}{{moved.ID, "2027-01-05"}, {same.ID, "2027-01-06"}} {
			o, err := sup.Order(context.Background(), f.xhSup, tc.id)
			if err != nil || o.Due.String() != tc.want || o.Provisional != 0 || o.DueNote() != "" {
				t.Fatalf("after the import: %+v %v, want %s, official", o, err, tc.want)
			}
			entries, err := f.sv.Audit.Find(f.ctx, audit.Filter{Action: "supervision.order.redate", ObjectType: "supervision_order", ObjectID: fmtInt(tc.id)})
			if err != nil || len(entries) != 1 || entries[0].ActorID != 0 {
				t.Fatalf("the new deadline is in the audit log, by the system: %+v %v", entries, err)
			}
		}
	})
}

func mustCalendar(t *testing.T, extra ...calendar.Schedule) *calendar.Calendar {
	t.Helper()
	cal, err := calendar.New(append(calendar.EmbeddedSchedules(), extra...), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}
