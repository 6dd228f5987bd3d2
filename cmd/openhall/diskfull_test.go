package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"openhall/internal/demo"
)

// diskFullAttempts bounds the writes sent to a full disk: SQLite first
// fills the room its write-ahead log already has, then fails.
const diskFullAttempts = 3000

// TestDiskFullOnSQLite runs the server with its data directory on a small
// tmpfs, fills the file system, and checks that filings and logins are
// refused with a 503, Retry-After and a Chinese message (no library error
// text); that once space is freed the same server accepts filings again
// without a restart; and that afterwards the database passes SQLite's
// integrity check, the audit chain verifies and every acknowledged filing
// is whole.
//
// Mounting needs root: otherwise the test is skipped, or fails when
// OPENHALL_REQUIRE_MOUNT=1 (CI).
func TestDiskFullOnSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and fills a file system")
	}
	data := smallFilesystem(t, "64m")
	bin := buildBinary(t)
	env := []string{"OPENHALL_DATA=" + data}
	p := startServe(t, bin, env, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	before := c.caseIDs(t)
	var attempts []attempt
	for i := range 5 {
		attempts = append(attempts, mustFile(t, c, fmt.Sprintf("diskfull-before-%d", i)))
	}

	filler := fillFilesystem(t, data)
	a := c.file("diskfull-full")
	checkRetryable(t, "a filing on a full disk", a)
	attempts = append(attempts, a)
	checkRetryable(t, "a login on a full disk", loginsUntilRefused(t, p.addr))

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		attempts = append(attempts, mustFile(t, c, fmt.Sprintf("diskfull-after-%d", i)))
	}
	byKey := c.checkCases(t, before)
	checkAcknowledged(t, attempts, byKey)
	t.Logf("filings accepted again; stopping the server")
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v\n%s", err, p.stderr)
	}
	checkIntegrity(t, filepath.Join(data, "openhall.db"))
	if out, err := exec.Command(bin, "audit", "verify", "--data", data).CombinedOutput(); err != nil {
		t.Errorf("audit verify after the disk was full: %v\n%s", err, out)
	}
}

// smallFilesystem mounts a tmpfs of the given size in the test's temporary
// directory and returns a data directory on it.
func smallFilesystem(t *testing.T, size string) string {
	t.Helper()
	const why = "the disk-full test mounts a small tmpfs, which needs root"
	if os.Geteuid() != 0 {
		if os.Getenv("OPENHALL_REQUIRE_MOUNT") == "1" {
			t.Fatal(why + " (failing because OPENHALL_REQUIRE_MOUNT=1)")
		}
		t.Skip(why)
	}
	mnt := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
		if os.Getenv("OPENHALL_REQUIRE_MOUNT") == "1" {
			t.Fatalf("mount tmpfs: %v\n%s", err, out)
		}
		t.Skipf("%s: mount failed: %v %s", why, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", mnt).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v\n%s", mnt, err, out)
		}
	})
	return filepath.Join(mnt, "data")
}

// fillFilesystem writes a file until the file system of dir has no room
// left, and returns its name.
func fillFilesystem(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4 << 10, 512, 1} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					t.Fatalf("fill the disk: %v", err)
				}
				break
			}
		}
	}
	return name
}

// loginsUntilRefused logs in until the server refuses: each login writes
// a session, and SQLite's write-ahead log has some room left from before.
func loginsUntilRefused(t *testing.T, addr string) attempt {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": "citizen", "password": demo.Password})
	for i := range diskFullAttempts {
		res, err := http.Post("http://"+addr+"/api/v1/session", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatalf("login %d on a full disk: %v", i, err)
		}
		var out struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		json.NewDecoder(res.Body).Decode(&out)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Logf("%d logins succeeded on the full disk before one was refused", i)
			return attempt{key: fmt.Sprintf("login %d", i), refusal: refusal{status: res.StatusCode,
				retryAfter: res.Header.Get("Retry-After"), code: out.Error.Code, message: out.Error.Message}}
		}
	}
	t.Fatalf("%d logins on a full disk all succeeded", diskFullAttempts)
	return attempt{}
}

// checkRetryable checks that a refused request got a 503 with Retry-After
// and a Chinese message that shows nothing of the library below.
func checkRetryable(t *testing.T, what string, a attempt) {
	t.Helper()
	r := a.refusal
	switch {
	case a.acked():
		t.Errorf("%s was acknowledged", what)
	case r.status != http.StatusServiceUnavailable || r.code != "unavailable" || r.retryAfter == "":
		t.Errorf("%s: %d %s (Retry-After %q) %q, want 503 unavailable with Retry-After; %s", what, r.status, r.code, r.retryAfter, r.message, a.err)
	case !han.MatchString(r.message) || leaksDriver(r.message) || strings.Contains(strings.ToLower(r.message), "sqlite"):
		t.Errorf("%s: message %q, want a Chinese one", what, r.message)
	default:
		t.Logf("%s: 503, Retry-After %s, %q", what, r.retryAfter, r.message)
	}
}

func mustFile(t *testing.T, c *filingClient, key string) attempt {
	t.Helper()
	a := c.file(key)
	if !a.acked() {
		t.Fatalf("filing %s: %s", key, a.err)
	}
	return a
}

// checkIntegrity runs SQLite's integrity check on the stopped server's
// database.
func checkIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity check after the disk was full: %q %v", res, err)
	}
}
