package supervision

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// Service runs electronic supervision.
type Service struct {
	d          Deps
	Indicators Registry // figures other modules contribute
	dir        directoryCache
	rules      rulesCache
	online     sync.Map // item version id → bool (versions never change)
	figures    figureCache
}

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Hours == (calendar.OfficeHours{}) {
		d.Hours = calendar.DefaultOfficeHours()
	}
	s := &Service{d: d}
	s.figures.life = 2 * time.Second
	s.dir.load = s.loadDirectory
	s.rules.load = func(ctx context.Context, id int64) (*Rules, error) { return d.Store.FindRules(ctx, id) }
	return s
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.d.Now() }

// record appends an audit entry in the caller's transaction.
func (s *Service) record(ctx context.Context, a *identity.Actor, scope, action, objType string, id int64, change any) error {
	s.figures.changed()
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: scope, Action: "supervision." + action,
		ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// applicantKey names an applicant for the 不予受理 check without keeping
// the ID number: an HMAC under the deployment's secret.
func (s *Service) applicantKey(kind, id string) string {
	if id == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.d.Secret)
	m.Write([]byte(kind + ":" + id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// directory is the organisation, as evaluations use it: the centre of each
// department and the window of each window clerk.
type directory struct {
	deptCentre  map[int64]int64
	deptName    map[int64]string
	staffWindow map[int64]int64
	windowName  map[int64]string
	loaded      time.Time
}

// directoryCache reloads the directory at most once a minute.
type directoryCache struct {
	mu   sync.Mutex
	cur  *directory
	load func(ctx context.Context) (*directory, error)
}

func (c *directoryCache) get(ctx context.Context, now time.Time) (*directory, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && now.Sub(c.cur.loaded) < time.Minute && !now.Before(c.cur.loaded) {
		return c.cur, nil
	}
	d, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	d.loaded, c.cur = now, d
	return d, nil
}

func (c *directoryCache) reset() {
	c.mu.Lock()
	c.cur = nil
	c.mu.Unlock()
}

func (s *Service) loadDirectory(ctx context.Context) (*directory, error) {
	d := &directory{deptCentre: map[int64]int64{}, deptName: map[int64]string{}, staffWindow: map[int64]int64{}, windowName: map[int64]string{}}
	depts, err := s.d.Directory.Departments(ctx, org.DepartmentFilter{})
	if err != nil {
		return nil, err
	}
	for _, dp := range depts {
		d.deptName[dp.ID] = dp.Name
		if dp.CentreID != nil {
			d.deptCentre[dp.ID] = *dp.CentreID
		}
	}
	ws, err := s.d.Directory.Windows(ctx, org.WindowFilter{})
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		d.windowName[w.ID] = w.Number + " " + w.Name
		for _, u := range w.StaffIDs {
			if _, ok := d.staffWindow[u]; !ok {
				d.staffWindow[u] = w.ID
			}
		}
	}
	return d, nil
}

// rulesCache keeps each centre's rules for a minute.
type rulesCache struct {
	mu    sync.Mutex
	byID  map[int64]cachedRules
	load  func(ctx context.Context, centreID int64) (*Rules, error)
	epoch int
}

type cachedRules struct {
	r  Rules
	at time.Time
}

func (c *rulesCache) get(ctx context.Context, centreID int64, now time.Time) (Rules, error) {
	c.mu.Lock()
	if cr, ok := c.byID[centreID]; ok && now.Sub(cr.at) < time.Minute && !now.Before(cr.at) {
		c.mu.Unlock()
		return cr.r, nil
	}
	c.mu.Unlock()
	r, err := c.load(ctx, centreID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		d := DefaultRules()
		d.CentreID = centreID
		r = &d
	case err != nil:
		return Rules{}, err
	}
	c.mu.Lock()
	if c.byID == nil {
		c.byID = map[int64]cachedRules{}
	}
	c.byID[centreID] = cachedRules{r: *r, at: now}
	c.mu.Unlock()
	return *r, nil
}

func (c *rulesCache) forget(centreID int64) {
	c.mu.Lock()
	delete(c.byID, centreID)
	c.mu.Unlock()
}

// itemOnline reports whether an item version is handled online, cached:
// a published version never changes.
func (s *Service) itemOnline(ctx context.Context, versionID int64) bool {
	if v, ok := s.online.Load(versionID); ok {
		return v.(bool)
	}
	if s.d.Items == nil {
		return false
	}
	on, err := s.d.Items.Online(ctx, versionID)
	if err != nil {
		return false
	}
	s.online.Store(versionID, on)
	return on
}
