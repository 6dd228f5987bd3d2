package testutil

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"openhall/internal/blob"
)

// S3Bucket creates a bucket of its own for t on the S3 server scripts/test
// starts (SeaweedFS), its materials under the prefix "materials", and
// returns its settings and a client of the test's own, to reach the bucket
// behind a node's back. Without a server the test is skipped, unless
// OPENHALL_REQUIRE_S3=1.
func S3Bucket(t testing.TB) (blob.S3Config, *minio.Client) {
	t.Helper()
	endpoint := os.Getenv("OPENHALL_TEST_S3")
	if endpoint == "" {
		if os.Getenv("OPENHALL_REQUIRE_S3") == "1" {
			t.Fatal("OPENHALL_REQUIRE_S3=1 but OPENHALL_TEST_S3 is not set (run ./scripts/test)")
		}
		t.Skip("no S3 server (OPENHALL_TEST_S3 unset; ./scripts/test starts SeaweedFS)")
	}
	cfg := blob.S3Config{URL: fmt.Sprintf("s3://t%d-%d/materials", time.Now().UnixNano(), os.Getpid()), Endpoint: endpoint,
		AccessKey: os.Getenv("OPENHALL_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("OPENHALL_TEST_S3_SECRET_KEY")}
	if err := blob.CreateBucket(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	client, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""), Secure: u.Scheme == "https"})
	if err != nil {
		t.Fatal(err)
	}
	return cfg, client
}
