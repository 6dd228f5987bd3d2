package complaint

import (
	"time"

	"openhall/internal/calendar"
)

// Late reports whether a complaint missed one of its deadlines as of now:
// accepted or refused later than AcceptDays working days after
// submission, the department's reply later than the days set at 转办, the
// answer to the complainant later than AnswerDays after the reply, or a
// complaint accepted without a 转办, returned by its department or
// reopened by the complainant assigned or answered later than DeskDays
// after that; a deadline
// still running past its day counts as missed.
func Late(c *Complaint, cal *calendar.Calendar, now time.Time) (bool, error) {
	cl, err := ComputeClocks(c, cal, now)
	if err != nil {
		return false, err
	}
	return cl.Accept.Overdue || cl.Department.Overdue || cl.Answer.Overdue || cl.Desk.Overdue, nil
}
