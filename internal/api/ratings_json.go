package api

import (
	"time"

	"openhall/internal/complaint"
	"openhall/internal/pii"
	"openhall/internal/rating"
	"openhall/internal/workclock"
)

// ratingJSON is one rating. Its comment is free text and may hold
// personal data: it is shown with ID and phone numbers masked to anyone
// but the rater.
type ratingJSON struct {
	ID           int64            `json:"id"`
	Subject      string           `json:"subject"`
	CaseID       int64            `json:"case_id,omitempty"`
	CaseNumber   string           `json:"case_number,omitempty"`
	Stage        int              `json:"stage"`
	StageLabel   string           `json:"stage_label"`
	Number       int              `json:"number"`
	FirstID      int64            `json:"first_id,omitempty"`
	Level        int              `json:"level"`
	LevelLabel   string           `json:"level_label"`
	Satisfaction string           `json:"national_satisfaction"`
	Indicators   map[string]int   `json:"indicators"`
	Channel      rating.Channel   `json:"channel"`
	Anonymous    bool             `json:"anonymous"`
	Default      bool             `json:"default"`
	Excluded     bool             `json:"excluded"`
	Comment      string           `json:"comment"`
	Department   string           `json:"department,omitempty"`
	ItemName     string           `json:"item_name,omitempty"`
	WindowID     int64            `json:"window_id,omitempty"`
	At           time.Time        `json:"at"`
	Source       string           `json:"source"`
	Key          string           `json:"key"`
	Extra        *ratingExtraJSON `json:"handling,omitempty"`
}

type ratingExtraJSON struct {
	TicketStatus string     `json:"ticket_status"`
	StatusLabel  string     `json:"ticket_status_label"` // as the rating's page shows it
	Feedback     string     `json:"feedback,omitempty"`
	FeedbackAt   *time.Time `json:"feedback_at,omitempty"`
	CanAgain     bool       `json:"can_rate_again"`
	SecondID     int64      `json:"second_id,omitempty"`
}

// toRatingExtra is the handling of a rating with a ticket, as its rater sees it.
func toRatingExtra(v *rating.RaterView) *ratingExtraJSON {
	ex := &ratingExtraJSON{TicketStatus: string(v.Ticket.Status), StatusLabel: v.Ticket.Status.Label(), CanAgain: v.CanAgain}
	if v.Feedback != nil {
		ex.Feedback, ex.FeedbackAt = v.Feedback.Reason, &v.Feedback.At
	}
	if v.Second != nil {
		ex.SecondID = v.Second.ID
	}
	return ex
}

func toRating(r *rating.Rating, owner bool) ratingJSON {
	comment := r.Comment
	if !owner {
		comment = pii.Redact(comment)
	}
	ind := map[string]int{}
	for k, v := range r.Indicators {
		ind[string(k)] = int(v)
	}
	return ratingJSON{ID: r.ID, Subject: string(r.Subject), CaseID: r.CaseID, CaseNumber: r.CaseNumber, Stage: int(r.Stage),
		StageLabel: r.Stage.Label(), Number: r.Number, FirstID: r.FirstID, Level: int(r.Level), LevelLabel: r.Level.Label(),
		Satisfaction: rating.NationalSatisfaction(r.Level), Indicators: ind, Channel: r.Channel, Anonymous: r.Anonymous,
		Default: r.Default, Excluded: r.Excluded, Comment: comment, Department: r.Department, ItemName: r.ItemName,
		WindowID: r.WindowID, At: r.At, Source: r.Source, Key: r.Key}
}

// workClockJSON is a deadline; due is absent while unknown, never a zero date.
type workClockJSON struct {
	Days            int    `json:"days"`
	Started         bool   `json:"started"`
	Met             bool   `json:"met"`
	Due             string `json:"due,omitempty"`
	Consumed        int    `json:"consumed"`
	Remaining       int    `json:"remaining"`
	Paused          bool   `json:"paused"`
	Overdue         bool   `json:"overdue"`
	Warning         string `json:"warning"`
	ProvisionalYear int    `json:"provisional_year,omitempty"`
	MissingYear     int    `json:"missing_year,omitempty"`
	Text            string `json:"text"`
}

func toWorkClock(c workclock.Clock) workClockJSON {
	out := workClockJSON{Days: c.Days, Started: c.Started, Met: c.Met, Consumed: c.Consumed, Remaining: c.Remaining, Paused: c.Paused,
		Overdue: c.Overdue, Warning: string(c.Warning), ProvisionalYear: c.Provisional, MissingYear: c.MissingYear, Text: c.Text()}
	if c.Known() {
		out.Due = c.Due.String()
	}
	return out
}

// ticketJSON is a rectification ticket.
type ticketJSON struct {
	ID          int64             `json:"id"`
	RatingID    int64             `json:"rating_id"`
	Status      string            `json:"status"`
	StatusLabel string            `json:"status_label"`
	Department  string            `json:"department,omitempty"`
	ItemName    string            `json:"item_name,omitempty"`
	Anonymous   bool              `json:"anonymous"`
	Outcome     string            `json:"outcome,omitempty"`
	OpenedAt    time.Time         `json:"opened_at"`
	Callback    workClockJSON     `json:"callback_clock"`
	Rectify     workClockJSON     `json:"rectify_clock"`
	Warning     string            `json:"warning"`
	Version     int               `json:"version"`
	Events      []ticketEventJSON `json:"events"`
	Rating      *ratingJSON       `json:"rating,omitempty"`
	Contact     string            `json:"contact,omitempty"`     // the rater's name and phone, masked unless phone_shown
	PhoneShown  bool              `json:"phone_shown,omitempty"` // contact holds the phone in full (POST …/phone)
	Decide      bool              `json:"awaits_decision,omitempty"`
	Options     []string          `json:"options,omitempty"`
}

