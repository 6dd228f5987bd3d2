// Package publicity keeps the public register of administrative licensing
// and penalty decisions (双公示).
//
// Licensing decisions come from the cases module when a case is decided:
// the decision is handed over in the decision's transaction (a job) and
// entered here — "行政机关作出的准予行政许可决定，应当予以公开" (行政许可法
// Art 40). Penalty decisions are entered or imported by departments, each
// checked against the discretion benchmark of the power used (a fine
// outside it needs a recorded reason), and published — "具有一定社会影响的
// 行政处罚决定应当依法公开" (行政处罚法 Art 48) — until the publication
// period of its kinds ends. Entries are due within 7 working days of the
// decision (the 双公示 rule of the national credit system; the notice it
// comes from is not in the corpus here, so the figure is unverified).
//
// Natural persons' data are minimised: their name is shown masked and no
// identity number is kept. The rules on publishing natural persons' names
// vary by region and sector and were not verified here; this is the
// stricter reading.
package publicity

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/org"
	"openhall/internal/powers"
)

// Kind is the kind of decision.
type Kind string

// Kinds.
const (
	KindPermit  Kind = "permit"  // 行政许可
	KindPenalty Kind = "penalty" // 行政处罚
)

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindPermit:
		return "行政许可"
	case KindPenalty:
		return "行政处罚"
	}
	return string(k)
}

// HolderKind is what kind of party a decision concerns.
type HolderKind string

// Holder kinds.
const (
	HolderLegal    HolderKind = "legal"    // 法人及非法人组织
	HolderBusiness HolderKind = "business" // 个体工商户
	HolderPerson   HolderKind = "person"   // 自然人
)

// Label is the holder kind's Chinese name.
func (h HolderKind) Label() string {
	switch h {
	case HolderLegal:
		return "法人及非法人组织"
	case HolderBusiness:
		return "个体工商户"
	case HolderPerson:
		return "自然人"
	}
	return string(h)
}

// ParseHolderKind accepts a code or a label (法人, 个体工商户, 自然人).
func ParseHolderKind(s string) (HolderKind, bool) {
	switch s {
	case "legal", "法人", "法人及非法人组织", "非法人组织":
		return HolderLegal, true
	case "business", "个体工商户":
		return HolderBusiness, true
	case "person", "自然人":
		return HolderPerson, true
	}
	return "", false
}

// Status is where an entry stands.
type Status string

// Statuses.
const (
	StatusPublished Status = "published"
	StatusRevoked   Status = "revoked"   // a permit revoked: stays public, marked
	StatusWithdrawn Status = "withdrawn" // a penalty changed, revoked or annulled: withdrawn (行政处罚法 Art 48 ¶2)
	StatusExpired   Status = "expired"   // its publication period is over
)

// Label is the status's Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusPublished: "公示中", StatusRevoked: "已撤销", StatusWithdrawn: "已撤回", StatusExpired: "公示期满"}[s]
}

// Entry is one decision in the register.
type Entry struct {
	ID            int64
	Kind          Kind
	DepartmentID  int64
	Number        string // 决定文书号
	Source        string // the case number a permit came from; "" for entered penalties
	Title         string // 许可事项名称, or 违法行为类型
	HolderKind    HolderKind
	HolderName    string // as published: a natural person's name masked
	CreditCode    string // 统一社会信用代码; "" for natural persons
	DecidedOn     calendar.Date
	ValidFrom     calendar.Date // permits
	ValidTo       calendar.Date // permits; zero = no limit
	Content       string        // 许可内容 or 处罚内容
	Basis         string        // 依据
	PenaltyKinds  []string
	FineFen       int64
	PowerID       int64 // the penalty power whose benchmark applies
	BenchmarkSeq  int   // its benchmark row, 1-based
	OutsideReason string
	Status        Status
	StatusReason  string
	StatusOn      calendar.Date
	PublishedOn   calendar.Date
	PublicUntil   calendar.Date // zero = no end (permits)
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time

	DeptName   string // filled when loaded
	RegionPath string // filled when loaded
	Key        int64  // the register's sort key, filled when stored
}

// Public reports whether the register shows the entry on day.
func (e *Entry) Public(day calendar.Date) bool {
	if e.Status != StatusPublished && e.Status != StatusRevoked {
		return false
	}
	return e.PublicUntil == (calendar.Date{}) || !day.After(e.PublicUntil)
}

// StaffFilter selects entries for the departments' work lists.
type StaffFilter struct {
	DepartmentIDs []int64
	Kind          Kind
	Offset, Limit int
}

// Query is a search of the public register as the store runs it.
type Query struct {
	Terms        []string // normalised; each a substring of the entry's text
	Grams        []string // grams every match holds (the terms' and the filter tokens)
	Kind         Kind
	DepartmentID int64
	Today        calendar.Date // for the publication period
	Before       int64         // only keys below this (the cursor); 0 = from the newest
	Limit        int
}

// Store is what the register needs from storage. Methods join the
// transaction in ctx; Find methods return NotFound for a missing id.
type Store interface {
	// CreateEntry inserts an entry and sets its ID and Key; a second entry
	// with the same department, kind and number, or the same source, is a
	// Conflict.
	CreateEntry(ctx context.Context, e *Entry) error
	UpdateEntry(ctx context.Context, e *Entry) error
	FindEntry(ctx context.Context, id int64) (*Entry, error)
	FindEntryBySource(ctx context.Context, source string) (*Entry, error)
	FindEntryByNumber(ctx context.Context, deptID int64, kind Kind, number string) (*Entry, error)
	FindEntries(ctx context.Context, f StaffFilter) ([]*Entry, int, error)
	// SearchRegister answers a public search, newest decision first.
	SearchRegister(ctx context.Context, q Query) ([]*Entry, error)
	// ExpireEntries marks published entries whose period ended before day.
	ExpireEntries(ctx context.Context, day calendar.Date) (int, error)
}

// Settings keeps the configurable publication periods.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error) // NotFound
	PutSetting(ctx context.Context, key, value string) error
}

// Benchmarks finds the discretion benchmark row of a penalty power.
type Benchmarks interface {
	BenchmarkByCode(ctx context.Context, deptID int64, code string, seq int) (*powers.Power, *powers.Benchmark, error)
}

// Items gives a catalogue item, to tell licensing items from others, and
// an item version, for the legal bases a decision was made under.
type Items interface {
	Item(ctx context.Context, id int64) (*catalog.Item, error)
	Version(ctx context.Context, id int64) (*catalog.Version, error)
}

// Departments gives a department and where it is.
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

// Deps are what the service is built from.
type Deps struct {
	Store       Store
	Tx          Transactor
	Audit       Auditor
	Settings    Settings
	Benchmarks  Benchmarks
	Items       Items
	Departments Departments
	Calendars   Calendars
	Now         func() time.Time
}
