// Package apptest starts a whole OpenHall process for tests: the real
// router, real services and a real database on each backend.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"testing"
	"time"

	"openhall/internal/app"
	"openhall/internal/config"
	"openhall/internal/identity"
	"openhall/internal/jobs"
	"openhall/internal/org"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

// App is a running test process.
type App struct {
	*app.App
	BaseURL string
	Tree    *storetest.Tree
}

// Options tune New.
type Options struct {
	Now      func() time.Time
	Workers  bool // run background jobs
	Log      io.Writer
	Jobs     func(reg *jobs.Registry)
	Postgres string               // join this database instead of creating one (a second node)
	NoTree   bool                 // do not build the organisation tree (it already exists)
	Config   func(*config.Config) // changes the configuration before the app opens
}

// New starts an App on the backend with a small organisation tree already
// built (see storetest.BuildTree) and serves it on a loopback port.
func New(t testing.TB, backend string, o Options) *App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Migrate = "yes"
	if backend == "postgres" {
		cfg.DB = o.Postgres
		if cfg.DB == "" {
			cfg.DB = storetest.PostgresDatabase(t)
		}
	}
	if o.Config != nil {
		o.Config(&cfg)
	}
	logOut := o.Log
	if logOut == nil {
		logOut = io.Discard
		if os.Getenv("OPENHALL_TEST_LOG") == "1" {
			logOut = os.Stderr
		}
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(logOut, nil)),
		app.Options{Now: o.Now, Argon2: &storetest.CheapArgon2, Workers: o.Workers, Jobs: o.Jobs})
	if err != nil {
		t.Fatalf("open app on %s: %v", backend, err)
	}
	ta := &App{App: a}
	ta.serve(t)
	if !o.NoTree {
		ta.Tree = storetest.BuildTree(t, ta.services())
	}
	return ta
}

// serve runs the app as serve does (HTTP, background jobs if asked, the
// audit sealer) on a loopback port until the test ends.
func (a *App) serve(t testing.TB) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a.BaseURL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app shutdown: %v", err)
		}
		a.Close()
	})
	a.waitServing(t, done)
}

// waitServing returns once the process answers /healthz, and fails the test
// at once if it stops first (its background work could not start, say),
// instead of leaving the test's first request to wait for its timeout.
func (a *App) waitServing(t testing.TB, done chan error) {
	c := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		select {
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("serve stopped before answering: %v", err)
		default:
		}
		if res, err := c.Get(a.BaseURL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("serve did not answer /healthz within 2 minutes")
}

// Client returns an HTTP client with its own cookie jar that does not
// follow redirects, so tests see them.
func (a *App) Client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	// The timeout is generous: CI machines are shared, and a slow answer is
	// not a wrong one.
	return &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// URL returns the absolute URL of path on the test server.
func (a *App) URL(path string) string { return a.BaseURL + path }

// Window returns the window of a number (the demo's A01, say), failing
// the test if there is none.
func (a *App) Window(t testing.TB, number string) *org.Window {
	t.Helper()
	ws, err := a.Services.Org.Windows(context.Background(), org.WindowFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Number == number {
			return w
		}
	}
	t.Fatalf("no window %s", number)
	return nil
}

// Staff creates a staff account with a role and returns its username; the
// password is always "secret123".
func (a *App) Staff(t testing.TB, username, role string, regionID, deptID *int64) string {
	t.Helper()
	storetest.Staff(t, a.services(), username, identity.Role(role), regionID, deptID)
	return username
}

func (a *App) services() *storetest.Services {
	return &storetest.Services{Stores: a.Stores, Audit: a.Services.Audit, Org: a.Services.Org, Identity: a.Services.Identity}
}

// Backends lists the backends to run app tests on.
func Backends() []string { return []string{"sqlite", "postgres"} }

// ForEach runs fn as a subtest per backend, skipping PostgreSQL when no
// test server is configured (failing when one is required).
func ForEach(t *testing.T, fn func(t *testing.T, backend string)) {
	for _, b := range Backends() {
		t.Run(b, func(t *testing.T) {
			if b == "postgres" {
				testutil.PostgresURL(t)
			}
			fn(t, b)
		})
	}
}

// Artifacts returns the test-artifacts directory (created).
func Artifacts(t testing.TB) string {
	dir := os.Getenv("OPENHALL_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(testutil.RepoRoot(t), "test-artifacts")
	}
	os.MkdirAll(dir, 0o755)
	return dir
}
