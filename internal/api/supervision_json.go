package api

import (
	"time"

	"openhall/internal/calendar"
	"openhall/internal/supervision"
)

// The JSON forms of supervision's objects. Times are RFC 3339; a time that
// has not happened is null, never a zero date; provisional_year names the
// year without a holiday schedule a date was computed over (0 when none).

type lineJSON struct {
	DeptID     int64  `json:"department_id,omitempty"`
	Name       string `json:"department,omitempty"`
	Open       int    `json:"open"`
	Intake     int    `json:"intake"`
	Supplement int    `json:"supplement"`
	Review     int    `json:"review"`
	Correction int    `json:"correction"`
	DueToday   int    `json:"due_today"`
	DueWeek    int    `json:"due_week"`
	Overdue    int    `json:"overdue"`
	Paused     int    `json:"paused"`
	IntakeLate int    `json:"intake_late"`
}

func toLine(l supervision.Line) lineJSON {
	return lineJSON{l.DeptID, l.Name, l.Open, l.Intake, l.Supplement, l.Review, l.Correction, l.DueToday, l.DueWeek, l.Overdue, l.Paused, l.IntakeLate}
}

type workbenchJSON struct {
	At          time.Time      `json:"at"`
	Today       string         `json:"today"`
	WeekEnd     string         `json:"week_end"`
	AtLabel     string         `json:"at_label"` // the time as the page shows it
	Figures     map[string]int `json:"figures"`
	Total       lineJSON       `json:"total"`
	Departments []lineJSON     `json:"departments"`
}

func toWorkbench(w *supervision.Workbench) workbenchJSON {
	t := w.Total
	out := workbenchJSON{At: w.At, AtLabel: w.At.In(cst).Format("2006-01-02 15:04"), Today: w.Today.String(), WeekEnd: w.WeekEnd.String(),
		Total: toLine(t), Departments: []lineJSON{}, Figures: map[string]int{"open": t.Open, "intake": t.Intake, "supplement": t.Supplement, "review": t.Review,
			"correction": t.Correction, "due_today": t.DueToday, "due_week": t.DueWeek, "overdue": t.Overdue, "paused": t.Paused,
			"intake_late": t.IntakeLate, "yellow": w.Yellow, "red": w.Red, "orders_open": w.OrdersOpen, "orders_overdue": w.OrdersOverdue}}
	for _, d := range w.Depts {
		out.Departments = append(out.Departments, toLine(d))
	}
	return out
}

var cst = time.FixedZone("CST", 8*3600)

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type watchJSON struct {
	CaseID      int64      `json:"case_id"`
	Number      string     `json:"number"`
	ItemCode    string     `json:"item_code"`
	ItemName    string     `json:"item_name"`
	Status      string     `json:"status"`
	DeptID      int64      `json:"department_id"`
	Depts       []int64    `json:"department_ids"`
	WindowID    int64      `json:"window_id,omitempty"`
	SubmittedAt *time.Time `json:"submitted_at"`
	AcceptedAt  *time.Time `json:"accepted_at"`
	PromisedDue *string    `json:"promised_due"`
	Provisional int        `json:"provisional_year"`
	Colour      string     `json:"colour"`
	Paused      bool       `json:"paused"`
	Overdue     bool       `json:"overdue"`
	IntakeLate  bool       `json:"intake_late"`
}

func toWatch(r *supervision.WatchRow) watchJSON {
	return watchJSON{CaseID: r.CaseID, Number: r.Number, ItemCode: r.ItemCode, ItemName: r.ItemName, Status: string(r.Status),
		DeptID: r.DeptID, Depts: ids(r.Depts), WindowID: r.WindowID, SubmittedAt: timeOrNil(r.SubmittedAt), AcceptedAt: timeOrNil(r.AcceptedAt),
		PromisedDue: strOrNil(r.PromisedDue), Provisional: r.Provisional, Colour: r.Colour.Code(), Paused: r.Paused, Overdue: r.Overdue,
		IntakeLate: r.IntakeLate}
}

