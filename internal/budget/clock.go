package budget

import (
	"openhall/internal/calendar"
)

// publishDays is 预算法 (2018) Art 14: approved budgets, budget adjustments,
// final accounts and their tables are made public within 20 days of
// approval; a department's within 20 days of the finance department's
// 批复. The days are calendar days (日), not working days, unlike the 20
// working days of 政府信息公开条例 Art 26 (the reference read this from the
// law's text, [L]). The period starts the day after approval and, when its
// last day is a 法定休假日, ends on the first day after the holiday (民法典
// Art 203; 民事诉讼法 (2023) Art 85 ¶2–3): the calendar's AddNaturalDays,
// which treats weekends as 休假日 and a make-up working Saturday as a
// working day.
const publishDays = 20

// Clock is where a set stands against Art 14.
type Clock struct {
	Approved    calendar.Date
	Due         calendar.Date // last day to publish
	Provisional int           // first year of the span without an imported holiday schedule; 0 = official
	PublishedOn calendar.Date // zero until published
	OnTime      bool          // published by Due
	Overdue     bool          // not published and Due has passed
	DaysLeft    int           // calendar days from today to Due (negative when overdue)
}

// ComputeClock is Art 14's clock of a set approved on approved, published
// on published (zero if not yet), seen on today.
func ComputeClock(cal *calendar.Calendar, approved, published, today calendar.Date) (Clock, error) {
	due, err := cal.AddNaturalDays(approved, publishDays)
	if err != nil {
		return Clock{}, err
	}
	c := Clock{Approved: approved, Due: due, Provisional: cal.Provisional(approved, due), PublishedOn: published,
		DaysLeft: due.Sub(today)}
	if published != (calendar.Date{}) {
		c.OnTime = !published.After(due)
	} else {
		c.Overdue = today.After(due)
	}
	return c, nil
}

// Note is the 暂定 wording to show with the due date, "" when official.
func (c Clock) Note() string { return calendar.ProvisionalNote(c.Provisional) }

// State describes the clock in words.
func (c Clock) State() string {
	switch {
	case c.PublishedOn != (calendar.Date{}) && c.OnTime:
		return "已按期公开"
	case c.PublishedOn != (calendar.Date{}):
		return "逾期公开"
	case c.Overdue:
		return "已逾期未公开"
	case c.DaysLeft <= 5:
		return "即将到期"
	}
	return "公开期限内"
}

// Late reports whether the set was published after its due date.
func (c Clock) Late() bool { return c.PublishedOn != (calendar.Date{}) && !c.OnTime }

// Warn reports whether the clock needs attention (near or past due,
// unpublished).
func (c Clock) Warn() bool { return c.PublishedOn == (calendar.Date{}) && c.DaysLeft <= 5 }
