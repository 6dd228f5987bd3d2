package hall

import (
	"context"
	"time"
)

// Store is what the hall needs from storage. Every method joins the
// transaction in ctx.
type Store interface {
	// CreateBundle inserts a bundle: Conflict (field name) when its region
	// already has one of the name.
	CreateBundle(ctx context.Context, b *Bundle) error
	UpdateBundle(ctx context.Context, b *Bundle) error
	FindBundle(ctx context.Context, id int64) (*Bundle, error) // NotFound
	FindBundles(ctx context.Context, f BundleFilter) ([]*Bundle, error)

	// CreateApplication inserts a bundle application with its cases:
	// Conflict when its idempotency key was used.
	CreateApplication(ctx context.Context, app *Application) error
	FindApplication(ctx context.Context, id int64) (*Application, error)              // NotFound
	FindApplicationByNumber(ctx context.Context, number string) (*Application, error) // NotFound
	FindApplicationByKey(ctx context.Context, key string) (*Application, error)       // NotFound
	FindApplicationOfCase(ctx context.Context, caseID int64) (*Application, error)    // NotFound
	// FindApplications lists the applications a user filed or owns, newest first.
	FindApplications(ctx context.Context, userID int64, limit int) ([]*Application, error)

	CreateAppointment(ctx context.Context, ap *Appointment) error
	// UpdateAppointment saves the status and answer, refusing (Conflict)
	// when the stored status is no longer from.
	UpdateAppointment(ctx context.Context, ap *Appointment, from AppointmentStatus) error
	FindAppointment(ctx context.Context, id int64) (*Appointment, error) // NotFound
	FindAppointments(ctx context.Context, f AppointmentFilter) ([]*Appointment, error)

	// PutFavourite and DeleteFavourite are idempotent.
	PutFavourite(ctx context.Context, userID, itemID int64, at time.Time) error
	DeleteFavourite(ctx context.Context, userID, itemID int64) error
	IsFavourite(ctx context.Context, userID, itemID int64) (bool, error)
	// FindFavourites lists a user's favourite item ids, newest first.
	FindFavourites(ctx context.Context, userID int64) ([]int64, error)

	// CountFiled counts the cases filed since a moment per item version,
	// the most filed first.
	CountFiled(ctx context.Context, since time.Time, limit int) ([]VersionCount, error)
}

// BundleFilter selects bundles; zero fields do not filter.
type BundleFilter struct {
	Statuses []BundleStatus
	// RegionPaths keeps bundles of regions whose path is one of these
	// (a region and its ancestors); empty: every region.
	RegionPaths []string
	// PathPrefix keeps bundles of regions in this subtree.
	PathPrefix string
}

// AppointmentFilter selects appointments; zero fields do not filter.
type AppointmentFilter struct {
	UserID         int64
	Statuses       []AppointmentStatus
	RegionPrefixes []string
	Limit          int
}

// VersionCount is how many cases were filed under an item version.
type VersionCount struct {
	VersionID int64
	Count     int
}
