package complaint

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Store is what complaints need from storage. Every method joins the
// transaction in ctx.
type Store interface {
	// CreateComplaint inserts a complaint with its events and the key it
	// was filed with ("" for none), sets its ID and its Number
	// (number(id)). A second complaint with the same hotline ticket is
	// Invalid on hotline_ticket, one with the same key a Conflict.
	CreateComplaint(ctx context.Context, c *Complaint, key string, codeHash []byte, number func(id int64) string) error
	// FindComplaintByKey returns the complaint filed with key (NotFound).
	FindComplaintByKey(ctx context.Context, key string) (*Complaint, error)
	// LoadComplaint returns a complaint with its events; with lock, the row
	// is locked for the rest of the transaction.
	LoadComplaint(ctx context.Context, id int64, lock bool) (*Complaint, error)
	// FindComplaintByNumber returns a complaint and its 查询码 hash.
	FindComplaintByNumber(ctx context.Context, number string) (*Complaint, []byte, error)
	FindComplaintByHotline(ctx context.Context, ticketNo string) (*Complaint, error) // NotFound
	// SaveComplaint appends events and writes the projection, refusing
	// (Conflict) when the stored version is no longer fromVersion.
	SaveComplaint(ctx context.Context, c *Complaint, fromVersion int, evs []Event) error
	// FindComplaints lists complaints with their events, newest first.
	FindComplaints(ctx context.Context, f Filter) ([]*Complaint, error)
	// CountComplaints counts the complaints of a period per dimension key,
	// with their rounds (Complaint.Rounds): by department, each round
	// counts for the department that handled it.
	CountComplaints(ctx context.Context, f FigureFilter) ([]Count, error)
	// ComplaintsSubmitted lists the complaints (not consultations)
	// submitted in [f.From, f.To) under f.RegionPrefix, with their events.
	ComplaintsSubmitted(ctx context.Context, f FigureFilter) ([]*Complaint, error)
	// DepartmentStaff lists the users holding one of roles in a department
	// (deptID > 0), or, for deptID 0, over the region at regionPath or one
	// above it.
	DepartmentStaff(ctx context.Context, deptID int64, regionPath string, roles []identity.Role) ([]int64, error)
}

// Filter selects complaints; zero fields do not filter.
type Filter struct {
	Open           bool
	ComplainantID  int64
	CaseID         int64
	DepartmentIDs  []int64  // assigned to these departments
	RegionPrefixes []string // in these subtrees (the desk)
	Limit          int
}

// FigureFilter selects the complaints figures count: submitted in [From,
// To) in a region subtree, optionally the rounds some departments handled
// only.
type FigureFilter struct {
	By            string // department, window, staff or item
	From, To      time.Time
	RegionPrefix  string
	DepartmentIDs []int64
}

// Count sums the complaints of one key. A complaint counts once per key;
// by department, a complaint reopened and given to another department
// counts for each, with the round it handled.
type Count struct {
	Key       string
	Received  int
	Refused   int
	Answered  int // answered at least once in the key's rounds
	Rated     int // answers rated by the complainant: a reopened complaint's two rounds may each have one
	Satisfied int // of them, 非常满意, 满意 or 基本满意
	Reopened  int // reopened after an answer of the key's round
}

// CaseRef is what complaints need of a case.
type CaseRef struct {
	ID              int64
	Number          string
	ItemName        string
	AppliedAt       time.Time // submitted; zero for a draft
	RegionPath      string
	DepartmentID    int64
	ApplicantUserID int64
	AgentID         int64 // the clerk or agent who filed it for the applicant
}

// Cases finds cases complained about.
type Cases interface {
	CaseByNumber(ctx context.Context, number string) (*CaseRef, error) // NotFound
	// CaseByCode returns a case to someone holding its number and 查询密码,
	// with the check and the counting of wrong guesses (per address and
	// per number) of the public progress lookup: NotFound for a wrong
	// pair, TooMany while guesses are refused.
	CaseByCode(ctx context.Context, number, code, addr string) (*CaseRef, error)
}

// WindowRef is what complaints need of a window.
type WindowRef struct {
	ID           int64
	Label        string // "A01 综合受理窗口（西湖区政务服务中心）"
	RegionPath   string
	DepartmentID int64 // a dedicated window's department
}

// Windows finds windows complained about.
type Windows interface {
	WindowRef(ctx context.Context, id int64) (*WindowRef, error) // NotFound
}

// ItemRef is what complaints need of a service item.
type ItemRef struct {
	Code         string // 实施编码
	Name         string
	RegionPath   string
	DepartmentID int64
}

// Items finds items complained about.
type Items interface {
	ItemRef(ctx context.Context, code string) (*ItemRef, error) // NotFound
}

// Orgs resolves regions and departments.
type Orgs interface {
	RegionPath(ctx context.Context, regionID int64) (string, error)       // NotFound
	RegionByCode(ctx context.Context, code string) (string, error)        // NotFound
	DepartmentName(ctx context.Context, id int64) (string, string, error) // name and region path; NotFound
	// Label names a dimension's key for figures.
	Label(ctx context.Context, by string, key string) string
}

// Users gives the complainants' accounts.
type Users interface {
	FindUserByID(ctx context.Context, id int64) (*identity.User, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction, and
// reads it there (the reminders sent).
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
	Find(ctx context.Context, f audit.Filter) ([]*audit.Entry, error)
}

// Scheduler sets the complaints' timers, inside the caller's transaction.
type Scheduler interface {
	// ScheduleReminder runs Remind with r at (or after) at.
	ScheduleReminder(ctx context.Context, r Reminder, at time.Time) error
}

// Note is a message to people: in their inbox, and by SMS when asked.
type Note struct {
	Kind  string
	Title string
	Body  string
	Link  string
	SMS   bool
}

// Notifier tells people, inside the caller's transaction.
type Notifier interface {
	Tell(ctx context.Context, userIDs []int64, n Note) error
}

// Throttle limits guesses of 查询码: keys locked until a time.
type Throttle interface {
	LockedUntil(ctx context.Context, keys []string) (time.Time, error)
	Fail(ctx context.Context, key string) error
}

// HotlineAnswers returns answers to the 12345 hotline, in the caller's
// transaction.
type HotlineAnswers interface {
	ReturnAnswer(ctx context.Context, kind Kind, ticketNo, ref, text string, at time.Time) error
}
