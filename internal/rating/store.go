package rating

import (
	"context"
	"sort"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Store is what ratings need from storage. Every method joins the
// transaction in ctx.
type Store interface {
	RatingStore
	TicketStore
	CounterStore
	// FindLimits returns every region's configured limits.
	FindLimits(ctx context.Context) ([]*Limits, error)
	// PutLimits creates or replaces a region's limits.
	PutLimits(ctx context.Context, l *Limits) error
	// DepartmentStaff lists the users holding one of roles in a department
	// (deptID > 0), or, for deptID 0, over the region at regionPath or one
	// above it: the people a ticket is sent to.
	DepartmentStaff(ctx context.Context, deptID int64, regionPath string, roles []identity.Role) ([]int64, error)
}

// RatingStore keeps ratings.
type RatingStore interface {
	// CreateRatings inserts ratings in one statement and sets their IDs. A
	// second first (or second) rating of a case's stage or of a visit, or
	// a repeated Key, is a Conflict.
	CreateRatings(ctx context.Context, rs []*Rating) error
	FindRatingByID(ctx context.Context, id int64) (*Rating, error) // NotFound
	// FindRatings lists ratings, newest first, with the total.
	FindRatings(ctx context.Context, f Filter) ([]*Rating, int, error)
	// ExistingKeys returns which of keys are already stored.
	ExistingKeys(ctx context.Context, keys []string) (map[string]bool, error)
	// ExcludeRating marks a rating found false or malicious.
	ExcludeRating(ctx context.Context, id int64) error
	// CountRatings counts ratings per dimension key and level over a
	// period: the folded ones from the counts, the others one by one.
	CountRatings(ctx context.Context, f FigureFilter) ([]LevelCount, error)
	// FoldCounts adds the ratings stored since the last fold, up to limit
	// of them in the order they were stored, to the counts CountRatings
	// reads, and returns how many it took.
	FoldCounts(ctx context.Context, limit int) (int, error)
	// CreateVisit records a window visit to be rated by SMS.
	CreateVisit(ctx context.Context, v *Visit) error
	FindVisitByID(ctx context.Context, id int64) (*Visit, error) // NotFound
}

// TicketStore keeps the rectification tickets of bad reviews.
type TicketStore interface {
	// CreateTicket inserts a ticket with its events.
	CreateTicket(ctx context.Context, t *Ticket) error
	// LoadTicket returns a ticket with its events; with lock, the row is
	// locked for the rest of the transaction.
	LoadTicket(ctx context.Context, id int64, lock bool) (*Ticket, error)
	FindTicketByRating(ctx context.Context, ratingID int64) (*Ticket, error) // NotFound
	// SaveTicket appends events and writes the projection, refusing
	// (Conflict) when the stored version is no longer fromVersion.
	SaveTicket(ctx context.Context, t *Ticket, fromVersion int, evs []TicketEvent) error
	// FindTickets lists tickets with their events, oldest first.
	FindTickets(ctx context.Context, f TicketFilter) ([]*Ticket, error)
	// CountTickets counts tickets per dimension key over a period.
	CountTickets(ctx context.Context, f FigureFilter) ([]TicketCount, error)
}

// CounterStore keeps the counter tablets (评价器) started at windows.
type CounterStore interface {
	// StartCounter inserts a counter and ends every other counter still
	// running at its window.
	StartCounter(ctx context.Context, c *Counter) error
	FindCounterByToken(ctx context.Context, tokenHash []byte) (*Counter, error) // NotFound
	FindCounterByID(ctx context.Context, id int64) (*Counter, error)            // NotFound
	EndCounter(ctx context.Context, id int64, at time.Time) error
	// FindCounters lists the counters running at the windows.
	FindCounters(ctx context.Context, windowIDs []int64) ([]*Counter, error)
}

// Filter selects ratings; zero fields do not filter.
type Filter struct {
	CaseID      int64
	VisitID     int64
	RaterUserID int64
	// OwnerUserID: the ratings given under this account's name and the
	// anonymous ones it gave from its cases' pages (OwnRating).
	OwnerUserID   int64
	FirstID       int64
	RegionPrefix  string
	DepartmentIDs []int64
	From, To      time.Time
	Offset, Limit int
}

// TicketFilter selects tickets.
type TicketFilter struct {
	Open           bool // only tickets not closed
	Statuses       []TicketStatus
	DepartmentIDs  []int64  // tickets of these departments …
	CentreRegions  []string // … or of centres (department 0) in these regions …
	RegionPrefixes []string // … or anywhere in these subtrees (supervisors)
	Limit          int
}

// Dimension is what figures are counted by.
type Dimension string

// Dimensions.
const (
	ByDepartment Dimension = "department"
	ByWindow     Dimension = "window"
	ByStaff      Dimension = "staff"
	ByItem       Dimension = "item"
)

// Valid reports whether d is a dimension.
func (d Dimension) Valid() bool {
	return d == ByDepartment || d == ByWindow || d == ByStaff || d == ByItem
}

// Label is the dimension's Chinese name.
func (d Dimension) Label() string {
	switch d {
	case ByDepartment:
		return "部门"
	case ByWindow:
		return "窗口"
	case ByStaff:
		return "工作人员"
	case ByItem:
		return "事项"
	}
	return string(d)
}

// FigureFilter selects what figures count: ratings given in [From, To) in
// a region subtree, optionally of some departments only.
type FigureFilter struct {
	By            Dimension
	From, To      time.Time
	RegionPrefix  string
	DepartmentIDs []int64 // empty: every department
}

// LevelCount is how many ratings of a key had a level.
type LevelCount struct {
	Key     string // the department, window or staff id, or the item code
	Level   Level
	Default bool
	N       int
}

// TicketCount sums the tickets of a key.
type TicketCount struct {
	Key        string
	Tickets    int // bad reviews with a ticket, not found false on appeal
	RealName   int // of them, by raters who can be called back
	CalledBack int // 回访 done
	Rectified  int // 整改 or 解释说明 done
	Closed     int
	Upheld     int // appeals upheld: the review was false or malicious
}

// CaseInfo is what rating needs of a case.
type CaseInfo struct {
	ID              int64
	Number          string
	Stage           Stage // the stage a rating given now is for; 0 when the case cannot be rated
	ClosedAt        time.Time
	ApplicantUserID int64
	ApplicantKind   string // person or legal
	Target
}

// Cases gives the cases rated.
type Cases interface {
	CaseInfo(ctx context.Context, id int64) (*CaseInfo, error)              // NotFound
	CaseInfoByNumber(ctx context.Context, number string) (*CaseInfo, error) // NotFound
}

// WindowInfo is what rating needs of a window.
type WindowInfo struct {
	ID           int64
	Number, Name string
	CentreName   string
	RegionPath   string
	RegionCode   string
	DepartmentID int64 // the department of a dedicated window (专窗); 0 for a comprehensive one
	Department   string
	StaffIDs     []int64
}

// Windows gives the windows rated.
type Windows interface {
	WindowInfo(ctx context.Context, id int64) (*WindowInfo, error) // NotFound
}

// Orgs resolves the codes of imported records and names for figures.
type Orgs interface {
	// RegionByCode returns the path of the region with a 行政区划代码.
	RegionByCode(ctx context.Context, code string) (path string, err error)
	// DepartmentByCode returns a department by its credit code.
	DepartmentByCode(ctx context.Context, creditCode string) (id int64, name, regionPath string, err error)
	// DepartmentCode returns a department's credit code ("" if unknown).
	DepartmentCode(ctx context.Context, id int64) string
	// Label names a dimension's key for figures.
	Label(ctx context.Context, by Dimension, key string) string
}

// Users gives the raters' accounts.
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

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
	// Find reads the log inside the caller's transaction (the reminders
	// sent).
	Find(ctx context.Context, f audit.Filter) ([]*audit.Entry, error)
}

