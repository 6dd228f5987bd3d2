package testutil

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PGCluster is a PostgreSQL server of one test's own, for tests that stop
// and start it: restarting the server scripts/test shares among all test
// packages would disturb every other test.
type PGCluster struct {
	URL    string // postgres://… of its postgres database
	bindir string
	user   string // the account the server runs as
	dir    string // cluster directory: data/, the log and the socket
}

// PrivatePostgres initialises and starts a cluster with the binaries
// scripts/test found (OPENHALL_PG_BINDIR, run as OPENHALL_PG_USER when the
// test runs as root, since initdb refuses root). Without them it skips the
// test, or fails it when OPENHALL_REQUIRE_POSTGRES=1. The cluster is
// stopped and removed when the test ends.
func PrivatePostgres(t testing.TB) *PGCluster {
	t.Helper()
	c := &PGCluster{bindir: os.Getenv("OPENHALL_PG_BINDIR"), user: os.Getenv("OPENHALL_PG_USER")}
	if _, err := os.Stat(filepath.Join(c.bindir, "initdb")); c.bindir == "" || err != nil {
		const msg = "no PostgreSQL server binaries for a private cluster: OPENHALL_PG_BINDIR is not set " +
			"(./scripts/test sets it when it finds them)"
		if RequirePostgres() {
			t.Fatal(msg + " (failing because OPENHALL_REQUIRE_POSTGRES=1)")
		}
		t.Skip(msg)
	}
	c.makeDir(t)
	t.Cleanup(func() { c.run("pg_ctl", "-D", c.data(), "-m", "immediate", "-w", "stop"); os.RemoveAll(c.dir) })
	if out, err := c.run("initdb", "-D", c.data(), "-A", "trust", "-U", c.owner(), "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	port := freePort(t)
	conf := fmt.Sprintf("listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nfsync = on\nmax_connections = 100\n", port, c.dir)
	if err := appendFile(filepath.Join(c.data(), "postgresql.conf"), conf); err != nil {
		t.Fatal(err)
	}
	c.URL = fmt.Sprintf("postgres://%s@127.0.0.1:%d/postgres?sslmode=disable", c.owner(), port)
	c.Start(t)
	return c
}

// Start starts the (stopped) server and waits until it accepts connections.
func (c *PGCluster) Start(t testing.TB) {
	t.Helper()
	if out, err := c.run("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.dir, "postgres.log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "postgres.log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		conn, err := pgx.Connect(context.Background(), c.URL)
		if err == nil {
			conn.Close(context.Background())
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("private PostgreSQL never accepted connections: %v", err)
		}
	}
}

// Stop stops the server the way a crash or an operator's restart would:
// fast mode ends every session at once, so clients see their connections
// broken in the middle of whatever they were doing.
func (c *PGCluster) Stop(t testing.TB) {
	t.Helper()
	if out, err := c.run("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "-t", "60", "stop"); err != nil {
		t.Fatalf("pg_ctl stop: %v\n%s", err, out)
	}
}

func (c *PGCluster) data() string { return filepath.Join(c.dir, "data") }

// owner is the database superuser's name: the account the server runs as.
func (c *PGCluster) owner() string {
	if c.asOther() {
		return c.user
	}
	u, err := user.Current()
	if err != nil {
		return "postgres"
	}
	return u.Username
}

func (c *PGCluster) asOther() bool { return os.Geteuid() == 0 && c.user != "" }

// makeDir creates the cluster directory in /tmp, owned by the server's
// account (a test's TempDir may not be reachable by it).
func (c *PGCluster) makeDir(t testing.TB) {
	t.Helper()
	base := ""
	if c.asOther() {
		base = "/tmp" // TMPDIR may sit under /root
	}
	dir, err := os.MkdirTemp(base, "openhall-pgfault-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	if !c.asOther() {
		return
	}
	u, err := user.Lookup(c.user)
	if err != nil {
		t.Fatalf("PostgreSQL account %s: %v", c.user, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatal(err)
	}
}

// run runs a server binary, as the server's account when the test is root.
func (c *PGCluster) run(name string, args ...string) ([]byte, error) {
	bin := filepath.Join(c.bindir, name)
	cmd := exec.Command(bin, args...)
	if c.asOther() {
		cmd = exec.Command("runuser", append([]string{"-u", c.user, "--", bin}, args...)...)
	}
	cmd.Dir = c.dir
	return cmd.CombinedOutput()
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(text)
	return err
}
