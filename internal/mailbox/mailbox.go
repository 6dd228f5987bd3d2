// Package mailbox runs the leader's mailbox (领导信箱) and online
// consultation (网上咨询): a citizen writes to a mailbox; the office (the
// agency's 公开专员) triages the letter, assigns it to a department with a
// deadline in working days, the department drafts the answer, the office
// approves and sends it; the citizen rates it; answered letters the citizen
// agreed to publish appear on the portal with personal data removed.
//
// A letter is a row and a list of events; its deadline, warnings and
// whether it was answered on time are computed from the events on the
// working-day calendar of the agency's region (ComputeClock), so nothing
// computed from the calendar is stored. Letters can come from the 12345
// hotline (ReceiveTicket, with the ticket number) and their answers can be
// reported back (Hotline).
package mailbox

import (
	"context"
	"strconv"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/org"
)

// Kind is what a mailbox is for.
type Kind string

// Mailbox kinds.
const (
	KindLeader  Kind = "leader"  // 领导信箱
	KindConsult Kind = "consult" // 网上咨询
)

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindLeader:
		return "领导信箱"
	case KindConsult:
		return "网上咨询"
	}
	return string(k)
}

// Mailbox is one public mailbox of an agency.
type Mailbox struct {
	ID        int64
	AgencyID  int64
	Name      string // 区长信箱, 咨询 …
	Kind      Kind
	Intro     string
	Days      int // answer limit in working days, from the day after receipt
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time

	AgencyName   string // filled when loaded
	AgencyDeptID int64  // the agency's department, 0 for a government; filled when loaded
	RegionPath   string // filled when loaded
}

// Source is where a letter came from.
type Source string

// Sources.
const (
	SourceWeb     Source = "web"     // written on the portal
	SourceHotline Source = "hotline" // handed over from the 12345 hotline
)

// Status is where a letter stands.
type Status string

// Statuses.
const (
	StatusReceived Status = "received" // waiting for the office to triage
	StatusAssigned Status = "assigned" // with a department
	StatusDrafted  Status = "drafted"  // the department's draft waits for the office
	StatusAnswered Status = "answered" // answered
	StatusRejected Status = "rejected" // not accepted, with the reason (重复来信、不属于受理范围 …)
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	switch s {
	case StatusReceived:
		return "待分办"
	case StatusAssigned:
		return "办理中"
	case StatusDrafted:
		return "待审核"
	case StatusAnswered:
		return "已答复"
	case StatusRejected:
		return "不予受理"
	}
	return string(s)
}

// Open reports whether the letter still waits for an answer.
func (s Status) Open() bool { return s == StatusReceived || s == StatusAssigned || s == StatusDrafted }

// Topics are the kinds of letter a writer picks from.
var Topics = []string{"咨询", "建议", "求助", "投诉", "其他"}

// Letter is one letter and where it stands.
type Letter struct {
	ID          int64
	MailboxID   int64
	Source      Source
	TicketNo    string // 12345 工单号, for letters handed over from the hotline
	UserID      int64  // the writer's account; 0 for a hotline caller
	WriterName  string // personal data: shown to the writer and the office only
	WriterPhone string
	Topic       string
	Subject     string
	Content     string
	Consent     bool // the writer agrees to publication (personal data removed)
	Status      Status
	Days        int // answer limit in working days from the day after receipt
	DeptID      int64
	Draft       string
	Answer      string
	AnswerUnit  string // who answers, as shown: the department or the agency
	PublicText  string // the letter as published: personal data removed by the office
	Published   bool
	Rating      Rating
	RatingNote  string
	ReceivedAt  time.Time
	AnsweredAt  time.Time
	UpdatedAt   time.Time
	Events      []Event // loaded by FindLetter only

	MailboxName string // filled when loaded
	AgencyID    int64  // filled when loaded
	AgencyName  string // filled when loaded
	AgencyDept  int64  // the agency's department, 0 for a government; filled when loaded
	RegionPath  string // filled when loaded
	DeptName    string // filled when loaded
	DeptPath    string // the department's region path, filled when loaded
}

// Box is the letter's mailbox as far as the letter row knows it: enough to
// decide who handles it.
func (l *Letter) Box() *Mailbox {
	return &Mailbox{ID: l.MailboxID, Name: l.MailboxName, AgencyID: l.AgencyID, AgencyName: l.AgencyName,
		AgencyDeptID: l.AgencyDept, RegionPath: l.RegionPath}
}

// Number is the letter's number shown to people: the receipt date and the
// serial number.
func (l *Letter) Number() string {
	return l.ReceivedAt.In(chinaTime).Format("20060102") + pad(l.ID)
}

