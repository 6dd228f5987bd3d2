package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/app"
	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/config"
	"openhall/internal/store/storetest"
)

// TestBlobsFallback: a deployment moves its materials from a directory
// into a bucket. A file uploaded to the directory after migrate-blobs ran
// opens on nodes started on the bucket with --blobs-fallback, before any
// second run, and is in the bucket afterwards; the second node starts
// too, though the first gave the deployment a new id. A fallback without
// the deployment's marker, or no directory at all, is refused naming
// --blobs-fallback; a fallback that goes away makes /readyz answer 503
// saying so, until it is back. On both databases.
func TestBlobsFallback(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		ctx := context.Background()
		cfg := config.Default()
		cfg.DataDir, cfg.Migrate = t.TempDir(), "yes"
		if backend == "postgres" {
			cfg.DB = storetest.PostgresDatabase(t)
		}
		dir := filepath.Join(t.TempDir(), "blobs")
		cfg.Blobs = dir
		startNode(t, cfg, time.Now).Close() // the deployment is recorded on the directory
		local, err := blob.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		s3, _ := testBucket(t)
		bucket, err := blob.NewS3(ctx, s3)
		if err != nil {
			t.Fatal(err)
		}
		if sum, err := blob.Migrate(ctx, local, bucket, func(string, blob.Outcome, error) {}); err != nil || sum.Markers != 1 {
			t.Fatalf("migrate-blobs: %+v, %v", sum, err)
		}
		data := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
			"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n% uploaded after the first run\n%%EOF\n")
		late, err := local.Put(ctx, bytes.NewReader(data), blob.PutOptions{Name: "late.pdf"})
		if err != nil {
			t.Fatal(err)
		}

		cfg.Blobs, cfg.S3Endpoint, cfg.S3AccessKey, cfg.S3SecretKey = s3.URL, s3.Endpoint, s3.AccessKey, s3.SecretKey
		cfg.BlobsFallback = dir
		var elapsed atomic.Int64
		a := startNode(t, cfg, func() time.Time { return time.Now().Add(time.Duration(elapsed.Load())) })
		defer a.Close()
		rc, _, err := a.Services.Blobs.Open(late.SHA256)
		if err != nil {
			t.Fatalf("a file uploaded after the first run: %v", err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes, %v", len(got), err)
		}
		if ok, err := bucket.Exists(late.SHA256); !ok || err != nil {
			t.Fatalf("not copied into the bucket: %v, %v", ok, err)
		}
		startNode(t, cfg, time.Now).Close() // a second node, after the first gave a new id

		for _, fallback := range []string{t.TempDir(), filepath.Join(t.TempDir(), "none")} {
			c := cfg
			c.BlobsFallback = fallback
			_, err := app.Open(ctx, c, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{Argon2: &storetest.CheapArgon2, Node: true})
			if err == nil || !strings.Contains(apperr.MessageOf(err), "--blobs-fallback") || !strings.Contains(apperr.MessageOf(err), fallback) {
				t.Fatalf("fallback %s: %v", fallback, err)
			}
		}

		ready := func(wantStatus int, want string) {
			t.Helper()
			elapsed.Add(int64(6 * time.Second))
			w := httptest.NewRecorder()
			a.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			var body struct{ Reason string }
			json.NewDecoder(w.Body).Decode(&body)
			if w.Code != wantStatus || !strings.Contains(body.Reason, want) {
				t.Fatalf("readyz %d %q, want %d saying %q", w.Code, body.Reason, wantStatus, want)
			}
		}
		ready(http.StatusOK, "")
		if err := os.Rename(dir, dir+".away"); err != nil {
			t.Fatal(err)
		}
		ready(http.StatusServiceUnavailable, "无法读取备用材料目录（--blobs-fallback）"+dir)
		if err := os.Rename(dir+".away", dir); err != nil {
			t.Fatal(err)
		}
		ready(http.StatusOK, "")
	})
}

func startNode(t *testing.T, cfg config.Config, now func() time.Time) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.Options{Argon2: &storetest.CheapArgon2, Node: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
