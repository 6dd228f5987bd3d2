// Package store names what every storage backend provides. The backends
// live in store/sqlite and store/postgres (same file names, raw SQL each);
// store/storetest holds the one contract test suite both must pass. Domain
// packages never import any of them.
package store

import (
	"context"

	"openhall/internal/audit"
	"openhall/internal/budget"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/certs"
	"openhall/internal/complaint"
	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/hall"
	"openhall/internal/hotline"
	"openhall/internal/identity"
	"openhall/internal/mailbox"
	"openhall/internal/notify"
	"openhall/internal/opendata"
	"openhall/internal/opendata/sources"
	"openhall/internal/org"
	"openhall/internal/powers"
	"openhall/internal/publicity"
	"openhall/internal/rating"
	"openhall/internal/store/migrate"
	"openhall/internal/supervision"
)

// Backend is the part of a storage backend that is not a domain store.
type Backend interface {
	Backend() string // "sqlite" or "postgres"
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	Ping(ctx context.Context) error
	SchemaStatus(ctx context.Context) (migrate.Status, error)
	Migrate(ctx context.Context) ([]int, error)
	Analyze(ctx context.Context) error // the planner's statistics after a bulk load
	Close() error
}

// Settings keeps small named values.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error) // NotFound
	PutSettingIfAbsent(ctx context.Context, key, value string) (string, error)
	PutSetting(ctx context.Context, key, value string) error
}

// Stores bundles a backend with the stores of every domain package.
type Stores struct {
	Backend
	Audit    audit.Store
	Calendar calendar.Store
	Cases    cases.Store
	Identity identity.Store
	Org      org.Store
	Settings Settings
	Certs    certs.Store
	Notify   notify.Store
	Catalog  catalog.Store

	Disclosure disclosure.Store
	Search     search.Store
	Hall       hall.Store

	Supervision supervision.Store

	Ratings    rating.Store
	Complaints complaint.Store
	Hotline    hotline.Store

	Consult   consult.Store
	Mailbox   mailbox.Store
	Powers    powers.Store
	Publicity publicity.Store

	OpenData OpenDataStore
	Budget   budget.Store
}

// OpenDataStore is the open-data store with the statistics its sources
// read from other modules' tables.
type OpenDataStore interface {
	opendata.Store
	CaseMonthlyStats(ctx context.Context) ([]sources.CaseStat, error)
	PublishedReports(ctx context.Context) ([]sources.ReportSnapshot, error)
	LicenceDecisions(ctx context.Context, prefix string, after int64, limit int) ([]sources.Licence, error)
}