var chinaTime = time.FixedZone("CST", 8*3600)

func pad(id int64) string {
	s := strconv.FormatInt(id, 10)
	for len(s) < 6 {
		s = "0" + s
	}
	return s
}

// ParseNumber returns the serial number in a letter number, 0 if malformed.
func ParseNumber(s string) int64 {
	if len(s) < 9 {
		return 0
	}
	id, err := strconv.ParseInt(s[8:], 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// EventKind is what happened to a letter.
type EventKind string

// Event kinds.
const (
	EventReceived  EventKind = "received"
	EventAssigned  EventKind = "assigned"
	EventDrafted   EventKind = "drafted"
	EventReturned  EventKind = "returned" // the office sent the draft back
	EventAnswered  EventKind = "answered"
	EventRejected  EventKind = "rejected"
	EventRated     EventKind = "rated"
	EventWarned    EventKind = "warned"  // the deadline is near
	EventOverdue   EventKind = "overdue" // the deadline passed
	EventPublished EventKind = "published"
)

var eventLabels = map[EventKind]string{EventReceived: "收到来信", EventAssigned: "分办", EventDrafted: "部门拟办",
	EventReturned: "退回重办", EventAnswered: "答复", EventRejected: "不予受理", EventRated: "来信人评价",
	EventWarned: "临期提醒", EventOverdue: "超期提醒", EventPublished: "公开"}

// Label is the event's Chinese name.
func (k EventKind) Label() string { return eventLabels[k] }

// Event is one recorded step.
type Event struct {
	Seq        int
	Kind       EventKind
	At         time.Time
	ActorID    int64
	ActorLabel string
	DeptID     int64  // assigned
	Days       int    // assigned: the limit set
	Note       string // reason, or the department's name
}

// MailboxFilter selects mailboxes.
type MailboxFilter struct {
	AgencyID   int64
	PathPrefix string
	Active     bool
}

// LetterFilter selects letters; zero fields do not filter.
type LetterFilter struct {
	MailboxID     int64
	AgencyID      int64
	DeptIDs       []int64
	Statuses      []Status
	UserID        int64
	Published     bool
	Offset, Limit int
}

// StatsFilter selects the letters the monthly statistics count: those
// received in [From, To) under a region subtree or one agency.
type StatsFilter struct {
	PathPrefix string
	AgencyID   int64
	From, To   time.Time
}

// Store is what the mailbox needs from storage. Methods join the
// transaction in ctx; Find methods return NotFound for a missing id.
type Store interface {
	CreateMailbox(ctx context.Context, m *Mailbox) error
	UpdateMailbox(ctx context.Context, m *Mailbox) error
	FindMailbox(ctx context.Context, id int64) (*Mailbox, error)
	FindMailboxes(ctx context.Context, f MailboxFilter) ([]*Mailbox, error)

	// CreateLetter inserts a letter and its first events and sets its ID;
	// a second letter with the same ticket number is a Conflict.
	CreateLetter(ctx context.Context, l *Letter, events []Event) error
	// SaveLetter writes the letter and appends events, refusing (Conflict)
	// when the stored letter changed since it was read (updatedAt).
	SaveLetter(ctx context.Context, l *Letter, updatedAt time.Time, events []Event) error
	FindLetter(ctx context.Context, id int64) (*Letter, error) // with its events
	FindLetterByTicket(ctx context.Context, ticketNo string) (*Letter, error)
	FindLetters(ctx context.Context, f LetterFilter) ([]*Letter, int, error)
	FindLettersForStats(ctx context.Context, f StatsFilter) ([]*Letter, error) // with their events
}

// Agencies gives the agency a mailbox belongs to.
type Agencies interface {
	Agency(ctx context.Context, id int64) (*disclosure.Agency, error)
}

// Departments gives a department a letter is assigned to.
type Departments interface {
	Department(ctx context.Context, id int64) (*org.Department, error)
	DepartmentRegion(ctx context.Context, id int64) (int64, string, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Notifier tells a person about a letter, inside the caller's transaction.
type Notifier interface {
	NotifyLetter(ctx context.Context, userID int64, l *Letter, title, body string) error
}

// Hotline receives the answers of letters handed over from the 12345
// hotline, inside the answer's transaction (for instance by enqueueing the
// report to the hotline system). nil when no hotline is connected.
type Hotline interface {
	LetterAnswered(ctx context.Context, l *Letter) error
}

// Deps are what the service is built from.
type Deps struct {
	Store       Store
	Tx          Transactor
	Audit       Auditor
	Agencies    Agencies
	Departments Departments
	Calendars   Calendars
	Notifier    Notifier
	Hotline     Hotline
	Now         func() time.Time
}
