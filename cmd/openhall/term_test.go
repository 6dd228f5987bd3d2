package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestTermDuringUploads stops the server with SIGTERM while many clients
// file applications and one upload is stalled in the middle of a file. The
// server must stop within its shutdown grace (the stalled upload does not
// hold it up), leave nothing in its temporary directory, and after a
// restart have every acknowledged filing whole, no unfinished upload left
// in the blob store, and accept filings again.
func TestTermDuringUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, stops and restarts the server")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	tmp, data := filepath.Join(dir, "tmp"), filepath.Join(dir, "data")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{"OPENHALL_DATA=" + data, "TMPDIR=" + tmp}
	blobs := filepath.Join(data, "blobs")
	const grace = 3 * time.Second
	p := startServe(t, bin, env, "--demo", "--shutdown-grace", grace.String())
	c := newFilingClient(t, p.addr, 0, nil)
	before := c.caseIDs(t)
	c.stallUpload(t, p, "term-stalled", blobs)

	attempts, termAt := c.loadAndSignal(t, p, syscall.SIGTERM)
	if took := time.Since(termAt); took > grace+10*time.Second {
		t.Errorf("the server took %s to stop after SIGTERM (grace %s)", took.Round(time.Millisecond), grace)
	}
	logLoad(t, attempts, termAt)
	expectNone(t, "SIGTERM, in the temporary directory", func() []string { return tempFiles(tmp, filepath.Join(dir, "none")) })

	p = startServe(t, bin, env)
	c = newFilingClient(t, p.addr, c.version, c.codes)
	byKey := c.checkCases(t, before)
	checkAcknowledged(t, attempts, byKey)
	expectNone(t, "SIGTERM and a restart", func() []string { return tempFiles(tmp, blobs) })
	if a := c.file("term-after"); !a.acked() {
		t.Fatalf("a filing after the restart: %s", a.err)
	}
}
