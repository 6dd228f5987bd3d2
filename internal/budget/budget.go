// Package budget publishes budgets, final accounts and "三公" spending
// (预决算公开) as structured tables: each agency's set of a year is entered or
// imported from the published .xlsx template, every table's totals are
// cross-checked (类/款/项 sums, row sums, the tables against each other) and
// refused with the exact cell when they do not balance, and the set is
// published as a disclosure document in category 第二十条（七）财政预算、决算
// through the ordinary 保密审查 workflow, on the 预算法 Art 14 clock of 20
// calendar days from approval (批复).
//
// Every change is recorded in the audit log in its transaction;
// authorization is decided here (authz.go).
package budget

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// Kind is a department's 预算 or 决算, or a government's own (本级).
type Kind string

// Kinds.
const (
	KindBudget    Kind = "budget"     // 部门预算
	KindFinal     Kind = "final"      // 部门决算
	KindGovBudget Kind = "gov_budget" // 本级政府预算, approved by the people's congress
	KindGovFinal  Kind = "gov_final"  // 本级政府决算, approved by its standing committee
)

// Kinds lists every kind in the order forms offer them.
var Kinds = []Kind{KindBudget, KindFinal, KindGovBudget, KindGovFinal}

// Label is the Chinese name.
func (k Kind) Label() string {
	return map[Kind]string{KindBudget: "部门预算", KindFinal: "部门决算", KindGovBudget: "本级政府预算", KindGovFinal: "本级政府决算"}[k]
}

// Valid reports whether k is known.
func (k Kind) Valid() bool { return k.Label() != "" }

// Government reports whether k is a government's own budget or final
// accounts, which its finance department publishes (预算法 Art 14 ¶1).
func (k Kind) Government() bool { return k == KindGovBudget || k == KindGovFinal }

// Schema is the table set of the kind.
func (k Kind) Schema() *Schema {
	if k.Government() {
		return Government
	}
	return Department
}

// Status is where a set stands; publication itself is the disclosure
// document's (see View.Published).
type Status string

// Statuses.
const (
	StatusDraft     Status = "draft"     // created, tables not yet imported
	StatusReady     Status = "ready"     // tables imported and balanced
	StatusSubmitted Status = "submitted" // disclosure document created and sent to 保密审查
)

// Label is the Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusDraft: "待导入报表", StatusReady: "报表已平衡，待送审公开", StatusSubmitted: "已送保密审查"}[s]
}

// Amount is money in hundredths of 万元 (100 元), the precision the tables
// are published in.
type Amount int64

// String formats an amount in 万元 with two decimals.
func (a Amount) String() string {
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s%d.%02d", sign, a/100, a%100)
}

// Line is one row of one table.
type Line struct {
	Table   string   `json:"table"`
	Seq     int      `json:"seq"`
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Amounts []Amount `json:"amounts"`
}

// Set is an agency's 预算 or 决算 of a year.
type Set struct {
	ID          int64
	AgencyID    int64
	Year        int
	Kind        Kind
	ApprovedOn  calendar.Date // 批复日期 (or the approval of the people's congress for a government)
	Explanation string        // 说明, including 机关运行经费 (预算法 Art 14 ¶2)
	Status      Status
	DocID       *int64
	ImportedAt  time.Time
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time

	AgencyName  string        // filled when loaded
	RegionPath  string        // filled when loaded
	PublishedOn calendar.Date // the document's publication date, filled when loaded
	Lines       []Line        // filled by FindSetByID
}

// Title names the set as published: a department's under its own name,
// a government's own under the finance department that publishes it.
func (s *Set) Title() string {
	if s.Kind.Government() {
		return fmt.Sprintf("%d年%s（%s公开）", s.Year, s.Kind.Label(), s.AgencyName)
	}
	return fmt.Sprintf("%s%d年%s", s.AgencyName, s.Year, s.Kind.Label())
}

// Published reports whether the set's document is published.
func (s *Set) Published() bool { return s.PublishedOn != (calendar.Date{}) }

// SetFilter selects sets; zero fields do not filter.
type SetFilter struct {
	AgencyID   int64
	PathPrefix string
	Year       int
	Kind       Kind
	Published  bool // only those whose document is published
}

// Store keeps sets and their lines. Methods join the transaction in ctx.
type Store interface {
	CreateSet(ctx context.Context, s *Set) error // Conflict when the agency has this year's set of this kind
	UpdateSet(ctx context.Context, s *Set) error
	ReplaceLines(ctx context.Context, setID int64, lines []Line) error
	FindSetByID(ctx context.Context, id int64) (*Set, error) // with lines
	FindSet(ctx context.Context, agencyID int64, year int, kind Kind) (*Set, error)
	FindSets(ctx context.Context, f SetFilter) ([]*Set, error) // without lines, newest year first
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Disclosure is what publication needs of the disclosure service: its
// existing public methods, so a set goes through review like any document.
type Disclosure interface {
	Agency(ctx context.Context, id int64) (*disclosure.Agency, error)
	SaveDocument(ctx context.Context, a *identity.Actor, id int64, in disclosure.DocInput) (*disclosure.Document, error)
	Submit(ctx context.Context, a *identity.Actor, id int64) (*disclosure.Document, error)
}

// Calendars gives the calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Changes hears that published budget data changed (the open-data
// catalogue regenerates its budget datasets); it joins the transaction.
type Changes interface {
	Changed(ctx context.Context, source string) error
}

// Deps are what a Service is built from.
type Deps struct {
	Store      Store
	Tx         Transactor
	Audit      Auditor
	Disclosure Disclosure
	Calendars  Calendars
	Changes    Changes // optional
	Now        func() time.Time
}

// Service is budget disclosure.
type Service struct {
	d   Deps
	now func() time.Time
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Service{d: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// SetChanges sets the listener for published changes (wired after the
// open-data service exists).
func (s *Service) SetChanges(c Changes) { s.d.Changes = c }

// Today is the civil date in China on the service's clock.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now()) }

// Source is the name this package's changes are announced under.
const Source = "budget"
