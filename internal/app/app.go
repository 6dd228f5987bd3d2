// Package app is the composition root: it opens storage, builds the domain
// services, the job queue, the HTML UI and the JSON API, and runs them.
package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"openhall/internal/audit"
	"openhall/internal/blob"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/config"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
	"openhall/internal/jobs"
	"openhall/internal/org"
	"openhall/internal/pii"
	"openhall/internal/rating"
	"openhall/internal/store"
	"openhall/internal/svc"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// App is one openhall process.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	Stores   *store.Stores
	Services *svc.Services
	Metrics  *prometheus.Registry
	queue    jobQueue
	handler  http.Handler
	// closeLive closes the counter tablets' live channels (WebSockets),
	// which the HTTP server's shutdown does not wait for.
	closeLive func(context.Context)
	// searchEngine is the portal's search, shared by disclosure and the
	// service catalogue.
	searchEngine *search.Engine
	now          func() time.Time
	workers      bool
	// node: the process serves as a node of the deployment (Options.Node),
	// whose /readyz also checks the deployment marker (markers).
	node    bool
	markers markerCheck
	// fallbackID is the deployment marker found at the start in the
	// directory the blob store reads through to (checkFallback); "" for
	// none.
	fallbackID string
}

// Options tune Open beyond the configuration.
type Options struct {
	Now     func() time.Time
	Argon2  *identity.Argon2Params // cheaper hashing in tests
	Workers bool                   // work background jobs (serve); false for CLI commands
	// Jobs registers extra job handlers (tests use it to observe the queue).
	Jobs func(reg *jobs.Registry)
	// NoSupervision leaves electronic supervision out (a measurement's
	// baseline): cases are not watched.
	NoSupervision bool
	// Node: the process takes traffic as a node of the deployment (serve),
	// so it must prove at start that its blob store and certificate KEK are
	// the deployment's (deployment.go). One-off commands do not check: they
	// often run from elsewhere without --blobs or --cert-kek, and must not
	// record theirs as the deployment's.
	Node bool
}

// Open opens storage, applies or checks migrations and builds everything.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, o Options) (*App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	// Whatever logger the caller gives, no ID number or phone number
	// reaches it unmasked.
	log = slog.New(pii.NewRedactingHandler(log.Handler()))
	// The blob store is opened first: a bucket that refuses its keys or
	// does not exist stops the start before any database is created or
	// migrated.
	blobs, err := OpenBlobs(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := checkWritable(ctx, blobs, o.Node); err != nil {
		return nil, err
	}
	s, err := openStores(ctx, cfg, o.Now)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, Stores: s, Metrics: prometheus.NewRegistry(), now: o.Now, workers: o.Workers, node: o.Node}
	if err := a.build(ctx, o, blobs); err != nil {
		s.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) build(ctx context.Context, o Options, blobs blob.Blobs) error {
	if err := prepareSchema(ctx, a.Stores, a.Config.ShouldMigrate(), a.Log); err != nil {
		return err
	}
	if o.Node {
		note, err := checkBlobStore(ctx, a.Stores.Settings, blobs, blobLabel(a.Config), o.Now)
		if err != nil {
			return err
		}
		if note != "" {
			a.Log.Info(note, "blobs", blobLabel(a.Config))
		}
		if f, ok := blobs.(*blob.Fallback); ok {
			if a.fallbackID, err = checkFallback(ctx, a.Stores.Settings, f); err != nil {
				return err
			}
		}
	}
	a.Services = a.services(o)
	if err := a.addSupport(ctx, o, blobs); err != nil {
		return err
	}
	a.addParticipation(o)
	if err := a.addRatings(ctx, o); err != nil {
		return err
	}
	procs := newProcedures(a.Services.Catalog, a.Services.Org, a.Config.SupplementDays, o.now())
	if err := a.addSupervision(ctx, o); err != nil {
		return err
	}
	if err := a.addCases(ctx, o, procs); err != nil {
		return err
	}
	a.addOpenData(o)
	if err := a.Services.Calendar.Reload(ctx); err != nil {
		return err
	}
	if err := a.indexCatalogOnce(ctx); err != nil {
		return err
	}
	reg := jobs.NewRegistry()
	a.registerJobs(reg)
	if o.Jobs != nil {
		o.Jobs(reg)
	}
	q, err := newQueue(a.Stores, reg, jobs.Config{Workers: a.Config.Workers, Logger: a.Log, Work: o.Workers})
	if err != nil {
		return err
	}
	a.queue = q
	a.hookCalendar()
	a.Services.OpenData.SetQueue(regenerateQueue{a})
	a.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a.registerStoreMetrics()
	a.handler, err = a.routes(ctx)
	return err
}

