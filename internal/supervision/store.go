package supervision

import (
	"context"
	"log/slog"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/org"
)

// Store is what supervision needs from storage. Every method joins the
// transaction in ctx.
type Store interface {
	WatchStore
	CardStore
	OrderStore
	StatsStore
	SettingsStore
}

// Mark is what the Watcher writes for a changed case: one small row, in
// the change's transaction.
type Mark struct {
	CaseID     int64
	Number     string
	RegionPath string
	DeptID     int64
	ItemCode   string
	ItemName   string
	Status     cases.Status
	Version    int
	At         time.Time // when it changed: due for evaluation from then
}

// Watched is a case due for evaluation, with what earlier evaluations left.
type Watched struct {
	CaseID    int64
	Number    string
	Rev       int  // bumped by every evaluation written: two evaluations of one state cannot both be written
	Version   int  // the case's version when it was last marked
	Evaluated bool // that version was evaluated
	Done      int
	State     string // the cards in force and pending judgements (EncodeState)
	NextAt    time.Time
	Summary   string           // as stored (EncodeSummary)
	Procedure *cases.Procedure // shared and read-only
	Events    []cases.Event
}

// Evaluated is what one evaluation writes back.
type Evaluated struct {
	CaseID    int64
	Number    string
	Rev       int // the watch row's revision it was evaluated from
	Version   int // the case version evaluated: a later mark keeps it due
	Out       Output
	State     string
	Row       WatchRow
	Summary   string
	Unchanged bool         // nothing to write: same state, summary and timer, nothing arose or cleared
	Stats     []StatDelta  // the tallies, expanded to departments, windows and persons
	Extra     []Card       // cards on other cases (不予受理 found overturned)
	Refusal   *RefusalNote // a 不予受理 to remember for that check
	Written   bool         // set by SaveEvaluations when it wrote this one
	// RegionPath is the case's region: its cards' audit entries are read
	// by that region's 监察人员.
	RegionPath string
}

// CaseExtra are the parts of a case its events do not carry.
type CaseExtra struct {
	Form      map[string]string
	FeeDueFen int64
	Applicant cases.Applicant
}

// WatchStore keeps the open cases and their evaluation state.
type WatchStore interface {
	MarkCase(ctx context.Context, m Mark) error
	// DueCases lists up to limit cases whose next evaluation is due at now,
	// earliest first.
	DueCases(ctx context.Context, now time.Time, limit int) ([]*Watched, error)
	// CasesBetween lists up to limit watched cases with ids in (after, upTo].
	CasesBetween(ctx context.Context, after, upTo int64, limit int) ([]*Watched, error)
	// WatchRange is the lowest and highest id of the watched cases.
	WatchRange(ctx context.Context) (lo, hi int64, err error)
	// SaveEvaluations writes evaluations; one whose Rev no longer matches
	// (another evaluation was written meanwhile) is skipped. It returns how many were written.
	SaveEvaluations(ctx context.Context, evs []*Evaluated) (int, error)
	// CaseExtras returns the form, fee and applicant of cases.
	CaseExtras(ctx context.Context, ids []int64) (map[int64]CaseExtra, error)
	// AllHistories lists up to limit submitted cases (open or closed) with
	// ids above after, with their histories, for a recount.
	AllHistories(ctx context.Context, after int64, limit int) ([]*Watched, error)
	// WatchOpenCases starts watching every open case not watched yet.
	WatchOpenCases(ctx context.Context) (int, error)
	FindWatch(ctx context.Context, caseID int64) (*WatchRow, error) // NotFound
	FindWatches(ctx context.Context, f CaseFilter) ([]*WatchRow, int, error)
	WorkbenchCounts(ctx context.Context, s Scope, today, weekEnd string) ([]CountRow, error)
	AddRefusal(ctx context.Context, r RefusalNote) error
	FindRefusals(ctx context.Context, key, itemCode string, since time.Time) ([]RefusalNote, error)
	// StaffWith lists the staff holding role over the region and department.
	StaffWith(ctx context.Context, role string, regionPath string, deptID int64) ([]int64, error)
	// UserLabels names staff: "姓名（用户名）".
	UserLabels(ctx context.Context, ids []int64) (map[int64]string, error)
}

// CardStore keeps the cards.
type CardStore interface {
	InsertCards(ctx context.Context, cs []*Card) error // sets ID and Number
	FindCard(ctx context.Context, id int64) (*Card, error)
	FindCards(ctx context.Context, f CardFilter) ([]*Card, int, error)
	ResolveCard(ctx context.Context, c *Card) error
	CardCounts(ctx context.Context, s Scope) (yellow, red int, err error)
	CardsByWeek(ctx context.Context, s Scope, from time.Time) ([]WeekCount, error)
}

