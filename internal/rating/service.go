package rating

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/memo"
	"openhall/internal/workclock"
)

// Deps are what the service is built from.
type Deps struct {
	Store     Store
	Tx        Transactor
	Audit     Auditor
	Cases     Cases
	Windows   Windows
	Orgs      Orgs
	Regions   Regions
	Users     Users
	Calendars Calendars
	Notifier  Notifier
	Scheduler Scheduler
	Secret    []byte // signs the rating links of QR codes and SMS
	PublicURL string // the product's address for QR codes; "" = the request's host
	// SMS reports whether an SMS gateway is configured: without one, and
	// without PublicURL for the link, visitors are not invited by SMS.
	SMS bool
	Now func() time.Time
	// CounterCacheTTL is how long a node trusts a counter tablet's token
	// without reading it again (default 5 s): a counter ended on another
	// node stops taking ratings here within it.
	CounterCacheTTL time.Duration
}

// Service runs ratings and their tickets.
type Service struct {
	d        Deps
	batch    *batcher
	counters *counterCache
	// limits keeps every region's limits for limitsLife: each decision
	// reads them for its default rating. SetLimits through this process
	// forgets them; a change through another node shows here within
	// limitsLife.
	limits *memo.Cache[struct{}, []*Limits]
}

// limitsLife is how long the regions' limits are kept.
const limitsLife = 5 * time.Second

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	if d.CounterCacheTTL == 0 {
		d.CounterCacheTTL = 5 * time.Second
	}
	s := &Service{d: d, counters: newCounterCache(d.CounterCacheTTL), limits: memo.New[struct{}, []*Limits](limitsLife, 1, nil)}
	s.batch = &batcher{flush: s.flushCounter}
	return s
}

// calendarFor is the calendar of the region at path.
func (s *Service) calendarFor(path string) (*calendar.Calendar, error) {
	return s.d.Calendars.ForRegion(path)
}

// anonymousActor is how an anonymous rater appears in the audit log.
var anonymousActor = audit.Actor{ID: 0, Label: "匿名评价人"}

// raterAudit is the audit actor of a rating.
func raterAudit(a *identity.Actor, anonymous bool) audit.Actor {
	if a == nil || anonymous {
		return anonymousActor
	}
	return a.Audit()
}

// recordRating appends the audit entry of a new rating. The comment is
// left out: it is free text and may hold personal data.
func (s *Service) recordRating(ctx context.Context, who audit.Actor, r *Rating) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: who, Scope: "region:" + r.RegionPath, Action: "rating.create",
		ObjectType: "rating", ObjectID: strconv.FormatInt(r.ID, 10), Change: ratingChange(r)})
}

func ratingChange(r *Rating) map[string]any {
	return map[string]any{"case": r.CaseNumber, "visit": r.VisitID, "stage": r.Stage, "number": r.Number,
		"level": r.Level, "channel": r.Channel, "anonymous": r.Anonymous, "default": r.Default,
		"department": r.DepartmentID, "window": r.WindowID, "staff": r.StaffID, "source": r.Source}
}

// newKey is a fresh rating key: unique across systems without
// coordination (8 random bytes after the time in microseconds), and
// increasing with time, so that new keys land at the end of their index
// instead of on a random page of it.
func newKey() string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMicro()))
	rand.Read(b[8:])
	return "r" + hex.EncodeToString(b[:])
}

// Link tokens sign what a QR code or SMS link lets its holder rate: a case
// ('c') or a visit ('v'), by id, with the deployment's secret.

func (s *Service) token(kind byte, id int64) string {
	b := make([]byte, 9, 9+16)
	b[0] = kind
	binary.BigEndian.PutUint64(b[1:], uint64(id))
	m := hmac.New(sha256.New, s.d.Secret)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(m.Sum(b)[:9+16])
}

// parseToken checks a link token and returns what it names.
func (s *Service) parseToken(tok string) (byte, int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != 25 {
		return 0, 0, false
	}
	m := hmac.New(sha256.New, s.d.Secret)
	m.Write(b[:9])
	if !hmac.Equal(m.Sum(nil)[:16], b[9:]) {
		return 0, 0, false
	}
	return b[0], int64(binary.BigEndian.Uint64(b[1:9])), true
}

// CaseLink is the path of the page where the holder of a case's receipt
// rates it (the QR code on the 受理通知书).
func (s *Service) CaseLink(caseID int64) string { return "/rate/" + s.token('c', caseID) }

// AbsoluteLink is a path as an address to print in a QR code: under the
// configured public address, else under base (the request's).
func (s *Service) AbsoluteLink(base, path string) string {
	if s.d.PublicURL != "" {
		return strings.TrimRight(s.d.PublicURL, "/") + path
	}
	return base + path
}

// visitLink is the path an SMS sends a visitor to.
func (s *Service) visitLink(visitID int64) string { return "/rate/" + s.token('v', visitID) }

// measure runs a clock on the calendar of the region at path.
func (s *Service) measure(path string, days int, start, end time.Time, pauses []workclock.Span) (workclock.Clock, error) {
	cal, err := s.calendarFor(path)
	if err != nil {
		return workclock.Clock{}, err
	}
	return workclock.Measure(cal, days, start, end, pauses, s.d.Now())
}

// Today is the service's current day in China, for the defaults of forms.
func (s *Service) Today() calendar.Date { return calendar.DateOf(s.d.Now()) }