type cardJSON struct {
	ID          int64      `json:"id"`
	Number      string     `json:"number"`
	CaseID      int64      `json:"case_id,omitempty"`
	CaseNumber  string     `json:"case_number,omitempty"`
	Rule        string     `json:"rule"`
	Kind        string     `json:"kind"`
	KindLabel   string     `json:"kind_label"`
	Colour      string     `json:"colour"`
	AroseAt     time.Time  `json:"arose_at"`
	Provisional int        `json:"provisional_year"`
	DeptID      int64      `json:"department_id"`
	DeptName    string     `json:"department"`
	UserID      int64      `json:"user_id,omitempty"`
	UserLabel   string     `json:"user,omitempty"`
	Detail      string     `json:"detail"`
	InForce     bool       `json:"in_force"`
	ClearedAt   *time.Time `json:"cleared_at"`
	Outcome     string     `json:"outcome,omitempty"`
	Manual      bool       `json:"manual"`
	ResolvedAt  *time.Time `json:"resolved_at"`
	Resolution  string     `json:"resolution,omitempty"`
	Confirmed   bool       `json:"confirmed"`
}

func toCard(c *supervision.Card) cardJSON {
	return cardJSON{ID: c.ID, Number: c.Number, CaseID: c.CaseID, CaseNumber: c.CaseNumber, Rule: c.Rule, Kind: string(c.Kind),
		KindLabel: c.Kind.Label(), Colour: c.Colour.Code(), AroseAt: c.AroseAt, Provisional: c.Provisional, DeptID: c.DeptID,
		DeptName: c.DeptName, UserID: c.UserID, UserLabel: c.UserLabel, Detail: c.Detail, InForce: c.InForce(),
		ClearedAt: timeOrNil(c.ClearedAt), Outcome: c.Outcome, Manual: c.Manual, ResolvedAt: timeOrNil(c.ResolvedAt),
		Resolution: c.Resolution, Confirmed: c.Confirmed}
}

type orderJSON struct {
	ID          int64      `json:"id"`
	Number      string     `json:"number"`
	CaseID      int64      `json:"case_id,omitempty"`
	CaseNumber  string     `json:"case_number,omitempty"`
	DeptID      int64      `json:"department_id"`
	DeptName    string     `json:"department"`
	Content     string     `json:"content"`
	Level       int        `json:"level"`
	Days        int        `json:"days"`
	Due         string     `json:"due"`
	Provisional int        `json:"provisional_year"`
	Status      string     `json:"status"`
	Overdue     bool       `json:"overdue"`
	IssuedAt    time.Time  `json:"issued_at"`
	IssuedBy    string     `json:"issued_by"`
	Feedback    string     `json:"feedback,omitempty"`
	AnsweredAt  *time.Time `json:"answered_at"`
	Result      string     `json:"result,omitempty"`
	ClosedAt    *time.Time `json:"closed_at"`
	EscalatedAt *time.Time `json:"escalated_at"`
	EscalatedTo string     `json:"escalated_to,omitempty"`
}

func toOrder(o *supervision.Order, now time.Time) orderJSON {
	return orderJSON{ID: o.ID, Number: o.Number, CaseID: o.CaseID, CaseNumber: o.CaseNumber, DeptID: o.DeptID, DeptName: o.DeptName,
		Content: o.Content, Level: o.Level, Days: o.Days, Due: o.Due.String(), Provisional: o.Provisional, Status: string(o.Status),
		Overdue: o.Overdue(now), IssuedAt: o.IssuedAt, IssuedBy: o.IssuedByLabel, Feedback: o.Feedback, AnsweredAt: timeOrNil(o.AnsweredAt),
		Result: o.Result, ClosedAt: timeOrNil(o.ClosedAt), EscalatedAt: timeOrNil(o.EscalatedAt), EscalatedTo: o.EscalatedTo}
}

type spanJSON struct {
	Step        string     `json:"step"`
	Department  string     `json:"department"`
	Start       *time.Time `json:"start"`
	End         *time.Time `json:"end"`
	Planned     int        `json:"planned"`
	Unit        string     `json:"unit"`
	Used        int        `json:"used"`
	UsedHours   float64    `json:"used_hours,omitempty"`
	Due         *string    `json:"due"`
	Provisional int        `json:"provisional_year"`
	Overdue     bool       `json:"overdue"`
	Paused      bool       `json:"paused"`
	Holder      string     `json:"holder"`
	Outcome     string     `json:"outcome,omitempty"`
}

