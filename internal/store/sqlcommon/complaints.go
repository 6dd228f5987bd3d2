package sqlcommon

import (
	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
)

// ComplaintColumns are the columns ScanComplaint reads, in its order.
const ComplaintColumns = `id, COALESCE(number, ''), kind, status, subject, region_path, department_id, department, suggested_department_id,
	channel, COALESCE(hotline_ticket, ''), anonymous, consent, complainant, content, reopened, answer_level, version, created_at`

// DuplicateComplaint is the error of a complaint whose hotline ticket or
// key (a repeated request, which the service answers with the first
// complaint) is already held.
func DuplicateComplaint(c *complaint.Complaint) error {
	if c.HotlineTicket != "" {
		return apperr.Field("hotline_ticket", "该热线工单已经登记过")
	}
	return apperr.New(apperr.Conflict, "该%s已经提交过", c.Kind.Label())
}

// ComplaintDetail is the part of a complaint event kept as JSON.
type ComplaintDetail struct {
	Text         string `json:"text,omitempty"`
	DepartmentID int64  `json:"department_id,omitempty"`
	Department   string `json:"department,omitempty"`
	Days         int    `json:"days,omitempty"`
	Level        int    `json:"level,omitempty"`
}

// NewComplaintDetail is the JSON part of e.
func NewComplaintDetail(e complaint.Event) ComplaintDetail {
	return ComplaintDetail{e.Text, e.DepartmentID, e.Department, e.Days, e.Level}
}

// ScanComplaint reads ComplaintColumns.
func ScanComplaint(r Scanner) (*complaint.Complaint, error) {
	var c complaint.Complaint
	err := r.Scan(&c.ID, &c.Number, &c.Kind, &c.Status, JSON(&c.Subject), &c.RegionPath, &c.DepartmentID, &c.Department, &c.Suggested,
		&c.Channel, &c.HotlineTicket, &c.Anonymous, &c.Consent, JSON(&c.Complainant), &c.Content, &c.Reopened, &c.AnswerLevel, &c.Version,
		Time(&c.CreatedAt))
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ComplaintEventColumns are the columns ScanComplaintEvent reads.
const ComplaintEventColumns = `complaint_id, seq, kind, at, actor_id, actor_label, detail`

// ScanComplaintEvent reads ComplaintEventColumns: the complaint's id and
// the event.
func ScanComplaintEvent(r Scanner) (int64, complaint.Event, error) {
	var cid int64
	var e complaint.Event
	var d ComplaintDetail
	if err := r.Scan(&cid, &e.Seq, &e.Kind, Time(&e.At), &e.ActorID, &e.ActorLabel, JSON(&d)); err != nil {
		return 0, e, err
	}
	e.Text, e.DepartmentID, e.Department, e.Days, e.Level = d.Text, d.DepartmentID, d.Department, d.Days, d.Level
	return cid, e, nil
}

// ComplaintWhere is the WHERE clause of a complaint list.
func ComplaintWhere(d Dialect, f complaint.Filter) *Where {
	w := NewWhere(d)
	if f.Open {
		w.Add("status IN ('submitted', 'accepted', 'assigned', 'replied')")
	}
	if f.ComplainantID != 0 {
		w.Add("complainant_user_id = ?", f.ComplainantID)
	}
	if f.CaseID != 0 {
		w.Add("case_id = ?", f.CaseID)
	}
	var or []string
	if len(f.DepartmentIDs) > 0 {
		or = append(or, w.In("department_id", f.DepartmentIDs))
	}
	for _, p := range f.RegionPrefixes {
		or = append(or, w.Prefix("region_path", p))
	}
	w.AnyOf(or)
	return w
}

// ComplaintFigureWhere is the WHERE clause of a period's complaint
// figures, over complaints c joined with their rounds r: a department
// filter keeps the rounds of those departments.
func ComplaintFigureWhere(d Dialect, f complaint.FigureFilter) *Where {
	w := NewWhere(d)
	w.Add("c.created_at >= ? AND c.created_at < ?", w.Time(f.From), w.Time(f.To))
	if f.RegionPrefix != "" {
		w.Add(w.Prefix("c.region_path", f.RegionPrefix))
	}
	if len(f.DepartmentIDs) > 0 {
		w.Add(w.In("r.department_id", f.DepartmentIDs))
	}
	return w
}

// ComplaintFigureColumn is the column complaint figures are grouped by:
// a department is the one of each round (complaint_rounds r), so a
// complaint reopened and given to another department counts for both;
// a window, person or item is the complaint's (complaints c).
func ComplaintFigureColumn(by string) string {
	if col := map[string]string{"window": "c.window_id", "staff": "c.staff_id", "item": "c.item_code"}[by]; col != "" {
		return col
	}
	return "r.department_id"
}

// ScanComplaintCount reads one group of complaint figures.
func ScanComplaintCount(r Scanner) (complaint.Count, error) {
	var c complaint.Count
	return c, r.Scan(&c.Key, &c.Received, &c.Refused, &c.Answered, &c.Rated, &c.Satisfied, &c.Reopened)
}

// HotlineAnswerColumns are the columns ScanHotlineAnswer reads.
const HotlineAnswerColumns = `id, kind, ticket_no, ref, answer, answered_at`

// ScanHotlineAnswer reads HotlineAnswerColumns.
func ScanHotlineAnswer(r Scanner) (*hotline.Answer, error) {
	var a hotline.Answer
	return &a, r.Scan(&a.ID, &a.Kind, &a.TicketNo, &a.Ref, &a.Text, Time(&a.AnsweredAt))
}