// OrderStore keeps the 督办 and 催办.
type OrderStore interface {
	CreateOrder(ctx context.Context, o *Order) error // sets ID and Number
	SaveOrder(ctx context.Context, o *Order) error
	FindOrder(ctx context.Context, id int64, lock bool) (*Order, error)
	FindOrders(ctx context.Context, f OrderFilter) ([]*Order, int, error)
	OrderCounts(ctx context.Context, s Scope, today string) (open, overdue int, err error)
	// DueOrders lists the open orders whose due date is before today.
	DueOrders(ctx context.Context, today string) ([]*Order, error)
	CreateUrge(ctx context.Context, u *Urge) error
	FindUrges(ctx context.Context, caseID int64) ([]*Urge, error)
}

// StatsStore keeps the monthly counts.
type StatsStore interface {
	AddStats(ctx context.Context, ds []StatDelta) error
	// ReplaceStats replaces every monthly count (a recount).
	ReplaceStats(ctx context.Context, ds []StatDelta) error
	// ExtraTallies are the counts not derived from case events: 督办
	// issued, and cards entered by hand or found on other cases.
	ExtraTallies(ctx context.Context) ([]Tally, error)
	FindStats(ctx context.Context, f StatFilter) ([]StatRow, error)
}

// SettingsStore keeps rules, frozen reports and published audit heads.
type SettingsStore interface {
	FindRules(ctx context.Context, centreID int64) (*Rules, error) // NotFound
	PutRules(ctx context.Context, r *Rules) error
	FindReport(ctx context.Context, centreID int64, period string) (*Report, error) // NotFound
	CreateReport(ctx context.Context, r *Report) error                              // Conflict when frozen before
	FindReports(ctx context.Context, centreID int64) ([]*Report, error)
	PutHead(ctx context.Context, h PublishedHead) error
	FindHeads(ctx context.Context, limit int) ([]PublishedHead, error)
}

// StatDelta adds counts to one subject's month.
type StatDelta struct {
	Month    string
	CentreID int64
	Dim      Dimension
	DimID    int64
	Counts   Counts
}

// StatFilter selects monthly counts.
type StatFilter struct {
	CentreIDs []int64
	Months    []string
	Dim       Dimension
	DimID     int64 // 0: all
}

// StatRow is one subject's counts in one month.
type StatRow struct {
	Month    string
	CentreID int64
	Dim      Dimension
	DimID    int64
	Counts   Counts
}

// RefusalNote remembers a 不予受理, to find it overturned when the same
// applicant's application for the same item is accepted later.
type RefusalNote struct {
	Key        string // the applicant, keyed (never the ID number itself)
	ItemCode   string
	CaseID     int64
	Number     string
	RefusedAt  time.Time
	DeptID     int64
	DeptName   string
	RegionPath string
	UserID     int64
	UserLabel  string
}

// PublishedHead is the audit chain's end as published on a day.
type PublishedHead struct {
	Date        string // YYYY-MM-DD
	Seq         int64
	Hash        string // hex
	PublishedAt time.Time
}

// Deps are what the service is built from.
type Deps struct {
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Cases     CaseLoader
	Calendars Calendars
	Directory Directory
	Items     Items
	Notifier  Notifier
	Scheduler Scheduler
	Heads     AuditHeads
	Secret    []byte // keys applicants for the 不予受理 check
	Log       *slog.Logger
	Now       func() time.Time
	Hours     calendar.OfficeHours
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// CaseLoader loads a case with its events.
type CaseLoader interface {
	LoadCase(ctx context.Context, id int64, lock bool) (*cases.Case, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Directory is the organisation supervision reports on.
type Directory interface {
	Departments(ctx context.Context, f org.DepartmentFilter) ([]*org.Department, error)
	Centres(ctx context.Context, f org.CentreFilter) ([]*org.Centre, error)
	Windows(ctx context.Context, f org.WindowFilter) ([]*org.Window, error)
	Region(ctx context.Context, id int64) (*org.Region, error)
	DepartmentRegion(ctx context.Context, id int64) (regionID int64, path string, err error)
	Centre(ctx context.Context, id int64) (*org.Centre, error)
}

// Items tells whether an item version is handled online (是否网办).
type Items interface {
	Online(ctx context.Context, versionID int64) (bool, error)
}

// Notifier tells staff about 督办 and 催办 (inbox, and SMS when asked),
// inside the caller's transaction.
type Notifier interface {
	NotifyStaff(ctx context.Context, userIDs []int64, kind, title, body, link string, sms bool) error
}

// Scheduler sets supervision's timers inside the caller's transaction.
type Scheduler interface {
	// ScheduleReevaluation re-evaluates every watched case soon (the
	// calendar changed).
	ScheduleReevaluation(ctx context.Context) error
}

// AuditHeads reads the end of the audit chain.
type AuditHeads interface {
	AuditHead(ctx context.Context) (audit.Head, int64, error)
}
