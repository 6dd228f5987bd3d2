package mailbox

import (
	"time"

	"openhall/internal/calendar"
)

// DefaultDays is the answer limit a new mailbox proposes. No national rule
// fixes a limit for 领导信箱 letters (信访工作条例 Art 32's 60 days apply to
// 信访事项, a different procedure); local rules commonly ask for an answer
// within 10 or 15 working days. The figure is local practice, unverified
// here, so each mailbox sets its own.
const DefaultDays = 10

// WarnDays is how many working days before the deadline a letter is
// flagged as near its deadline (local practice, unverified: the 电子监察
// rules cited in the references warn one working day before, or at 90 % of
// the time).
const WarnDays = 2

// Level says how a letter stands against its deadline.
type Level string

// Levels.
const (
	LevelNormal   Level = "normal"
	LevelNear     Level = "near"     // WarnDays or fewer working days left
	LevelOverdue  Level = "overdue"  // past the deadline, unanswered
	LevelOnTime   Level = "on_time"  // answered by the deadline
	LevelLate     Level = "late"     // answered after the deadline
	LevelRejected Level = "rejected" // closed without an answer
)

// Label is the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case LevelNear:
		return "即将到期"
	case LevelOverdue:
		return "已超期"
	case LevelOnTime:
		return "按期答复"
	case LevelLate:
		return "超期答复"
	case LevelRejected:
		return "不予受理"
	}
	return "正常"
}

// Clock is a letter's deadline as computed from its events.
type Clock struct {
	Received    calendar.Date
	Due         calendar.Date // the last working day for the answer
	Left        int           // working days left after today (negative: overdue by; 0 on the days after a due date until a working day is used), open letters only
	Level       Level
	Provisional int // the year whose holiday schedule is missing, 0 when official
}

// Note is the 暂定 wording when the due date is provisional.
func (c Clock) Note() string { return calendar.ProvisionalNote(c.Provisional) }

// ComputeClock measures a letter on its region's calendar: the limit counts
// working days from the day after receipt (the receipt event's date); the
// limit is the latest one set by an assignment, else the letter's own.
// Answered letters are measured at their answer's date. A letter loaded
// without its events is measured from its row, which the events keep.
func ComputeClock(l *Letter, cal *calendar.Calendar, now time.Time) (Clock, error) {
	received := calendar.DateOf(l.ReceivedAt)
	days := l.Days
	var answered, rejected time.Time
	switch l.Status {
	case StatusAnswered:
		answered = l.AnsweredAt
	case StatusRejected:
		rejected = l.AnsweredAt
	}
	for _, e := range l.Events {
		switch e.Kind {
		case EventReceived:
			received = calendar.DateOf(e.At)
		case EventAssigned:
			if e.Days > 0 {
				days = e.Days
			}
		case EventAnswered:
			answered = e.At
		case EventRejected:
			rejected = e.At
		}
	}
	due, err := cal.AddWorkdays(received, days)
	if err != nil {
		return Clock{}, err
	}
	c := Clock{Received: received, Due: due, Provisional: cal.Provisional(received, due)}
	return c, c.measure(cal, now, answered, rejected)
}

// measure sets the level and the working days left.
func (c *Clock) measure(cal *calendar.Calendar, now, answered, rejected time.Time) error {
	switch {
	case !rejected.IsZero():
		c.Level = LevelRejected
		return nil
	case !answered.IsZero():
		c.Level = LevelOnTime
		if calendar.DateOf(answered).After(c.Due) {
			c.Level = LevelLate
		}
		return nil
	}
	today := calendar.DateOf(now)
	if today.After(c.Due) {
		n, err := cal.WorkdaysBetween(c.Due, today)
		c.Left, c.Level = -n, LevelOverdue
		return err
	}
	n, err := cal.WorkdaysBetween(today, c.Due)
	c.Left, c.Level = n, LevelNormal
	if n <= WarnDays {
		c.Level = LevelNear
	}
	if p := cal.Provisional(today, c.Due); c.Provisional == 0 {
		c.Provisional = p
	}
	return err
}

// Rating is the writer's satisfaction with the answer, coded as GB/T
// 39046-2020 A.8 (1 非常满意 … 5 非常不满意). The national 好差评 interface
// numbers the other way round; a partner mapping must reverse it.
type Rating int

// Ratings.
const (
	RatingNone         Rating = 0
	RatingVerySatisfed Rating = 1
	RatingSatisfied    Rating = 2
	RatingBasically    Rating = 3
	RatingUnsatisfied  Rating = 4
	RatingVeryBad      Rating = 5
)

// Ratings lists the ratings in display order.
var Ratings = []Rating{RatingVerySatisfed, RatingSatisfied, RatingBasically, RatingUnsatisfied, RatingVeryBad}

// Label is the rating's Chinese name.
func (r Rating) Label() string {
	switch r {
	case RatingVerySatisfed:
		return "非常满意"
	case RatingSatisfied:
		return "满意"
	case RatingBasically:
		return "基本满意"
	case RatingUnsatisfied:
		return "不满意"
	case RatingVeryBad:
		return "非常不满意"
	}
	return "未评价"
}

// Valid reports whether r is one of the five ratings.
func (r Rating) Valid() bool { return r >= RatingVerySatisfed && r <= RatingVeryBad }

// Satisfied reports whether r counts as satisfied: 好差评 (国办发〔2019〕51号)
// counts 不满意 and 非常不满意 as 差评, so the other three are satisfied.
func (r Rating) Satisfied() bool { return r >= RatingVerySatisfed && r <= RatingBasically }
