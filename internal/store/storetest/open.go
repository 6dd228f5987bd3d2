// Package storetest opens real test databases on both backends and holds the
// backend-agnostic contract tests every store method must pass.
package storetest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"openhall/internal/store"
	"openhall/internal/store/postgres"
	"openhall/internal/store/sqlite"
	"openhall/internal/testutil"

	"github.com/jackc/pgx/v5"
)

// Backend opens a fresh, migrated database for one test.
type Backend struct {
	Name string
	Open func(t testing.TB, now func() time.Time) *store.Stores
	// Exec runs raw SQL written with ? placeholders, for tests that tamper
	// with rows behind the stores' backs.
	Exec func(t testing.TB, s *store.Stores, query string, args ...any)
}

// Backends returns SQLite and, when a test server is available (or
// required), PostgreSQL.
func Backends() []Backend {
	return []Backend{
		{Name: "sqlite", Open: openSQLiteStores, Exec: execSQLite},
		{Name: "postgres", Open: openPostgresStores, Exec: execPostgres},
	}
}

// ForEach runs fn as a subtest on each backend.
func ForEach(t *testing.T, fn func(t *testing.T, b Backend)) {
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) { fn(t, b) })
	}
}

func openSQLiteStores(t testing.TB, now func() time.Time) *store.Stores {
	return OpenSQLite(t, now).Stores()
}

// OpenSQLite opens a migrated SQLite database in a temporary directory.
func OpenSQLite(t testing.TB, now func() time.Time) *sqlite.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "test.db"), Now: now})
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	return db
}

func openPostgresStores(t testing.TB, now func() time.Time) *store.Stores {
	return OpenPostgres(t, now).Stores()
}

// OpenPostgres creates a fresh database for the test, cloned from a
// migrated template, and drops it afterwards.
func OpenPostgres(t testing.TB, now func() time.Time) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), postgres.Options{URL: PostgresDatabase(t), Now: now})
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresDatabase creates a fresh migrated database on the test server and
// returns its URL; it is dropped when the test ends.
func PostgresDatabase(t testing.TB) string {
	t.Helper()
	base := testutil.PostgresURL(t)
	name := cloneDatabase(t, base)
	t.Cleanup(func() { dropDatabase(base, name) })
	return WithDatabase(t, base, name)
}

// EmptyPostgresDatabase creates an empty (unmigrated) database.
func EmptyPostgresDatabase(t testing.TB) string {
	t.Helper()
	base := testutil.PostgresURL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test postgres: %v", err)
	}
	defer conn.Close(ctx)
	name := "t_" + randomHex(8)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dropDatabase(base, name) })
	return WithDatabase(t, base, name)
}

// WithDatabase returns base pointing at another database.
func WithDatabase(t testing.TB, base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	u.Path = "/" + name
	return u.String()
}

// templateLock serialises template creation and cloning across the test
// packages that share one server.
const templateLock = 0x6f68_7470

func cloneDatabase(t testing.TB, base string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test postgres: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, templateLock); err != nil {
		t.Fatalf("lock template: %v", err)
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, templateLock)
	tmpl := templateName()
	if err := ensureTemplate(ctx, t, conn, base, tmpl); err != nil {
		t.Fatalf("prepare template database: %v", err)
	}
	name := "t_" + randomHex(8)
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, tmpl)); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	return name
}

// templateName changes whenever a migration changes, so a stale template
// from an earlier run on the same server is never used.
func templateName() string {
	h := sha256.New()
	fs.WalkDir(postgres.MigrationFS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(postgres.MigrationFS(), p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return "openhall_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]
}

func ensureTemplate(ctx context.Context, t testing.TB, conn *pgx.Conn, base, tmpl string) error {
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tmpl).Scan(&exists); err != nil || exists {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+tmpl+`_wip`); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, postgres.Options{URL: WithDatabase(t, base, tmpl+"_wip")})
	if err != nil {
		return err
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		conn.Exec(ctx, `DROP DATABASE `+tmpl+`_wip`)
		return err
	}
	_, err = conn.Exec(ctx, `ALTER DATABASE `+tmpl+`_wip RENAME TO `+tmpl)
	return err
}

func dropDatabase(base, name string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
