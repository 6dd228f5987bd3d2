// Package opendata runs the open data catalogue (政府数据开放): datasets
// with their DCAT-AP metadata and openness tier (无条件开放 / 有条件开放 /
// 不予开放, 上海市数据条例 Art 41 as the reference reads it), their data kept in
// versions, the datasets the platform produces itself from its own modules
// (sources registered through a small interface, regenerated on a schedule
// and on change), uploads validated column by column, conditional access
// (applications on a working-day clock, scoped API keys with rate limits
// and a usage log), and the exports harvesters read: DCAT-AP 3.0 (JSON-LD,
// Turtle), a data.json listing and a CKAN-compatible read API.
//
// Every state change is recorded in the audit log in its transaction;
// authorization is decided here (authz.go).
package opendata

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
)

// Tier is a dataset's openness (开放属性).
type Tier string

// Tiers.
const (
	TierOpen        Tier = "open"        // 无条件开放
	TierConditional Tier = "conditional" // 有条件开放: by application, API key
	TierClosed      Tier = "closed"      // 不予开放, with the reason; listed, never served
)

// Label is the Chinese name.
func (t Tier) Label() string {
	return map[Tier]string{TierOpen: "无条件开放", TierConditional: "有条件开放", TierClosed: "不予开放"}[t]
}

// Valid reports whether t is known.
func (t Tier) Valid() bool { return t.Label() != "" }

// Status is a dataset's place in the catalogue.
type Status string

// Statuses.
const (
	StatusDraft     Status = "draft"     // being described, not listed
	StatusPublished Status = "published" // listed in the catalogue
	StatusWithdrawn Status = "withdrawn" // no longer listed; versions kept
)

// Label is the Chinese name.
func (s Status) Label() string {
	return map[Status]string{StatusDraft: "草稿", StatusPublished: "已发布", StatusWithdrawn: "已撤回"}[s]
}

// Origin of a dataset's data.
const (
	SourceGenerated = "generated" // produced by the platform from its own data
	SourceUpload    = "upload"    // a department's own file
)

// ColumnType is the declared type of a column.
type ColumnType string

// Column types.
const (
	TypeText    ColumnType = "text"
	TypeInteger ColumnType = "integer"
	TypeDecimal ColumnType = "decimal"
	TypeDate    ColumnType = "date"
)

// Label is the Chinese name.
func (c ColumnType) Label() string {
	return map[ColumnType]string{TypeText: "文本", TypeInteger: "整数", TypeDecimal: "数值", TypeDate: "日期"}[c]
}

// Column describes one column of a dataset's data.
type Column struct {
	Name     string     `json:"name"`     // machine name: letters, digits, underscore
	Title    string     `json:"title"`    // header as published (Chinese)
	Type     ColumnType `json:"type"`     // declared type, checked on upload
	Personal bool       `json:"personal"` // holds personal data (姓名、身份证号、手机号 …)
}

// Dataset is one entry of the catalogue.
type Dataset struct {
	ID           int64
	Name         string // URL and CKAN name: lower-case letters, digits, - and _
	Title        string
	Description  string
	PublisherID  int64 // a disclosure agency (公开主体)
	Theme        string
	Keywords     []string
	Frequency    string
	TemporalFrom calendar.Date
	TemporalTo   calendar.Date
	Spatial      string // region name
	License      string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Tier         Tier
	TierReason   string // conditions of 有条件开放, or the reason of 不予开放
	Source       string
	Generator    string // source key and part, for generated datasets
	Columns      []Column
	Status       Status
	Downloads    int64
	Version      int // latest version number; 0 = no data yet
	RowCount     int64
	CheckedAt    time.Time // last regeneration run
	IssuedAt     time.Time // first publication
	ModifiedAt   time.Time // last data or metadata change while published
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time

	PublisherName string // filled when loaded
	RegionPath    string // the publisher's region, filled when loaded
}

// HasData reports whether the dataset has a version to serve.
func (d *Dataset) HasData() bool { return d.Version > 0 }

// Version is one state of a dataset's data.
type Version struct {
	ID        int64
	DatasetID int64
	Number    int
	RowCount  int64
	SHA256    string // of the CSV of the version
	Note      string // what changed, in words
	Pruned    bool   // rows no longer kept (only the latest versions keep theirs)
	CreatedBy int64  // 0 = the platform's regeneration
	CreatedAt time.Time
}

// DatasetFilter selects datasets; zero fields do not filter.
type DatasetFilter struct {
	Q           string // in title, description and keywords
	Theme       string
	PublisherID int64
	PathPrefix  string // publishers in a region subtree
	Tier        Tier
	Status      Status
	Listed      bool // published and not 不予开放 (what exports and the CKAN API list)
	Since       time.Time
	Sort        string // "modified" (newest first, default) or "name"
	Limit       int
	Offset      int
}

// Store is what opendata needs from storage. Methods join the transaction
// in ctx; Find methods return NotFound for a missing record.
type Store interface {
	DatasetStore
	AccessStore
}

// DatasetStore keeps datasets and their versions.
type DatasetStore interface {
	CreateDataset(ctx context.Context, d *Dataset) error // Conflict on a duplicate name
	UpdateDataset(ctx context.Context, d *Dataset) error
	FindDatasetByID(ctx context.Context, id int64) (*Dataset, error)
	FindDatasetByName(ctx context.Context, name string) (*Dataset, error)
	FindDatasetByGenerator(ctx context.Context, key string) (*Dataset, error)
	FindDatasets(ctx context.Context, f DatasetFilter) ([]*Dataset, int, error)
	CountDownload(ctx context.Context, id int64) error

	// CreateVersion inserts v and its rows (in order, from seq 0).
	CreateVersion(ctx context.Context, v *Version, rows [][]string) error
	FindVersions(ctx context.Context, datasetID int64) ([]*Version, error) // newest first
	FindVersion(ctx context.Context, datasetID int64, number int) (*Version, error)
	// ScanRows calls fn for rows seq >= from, in order, at most limit
	// (0 = all), reading them page by page. fn must not keep row: its
	// backing array is reused.
	ScanRows(ctx context.Context, versionID int64, from, limit int, fn func(row []string) error) error
	// PruneVersions drops the rows of all but the newest keep versions.
	PruneVersions(ctx context.Context, datasetID int64, keep int) error
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Agencies are the publishers: the disclosure agencies.
type Agencies interface {
	Agency(ctx context.Context, id int64) (*disclosure.Agency, error)
	Agencies(ctx context.Context, f disclosure.AgencyFilter) ([]*disclosure.Agency, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Enqueuer puts a regeneration on the job queue in the caller's
// transaction (the app's job queue; nil regenerates only on schedule).
type Enqueuer interface {
	EnqueueRegenerate(ctx context.Context, source string) error
}

// Deps are what a Service is built from.
type Deps struct {
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Agencies  Agencies
	Calendars Calendars
	Queue     Enqueuer
	Files     Files // nil: CSV downloads stream the rows
	Now       func() time.Time
}

// Service is the open data catalogue.
type Service struct {
	d       Deps
	now     func() time.Time
	sources []Source
}

// NewService returns a Service with no sources; see Register.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Service{d: d, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// SetQueue sets the job queue (wired once the queue exists).
func (s *Service) SetQueue(q Enqueuer) { s.d.Queue = q }

// Today is the civil date in China on the service's clock.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.now()) }
