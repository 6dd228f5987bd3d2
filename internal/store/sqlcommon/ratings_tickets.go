package sqlcommon

import (
	"openhall/internal/rating"
)

// TicketColumns are the columns ScanTicket reads, in its order.
const TicketColumns = `id, rating_id, status, region_path, region_code, department_id, department, window_id, staff_id, item_code,
	item_name, anonymous, callback_days, rectify_days, called_back, rectified, appealed, upheld, outcome, opened_at, closed_at, version`

// TicketDetail is the part of a ticket event kept as JSON.
type TicketDetail struct {
	Code     string       `json:"code,omitempty"`
	Reason   string       `json:"reason,omitempty"`
	Level    rating.Level `json:"level,omitempty"`
	Days     int          `json:"days,omitempty"`
	Days2    int          `json:"days2,omitempty"`
	RatingID int64        `json:"rating_id,omitempty"`
}

// NewTicketDetail is the JSON part of e.
func NewTicketDetail(e rating.TicketEvent) TicketDetail {
	return TicketDetail{e.Code, e.Reason, e.Level, e.Days, e.Days2, e.RatingID}
}

// ScanTicket reads TicketColumns.
func ScanTicket(r Scanner) (*rating.Ticket, error) {
	var t rating.Ticket
	err := r.Scan(&t.ID, &t.RatingID, &t.Status, &t.RegionPath, &t.RegionCode, &t.DepartmentID, &t.Department, &t.WindowID,
		&t.StaffID, &t.ItemCode, &t.ItemName, &t.Anonymous, &t.CallbackDays, &t.RectifyDays, &t.CalledBack, &t.Rectified, &t.Appealed,
		&t.Upheld, &t.Outcome, Time(&t.OpenedAt), Time(&t.ClosedAt), &t.Version)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// TicketEventColumns are the columns ScanTicketEvent reads.
const TicketEventColumns = `ticket_id, seq, kind, at, actor_id, actor_label, detail`

// ScanTicketEvent reads TicketEventColumns: the ticket's id and the event.
func ScanTicketEvent(r Scanner) (int64, rating.TicketEvent, error) {
	var tid int64
	var e rating.TicketEvent
	var d TicketDetail
	if err := r.Scan(&tid, &e.Seq, &e.Kind, Time(&e.At), &e.ActorID, &e.ActorLabel, JSON(&d)); err != nil {
		return 0, e, err
	}
	e.Code, e.Reason, e.Level, e.Days, e.Days2, e.RatingID = d.Code, d.Reason, d.Level, d.Days, d.Days2, d.RatingID
	return tid, e, nil
}

// TicketRatedAt is the time of a ticket's rating, for counting tickets in
// the period their ratings are counted in.
const TicketRatedAt = `(SELECT r.at FROM ratings r WHERE r.id = rating_tickets.rating_id)`

// TicketWhere is the WHERE clause of a ticket list, or nil when the
// filter reaches no ticket.
func TicketWhere(d Dialect, f rating.TicketFilter) *Where {
	w := NewWhere(d)
	var or []string
	if len(f.DepartmentIDs) > 0 {
		or = append(or, w.In("department_id", f.DepartmentIDs))
	}
	for _, p := range f.CentreRegions {
		or = append(or, "(department_id = 0 AND "+w.Prefix("region_path", p)+")")
	}
	for _, p := range f.RegionPrefixes {
		or = append(or, w.Prefix("region_path", p))
	}
	if len(or) == 0 {
		return nil
	}
	w.AnyOf(or)
	if f.Open {
		w.Add("status <> 'closed'")
	}
	return w
}

// ScanTicketCount reads one group of ticket figures.
func ScanTicketCount(r Scanner) (rating.TicketCount, error) {
	var c rating.TicketCount
	return c, r.Scan(&c.Key, &c.Tickets, &c.RealName, &c.CalledBack, &c.Rectified, &c.Closed, &c.Upheld)
}

// CounterColumns are the columns ScanCounter reads.
const CounterColumns = `id, token_hash, window_id, window_number, window_name, staff_id, staff_name, region_path, region_code,
	department_id, department, started_at, ended_at`

// ScanCounter reads CounterColumns.
func ScanCounter(r Scanner) (*rating.Counter, error) {
	var c rating.Counter
	err := r.Scan(&c.ID, &c.TokenHash, &c.WindowID, &c.WindowNumber, &c.WindowName, &c.StaffID, &c.StaffName, &c.Target.RegionPath,
		&c.Target.RegionCode, &c.Target.DepartmentID, &c.Target.Department, Time(&c.StartedAt), Time(&c.EndedAt))
	if err != nil {
		return nil, err
	}
	c.Target.WindowID, c.Target.StaffID = c.WindowID, c.StaffID
	return &c, nil
}
