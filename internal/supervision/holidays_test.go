package supervision

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"openhall/internal/cases"
)

// TestCaseCardsAcrossHolidays: a 3-working-day 承诺件 counts from the day
// after acceptance (行政许可法第八十二条: 期限以工作日计算, 不含法定节假日);
// with the defaults it turns yellow when one working day remains after the
// current one (day 2) and red on the first working day past the limit
// (day 4), skipping the 2026 holiday blocks and counting their make-up
// days (State Council schedule for 2026, embedded).
func TestCaseCardsAcrossHolidays(t *testing.T) {
	for _, tc := range []struct {
		name        string
		accepted    time.Time
		yellow, red string
	}{
		// 06-10, 06-11, 06-12; red on Monday.
		{"ordinary week", at(2026, 6, 9, 10, 0), "06-11", "06-15"},
		// 04-03, then 清明 04-04–06 off: 04-07, 04-08.
		{"清明", at(2026, 4, 2, 10, 0), "04-07", "04-09"},
		// 劳动节 05-01–05 off: 05-06, 05-07, 05-08; red on the make-up Saturday 05-09.
		{"劳动节 and its make-up Saturday", at(2026, 4, 30, 10, 0), "05-07", "05-09"},
		// The make-up Sunday 09-20 is day 1: 09-20, 09-21, 09-22.
		{"make-up Sunday before 中秋", at(2026, 9, 18, 10, 0), "09-21", "09-23"},
		// 国庆 10-01–07 off: 10-08, 10-09, 10-10 (make-up Saturday); red on Monday.
		{"国庆", at(2026, 9, 30, 10, 0), "10-09", "10-12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHistory(t, oneStep()).submit(tc.accepted.Add(-time.Hour))
			h.do(cases.Command{Kind: cases.CmdAccept}, tc.accepted)
			l := ledger{}
			l.add(evaluate(t, input(t, h, tc.accepted.AddDate(0, 0, 20))))
			var got []string
			for _, line := range l.lines() {
				if strings.HasPrefix(line, "case ") {
					got = append(got, line)
				}
			}
			want := []string{"case 红牌 " + tc.red + " 00:00",
				"case 黄牌 " + tc.yellow + " 00:00 → " + tc.red + " 00:00 升级为红牌"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("cards:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
