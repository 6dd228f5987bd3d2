package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/config"
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
// node's back. Without a server the test is skipped, unless
// OPENHALL_REQUIRE_S3=1.
func testBucket(t *testing.T) (blob.S3Config, *minio.Client) {
	t.Helper()
	endpoint := os.Getenv("OPENHALL_TEST_S3")
	if endpoint == "" {
		if os.Getenv("OPENHALL_REQUIRE_S3") == "1" {
			t.Fatal("OPENHALL_REQUIRE_S3=1 but OPENHALL_TEST_S3 is not set (run ./scripts/test)")
		}
		t.Skip("no S3 server (OPENHALL_TEST_S3 unset; ./scripts/test starts SeaweedFS)")
	}
	cfg := blob.S3Config{URL: fmt.Sprintf("s3://ready%d/materials", time.Now().UnixNano()), Endpoint: endpoint,
		AccessKey: os.Getenv("OPENHALL_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("OPENHALL_TEST_S3_SECRET_KEY")}
	if err := blob.CreateBucket(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(endpoint)
	client, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, client
}

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
