package api

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
	"openhall/internal/httpkit"
)

func (s *Server) registerComplaintRoutes() {
	s.handle("POST /api/v1/complaints", s.handleComplaintSubmit)
	s.handle("GET /api/v1/complaints", s.handleComplaints)
	s.handle("GET /api/v1/complaints/figures", s.handleComplaintFigures)
	s.handle("POST /api/v1/complaints/track", s.handleComplaintTrack)
	s.handle("GET /api/v1/complaints/{id}", s.handleComplaintGet)
	s.handle("POST /api/v1/complaints/{id}/actions", s.handleComplaintAction)
	s.handle("POST /api/v1/complaints/{id}/phone", s.handleComplaintPhone)
}

type complaintRequest struct {
	Kind       string `json:"kind"`
	Subject    string `json:"subject"`
	CaseNumber string `json:"case_number"`
	QueryCode  string `json:"query_code"` // the case's 查询密码
	WindowID   int64  `json:"window_id"`
	StaffName  string `json:"staff_name"`
	ItemCode   string `json:"item_code"`
	RegionID   int64  `json:"region_id"`
	Content    string `json:"content"`
	Anonymous  bool   `json:"anonymous"`
	Consent    bool   `json:"consent"`
	Name       string `json:"name"`
	Phone      string `json:"phone"`
	Channel    string `json:"channel"`
	Ticket     string `json:"hotline_ticket"`
}

type filedJSON struct {
	ID        int64  `json:"id"`
	Number    string `json:"number"`
	QueryCode string `json:"query_code"`
	Status    string `json:"status"`
}

// handleComplaintSubmit files a complaint, logged in or not; the 查询码 is
// returned once. Sent again with the same Idempotency-Key, it answers 200
// with the first complaint's receipt instead of filing another.
func (s *Server) handleComplaintSubmit(w http.ResponseWriter, r *http.Request) error {
	var req complaintRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	in := complaint.Input{Kind: complaint.Kind(req.Kind), Subject: complaint.SubjectKind(req.Subject), CaseNumber: req.CaseNumber,
		QueryCode: req.QueryCode, Addr: httpkit.ClientAddr(r), WindowID: req.WindowID, StaffName: req.StaffName, ItemCode: req.ItemCode, RegionID: req.RegionID, Content: req.Content,
		Anonymous: req.Anonymous, Consent: req.Consent, Name: req.Name, Phone: req.Phone, Channel: complaint.Channel(req.Channel), Ticket: req.Ticket,
		Key: r.Header.Get("Idempotency-Key")}
	f, err := s.svc.Complaints.Submit(r.Context(), httpkit.ActorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if f.Repeated {
		status = http.StatusOK
	}
	return writeJSON(w, status, filedJSON{ID: f.Complaint.ID, Number: f.Complaint.Number, QueryCode: f.QueryCode, Status: string(f.Complaint.Status)})
}

// handleComplaints lists the caller's own complaints, or with ?queue=1
// those the desk or a department handles (?all=1: answered ones too).
func (s *Server) handleComplaints(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	queue, all := q.flag("queue"), q.flag("all")
	if err := q.err(); err != nil {
		return err
	}
	var items []complaint.Item
	if queue {
		items, err = s.svc.Complaints.Queue(r.Context(), a, all)
	} else {
		items, err = s.svc.Complaints.Mine(r.Context(), a)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(items, func(it complaint.Item) complaintViewJSON {
		v := &complaint.View{Complaint: it.Complaint, Clocks: it.Clocks, Desk: complaint.IsDesk(a, it.Complaint)}
		if st, ok := it.Clocks.Stage(it.Complaint.Status, it.Complaint.Kind); ok {
			v.Stage = &st
		}
		return toComplaintView(v)
	}))
}

// complaintViewJSON is a complaint opened by itself, with the deadline
// of the step it waits for now: the complainant, who has no clocks,
// reads when to expect acceptance or an answer.
type complaintViewJSON struct {
	complaintJSON
	Stage *complaintStageJSON `json:"stage,omitempty"`
}

type complaintStageJSON struct {
	Step  string        `json:"step"`  // accept, department, answer or desk: the clock of clocks it is
	Label string        `json:"label"` // as staff read it: 受理（5 个工作日）
	Clock workClockJSON `json:"clock"`
}

func toComplaintView(v *complaint.View) complaintViewJSON {
	out := complaintViewJSON{complaintJSON: toComplaint(v)}
	if st := v.Stage; st != nil {
		out.Stage = &complaintStageJSON{Step: st.Step, Label: st.Label, Clock: toWorkClock(st.Clock)}
	}
	return out
}

func (s *Server) handleComplaintGet(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Complaints.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toComplaintView(v))
}

type complaintActionRequest struct {
	Kind         string `json:"kind"`
	Text         string `json:"text"`
	DepartmentID int64  `json:"department_id"`
	Days         int    `json:"days"`
	Level        int    `json:"level"`
	Version      *int   `json:"version"`
}

func (c complaintActionRequest) command() complaint.Command {
	return complaint.Command{Kind: complaint.CommandKind(c.Kind), Text: c.Text, DepartmentID: c.DepartmentID, Days: c.Days, Level: c.Level}
}