func toSpan(s supervision.Span) spanJSON {
	var due *string
	if s.Due != (calendar.Date{}) {
		d := s.Due.String()
		due = &d
	}
	return spanJSON{Step: s.Label, Department: s.Dept, Start: timeOrNil(s.Start), End: timeOrNil(s.End), Planned: s.Planned.N,
		Unit: string(s.Planned.Unit), Used: s.Used, UsedHours: s.UsedHours, Due: due, Provisional: s.Provisional, Overdue: s.Overdue,
		Paused: s.Paused, Holder: s.Holder, Outcome: s.Outcome}
}

type urgeJSON struct {
	ID         int64     `json:"id"`
	Message    string    `json:"message"`
	Holders    string    `json:"holders"`
	Recipients int       `json:"recipients"`
	SentAt     time.Time `json:"sent_at"`
	SentBy     string    `json:"sent_by"`
}

func toUrge(u *supervision.Urge) urgeJSON {
	return urgeJSON{u.ID, u.Message, u.Holders, u.Recipients, u.SentAt, u.SentByLabel}
}

type caseFileJSON struct {
	CaseID     int64       `json:"case_id"`
	Number     string      `json:"number"`
	ItemName   string      `json:"item_name"`
	Department string      `json:"department"`
	Status     string      `json:"status"`
	Applicant  string      `json:"applicant"` // masked
	Spans      []spanJSON  `json:"spans"`
	Cards      []cardJSON  `json:"cards"`
	Orders     []orderJSON `json:"orders"`
	Urges      []urgeJSON  `json:"urges"`
}

func toCaseFile(f *supervision.CaseFile, now time.Time) caseFileJSON {
	c := f.Case
	out := caseFileJSON{CaseID: c.ID, Number: c.Number, ItemName: c.Procedure.ItemName, Department: c.Procedure.Department,
		Status: string(c.Status), Applicant: f.Applicant, Spans: []spanJSON{}, Cards: listOf(f.Cards, toCard).Items,
		Orders: listOf(f.Orders, func(o *supervision.Order) orderJSON { return toOrder(o, now) }).Items, Urges: listOf(f.Urges, toUrge).Items}
	for _, s := range f.Spans {
		out.Spans = append(out.Spans, toSpan(s))
	}
	return out
}

type rulesJSON struct {
	CentreID        int64          `json:"centre_id"`
	YellowPercent   int            `json:"yellow_percent"`
	YellowDays      int            `json:"yellow_days"`
	ReasonMinRunes  int            `json:"reason_min_runes"`
	BackfillMinutes int            `json:"backfill_minutes"`
	Weights         map[string]int `json:"weights"`
	Excellent       int            `json:"excellent"`
	Good            int            `json:"good"`
	Pass            int            `json:"pass"`
	YellowPenalty   int            `json:"yellow_penalty"`
	RedPenalty      int            `json:"red_penalty"`
	OrderPenalty    int            `json:"order_penalty"`
}

func toRules(r supervision.Rules) rulesJSON {
	p := r.Policy
	return rulesJSON{r.CentreID, r.YellowPercent, r.YellowDays, r.ReasonMinRunes, r.BackfillMinutes, p.Weights, p.Excellent, p.Good,
		p.Pass, p.YellowPenalty, p.RedPenalty, p.OrderPenalty}
}

func (j rulesJSON) rules() supervision.Rules {
	return supervision.Rules{YellowPercent: j.YellowPercent, YellowDays: j.YellowDays, ReasonMinRunes: j.ReasonMinRunes,
		BackfillMinutes: j.BackfillMinutes, Policy: supervision.Policy{Weights: j.Weights, Excellent: j.Excellent, Good: j.Good,
			Pass: j.Pass, YellowPenalty: j.YellowPenalty, RedPenalty: j.RedPenalty, OrderPenalty: j.OrderPenalty}}
}