func (a *App) services(o Options) *svc.Services {
	s := a.Stores
	log := audit.NewLog(s.Audit, o.Now)
	policy := identity.DefaultPolicy()
	policy.IdleTimeout, policy.AbsoluteTimeout = a.Config.SessionIdle, a.Config.SessionAbsolute
	if o.Argon2 != nil {
		policy.Argon2 = *o.Argon2
	}
	orgs := org.NewService(s.Org, s, log, o.Now)
	cals := calendar.NewService(s.Calendar, orgs, s, log, o.Now)
	a.searchEngine = search.NewEngine(s.Search)
	cat := catalog.NewService(s.Catalog, orgs, s, log, o.Now)
	cat.SetIndexer(catalogIndex{cat: cat, eng: a.searchEngine})
	cat.SetSearcher(catalogSearch{store: s.Catalog, eng: a.searchEngine})
	return &svc.Services{
		Audit:    log,
		Org:      orgs,
		Identity: identity.NewService(s.Identity, orgs, s, log, policy, o.Now),
		Calendar: cals,
		Health:   s.Backend,
		Catalog:  cat,
		Disclosure: disclosure.NewService(disclosure.Deps{Store: s.Disclosure, Tx: s, Audit: log, Regions: orgs,
			Calendars: cals, Search: a.searchEngine, Now: o.Now}),
	}
}

// cleanupSessions is the periodic job that removes dead sessions.
type cleanupSessions struct{}

func (cleanupSessions) Kind() string { return "identity.cleanup_sessions" }

func (a *App) registerJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, _ cleanupSessions) error {
		n, err := a.Services.Identity.DeleteExpiredSessions(ctx)
		if n > 0 {
			a.Log.Info("removed expired sessions", "count", n)
		}
		return err
	})
	reg.Every(time.Hour, cleanupSessions{})
	a.registerSupportJobs(reg)
	a.registerCaseJobs(reg)
	a.registerDisclosureJobs(reg)
	a.registerCalendarJobs(reg)
	a.registerSupervisionJobs(reg)
	a.registerRatingJobs(reg)
	a.registerParticipationJobs(reg)
	a.registerOpenDataJobs(reg)
}

// Handler is the process's HTTP handler.
func (a *App) Handler() http.Handler { return a.handler }

// Queue is the job queue.
func (a *App) Queue() interface {
	Enqueue(ctx context.Context, args jobs.Args, o *jobs.Options) error
} {
	return a.queue
}

// WaitingJobs lists the jobs of kind that have not run yet (timers among
// them), for diagnostics and tests.
func (a *App) WaitingJobs(ctx context.Context, kind string) ([]jobs.Waiting, error) {
	return a.queue.Waiting(ctx, kind)
}

// Close releases storage.
func (a *App) Close() error { return a.Stores.Close() }

// Run serves HTTP on ln and works background jobs until ctx ends, then shuts
// down gracefully: stop accepting, finish in-flight requests (up to grace),
// stop the workers, seal the audit entries written so far.
func (a *App) Run(ctx context.Context, ln net.Listener, grace time.Duration) error {
	srv := &http.Server{Handler: a.handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)}
	conns := newConnTracker()
	srv.ConnState = conns.state
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	if err := a.startBackground(bg, &wg); err != nil {
		stopBG()
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	a.Log.Info("serving", "addr", ln.Addr().String(), "backend", a.Stores.Backend.Backend())
	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	return errors.Join(err, a.shutdown(srv, conns, stopBG, &wg, grace))
}

func (a *App) startBackground(ctx context.Context, wg *sync.WaitGroup) error {
	if a.workers {
		if err := startQueue(ctx, a.queue, a.Log, queueStartTries, time.Second); err != nil {
			return err
		}
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.Services.Audit.RunSealer(ctx, time.Second, func(err error) { a.Log.Error("seal audit log", "err", err) })
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.Services.Ratings.RunFolder(ctx, rating.FoldInterval, func(err error) { a.Log.Error("fold ratings into the counts", "err", err) })
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.Services.Calendar.Watch(ctx, calendarWatch, func(err error) { a.Log.Error("refresh the working-day calendar", "err", err) })
	}()
	return nil
}

func (a *App) shutdown(srv *http.Server, conns *connTracker, stopBG context.CancelFunc, wg *sync.WaitGroup, grace time.Duration) error {
	a.Log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	live := make(chan struct{})
	go func() { a.closeLive(ctx); close(live) }()
	httpErr := conns.shutdown(ctx, srv)
	<-live
	var jobErr error
	if a.workers {
		jobErr = a.queue.Stop(ctx)
	}
	stopBG()
	wg.Wait()
	_, sealErr := a.Services.Audit.Seal(context.Background())
	if errors.Is(httpErr, http.ErrServerClosed) {
		httpErr = nil
	}
	return errors.Join(httpErr, jobErr, sealErr)
}

// secret returns a persistent random key shared by every node.
func (a *App) secret(ctx context.Context, name string) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	v, err := a.Stores.Settings.PutSettingIfAbsent(ctx, "secret."+name, base64.StdEncoding.EncodeToString(b))
	if err != nil {
		return nil, fmt.Errorf("load %s key: %w", name, err)
	}
	return base64.StdEncoding.DecodeString(v)
}
