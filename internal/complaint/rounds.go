package complaint

// Round is one handling of a complaint: the first, and a second once the
// complainant reopened it (allowed once). The figures count each round for
// the department that handled it, so a department whose answer was found
// wanting keeps its rating and the reopening it caused even when the desk
// gives the second round to another department.
type Round struct {
	// DepartmentID is the department the complaint was assigned to in
	// the round: its latest 转办 up to the round's end, so a second round
	// stays with the first one's department until the desk assigns it
	// again (as Complaint.DepartmentID does); 0 while there was none.
	DepartmentID int64
	Answered     bool // the desk answered the complainant in this round
	Level        int  // the complainant's rating of this round's answer; 0 none
	Reopened     bool // the complainant reopened the complaint after this round
}

// Rounds are the complaint's rounds, recomputed from its events: one, and
// a second from the reopening on.
func (c *Complaint) Rounds() []Round {
	out := []Round{{}}
	for _, e := range c.Events {
		r := &out[len(out)-1]
		switch e.Kind {
		case EvAssigned:
			r.DepartmentID = e.DepartmentID
		case EvAnswered:
			r.Answered = true
		case EvRated:
			r.Level = e.Level
		case EvReopened:
			r.Reopened = true
			out = append(out, Round{DepartmentID: r.DepartmentID})
		}
	}
	return out
}

// FirstLevel is the complainant's rating of the answer of the first round
// of a reopened complaint (0: none, or not reopened): AnswerLevel is the
// latest rating.
func (c *Complaint) FirstLevel() int {
	if rs := c.Rounds(); len(rs) > 1 {
		return rs[0].Level
	}
	return 0
}
