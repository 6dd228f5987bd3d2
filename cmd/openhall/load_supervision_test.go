package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadSupervisionSmall runs the supervision load mode end to end on a
// few hundred cases: it files its template cases under the hall's rules,
// copies them, and prints each measurement with its baseline.
func TestLoadSupervisionSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a database")
	}
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errOut := cli(t, dir, "load", "supervision", "--data", dir, "--cases", "400", "--open", "100",
		"--duration", "300ms", "--runs", "1", "--concurrency", "2")
	if code != 0 {
		t.Fatalf("exit %d\nout: %s\nerr: %s", code, out, errOut)
	}
	if !strings.Contains(out, "hello-world") {
		t.Fatalf("no baseline printed:\n%s", out)
	}
}
