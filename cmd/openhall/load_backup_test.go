package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadBackupSmall runs the backup load mode end to end on a few
// hundred cases with materials: it seeds them, backs up, restores, checks
// the restore and prints each time next to its tar baseline.
func TestLoadBackupSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a database")
	}
	dir := filepath.Join(t.TempDir(), "data")
	code, out, errOut := cli(t, dir, "load", "backup", "--data", dir, "--cases", "300", "--runs", "1")
	if code != 0 {
		t.Fatalf("exit %d\nout: %s\nerr: %s", code, out, errOut)
	}
	// 300 cases with a material each, the template case's, and the CSV files
	// kept for the demo's three uploaded open datasets
	for _, want := range []string{"304 个文件", "tar 打包", "恢复校验通过"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q:\n%s", want, out)
		}
	}
}
