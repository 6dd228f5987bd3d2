package app_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"openhall/internal/app"
	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/config"
	"openhall/internal/store/storetest"
	"openhall/internal/testutil"
)

// readyz fetches /readyz of a and returns its status and reason.
func readyz(t *testing.T, a *apptest.App) (int, string) {
	t.Helper()
	resp, err := a.Client(t).Get(a.URL("/readyz"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Status, Reason string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body.Reason
}

// testBucket creates a fresh bucket on the S3 server scripts/test started
// and returns its configuration and a raw client to reach it behind the
// node's back (testutil.S3Bucket).
func testBucket(t *testing.T) (blob.S3Config, *minio.Client) { return testutil.S3Bucket(t) }

// TestReadyBucketDeleted: a node whose bucket is deleted while it runs
// answers /readyz with 503 saying that the bucket (named) is missing and
// what to do, not that the object store is out of reach.
func TestReadyBucketDeleted(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		s3, client := testBucket(t)
		a := apptest.New(t, backend, apptest.Options{Config: func(c *config.Config) {
			c.Blobs, c.S3Endpoint, c.S3AccessKey, c.S3SecretKey = s3.URL, s3.Endpoint, s3.AccessKey, s3.SecretKey
		}})
		if status, reason := readyz(t, a); status != http.StatusOK {
			t.Fatalf("readyz with the bucket: %d %s", status, reason)
		}
		bucket, _, _ := blob.ParseS3URL(s3.URL)
		ctx := context.Background()
		for o := range client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
			if o.Err != nil {
				t.Fatal(o.Err)
			}
			if err := client.RemoveObject(ctx, bucket, o.Key, minio.RemoveObjectOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := client.RemoveBucket(ctx, bucket); err != nil {
			t.Fatal(err)
		}
		status, reason := readyz(t, a)
		if want := "对象存储中没有存储桶 " + bucket + "：请创建该存储桶，或改正 --blobs"; status != http.StatusServiceUnavailable || !strings.Contains(reason, want) {
			t.Fatalf("readyz without the bucket: %d %q, want 503 saying %q", status, reason, want)
		}
	})
}

// markerStore is a node's blob store seen from outside the node: a handle
// of its own on it, and a way to delete a deployment marker.
type markerStore struct {
	blob.Blobs
	remove func(t *testing.T, id string)
}

// TestReadyMarker: a node whose blob store loses the deployment's marker
// after the start (the store swapped, emptied, or left behind by a move of
// the materials) answers /readyz with 503 saying so, naming --blobs and
// the other deployment's marker when that is what the store holds; with
// the marker back it is ready again. The marker is looked at no more than
// every few seconds, however often /readyz is asked: a change shows once
// the last look is that old. On a local directory and in a bucket, each
// beside both databases.
func TestReadyMarker(t *testing.T) {
	local := func(t *testing.T, cfg *config.Config) markerStore {
		cfg.Blobs = filepath.Join(t.TempDir(), "blobs")
		s, err := blob.New(cfg.Blobs)
		if err != nil {
			t.Fatal(err)
		}
		return markerStore{s, func(t *testing.T, id string) {
			if err := os.Remove(filepath.Join(cfg.Blobs, "deployment", id)); err != nil {
				t.Fatal(err)
			}
		}}
	}
	bucket := func(t *testing.T, cfg *config.Config) markerStore {
		s3, client := testBucket(t)
		cfg.Blobs, cfg.S3Endpoint, cfg.S3AccessKey, cfg.S3SecretKey = s3.URL, s3.Endpoint, s3.AccessKey, s3.SecretKey
		s, err := blob.NewS3(context.Background(), s3)
		if err != nil {
			t.Fatal(err)
		}
		name, prefix, _ := blob.ParseS3URL(s3.URL)
		return markerStore{s, func(t *testing.T, id string) {
			if err := client.RemoveObject(context.Background(), name, path.Join(prefix, "deployment", id), minio.RemoveObjectOptions{}); err != nil {
				t.Fatal(err)
			}
		}}
	}
	apptest.ForEach(t, func(t *testing.T, backend string) {
		for name, open := range map[string]func(*testing.T, *config.Config) markerStore{"Local": local, "S3": bucket} {
			t.Run(name, func(t *testing.T) { checkReadyMarker(t, backend, open) })
		}
	})
}

func checkReadyMarker(t *testing.T, backend string, open func(*testing.T, *config.Config) markerStore) {
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir, cfg.Migrate = t.TempDir(), "yes"
	if backend == "postgres" {
		cfg.DB = storetest.PostgresDatabase(t)
	}
	store := open(t, &cfg)
	var elapsed atomic.Int64
	now := func() time.Time { return time.Now().Add(time.Duration(elapsed.Load())) }
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		app.Options{Argon2: &storetest.CheapArgon2, Node: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ready := func(what string, wantStatus int, want ...string) {
		t.Helper()
		w := httptest.NewRecorder()
		a.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		var body struct{ Status, Reason string }
		json.NewDecoder(w.Body).Decode(&body)
		ok := w.Code == wantStatus
		for _, s := range want {
			ok = ok && strings.Contains(body.Reason, s)
		}
		if !ok {
			t.Fatalf("%s: readyz %d %q, want %d saying %q", what, w.Code, body.Reason, wantStatus, want)
		}
	}
	later := func() { elapsed.Add(int64(6 * time.Second)) }

	ready("at the start", http.StatusOK)
	ms, err := store.Markers(ctx)
	if err != nil || len(ms) != 1 {
		t.Fatalf("markers after the start: %+v, %v", ms, err)
	}
	ours := ms[0]
	store.remove(t, ours.Deployment)
	ready("marker just removed (the last look is recent)", http.StatusOK)
	later()
	ready("marker removed", http.StatusServiceUnavailable, "本节点的材料存储（--blobs）中已没有本部署的部署标识 "+ours.Deployment)

	other := blob.Marker{Deployment: blob.NewDeploymentID(), Store: "目录 /elsewhere", WrittenAt: time.Now().UTC()}
	if err := store.WriteMarker(ctx, other); err != nil {
		t.Fatal(err)
	}
	later()
	ready("another deployment's marker", http.StatusServiceUnavailable,
		"中没有本部署的部署标识 "+ours.Deployment+"，只有别的部署标识 "+other.Deployment, "--blobs")

	if err := store.WriteMarker(ctx, ours); err != nil {
		t.Fatal(err)
	}
	ready("marker just restored (the last look is recent)", http.StatusServiceUnavailable)
	later()
	ready("marker restored", http.StatusOK)
}
