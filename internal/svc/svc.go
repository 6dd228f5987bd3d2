// Package svc bundles the domain services that both faces of the product,
// the HTML UI (web) and the JSON API (api), call. It holds no logic.
package svc

import (
	"context"

	"openhall/internal/audit"
	"openhall/internal/blob"
	"openhall/internal/budget"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/certs"
	"openhall/internal/complaint"
	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/hall"
	"openhall/internal/hotline"
	"openhall/internal/identity"
	"openhall/internal/mailbox"
	"openhall/internal/notify"
	"openhall/internal/opendata"
	"openhall/internal/org"
	"openhall/internal/powers"
	"openhall/internal/publicity"
	"openhall/internal/rating"
	"openhall/internal/store/migrate"
	"openhall/internal/supervision"
)

// Health is what readiness checks ask of storage.
type Health interface {
	Ping(ctx context.Context) error
	SchemaStatus(ctx context.Context) (migrate.Status, error)
	Backend() string
}

// Services are the domain services of one process.
type Services struct {
	Audit    *audit.Log
	Calendar *calendar.Service
	Cases    *cases.Service
	Identity *identity.Service
	Org      *org.Service
	Health   Health
	Blobs    blob.Blobs      // uploaded materials
	Certs    *certs.Service  // electronic certificates
	Notify   *notify.Service // inbox, email and SMS
	Catalog  *catalog.Service

	Disclosure *disclosure.Service
	Hall       *hall.Service // 一件事, appointments, favourites, the home page's lists

	Supervision *supervision.Service // nil when supervision is off

	Ratings    *rating.Service    // 好差评
	Complaints *complaint.Service // complaints and consultations
	Hotline    *hotline.Service   // the 12345 hand-off

	Consult   *consult.Service   // consultations and surveys
	Mailbox   *mailbox.Service   // leader's mailbox and online consultation
	Powers    *powers.Service    // power and responsibility lists
	Publicity *publicity.Service // 双公示 register

	OpenData *opendata.Service // open data catalogue
	Budget   *budget.Service   // 预决算公开
}
