package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/config"
)

// TestBackupUnderLoadRestores backs up a server while applicants file, then
// restores the archive into a new data directory and checks it: the audit
// chain verifies, every filing acknowledged before the backup began is
// there, no case is there that was never filed, and every case's materials
// download with the bytes that were uploaded (the restore itself checked
// every table's row count and every material's hash).
func TestBackupUnderLoadRestores(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs it under load")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	data, restored, archive := filepath.Join(dir, "data"), filepath.Join(dir, "restored"), filepath.Join(dir, "backup.tar")
	p := startServe(t, bin, []string{"OPENHALL_DATA=" + data}, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	before := c.caseIDs(t)

	// A --blobs that is not the deployment's is refused at once, naming
	// the one the database records, not reported as a first missing file.
	elsewhere := filepath.Join(dir, "elsewhere")
	out, err := exec.Command(bin, "backup", "--data", data, "--blobs", elsewhere, "--out", archive).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "不是本部署的") || !strings.Contains(string(out), filepath.Join(data, "blobs")) {
		t.Fatalf("backup from another blob store: %v\n%s", err, out)
	}
	if _, err := os.Stat(archive); err == nil {
		t.Fatal("the refused backup left an archive")
	}

	l := c.startLoad(t, "bk")
	l.waitAcks(t, 30)
	ackedBefore := l.acked()
	out, err = exec.Command(bin, "backup", "--data", data, "--out", archive).CombinedOutput()
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	l.waitAcks(t, len(ackedBefore)+10) // the load went on during the backup
	attempts := l.stop()
	p.cmd.Process.Kill()
	p.cmd.Wait()

	runBin(t, bin, "restore", "--from", archive, "--data", restored)
	// The key-encryption key is not in the archive: it is restored apart,
	// as restore says (without it the server refuses to start).
	kek, err := os.ReadFile(filepath.Join(data, "cert-kek"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "cert-kek"), kek, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := runBin(t, bin, "audit", "verify", "--data", restored); !strings.Contains(out, "审计日志校验通过") {
		t.Fatalf("audit chain of the restored data: %s", out)
	}
	p = startServe(t, bin, []string{"OPENHALL_DATA=" + restored})
	c = newFilingClient(t, p.addr, c.version, c.codes)
	byKey := c.checkCases(t, before) // whole cases, materials by hash and bytes
	for _, key := range ackedBefore {
		if _, ok := byKey[key]; !ok {
			t.Errorf("filing %s, acknowledged before the backup began, is not in the restore", key)
		}
	}
	sent := map[string]bool{}
	for _, a := range attempts {
		sent[a.key] = true
	}
	for key := range byKey {
		if !sent[key] {
			t.Errorf("the restore has a case for %s, which was never filed", key)
		}
	}
	t.Logf("%d filings acknowledged before the backup, %d sent in all, %d in the restore", len(ackedBefore), len(attempts), len(byKey))
}

func runBin(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("openhall %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// load files applications from several clients until stopped.
type load struct {
	mu       sync.Mutex
	attempts []attempt
	acks     atomic.Int64
	stopped  atomic.Bool
	wg       sync.WaitGroup
}

func (c *filingClient) startLoad(t *testing.T, prefix string) *load {
	l := &load{}
	run := fmt.Sprintf("%s-%x", prefix, time.Now().UnixNano())
	var seq atomic.Int64
	for range 8 {
		l.wg.Go(func() {
			for !l.stopped.Load() {
				a := c.file(fmt.Sprintf("%s-%d", run, seq.Add(1)))
				l.mu.Lock()
				l.attempts = append(l.attempts, a)
				l.mu.Unlock()
				if a.acked() {
					l.acks.Add(1)
				}
			}
		})
	}
	return l
}

func (l *load) waitAcks(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for l.acks.Load() < int64(n) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d filings acknowledged", l.acks.Load(), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// acked lists the keys acknowledged so far.
func (l *load) acked() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var keys []string
	for _, a := range l.attempts {
		if a.acked() {
			keys = append(keys, a.key)
		}
	}
	return keys
}

func (l *load) stop() []attempt {
	l.stopped.Store(true)
	l.wg.Wait()
	return l.attempts
}

// TestRestoredBlobsNote: the command restore suggests for a deployment whose
// materials are in an object store runs as printed, endpoint included.
func TestRestoredBlobsNote(t *testing.T) {
	var b strings.Builder
	restoredBlobsNote(&b, config.Config{DataDir: "/srv/new", Blobs: "s3://openhall/m", S3Endpoint: "https://s3.example.gov.cn"})
	want := "openhall migrate-blobs --from /srv/new/blobs --to s3://openhall/m --s3-endpoint https://s3.example.gov.cn "
	if !strings.Contains(b.String(), want) {
		t.Fatalf("restore's note: %q, want it to hold %q", b.String(), want)
	}
}
