package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

// buildBinary compiles openhall once per test binary run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "openhall")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a running openhall serve.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	banner string // its output up to the line that names its address
	stderr *strings.Builder
	stdout io.ReadCloser
}

// startServe starts a server on a port it picks itself (port 0) and takes
// the address from its banner. A port picked here and released would stay
// free only by luck while the server loads its data, and a test server of
// another package that took it meanwhile would answer in its place.
func startServe(t *testing.T, bin string, env []string, args ...string) *proc {
	t.Helper()
	p := &proc{stderr: &strings.Builder{}}
	p.cmd = exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stderr = p.stderr
	p.stdout, _ = p.cmd.StdoutPipe()
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	p.awaitBanner(t)
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil && res.StatusCode == 200 {
			res.Body.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s never became ready: %v\n%s", p.addr, err, p.stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// bannerAddr finds the listening address in the server's banner.
var bannerAddr = regexp.MustCompile(`阳光政务大厅已启动：http://([0-9.]+:[0-9]+)/`)

// awaitBanner reads the server's output up to its banner, within a minute.
func (p *proc) awaitBanner(t *testing.T) {
	t.Helper()
	lines := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(p.stdout)
		for sc.Scan() {
			fmt.Fprintln(&b, sc.Text())
			if bannerAddr.MatchString(sc.Text()) {
				break
			}
		}
		lines <- b.String()
	}()
	select {
	case p.banner = <-lines:
	case <-time.After(60 * time.Second):
		t.Fatalf("no banner within a minute:\n%s", p.stderr)
	}
	m := bannerAddr.FindStringSubmatch(p.banner)
	if m == nil {
		t.Fatalf("the server stopped before listening:\n%s\n%s", p.banner, p.stderr)
	}
	p.addr = m[1]
}

// TestServeDemoAndGracefulStop runs the README's first command, logs in with
// a printed demo account, and stops the server with SIGTERM.
func TestServeDemoAndGracefulStop(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	p := startServe(t, bin, []string{"OPENHALL_DATA=" + filepath.Join(dir, "data")}, "--demo")
	banner := p.banner
	if !strings.Contains(banner, "citizen") || !strings.Contains(banner, "demo2026") {
		t.Fatalf("demo accounts not printed:\n%s", banner)
	}
	res, err := http.Get("http://" + p.addr + "/metrics")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("metrics: %v %v", res, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), "openhall_http_requests_total") {
		t.Fatal("metrics lack the request counter")
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "shutting down") {
		t.Fatalf("no shutdown in the log:\n%s", p.stderr)
	}
	// A second start finds the demo data already there and does not load it again.
	p2 := startServe(t, bin, []string{"OPENHALL_DATA=" + filepath.Join(dir, "data")}, "--demo")
	if strings.Contains(p2.banner, "已载入演示数据") {
		t.Fatal("demo data loaded twice")
	}
}

// TestTwoServersOnePostgres starts two openhall processes on one PostgreSQL
// database after one migrate: both serve, and a new node refuses an
// out-of-date schema instead of migrating it behind the others' backs.
func TestTwoServersOnePostgres(t *testing.T) {
	testutil.PostgresURL(t)
	bin := buildBinary(t)
	db := storetest.PostgresDatabase(t)
	env := []string{"OPENHALL_DB=" + db, "OPENHALL_DATA=" + t.TempDir()}
	a := startServe(t, bin, env)
	b := startServe(t, bin, env)
	for _, p := range []*proc{a, b} {
		res, err := http.Get("http://" + p.addr + "/login")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("node %s: %v %v", p.addr, res, err)
		}
		res.Body.Close()
	}
	empty := storetest.EmptyPostgresDatabase(t)
	out, err := exec.Command(bin, "serve", "--addr", freeAddr(t), "--db", empty).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "openhall migrate") {
		t.Fatalf("serving an unmigrated PostgreSQL database: %v\n%s", err, out)
	}
}
