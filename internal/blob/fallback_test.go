package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// fallbackPair is a bucket read through to a local directory, with a
// handle of its own on each.
func fallbackPair(t *testing.T) (*blob.Fallback, *blob.S3, *blob.Store) {
	t.Helper()
	bucket, err := blob.NewS3(context.Background(), s3TestConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := newStore(t)
	return blob.NewFallback(bucket, dir), bucket, dir
}

func putIn(t *testing.T, s blob.Blobs, data []byte) blob.Blob {
	t.Helper()
	b, err := s.Put(context.Background(), bytes.NewReader(data), blob.PutOptions{Name: "scan.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFallbackReadsThrough: a file only in the directory is served (a
// Range request too) and opened through the fallback, and is in the bucket
// afterwards, whole; an upload goes to the bucket alone.
func TestFallbackReadsThrough(t *testing.T) {
	f, bucket, dir := fallbackPair(t)
	data := append(pdfSample(), bytes.Repeat([]byte("late upload "), 1000)...)
	late := putIn(t, dir, data)
	if ok, err := bucket.Exists(late.SHA256); ok || err != nil {
		t.Fatalf("in the bucket before any request: %v, %v", ok, err)
	}
	w, err := serve(backend{store: f}, late.SHA256, http.Header{"Range": {"bytes=10-19"}})
	if err != nil || w.Code != http.StatusPartialContent || !bytes.Equal(w.Body.Bytes(), data[10:20]) ||
		w.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("range of a file only in the directory: %d %q %v", w.Code, w.Body.Bytes(), err)
	}
	rc, desc, err := bucket.Open(late.SHA256)
	if err != nil {
		t.Fatalf("not in the bucket after it was served: %v", err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) || desc != late {
		t.Fatalf("in the bucket: %+v, %d bytes, %v", desc, len(got), err)
	}

	other := putIn(t, dir, append(pdfSample(), "opened"...))
	rc, desc, err = f.Open(other.SHA256)
	if err != nil || desc != other {
		t.Fatalf("Open of a file only in the directory: %+v, %v", desc, err)
	}
	rc.Close()
	if ok, err := bucket.Exists(other.SHA256); !ok || err != nil {
		t.Fatalf("opened file in the bucket: %v, %v", ok, err)
	}
	third := putIn(t, dir, append(pdfSample(), "asked for"...))
	if ok, err := f.Exists(third.SHA256); !ok || err != nil {
		t.Fatalf("Exists of a file only in the directory: %v, %v", ok, err)
	}
	if ok, err := bucket.Exists(third.SHA256); !ok || err != nil {
		t.Fatalf("file asked for in the bucket: %v, %v", ok, err)
	}

	fresh := putIn(t, f, append(pdfSample(), "new upload"...))
	if ok, _ := bucket.Exists(fresh.SHA256); !ok {
		t.Fatal("an upload is not in the bucket")
	}
	if ok, _ := dir.Exists(fresh.SHA256); ok {
		t.Fatal("an upload was written into the directory")
	}
}

// TestFallbackDamaged: a file in the directory whose content no longer
// has its address is refused as a damaged object is, nothing of it sent,
// and not copied into the bucket.
func TestFallbackDamaged(t *testing.T) {
	f, bucket, dir := fallbackPair(t)
	data := append(pdfSample(), bytes.Repeat([]byte("0123456789"), 100)...)
	b := putIn(t, dir, data)
	damaged := bytes.Clone(data)
	damaged[len(damaged)-1] ^= 1
	path := filepath.Join(dir.Root(), b.SHA256[0:2], b.SHA256[2:4], b.SHA256)
	if err := os.WriteFile(path, damaged, 0o640); err != nil {
		t.Fatal(err)
	}
	w, err := serve(backend{store: f}, b.SHA256, http.Header{})
	if !apperr.Is(err, apperr.Unavailable) || !errors.Is(err, blob.ErrDamaged) || !strings.Contains(err.Error(), "已损坏") ||
		w.Body.Len() != 0 || w.Header().Get("Content-Disposition") != "" {
		t.Fatalf("damaged file served: %v, %d bytes", err, w.Body.Len())
	}
	if _, _, err := f.Open(b.SHA256); !errors.Is(err, blob.ErrDamaged) {
		t.Fatalf("Open of a damaged file: %v", err)
	}
	if ok, err := f.Exists(b.SHA256); ok || !errors.Is(err, blob.ErrDamaged) {
		t.Fatalf("Exists of a damaged file: %v, %v", ok, err)
	}
	if ok, err := bucket.Exists(b.SHA256); ok || err != nil {
		t.Fatalf("damaged file copied into the bucket: %v, %v", ok, err)
	}
	if _, err := serve(backend{store: f}, sum([]byte("nowhere")), http.Header{}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("a file in neither: %v", err)
	}
}