func (s *Server) handleComplaintAction(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req complaintActionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if req.Version == nil || *req.Version < 1 {
		return apperr.Field("version", "缺少字段 version 或其值无效：请传入所见投诉的版本号（投诉详情的 version，从 1 起），以免覆盖他人刚做的处理")
	}
	if _, err := s.svc.Complaints.Act(r.Context(), a, id, req.command(), *req.Version); err != nil {
		return err
	}
	v, err := s.svc.Complaints.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toComplaintView(v))
}

type trackRequest struct {
	Number string                  `json:"number"`
	Code   string                  `json:"query_code"`
	Action *complaintActionRequest `json:"action,omitempty"` // rate or reopen, as the complainant
}

// handleComplaintTrack opens a complaint with its number and 查询码, and
// takes the complainant's step when one is given.
func (s *Server) handleComplaintTrack(w http.ResponseWriter, r *http.Request) error {
	var req trackRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	addr := httpkit.ClientAddr(r)
	if req.Action != nil {
		if _, err := s.svc.Complaints.ActByCode(r.Context(), req.Number, req.Code, addr, req.Action.command()); err != nil {
			return err
		}
	}
	v, err := s.svc.Complaints.Track(r.Context(), req.Number, req.Code, addr)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toComplaintView(v))
}

func (s *Server) registerHotlineRoutes() {
	s.handle("POST /api/v1/hotline/tickets", s.handleHotlineReceive)
	s.handle("GET /api/v1/hotline/tickets/{kind}/{ticket_no}", s.handleHotlineStatus)
	s.handle("GET /api/v1/hotline/answers", s.handleHotlineAnswers)
}

// hotlineAuth checks the hotline system's bearer token.
func (s *Server) hotlineAuth(r *http.Request) error {
	tok, _ := cutBearer(r.Header.Get("Authorization"))
	return s.svc.Hotline.Authorize(tok)
}

func cutBearer(h string) (string, bool) {
	const p = "Bearer "
	if len(h) > len(p) && h[:len(p)] == p {
		return h[len(p):], true
	}
	return "", false
}

// hotlineTicketRequest is a ticket as the hotline sends it. Its
// received_at is read as a string and parsed here: encoding/json reports
// a time that does not parse (e.g. "yesterday") as a bare parse error,
// without the field's name, which the hotline's developers would then
// have to guess; a wrong JSON type (a number) is named by decode as for
// any other field. The fields are listed rather than hotline.Ticket
// embedded: encoding/json names a field of an embedded struct with the
// Go type's name ("Ticket.subject"), which is no field of the interface.
type hotlineTicketRequest struct {
	Kind       hotline.Kind    `json:"kind"`
	TicketNo   string          `json:"ticket_no"`
	RegionCode string          `json:"region_code"`
	ReceivedAt string          `json:"received_at"`
	Caller     hotline.Caller  `json:"caller"`
	Subject    hotline.Subject `json:"subject"`
	Content    string          `json:"content"`
}

func (req hotlineTicketRequest) ticket() (hotline.Ticket, error) {
	t := hotline.Ticket{Kind: req.Kind, TicketNo: req.TicketNo, RegionCode: req.RegionCode, Caller: req.Caller, Subject: req.Subject, Content: req.Content}
	if req.ReceivedAt != "" {
		if err := t.ReceivedAt.UnmarshalText([]byte(req.ReceivedAt)); err != nil {
			got := []rune(req.ReceivedAt)
			if len(got) > 40 {
				got = append(got[:40], '…')
			}
			return t, apperr.Field("received_at", "字段 received_at 应为 RFC 3339 格式的时间（如 2026-03-09T09:00:00+08:00），收到“"+string(got)+"”")
		}
	}
	return t, nil
}

// handleHotlineReceive takes a ticket from the 12345 hotline.
func (s *Server) handleHotlineReceive(w http.ResponseWriter, r *http.Request) error {
	if err := s.hotlineAuth(r); err != nil {
		return err
	}
	var req hotlineTicketRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := req.ticket()
	if err != nil {
		return err
	}
	rc, err := s.svc.Hotline.Receive(r.Context(), t)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if rc.Repeated {
		status = http.StatusOK
	}
	return writeJSON(w, status, rc)
}

func (s *Server) handleHotlineStatus(w http.ResponseWriter, r *http.Request) error {
	if err := s.hotlineAuth(r); err != nil {
		return err
	}
	st, err := s.svc.Hotline.Status(r.Context(), hotline.Kind(r.PathValue("kind")), r.PathValue("ticket_no"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, st)
}

// handleHotlineAnswers is the feed of answers the hotline reads: those
// after ?after=ID, oldest first.
func (s *Server) handleHotlineAnswers(w http.ResponseWriter, r *http.Request) error {
	if err := s.hotlineAuth(r); err != nil {
		return err
	}
	q := newQuery(r)
	after, limit := q.int("after", 0, 0, 1<<62), q.int("limit", 100, 1, 500)
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.svc.Hotline.Answers(r.Context(), int64(after), limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(list, func(a *hotline.Answer) hotline.Answer { return *a }))
}

// handleComplaintPhone returns the complaint with the complainant's phone
// in full, once the service has recorded the showing.
func (s *Server) handleComplaintPhone(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Complaints.ShowPhone(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toComplaintView(v))
}
