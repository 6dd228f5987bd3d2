package consult

import (
	"fmt"

	"openhall/internal/calendar"
)

// MinDays is the shortest ordinary comment period: "公开征求意见的期限一般
// 不少于30日；因情况紧急等原因需要缩短期限的，公开征求意见时应当予以说明"
// (重大行政决策程序暂行条例 Art 15; likewise 规章制定程序条例 Art 15).
// A shorter period needs a reason, which is published with the draft.
const MinDays = 30

// MaxDays bounds a period; a longer one is a typo.
const MaxDays = 365

// Period is when a consultation takes comments.
type Period struct {
	Opens calendar.Date // publication date
	// Last is the last day comments are taken, until 24:00: the period
	// counts from the day after publication (民法典 Art 201 ¶1), and when
	// its last day is a 法定休假日 (a weekend or public holiday; a make-up
	// working day is not one) it ends on the next working day (Art 203).
	Last calendar.Date
	// Provisional is the year whose holiday schedule is missing, which made
	// Last provisional (0 when official).
	Provisional int
}

// ComputePeriod is the comment period of a draft published on opens for
// days calendar days, on the calendar of the agency's region.
func ComputePeriod(cal *calendar.Calendar, opens calendar.Date, days int) (Period, error) {
	if days <= 0 {
		return Period{}, fmt.Errorf("征求意见期限应为正数（%d）", days)
	}
	last, err := cal.AddNaturalDays(opens, days) // moves a 法定休假日 to the next working day
	if err != nil {
		return Period{}, err
	}
	return Period{Opens: opens, Last: last, Provisional: cal.Provisional(opens, last)}, nil
}

// Accepts reports whether a comment made on day is in the period.
func (p Period) Accepts(day calendar.Date) bool {
	return !day.Before(p.Opens) && !day.After(p.Last)
}

// Over reports whether the period has ended by day.
func (p Period) Over(day calendar.Date) bool { return day.After(p.Last) }

// Note is the 暂定 wording for a provisional last day, "" otherwise.
func (p Period) Note() string { return calendar.ProvisionalNote(p.Provisional) }
