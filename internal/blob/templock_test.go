//go:build unix

package blob

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Opening the store removes the temporary files of uploads whose process
// is gone, however young, and leaves the ones still being written (by this
// process here, by another node on shared storage in production).
func TestAbandonedUploadsRemovedAtOpen(t *testing.T) {
	root := t.TempDir()
	write := func(name string, data string) string {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dead := write(tempPrefix+"dead", "%PDF-1.4 half an upload")
	live := write(tempPrefix+"live", "%PDF-1.4 still arriving")
	justMade := write(tempPrefix+"new", "") // created, not yet locked
	release := holdTemp(live)
	defer release()
	if _, err := New(root); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{dead: false, live: true, justMade: true} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(path), err == nil, want)
		}
	}
	old := time.Now().Add(-2 * freshEmpty)
	os.Chtimes(justMade, old, old)
	release()
	if _, err := New(root); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(root, tempPrefix+"*")); len(m) != 0 {
		t.Fatalf("left after the writer let go: %v", m)
	}
}