type ticketEventJSON struct {
	Kind       string    `json:"kind"`
	KindLabel  string    `json:"kind_label"`
	At         time.Time `json:"at"`
	ActorLabel string    `json:"actor_label"`
	Code       string    `json:"code,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Level      int       `json:"level,omitempty"`
}

func toTicket(v *rating.TicketView) ticketJSON {
	t := v.Ticket
	out := ticketJSON{ID: t.ID, RatingID: t.RatingID, Status: string(t.Status), StatusLabel: t.Status.Label(), Department: t.Department,
		ItemName: t.ItemName, Anonymous: t.Anonymous, Outcome: t.Outcome, OpenedAt: t.OpenedAt, Callback: toWorkClock(v.Clocks.Callback),
		Rectify: toWorkClock(v.Clocks.Rectify), Warning: string(v.Clocks.Warning()), Version: t.Version, Events: []ticketEventJSON{}, Contact: v.Contact,
		PhoneShown: v.PhoneShown, Decide: v.Decide}
	if t.Anonymous {
		out.Callback.Text = "无法回访，不计时" // as the ticket's page says: no one to call back
	}
	for _, e := range t.Events {
		out.Events = append(out.Events, ticketEventJSON{Kind: string(e.Kind), KindLabel: e.Kind.Label(), At: e.At, ActorLabel: e.ActorLabel,
			Code: e.Code, Reason: e.Reason, Level: int(e.Level)})
	}
	if v.Rating != nil {
		r := toRating(v.Rating, false)
		out.Rating = &r
	}
	return out
}

// complaintJSON is a complaint as its viewer may see it.
type complaintJSON struct {
	ID            int64                `json:"id"`
	Number        string               `json:"number"`
	Kind          string               `json:"kind"`
	Status        string               `json:"status"`
	StatusLabel   string               `json:"status_label"`
	Subject       complaint.Subject    `json:"subject"`
	Channel       string               `json:"channel"`
	HotlineTicket string               `json:"hotline_ticket,omitempty"`
	Department    string               `json:"department,omitempty"`
	Anonymous     bool                 `json:"anonymous"`
	Complainant   *complainantJSON     `json:"complainant,omitempty"`
	Content       string               `json:"content"`
	Reopened      bool                 `json:"reopened"`
	AnswerLevel   int                  `json:"answer_level,omitempty"`
	CreatedAt     time.Time            `json:"created_at"`
	Version       int                  `json:"version"`
	Clocks        *complaintClocksJSON `json:"clocks,omitempty"`
	Warning       string               `json:"warning"`
	Events        []complaintEventJSON `json:"events"`
	Options       []string             `json:"options,omitempty"`
}

type complainantJSON struct {
	Name       string `json:"name"`
	Phone      string `json:"phone"`                 // masked unless phone_shown, or to the complainant
	PhoneShown bool   `json:"phone_shown,omitempty"` // shown in full to the desk (POST …/phone)
}

type complaintClocksJSON struct {
	Accept     workClockJSON `json:"accept"`
	Department workClockJSON `json:"department"`
	Answer     workClockJSON `json:"answer"`
	Desk       workClockJSON `json:"desk"` // after an acceptance without 转办, a return or a reopening, until the next 转办 or answer
	DeskAfter  string        `json:"desk_after,omitempty"`
}

type complaintEventJSON struct {
	Kind       string    `json:"kind"`
	KindLabel  string    `json:"kind_label"`
	At         time.Time `json:"at"`
	ActorLabel string    `json:"actor_label"`
	Text       string    `json:"text,omitempty"`
	Department string    `json:"department,omitempty"`
	Days       int       `json:"days,omitempty"`
	Level      int       `json:"level,omitempty"`
}

func toComplaint(v *complaint.View) complaintJSON {
	c := v.Complaint
	out := complaintJSON{ID: c.ID, Number: c.Number, Kind: string(c.Kind), Status: string(c.Status), StatusLabel: c.Status.Label(),
		Subject: c.Subject, Channel: string(c.Channel), HotlineTicket: c.HotlineTicket, Department: c.Department, Anonymous: c.Anonymous,
		Content: c.Content, Reopened: c.Reopened, AnswerLevel: c.AnswerLevel, CreatedAt: c.CreatedAt, Version: c.Version,
		Warning: string(v.Clocks.Warning()), Events: []complaintEventJSON{}}
	if v.Identity && !c.Anonymous { // the phone masked but to the complainant (complaint.Service.ShowPhone)
		out.Complainant = &complainantJSON{Name: c.Complainant.Name, Phone: c.Complainant.Phone, PhoneShown: v.PhoneShown}
	}
	if v.Desk || v.Department {
		out.Clocks = &complaintClocksJSON{Accept: toWorkClock(v.Clocks.Accept), Department: toWorkClock(v.Clocks.Department), Answer: toWorkClock(v.Clocks.Answer),
			Desk: toWorkClock(v.Clocks.Desk), DeskAfter: string(v.Clocks.DeskAfter)}
	}
	for _, e := range c.Events {
		ev := complaintEventJSON{Kind: string(e.Kind), KindLabel: e.Kind.Label(), At: e.At, Text: e.Text, Department: e.Department, Days: e.Days, Level: e.Level}
		if v.Desk || v.Department {
			ev.ActorLabel = e.ActorLabel
		}
		out.Events = append(out.Events, ev)
	}
	for _, k := range v.Options {
		out.Options = append(out.Options, string(k))
	}
	return out
}
