package sources

import (
	"time"

	"openhall/internal/calendar"
)

// statMonths is how many months the monthly statistics datasets cover:
// this month and the 23 before it.
const statMonths = 24

// month is one calendar month as the statistics datasets count it.
type month struct {
	Label    string // YYYY-MM
	From, To calendar.Date
}

// recentMonths are the statMonths months up to the one holding now (China
// time), oldest first; the current month ends today.
func recentMonths(now time.Time) []month {
	today := calendar.DateOf(now)
	out := make([]month, 0, statMonths)
	for i := statMonths - 1; i >= 0; i-- {
		from := calendar.NewDate(today.Year(), today.Month()-time.Month(i), 1) // NewDate normalises the month
		to := calendar.NewDate(from.Year(), from.Month()+1, 1).AddDays(-1)
		if to.After(today) {
			to = today
		}
		out = append(out, month{Label: from.String()[:7], From: from, To: to})
	}
	return out
}
