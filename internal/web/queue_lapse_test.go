package web_test

import (
	"strings"
	"testing"
	"time"

	"openhall/internal/demo"
)

// TestIntakeQueueLapse: the intake queue says of a case whose intake
// period (行政许可法 Art 32: 5 working days) ended on the last working day
// before days off what its page says: the period has lapsed and the case
// counts as accepted, but it is overdue (已逾期) only from the next working
// day: over an ordinary weekend, over the 国庆 block, and at the turn of a
// year whose holiday schedule is not imported.
func TestIntakeQueueLapse(t *testing.T) {
	for _, tc := range []struct {
		name, due                       string
		received, before, lapsed, after time.Time
	}{
		{"weekend", "2026-11-20", cstDay(2026, 11, 13), cstDay(2026, 11, 20), cstDay(2026, 11, 22), cstDay(2026, 11, 23)},
		{"national day", "2026-09-30", cstDay(2026, 9, 22), cstDay(2026, 9, 30), cstDay(2026, 10, 7), cstDay(2026, 10, 8)},
		// 2027 not imported: 元旦 is off by law all the same.
		{"new year", "2026-12-31", cstDay(2026, 12, 24), cstDay(2026, 12, 31), cstDay(2027, 1, 1), cstDay(2027, 1, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, set := demoAt(t, tc.received)
			number := citizenFiles(t, a, "特种设备使用登记", "queue-lapse", nil).Case.Number
			for _, step := range []struct {
				at          time.Time
				want, never string
			}{
				{tc.before, tc.due, "视为受理"},
				{tc.lapsed, "期限已届满，视为受理", "已逾期"},
				{tc.after, "已逾期，视为受理", "已届满"},
			} {
				set(step.at)
				b := newBrowser(t, a) // days later: a new login
				b.login("clerk", demo.Password)
				row := b.get("/staff/intake").doc.Find("tr:contains('" + number + "')").Text()
				if !strings.Contains(row, tc.due) || !strings.Contains(row, step.want) || strings.Contains(row, step.never) || strings.Contains(row, "1970") {
					t.Errorf("%s: the row %q, want %s", step.at.Format("2006-01-02"), strings.Join(strings.Fields(row), " "), step.want)
				}
			}
		})
	}
}

func cstDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}
