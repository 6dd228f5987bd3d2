package api

import (
	"net/http"
	"time"

	"openhall/internal/httpkit"
	"openhall/internal/mailbox"
)

// registerMailboxRoutes serves the leader's mailbox and online
// consultation: mailboxes, letters and their steps, the 12345 hand-over and
// the monthly statistics.
func (s *Server) registerMailboxRoutes() {
	s.handle("GET /api/v1/mailboxes", s.handleMailboxes)
	s.handle("POST /api/v1/mailboxes", s.handleMailboxSave)
	s.handle("PUT /api/v1/mailboxes/{id}", s.handleMailboxSave)
	s.handle("GET /api/v1/mailboxes/{id}/letters", s.handlePublishedLetters)
	s.handle("POST /api/v1/letters", s.handleLetterWrite)
	s.handle("POST /api/v1/letters/tickets", s.handleLetterTicket)
	s.handle("GET /api/v1/letters/statistics", s.handleLetterStats)
	s.handle("GET /api/v1/letters/{id}", s.handleLetterGet)
	s.handle("POST /api/v1/letters/{id}/actions", s.handleLetterAct)
}

type mailboxJSON struct {
	ID       int64        `json:"id"`
	AgencyID int64        `json:"agency_id"`
	Agency   string       `json:"agency"`
	Name     string       `json:"name"`
	Kind     mailbox.Kind `json:"kind"`
	Intro    string       `json:"intro"`
	Days     int          `json:"days"`
	Active   bool         `json:"active"`
}

func toMailbox(m *mailbox.Mailbox) mailboxJSON {
	return mailboxJSON{ID: m.ID, AgencyID: m.AgencyID, Agency: m.AgencyName, Name: m.Name, Kind: m.Kind, Intro: m.Intro, Days: m.Days, Active: m.Active}
}

func (s *Server) handleMailboxes(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := mailbox.MailboxFilter{Active: true}
	if id := q.id("agency_id"); id != nil {
		f.AgencyID = *id
	}
	if err := q.err(); err != nil {
		return err
	}
	ms, err := s.svc.Mailbox.Mailboxes(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(ms, toMailbox))
}

type mailboxRequest struct {
	AgencyID int64        `json:"agency_id"`
	Name     string       `json:"name"`
	Kind     mailbox.Kind `json:"kind"`
	Intro    string       `json:"intro"`
	Days     int          `json:"days"`
	Active   bool         `json:"active"`
}

func (s *Server) handleMailboxSave(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req mailboxRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	id, err := editID(r)
	if err != nil {
		return err
	}
	m, err := s.svc.Mailbox.SaveMailbox(r.Context(), a, id, mailbox.MailboxInput(req))
	if err != nil {
		return err
	}
	return writeJSON(w, savedStatus(id), toMailbox(m))
}

type publicLetterJSON struct {
	ID         int64     `json:"id"`
	Number     string    `json:"number"`
	MailboxID  int64     `json:"mailbox_id"`
	Topic      string    `json:"topic"`
	Subject    string    `json:"subject"`
	Text       string    `json:"text"`
	Answer     string    `json:"answer"`
	AnswerUnit string    `json:"answer_unit"`
	ReceivedAt time.Time `json:"received_at"`
	AnsweredAt time.Time `json:"answered_at"`
}

func toPublicLetter(l mailbox.PublicLetter) publicLetterJSON {
	return publicLetterJSON{ID: l.ID, Number: l.Number, MailboxID: l.MailboxID, Topic: l.Topic, Subject: l.Subject, Text: l.Text,
		Answer: l.Answer, AnswerUnit: l.AnswerUnit, ReceivedAt: l.ReceivedAt, AnsweredAt: l.AnsweredAt}
}

func (s *Server) handlePublishedLetters(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	offset, limit := q.int("offset", 0, 0, 1<<30), q.int("limit", 20, 1, 100)
	if err := q.err(); err != nil {
		return err
	}
	ls, _, err := s.svc.Mailbox.PublishedLetters(r.Context(), id, offset, limit)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(ls, toPublicLetter))
}

type letterRequest struct {
	MailboxID int64  `json:"mailbox_id"`
	Topic     string `json:"topic"`
	Subject   string `json:"subject"`
	Content   string `json:"content"`
	Phone     string `json:"phone"`
	Consent   bool   `json:"consent"`
}

func (s *Server) handleLetterWrite(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req letterRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	l, err := s.svc.Mailbox.Write(r.Context(), a, mailbox.LetterInput(req))
	if err != nil {
		return err
	}
	return s.writeLetter(w, r, http.StatusCreated, l.ID)
}

type ticketRequest struct {
	MailboxID  int64  `json:"mailbox_id"`
	TicketNo   string `json:"ticket_no"`
	Topic      string `json:"topic"`
	Subject    string `json:"subject"`
	Content    string `json:"content"`
	CallerName string `json:"caller_name"`
	Phone      string `json:"phone"`
	Consent    bool   `json:"consent"`
}

// handleLetterTicket takes a letter handed over from the 12345 hotline; the same
// ticket twice answers with the first letter.
func (s *Server) handleLetterTicket(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var req ticketRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	l, err := s.svc.Mailbox.ReceiveTicket(r.Context(), a, mailbox.TicketInput(req))
	if err != nil {
		return err
	}
	return s.writeLetter(w, r, http.StatusCreated, l.ID)
}