// Note is a message to people: in their inbox, and by SMS when asked.
type Note struct {
	Kind  string // dotted, e.g. "rating.ticket"
	Title string
	Body  string
	Link  string // a path of this product
	SMS   bool
}

// Notifier tells people, inside the caller's transaction.
type Notifier interface {
	Tell(ctx context.Context, userIDs []int64, n Note) error
}

// Scheduler sets the timers of ratings, inside the caller's transaction.
type Scheduler interface {
	// ScheduleDefaultRating checks at the end of the rating period whether
	// the case was rated, and gives the default rating if not.
	ScheduleDefaultRating(ctx context.Context, caseID int64, at time.Time) error
	// ScheduleTicketCheck looks at a ticket again at a time (closing it
	// when the citizen did not re-rate within the period).
	ScheduleTicketCheck(ctx context.Context, ticketID int64, at time.Time) error
	// ScheduleVisitSMS sends a visit's rating link by SMS.
	ScheduleVisitSMS(ctx context.Context, visitID int64) error
	// ScheduleTicketReminders runs RemindTicket with each timer's reminder
	// at (or after) its time; a ticket's are stored together.
	ScheduleTicketReminders(ctx context.Context, timers []TicketTimer) error
}

// CountRow is one row of the per-day counts the figures read.
type CountRow struct {
	Day          string // China day, YYYY-MM-DD
	RegionPath   string
	DepartmentID int64
	WindowID     int64
	StaffID      int64
	ItemCode     string
	Level        Level
	Default      bool
	N            int
}

