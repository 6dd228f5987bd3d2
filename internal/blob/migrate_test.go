package blob_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"openhall/internal/blob"
)

// migration is a local store of n PDFs and an empty bucket.
type migration struct {
	from *blob.Store
	to   *blob.S3
	data map[string][]byte
}

func newMigration(t *testing.T, n int) migration {
	ctx := context.Background()
	to, err := blob.NewS3(ctx, s3TestConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	m := migration{from: newStore(t), to: to, data: map[string][]byte{}}
	for i := range n {
		data := append(pdfSample(), fmt.Sprintf("%% material %d\n", i)...)
		b, err := m.from.Put(ctx, bytes.NewReader(data), blob.PutOptions{Name: "m.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		m.data[b.SHA256] = data
	}
	return m
}

// run migrates; stopAfter > 0 cancels the run after that many blobs.
func (m migration) run(t *testing.T, stopAfter int) (blob.MigrateSummary, map[string]blob.Outcome, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seen := map[string]blob.Outcome{}
	s, err := blob.Migrate(ctx, m.from, m.to, func(sum string, o blob.Outcome, err error) {
		seen[sum] = o
		if (o == blob.Failed) != (err != nil) {
			t.Errorf("%s: %s with error %v", sum, o, err)
		}
		if len(seen) == stopAfter {
			cancel()
		}
	})
	return s, seen, err
}

func (m migration) localPath(sum string) string {
	return filepath.Join(m.from.Root(), sum[0:2], sum[2:4], sum)
}

// TestMigrate copies a local store to S3 in runs: one interrupted, one
// that meets a damaged local file, one after it was repaired, one after an
// object was damaged in the bucket. Each run copies only what is missing
// or not confirmed, and never copies a damaged file.
func TestMigrate(t *testing.T) {
	m := newMigration(t, 6)
	s, first, err := m.run(t, 2)
	if !errors.Is(err, context.Canceled) || s.Copied != 2 || s.Skipped+s.Failed != 0 {
		t.Fatalf("interrupted run: %+v, %v", s, err)
	}
	var damaged string // one the interrupted run did not reach
	for sum := range m.data {
		if _, done := first[sum]; !done {
			damaged = sum
		}
	}
	if err := os.WriteFile(m.localPath(damaged), []byte("%PDF-1.4 rotten"), 0o640); err != nil {
		t.Fatal(err)
	}
	s, seen, err := m.run(t, 0)
	if err != nil || s != (blob.MigrateSummary{Copied: 3, Skipped: 2, Failed: 1, CopiedBytes: s.CopiedBytes}) || seen[damaged] != blob.Failed {
		t.Fatalf("resumed run: %+v, %v; damaged file %s", s, err, seen[damaged])
	}
	if ok, _ := m.to.Exists(damaged); ok {
		t.Fatal("a damaged local file was copied")
	}
	if err := os.WriteFile(m.localPath(damaged), m.data[damaged], 0o640); err != nil {
		t.Fatal(err)
	}
	if s, _, err := m.run(t, 0); err != nil || s.Copied != 1 || s.Skipped != 5 || s.Failed != 0 {
		t.Fatalf("run after the repair: %+v, %v", s, err)
	}
	if err := m.to.PutRaw(context.Background(), damaged, []byte("%PDF-1.4 rotten in the bucket")); err != nil {
		t.Fatal(err)
	}
	if s, seen, err := m.run(t, 0); err != nil || s.Copied != 1 || seen[damaged] != blob.Copied {
		t.Fatalf("run after damage in the bucket: %+v, %v", s, err)
	}
	for sum, data := range m.data {
		if got := readAll(t, m.to, sum); !bytes.Equal(got, data) {
			t.Errorf("%s: the bucket holds %q", sum, got)
		}
	}
}
