// Package powers keeps each department's power and responsibility list
// (权力清单 / 责任清单): every power (职权) with its name, type (the ten kinds
// of 行政权力 and 公共服务, GB/T 39046 A.1 codes), code, legal basis, the
// body that exercises it and the unit that does the work, its process,
// duties (责任事项) and the cases in which officials are held to account
// (追责情形) — "明确行使权力的主体、依据、运行程序和监督措施" (中办发〔2011〕22号
// 第5条) — and, for penalty powers, the discretion benchmark (裁量基准):
// for each violation the kinds and range of penalty per circumstance,
// published as 行政处罚法 Art 34 requires ("行政处罚裁量基准应当向社会公布").
//
// A power is versioned like a catalogue item: drafts are reviewed and
// published; a published version never changes; the history stays.
package powers

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/catalog"
	"openhall/internal/org"
)

// State is where a version stands.
type State string

// Version states.
const (
	StateDraft      State = "draft"
	StateSubmitted  State = "submitted"
	StatePublished  State = "published"
	StateRejected   State = "rejected"
	StateSuperseded State = "superseded" // replaced by a later published version
)

// Label is the state's Chinese name.
func (s State) Label() string {
	return map[State]string{StateDraft: "草稿", StateSubmitted: "待审核", StatePublished: "已发布",
		StateRejected: "已退回", StateSuperseded: "已被替代"}[s]
}

// Open reports whether the version can still be edited or reviewed.
func (s State) Open() bool { return s == StateDraft || s == StateSubmitted || s == StateRejected }

// Power is a power's stable identity; its content lives in versions.
type Power struct {
	ID           int64
	DepartmentID int64
	Code         string // 职权编码
	PublishedID  *int64 // the version in force
	Name         string // of the latest version, for lists
	Type         catalog.ItemType
	SearchText   string // normalised text of the published version, for the public search
	CreatedAt    time.Time
	UpdatedAt    time.Time

	DeptName   string // filled when loaded
	RegionID   int64  // filled when loaded
	RegionPath string // filled when loaded
}

// Version is one version of a power.
type Version struct {
	ID          int64
	PowerID     int64
	Number      int
	State       State
	Content     Content
	Note        string // the reviewer's reason when rejected
	CreatedBy   int64
	ReviewedBy  int64
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Filter selects powers; zero fields do not filter.
type Filter struct {
	DepartmentID int64
	Code         string // one power by its code (with DepartmentID)
	PathPrefix   string
	Type         catalog.ItemType
	Published    bool     // only powers with a published version
	Terms        []string // normalised terms, each a substring of SearchText
	ItemID       int64    // powers whose published version links this service item
	Offset       int
	Limit        int
}

// Store is what power lists need from storage. Methods join the transaction
// in ctx; Find methods return NotFound for a missing id.
type Store interface {
	CreatePower(ctx context.Context, p *Power) error // Conflict on a code used in the department
	UpdatePower(ctx context.Context, p *Power) error
	FindPower(ctx context.Context, id int64) (*Power, error)
	FindPowers(ctx context.Context, f Filter) ([]*Power, int, error)
	// SetPowerItems replaces the service items the published version links.
	SetPowerItems(ctx context.Context, powerID int64, itemIDs []int64) error

	CreateVersion(ctx context.Context, v *Version) error
	// UpdateVersion saves a version; a published version is never changed
	// (Conflict), only superseded.
	UpdateVersion(ctx context.Context, v *Version) error
	// SupersedeVersion marks the published version id as replaced.
	SupersedeVersion(ctx context.Context, id int64, at time.Time) error
	FindVersion(ctx context.Context, id int64) (*Version, error)
	FindVersions(ctx context.Context, powerID int64) ([]*Version, error) // newest first
}

// Items gives the catalogue's items, for the links between powers and
// service items.
type Items interface {
	Item(ctx context.Context, id int64) (*catalog.Item, error)
}

// Laws finds the published disclosure document of a law by its name, so
// that a legal basis links to its text; ok is false when the catalogue
// does not hold it.
type Laws interface {
	FindLaw(ctx context.Context, name string) (docID int64, ok bool, err error)
}

// Departments gives a department and where it is.
type Departments interface {
	Department(ctx context.Context, id int64) (*org.Department, error)
	DepartmentRegion(ctx context.Context, id int64) (int64, string, error)
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
	Items       Items
	Laws        Laws // optional
	Departments Departments
	Now         func() time.Time
}
