package testutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BrowserTimeout bounds the whole life of the browser that Browser starts:
// every chromedp action of the test must finish within it. A hung page then
// fails the one test with a deadline error instead of running into go test's
// global -timeout, which kills the whole package without saying where it hung.
const BrowserTimeout = 60 * time.Second

// chromiumCandidates are the binaries looked up, in order, when
// OPENHALL_CHROMIUM is not set. scripts/test looks up the same list.
var chromiumCandidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// RequirePostgres reports whether OPENHALL_REQUIRE_POSTGRES=1, that is whether
// a missing PostgreSQL server must fail tests rather than skip them (CI).
func RequirePostgres() bool { return os.Getenv("OPENHALL_REQUIRE_POSTGRES") == "1" }

// RequireBrowser reports whether OPENHALL_REQUIRE_BROWSER=1, that is whether a
// missing Chromium must fail tests rather than skip them (CI).
func RequireBrowser() bool { return os.Getenv("OPENHALL_REQUIRE_BROWSER") == "1" }

// PostgresURL returns the URL of the throwaway PostgreSQL server that
// scripts/test started (OPENHALL_TEST_POSTGRES). Without one it skips the
// test, or fails it when OPENHALL_REQUIRE_POSTGRES=1.
//
// The server is shared by all test packages of a run: a test must create its
// own database or schema and not assume it is alone.
func PostgresURL(t testing.TB) string {
	t.Helper()
	if u := os.Getenv("OPENHALL_TEST_POSTGRES"); u != "" {
		return u
	}
	const msg = "no PostgreSQL for this test: OPENHALL_TEST_POSTGRES is not set " +
		"(./scripts/test sets it when it finds the PostgreSQL server binaries)"
	if RequirePostgres() {
		t.Fatal(msg + " (failing because OPENHALL_REQUIRE_POSTGRES=1)")
	}
	t.Skip(msg)
	return ""
}

// ChromiumPath returns the Chromium binary that Browser would use: the
// OPENHALL_CHROMIUM variable when set, else the first of /usr/bin/chromium,
// chromium, chromium-browser and google-chrome found on PATH.
func ChromiumPath() (string, error) {
	if p := os.Getenv("OPENHALL_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("OPENHALL_CHROMIUM=%q is not an executable: %w", p, err)
		}
		return p, nil
	}
	for _, c := range chromiumCandidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found (looked for OPENHALL_CHROMIUM, %s); install it with `apt-get install chromium`",
		strings.Join(chromiumCandidates, ", "))
}

// Browser starts a headless Chromium for the test and returns a chromedp
// context with the browser started and a tab open. Without a browser it
// skips the test, or fails it when OPENHALL_REQUIRE_BROWSER=1.
//
// The browser is private to the test (fresh profile in t.TempDir), has a
// 1280x900 window and zh-CN as its language, and lives at most BrowserTimeout
// (less if the test's own deadline is nearer). It is closed at t.Cleanup;
// when the test failed, a screenshot named "failure" is taken first and the
// browser's own output is logged.
func Browser(t testing.TB) context.Context {
	t.Helper()
	return BrowserWithTimeout(t, BrowserTimeout)
}

