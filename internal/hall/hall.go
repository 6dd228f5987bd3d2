// Package hall is the service hall as its visitors use it, beyond single
// items and cases: 一件事一次办 (life-event bundles an administrator
// defines over several items, filed with one combined form as one case
// per item in one transaction, and followed on one page), appointments at
// the window that the window confirms, favourite items, the village proxy
// points (代办点) that serve an item, and the home page's lists (popular
// items, a township's or village's own items).
package hall

import (
	"context"
	"strconv"
	"sync"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/identity"
	"openhall/internal/notify"
	"openhall/internal/org"
)

// Cases is what bundles need of the cases service.
type Cases interface {
	Procedure(ctx context.Context, versionID int64) (*cases.Procedure, error)
	Prepare(ctx context.Context, a *identity.Actor, in cases.FileInput) (*cases.Case, error)
	CreateMany(ctx context.Context, a *identity.Actor, cs []*cases.Case, key string,
		within func(ctx context.Context, cs []*cases.Case, code string) error) (string, error)
	Get(ctx context.Context, a *identity.Actor, id int64) (*cases.Case, cases.Clocks, error)
	Lookup(ctx context.Context, number, code, addr string) (*cases.Progress, error)
	HashCode(code string) []byte
	SealCode(code string) []byte
	OpenCode(sealed []byte) (string, error)
}

// Catalog is what the hall reads of the catalogue.
type Catalog interface {
	Item(ctx context.Context, id int64) (*catalog.Item, error)
	ItemByCode(ctx context.Context, implCode string) (*catalog.Item, error)
	CurrentVersion(ctx context.Context, itemID int64) (*catalog.Version, error)
	Version(ctx context.Context, id int64) (*catalog.Version, error)
	PublicItems(ctx context.Context, f catalog.ItemFilter) ([]*catalog.Item, int, error)
}

// Orgs is what the hall reads of the organisation structure.
type Orgs interface {
	Region(ctx context.Context, id int64) (*org.Region, error)
	RegionPath(ctx context.Context, id int64) (string, error)
	Centres(ctx context.Context, f org.CentreFilter) ([]*org.Centre, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Notifier sends an inbox message (and email) inside the caller's transaction.
type Notifier interface {
	Notify(ctx context.Context, m notify.Message) (*notify.Notification, error)
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
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Cases     Cases
	Catalog   Catalog
	Orgs      Orgs
	Calendars Calendars
	Notifier  Notifier
	Now       func() time.Time
}

// Service runs the hall.
type Service struct {
	d   Deps
	hot hotCache
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &Service{d: d}
}

func (s *Service) record(ctx context.Context, a *identity.Actor, scope, action, objType string, id int64, change any) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: scope, Action: action, ObjectType: objType,
		ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// hotCache keeps the popular items for a while: counting a quarter's
// filings is not for every home page.
type hotCache struct {
	mu    sync.Mutex
	at    time.Time
	items []*catalog.Item
}