func (s *Server) handleLetterGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.writeLetter(w, r, http.StatusOK, id)
}

type letterActionRequest struct {
	Command      mailbox.CommandKind `json:"command"`
	DepartmentID int64               `json:"department_id"`
	Days         int                 `json:"days"`
	Text         string              `json:"text"`
	PublicText   string              `json:"public_text"`
	Publish      bool                `json:"publish"`
	Rating       int                 `json:"rating"`
	Note         string              `json:"note"`
	Seen         *time.Time          `json:"seen"`
}

// handleLetterAct runs one step: assign, draft, return, answer, reject or
// rate.
func (s *Server) handleLetterAct(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r)
	if err != nil {
		return err
	}
	var req letterActionRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	cmd := mailbox.Command{Kind: req.Command, DeptID: req.DepartmentID, Days: req.Days, Text: req.Text, PublicText: req.PublicText,
		Publish: req.Publish, Rating: mailbox.Rating(req.Rating), Note: req.Note}
	var seen time.Time
	if req.Seen != nil {
		seen = req.Seen.UTC()
	}
	if _, err := s.svc.Mailbox.Act(r.Context(), a, id, cmd, seen); err != nil {
		return err
	}
	return s.writeLetter(w, r, http.StatusOK, id)
}

type letterJSON struct {
	ID              int64          `json:"id"`
	Number          string         `json:"number"`
	MailboxID       int64          `json:"mailbox_id"`
	Mailbox         string         `json:"mailbox"`
	Source          mailbox.Source `json:"source"`
	TicketNo        string         `json:"ticket_no,omitempty"`
	Writer          string         `json:"writer"`
	Phone           string         `json:"phone,omitempty"`
	Topic           string         `json:"topic"`
	Subject         string         `json:"subject"`
	Content         string         `json:"content"`
	Consent         bool           `json:"consent"`
	Status          mailbox.Status `json:"status"`
	DepartmentID    int64          `json:"department_id,omitempty"`
	Department      string         `json:"department,omitempty"`
	Draft           string         `json:"draft,omitempty"`
	Answer          string         `json:"answer,omitempty"`
	Published       bool           `json:"published"`
	Rating          int            `json:"rating"`
	Due             string         `json:"due"`
	Level           mailbox.Level  `json:"level"`
	WorkdaysLeft    int            `json:"workdays_left"`
	ProvisionalYear int            `json:"provisional_year"`
	ProvisionalNote string         `json:"provisional_note,omitempty"`
	ReceivedAt      time.Time      `json:"received_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

// writeLetter answers with the letter as the actor may see it.
func (s *Server) writeLetter(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	v, err := s.svc.Mailbox.Get(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	l, c := v.Letter, v.Clock
	j := letterJSON{ID: l.ID, Number: l.Number(), MailboxID: l.MailboxID, Mailbox: l.MailboxName, Source: l.Source, TicketNo: l.TicketNo,
		Writer: l.WriterName, Phone: l.WriterPhone, Topic: l.Topic, Subject: l.Subject, Content: l.Content, Consent: l.Consent,
		Status: l.Status, DepartmentID: l.DeptID, Department: l.DeptName, Answer: l.Answer, Published: l.Published,
		Rating: int(l.Rating), Due: c.Due.String(), Level: c.Level, WorkdaysLeft: c.Left, ProvisionalYear: c.Provisional,
		ProvisionalNote: c.Note(), ReceivedAt: l.ReceivedAt, UpdatedAt: l.UpdatedAt}
	if v.Handle || v.Draft {
		j.Draft = l.Draft
	}
	return writeJSON(w, status, j)
}

type monthStatsJSON struct {
	Year             int     `json:"year"`
	Month            int     `json:"month"`
	Received         int     `json:"received"`
	Answered         int     `json:"answered"`
	OnTime           int     `json:"on_time"`
	Overdue          int     `json:"overdue"`
	Rejected         int     `json:"rejected"`
	Rated            int     `json:"rated"`
	Satisfied        int     `json:"satisfied"`
	OnTimeRate       float64 `json:"on_time_rate"`
	SatisfactionRate float64 `json:"satisfaction_rate"`
}

// handleLetterStats gives the monthly figures of a region (by its id) or an
// agency; they hold no personal data and are public.
func (s *Server) handleLetterStats(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	sq := mailbox.StatsQuery{Year: q.requiredInt("year", 2000, 2100), Month: timeMonth(q.requiredInt("month", 1, 12)),
		Months: q.int("months", 1, 1, 36)}
	if id := q.id("agency_id"); id != nil {
		sq.AgencyID = *id
	}
	region := q.id("region_id")
	if err := q.err(); err != nil {
		return err
	}
	if region != nil {
		path, err := s.svc.Org.RegionPath(r.Context(), *region)
		if err != nil {
			return err
		}
		sq.PathPrefix = path
	}
	ms, err := s.svc.Mailbox.Statistics(r.Context(), sq)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(ms, func(m mailbox.MonthStats) monthStatsJSON {
		return monthStatsJSON{Year: m.Year, Month: int(m.Month), Received: m.Received, Answered: m.Answered, OnTime: m.OnTime,
			Overdue: m.Overdue, Rejected: m.Rejected, Rated: m.Rated, Satisfied: m.Satisfied, OnTimeRate: m.OnTimeRate(),
			SatisfactionRate: m.SatisfactionRate()}
	}))
}

func timeMonth(n int) time.Month { return time.Month(n) }