// BrowserWithTimeout is Browser with a different bound on the browser's
// life, for the rare test that needs longer than BrowserTimeout.
func BrowserWithTimeout(t testing.TB, timeout time.Duration) context.Context {
	t.Helper()
	path, err := ChromiumPath()
	if err != nil {
		if RequireBrowser() {
			t.Fatalf("browser test: %v (failing because OPENHALL_REQUIRE_BROWSER=1)", err)
		}
		t.Skipf("browser test skipped: %v; ./scripts/test finds it and says so", err)
	}

	// Stop before go test's own deadline, so the failure names the test.
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if dl, ok := d.Deadline(); ok {
			if left := time.Until(dl) - 5*time.Second; left < timeout {
				timeout = max(left, time.Second)
			}
		}
	}

	dir := t.TempDir()
	out := &tailBuffer{max: 64 << 10}
	logf := &testLogf{t: t}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		// Root in CI, and containers lack the kernel features the sandbox needs.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		// No traffic of its own: the machine reaches no network beyond
		// the package registries, and a test must not depend on one.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// /dev/shm is small in containers; Chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1280, 900),
		// The UI is Chinese: navigator.language and Accept-Language are zh-CN.
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		// Keep Chromium's config and cache out of $HOME, which may be
		// missing or read-only for an unprivileged user.
		chromedp.Env("XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
			"XDG_CACHE_HOME="+filepath.Join(dir, "cache")),
		chromedp.CombinedOutput(out),
	}

	base, cancelBase := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(base, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(logf.Logf))
	stop := func() {
		cancelCtx()
		cancelAlloc() // waits for the browser to exit, so TempDir can be removed
		cancelBase()
		logf.stop()
	}

	// The first Run starts the browser and opens the tab. The window-size
	// flag counts the window's frame, so the page's viewport is set too:
	// pages lay out, and screenshots come out, at 1280x900.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		stop()
		t.Fatalf("starting %s: %v\nbrowser output:\n%s", path, err, browserOutput(out.String()))
	}
	t.Cleanup(func() {
		if t.Failed() {
			Screenshot(t, ctx, "failure")
			if s := browserOutput(out.String()); s != "" {
				t.Logf("browser output (its last %d KiB, D-Bus noise left out):\n%s", out.max>>10, s)
			}
		}
		stop()
	})
	return ctx
}

// Screenshot saves a full-page PNG of the browser's tab as
// <TestName>-<name>.png in $OPENHALL_TEST_ARTIFACTS (default
// <repo root>/test-artifacts) and logs its path. A screenshot is a debugging
// aid: an error taking or saving it is logged, never fails the test.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	dir, err := artifactsDir()
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Logf("screenshot %q not taken: %v", name, err)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100)) // quality 100 means PNG
	if err != nil {
		t.Logf("screenshot %q not taken: %v", name, err)
		return
	}
	path := filepath.Join(dir, sanitizeFileName(t.Name()+"-"+name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Logf("screenshot %q not saved: %v", name, err)
		return
	}
	t.Logf("screenshot: %s", path)
}

func artifactsDir() (string, error) {
	if d := os.Getenv("OPENHALL_TEST_ARTIFACTS"); d != "" {
		return d, nil
	}
	root, err := findRepoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "test-artifacts"), nil
}

// sanitizeFileName keeps letters, digits, '.', '-' and '_' (ASCII only, so
// the names are safe on any file system and in CI artifact archives) and
// turns every other run of characters, such as the '/' of subtests, into '_'.
func sanitizeFileName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range s {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_')
		switch {
		case ok:
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
	}
	name := strings.Trim(b.String(), "._")
	if name == "" {
		name = "screenshot"
	}
	if len(name) > 200 {
		name = name[:200]
	}
	return name
}

// RepoRoot returns the repository root: the nearest directory at or above
// the working directory (a test's package directory) that holds go.mod.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := findRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func findRepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod found at or above %s", wd)
		}
	}
}

// SharedDir returns the path of shared/<rel>, the project's shared data that
// lies next to the repository (the repo at /work/main, the data at
// /work/shared; in CI a copy beside the fresh clone). It looks for
// shared/<rel> in the repository's parent and then each directory above it.
// When it is absent the test is skipped, naming the path it looked for.
func SharedDir(t testing.TB, rel string) string {
	t.Helper()
	root := RepoRoot(t)
	var tried []string
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("shared data %s: %v", p, err)
		}
		tried = append(tried, p)
		if filepath.Dir(dir) == dir {
			break
		}
	}
	t.Skipf("shared data %s not found (looked at %s)", filepath.Join("shared", rel), strings.Join(tried, ", "))
	return ""
}

// browserOutput drops the lines about D-Bus, which Chromium prints by the
// dozen on a machine without a session bus and which never explain a failure.
func browserOutput(s string) string {
	var keep []string
	for line := range strings.Lines(s) {
		if !strings.Contains(line, "dbus/") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

// tailBuffer keeps the last max bytes written to it: the browser's output,
// shown only when a test fails.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}

// testLogf forwards chromedp's error log to t.Logf until stop: logging to
// a test after it has completed panics, and chromedp logs from goroutines.
type testLogf struct {
	mu      sync.Mutex
	t       testing.TB
	stopped bool
}

func (l *testLogf) Logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Logf("chromedp: "+format, args...)
	}
}

func (l *testLogf) stop() {
	l.mu.Lock()
	l.stopped = true
	l.mu.Unlock()
}
