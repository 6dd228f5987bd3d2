package catalog

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
)

// Store is what the catalogue needs from storage. Methods join the
// transaction in ctx.
type Store interface {
	// CreateItem inserts an item: Conflict (field code / impl_code) when
	// the 基本编码 is already used in the region or the 实施编码 anywhere.
	CreateItem(ctx context.Context, it *Item) error
	// UpdateItem saves the status and listing columns.
	UpdateItem(ctx context.Context, it *Item) error
	FindItemByID(ctx context.Context, id int64) (*Item, error)            // NotFound
	FindItemByImplCode(ctx context.Context, code string) (*Item, error)   // NotFound
	FindItemStamp(ctx context.Context, code string) (Stamp, error)        // NotFound; by 实施编码
	CatalogueStamp(ctx context.Context) (string, error)                   // changes whenever any item's stamp does
	FindItems(ctx context.Context, f ItemFilter) ([]*Item, int, error)    // page and total
	SearchItems(ctx context.Context, q SearchQuery) ([]*Item, int, error) // ranked page and total

	// CreateVersion inserts a version: Conflict when the item already has
	// an open (unpublished) version.
	CreateVersion(ctx context.Context, v *Version) error
	// UpdateVersion saves an open version; a published version is refused
	// (the backends also refuse it below the application, by trigger).
	UpdateVersion(ctx context.Context, v *Version) error
	FindVersionByID(ctx context.Context, id int64) (*Version, error) // NotFound
	// FindVersions lists an item's versions, newest first.
	FindVersions(ctx context.Context, itemID int64) ([]*Version, error)
	// FindPublishedVersion returns the published version in effect on day:
	// the one with the latest effective date not after day. NotFound.
	FindPublishedVersion(ctx context.Context, itemID int64, day calendar.Date) (*Version, error)
	// FindOpenVersions lists unpublished versions in review states, for the
	// reviewers' and editors' queues.
	FindOpenVersions(ctx context.Context, f OpenFilter) ([]*Version, error)

	AddEvent(ctx context.Context, e *Event) error
	FindEvents(ctx context.Context, itemID int64) ([]*Event, error) // oldest first

	CreateFile(ctx context.Context, f *File) error
	FindFile(ctx context.Context, id int64) (*File, error) // NotFound
}

// ItemFilter selects items; zero fields do not filter.
type ItemFilter struct {
	PublicOnly   bool // published items only (any status but draft)
	Statuses     []Status
	DepartmentID int64
	RegionID     int64
	PathPrefix   string // items of regions in this subtree
	Level        Level
	Audience     Audience
	Legal        bool // audiences that are organisations (法人)
	Theme        string
	Type         ItemType
	Code         string // 基本编码
	Offset       int
	Limit        int
}

// SearchQuery is a catalogue search: Text against names, materials and
// conditions, within the filter.
type SearchQuery struct {
	Text string
	ItemFilter
}

// OpenFilter selects versions under work.
type OpenFilter struct {
	States     []VersionState
	PathPrefix string
	ItemID     int64
}

// File is a stored file: a blank form, a sample, a result sample.
type File struct {
	ID          int64
	Name        string
	ContentType string
	Data        []byte
	CreatedBy   int64
	CreatedAt   time.Time
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}
