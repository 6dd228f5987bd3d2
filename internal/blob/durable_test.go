package blob

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Concurrent flushes share syncs, and each returns only after a sync that
// began after it was called.
func TestFlusherGroupsAndOrders(t *testing.T) {
	var syncs, epoch atomic.Int64
	f := newFlusher(func() error {
		syncs.Add(1)
		epoch.Add(1)
		time.Sleep(2 * time.Millisecond)
		epoch.Add(1)
		return nil
	})
	var wg sync.WaitGroup
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			before := epoch.Load()
			if err := f.flush(); err != nil {
				t.Error(err)
			}
			// A sync started after the call and finished: at least one
			// full start-end pair past an even epoch, two past an odd one.
			if need := before + 2 + before%2; epoch.Load() < need {
				t.Errorf("flush returned at epoch %d, called at %d", epoch.Load(), before)
			}
		}()
	}
	wg.Wait()
	if n := syncs.Load(); n >= 200 || n < 1 {
		t.Fatalf("%d syncs for 200 concurrent flushes", n)
	}
}

// Put stores and deduplicates in each of its ways of writing: syncing each
// file and directory (without syncfs), grouped syncs with a named temporary
// file, and grouped syncs with a file without a name (Linux, local disk).
func TestPutSyncingEachFile(t *testing.T) {
	for _, mode := range []string{"each file synced", "grouped, named temporary file", "grouped, unnamed file"} {
		s, err := New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		switch mode {
		case "each file synced":
			s.flush, s.unnamed = nil, false
		case "grouped, named temporary file":
			s.unnamed = false
		default:
			if !s.unnamed {
				t.Logf("%s: the test's filesystem has no unnamed files", mode)
			}
		}
		pdf := []byte("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
		a, err := s.Put(context.Background(), bytes.NewReader(pdf), PutOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := s.Put(context.Background(), bytes.NewReader(pdf), PutOptions{})
		if err != nil || b.SHA256 != a.SHA256 {
			t.Fatalf("%s: second put: %v %v", mode, b, err)
		}
		got, err := os.ReadFile(filepath.Join(s.dir(a.SHA256), a.SHA256))
		if err != nil || !bytes.Equal(got, pdf) {
			t.Fatalf("stored content: %q %v", got, err)
		}
		left, _ := filepath.Glob(filepath.Join(s.root, tempPrefix+"*"))
		if len(left) != 0 {
			t.Fatalf("temporary files left: %v", left)
		}
	}
}

// A failed sync fails every caller it was meant to cover, even when a later
// sync succeeds before the caller looks.
func TestFlusherKeepsFailures(t *testing.T) {
	fail := errors.New("write-back error")
	results := []error{fail, nil}
	f := newFlusher(func() error {
		err := results[0]
		results = results[1:]
		return err
	})
	if err := f.flush(); !errors.Is(err, fail) {
		t.Fatalf("first flush: %v", err)
	}
	if err := f.flush(); err != nil {
		t.Fatalf("a later, successful sync: %v", err)
	}
}
