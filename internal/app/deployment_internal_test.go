package app

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"openhall/internal/blob"
	"openhall/internal/store"
	"openhall/internal/store/storetest"
)

func newLocalStore(t *testing.T) (*blob.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := blob.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, "目录 " + dir
}

func recordedID(t *testing.T, s *store.Stores) string {
	t.Helper()
	rec, err := readBlobRecord(context.Background(), s.Settings)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Deployment
}

// TestCheckBlobStore: the first node records its store; a node on another
// store is refused, naming --blobs and the recorded store, and a restart on
// the first store is let in. Nodes starting together on an empty database
// agree on one record (and of two on different stores, one is refused); a
// node killed after writing its marker but before recording it leaves
// nothing in the way; a marker copied by migrate-blobs moves the deployment
// to the copy, and the old store is refused afterwards.
func TestCheckBlobStore(t *testing.T) {
	ctx := context.Background()
	storetest.ForEach(t, func(t *testing.T, b storetest.Backend) {
		t.Run("OtherStore", func(t *testing.T) {
			s := b.Open(t, time.Now)
			first, firstLabel := newLocalStore(t)
			if _, err := checkBlobStore(ctx, s.Settings, first, firstLabel, time.Now); err != nil {
				t.Fatalf("first node: %v", err)
			}
			other, otherLabel := newLocalStore(t)
			_, err := checkBlobStore(ctx, s.Settings, other, otherLabel, time.Now)
			if err == nil || !strings.Contains(err.Error(), "--blobs") || !strings.Contains(err.Error(), firstLabel) {
				t.Fatalf("node on another store: %v", err)
			}
			if _, err := checkBlobStore(ctx, s.Settings, first, firstLabel, time.Now); err != nil {
				t.Fatalf("restart on the first store: %v", err)
			}
		})
		t.Run("StartingTogether", func(t *testing.T) {
			s := b.Open(t, time.Now)
			shared, label := newLocalStore(t)
			stray, strayLabel := newLocalStore(t)
			var wg sync.WaitGroup
			errs := make([]error, 9)
			for i := range errs {
				wg.Go(func() {
					st, l := blob.Blobs(shared), label
					if i == 8 {
						st, l = stray, strayLabel
					}
					_, errs[i] = checkBlobStore(ctx, s.Settings, st, l, time.Now)
				})
			}
			wg.Wait()
			failed := 0
			for i, err := range errs {
				if err != nil {
					failed++
					if i < 8 && (errs[8] != nil || !strings.Contains(err.Error(), strayLabel)) {
						t.Errorf("node %d on the shared store: %v", i, err)
					}
				}
			}
			// The lone store's node is refused, or, had it won the race,
			// the eight others are.
			if errs[8] == nil && failed != 8 || errs[8] != nil && failed != 1 {
				t.Fatalf("%d of 9 nodes refused, want the lone store's node alone or, had it won, the eight others: %v", failed, errs)
			}
		})
		t.Run("KilledBeforeRecording", func(t *testing.T) {
			s := b.Open(t, time.Now)
			st, label := newLocalStore(t)
			orphan := blob.Marker{Deployment: blob.NewDeploymentID(), Store: label, WrittenAt: time.Now()}
			if err := st.WriteMarker(ctx, orphan); err != nil {
				t.Fatal(err)
			}
			if _, err := checkBlobStore(ctx, s.Settings, st, label, time.Now); err != nil {
				t.Fatalf("start after a node died between marker and record: %v", err)
			}
			if id := recordedID(t, s); id == orphan.Deployment {
				t.Fatalf("the orphan marker's id was recorded")
			}
		})
		t.Run("Moved", func(t *testing.T) {
			s := b.Open(t, time.Now)
			old, oldLabel := newLocalStore(t)
			if _, err := checkBlobStore(ctx, s.Settings, old, oldLabel, time.Now); err != nil {
				t.Fatal(err)
			}
			m, err := old.ReadMarker(ctx, recordedID(t, s))
			if err != nil {
				t.Fatal(err)
			}
			moved, movedLabel := newLocalStore(t)
			m.CopiedFrom = oldLabel
			if err := moved.WriteMarker(ctx, m); err != nil {
				t.Fatal(err)
			}
			note, err := checkBlobStore(ctx, s.Settings, moved, movedLabel, time.Now)
			if err != nil || !strings.Contains(note, oldLabel) {
				t.Fatalf("first start on the copy: %q, %v", note, err)
			}
			if id := recordedID(t, s); id == m.Deployment {
				t.Fatal("the copy was not given an id of its own")
			}
			if _, err := checkBlobStore(ctx, s.Settings, moved, movedLabel, time.Now); err != nil {
				t.Fatalf("restart on the copy: %v", err)
			}
			if _, err := checkBlobStore(ctx, s.Settings, old, oldLabel, time.Now); err == nil || !strings.Contains(err.Error(), movedLabel) {
				t.Fatalf("start on the old location after the move: %v", err)
			}
		})
	})
}
