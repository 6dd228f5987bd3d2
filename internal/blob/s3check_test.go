package blob_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// TestS3CheckWritable: keys that may read and list the bucket but not
// write to it pass NewS3 (as a backup's read-only keys must) and fail the
// write check a serving node makes, with the keys named; the full keys
// pass it, again and again.
func TestS3CheckWritable(t *testing.T) {
	good := s3TestConfig(t)
	s, err := blob.NewS3(context.Background(), good)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.CheckWritable(context.Background()); err != nil {
			t.Fatalf("write check with the full keys: %v", err)
		}
	}
	reader := good
	reader.AccessKey, reader.SecretKey = os.Getenv("OPENHALL_TEST_S3_READ_ACCESS_KEY"), os.Getenv("OPENHALL_TEST_S3_READ_SECRET_KEY")
	if reader.AccessKey == "" {
		if os.Getenv("OPENHALL_REQUIRE_S3") == "1" {
			t.Fatal("OPENHALL_REQUIRE_S3=1 but the S3 server has no read-only keys (OPENHALL_TEST_S3_READ_ACCESS_KEY; run ./scripts/test)")
		}
		t.Skip("no read-only keys on the S3 server (./scripts/test starts one with them)")
	}
	ro, err := blob.NewS3(context.Background(), reader)
	if err != nil {
		t.Fatalf("read-only keys refused at open: %v", err)
	}
	err = ro.CheckWritable(context.Background())
	if !apperr.Is(err, apperr.Unavailable) || !strings.Contains(apperr.MessageOf(err), "不能写入存储桶") || !strings.Contains(apperr.MessageOf(err), "--s3-access-key") {
		t.Fatalf("write check with read-only keys: %v", err)
	}
	if err := blob.NewFallback(ro, newStore(t)).CheckWritable(context.Background()); err == nil {
		t.Fatal("a fallback's bucket is checked too")
	}
}