// CountsOf adds up ratings into count rows (sign +1 when they are folded,
// -1 when a folded one is excluded), in a fixed order so that concurrent
// transactions update shared rows in the same order. Ratings already
// excluded are not counted.
func CountsOf(rs []*Rating, sign int) []CountRow {
	m := map[CountRow]int{}
	for _, r := range rs {
		if r.Excluded {
			continue
		}
		k := CountRow{Day: Day(r.At), RegionPath: r.RegionPath, DepartmentID: r.DepartmentID, WindowID: r.WindowID,
			StaffID: r.StaffID, ItemCode: r.ItemCode, Level: r.Level, Default: r.Default}
		m[k] += sign
	}
	out := make([]CountRow, 0, len(m))
	for k, n := range m {
		k.N = n
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return countLess(out[i], out[j]) })
	return out
}

func countLess(a, b CountRow) bool {
	if a.Day != b.Day {
		return a.Day < b.Day
	}
	if a.RegionPath != b.RegionPath {
		return a.RegionPath < b.RegionPath
	}
	if a.DepartmentID != b.DepartmentID {
		return a.DepartmentID < b.DepartmentID
	}
	if a.WindowID != b.WindowID {
		return a.WindowID < b.WindowID
	}
	if a.StaffID != b.StaffID {
		return a.StaffID < b.StaffID
	}
	if a.ItemCode != b.ItemCode {
		return a.ItemCode < b.ItemCode
	}
	if a.Level != b.Level {
		return a.Level < b.Level
	}
	return !a.Default && b.Default
}

// DimensionColumn is the column a dimension's key is stored in.
func DimensionColumn(d Dimension) string {
	switch d {
	case ByWindow:
		return "window_id"
	case ByStaff:
		return "staff_id"
	case ByItem:
		return "item_code"
	}
	return "department_id"
}

// MonthsOf sums count rows per month (Day becomes "2006-01"), in order.
func MonthsOf(rows []CountRow) []CountRow {
	m := map[CountRow]int{}
	for _, r := range rows {
		k := r
		k.Day, k.N = r.Day[:7], 0
		m[k] += r.N
	}
	out := make([]CountRow, 0, len(m))
	for k, n := range m {
		k.N = n
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return countLess(out[i], out[j]) })
	return out
}

// Period is how the counts of [From, To) are read: whole months from the
// monthly counts, and the part-months at the ends from the daily ones.
type Period struct {
	Months [2]string   // [from, to) as "2006-01"; both "" when no whole month
	Days   [][2]string // [from, to) as "2006-01-02"
}

// DaySpan is [from, to) widened to the China midnights PeriodOf reads the
// counts by: the start of from's day and the start of to's day.
func DaySpan(from, to time.Time) (time.Time, time.Time) {
	day := func(t time.Time) time.Time {
		t = t.In(chinaTime)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, chinaTime)
	}
	return day(from), day(to)
}

// PeriodOf splits [from, to) (China midnights) into whole months and days.
func PeriodOf(from, to time.Time) Period {
	df, dt := from.In(chinaTime), to.In(chinaTime)
	firstFull := time.Date(df.Year(), df.Month(), 1, 0, 0, 0, 0, chinaTime)
	if !firstFull.Equal(df) {
		firstFull = firstFull.AddDate(0, 1, 0)
	}
	lastFull := time.Date(dt.Year(), dt.Month(), 1, 0, 0, 0, 0, chinaTime)
	if !firstFull.Before(lastFull) {
		return Period{Days: [][2]string{{Day(df), Day(dt)}}}
	}
	p := Period{Months: [2]string{firstFull.Format("2006-01"), lastFull.Format("2006-01")}}
	if df.Before(firstFull) {
		p.Days = append(p.Days, [2]string{Day(df), Day(firstFull)})
	}
	if lastFull.Before(dt) {
		p.Days = append(p.Days, [2]string{Day(lastFull), Day(dt)})
	}
	return p
}
