// Package apptest starts a whole OpenHall process for tests: the real
// router, real services and a real database on each backend.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"openhall/internal/app"
	"openhall/internal/config"
	"openhall/internal/identity"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

// App is a running test process.
type App struct {
	*app.App
	Server *httptest.Server
	Tree   *storetest.Tree
}

// Options tune New.
type Options struct {
	Now     func() time.Time
	Workers bool // run background jobs
	Log     io.Writer
}

// New starts an App on the backend with a small organisation tree already
// built (see storetest.BuildTree) and serves it on a loopback port.
func New(t testing.TB, backend string, o Options) *App {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Migrate = "yes"
	if backend == "postgres" {
		cfg.DB = storetest.PostgresDatabase(t)
	}
	logOut := o.Log
	if logOut == nil {
		logOut = io.Discard
		if os.Getenv("OPENHALL_TEST_LOG") == "1" {
			logOut = os.Stderr
		}
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(logOut, nil)),
		app.Options{Now: o.Now, Argon2: &storetest.CheapArgon2, Workers: o.Workers})
	if err != nil {
		t.Fatalf("open app on %s: %v", backend, err)
	}
	ta := &App{App: a}
	ta.Server = httptest.NewServer(a.Handler())
	t.Cleanup(func() { ta.Server.Close(); a.Close() })
	ta.Tree = storetest.BuildTree(t, &storetest.Services{Stores: a.Stores, Audit: a.Services.Audit, Org: a.Services.Org, Identity: a.Services.Identity})
	return ta
}

// Client returns an HTTP client with its own cookie jar that does not
// follow redirects, so tests see them.
func (a *App) Client(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// URL returns the absolute URL of path on the test server.
func (a *App) URL(path string) string { return a.Server.URL + path }

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
