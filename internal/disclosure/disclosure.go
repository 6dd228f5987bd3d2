// Package disclosure runs government information disclosure (政府信息公开)
// under the 政府信息公开条例 (2019): the proactive catalogue (主动公开) with its
// confidentiality review and publication deadline, policy interpretations
// released with their policies, requests for disclosure (依申请公开) on the
// statutory clock, and the annual report in the national format
// (国办公开办函〔2021〕30号).
//
// Every state change of a document, a request or a report is recorded in the
// audit log in the transaction of the change. Authorization is decided here,
// one function per rule (authz.go), with the acting user passed explicitly.
package disclosure

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure/search"
)

// Agency is a body that discloses information (公开主体): a people's
// government of a region or one of its departments. It has its own
// catalogue, guide (指南), 索引号 template, requests and annual report.
type Agency struct {
	ID            int64
	RegionID      int64
	DepartmentID  *int64
	Name          string
	Code          string // organisation code used in 索引号 (组织机构代码 or credit code)
	IndexTemplate string // see IndexNumber
	Guide         string // 政府信息公开指南, Markdown
	Address       string
	Phone         string
	Hours         string
	RegionPath    string // filled when loaded
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Store is what disclosure needs from storage. Methods join the transaction
// in ctx. Find methods return NotFound for a missing id.
type Store interface {
	AgencyStore
	DocStore
	RequestStore
	ReportStore
	PublishRuleStore
	PermitDecisions
	RepeatStore
}

// AgencyStore keeps agencies.
type AgencyStore interface {
	CreateAgency(ctx context.Context, a *Agency) error // Conflict on a duplicate name in the region
	UpdateAgency(ctx context.Context, a *Agency) error
	FindAgencyByID(ctx context.Context, id int64) (*Agency, error)
	FindAgencies(ctx context.Context, f AgencyFilter) ([]*Agency, error)
}

// AgencyFilter selects agencies; zero fields do not filter.
type AgencyFilter struct {
	PathPrefix string
	Name       string
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Regions resolves region paths for authorization.
type Regions interface {
	RegionPath(ctx context.Context, id int64) (string, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Deps are what a Service is built from.
type Deps struct {
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Regions   Regions
	Calendars Calendars
	Search    search.Searcher
	Now       func() time.Time
}

// Service is government information disclosure.
type Service struct {
	store   Store
	tx      Transactor
	audit   Auditor
	regions Regions
	cals    Calendars
	search  search.Searcher
	now     func() time.Time
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: d.Store, tx: d.Tx, audit: d.Audit, regions: d.Regions, cals: d.Calendars, search: d.Search,
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Search is the portal's searcher, shared with other modules.
func (s *Service) Search() search.Searcher { return s.search }

// today is the civil date now in China.
func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// Today is the civil date in China now, on the service's clock.
func (s *Service) Today() calendar.Date { return s.today() }
