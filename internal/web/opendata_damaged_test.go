package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"openhall/internal/apptest"
	"openhall/internal/blob"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/testutil"
)

// damager overwrites the kept file of a CSV behind the store's back.
type damager func(t *testing.T, sum string, data []byte)

// TestOpenDataDamagedFileRefused: a dataset's CSV, once kept, downloads
// from its file, Range requests included; after the file is damaged on
// disk or in the object store the download is refused with 503 and says
// so, and nothing of the file is sent.
func TestOpenDataDamagedFileRefused(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		t.Run("local", func(t *testing.T) {
			a := apptest.New(t, backend, apptest.Options{NoTree: true})
			root := a.Config.BlobDir()
			checkDamagedCSV(t, a, func(t *testing.T, sum string, data []byte) {
				if err := os.WriteFile(filepath.Join(root, sum[0:2], sum[2:4], sum), data, 0o640); err != nil {
					t.Fatal(err)
				}
			})
		})
		t.Run("s3", func(t *testing.T) {
			cfg, damage := testBucket(t)
			a := apptest.New(t, backend, apptest.Options{NoTree: true, Config: func(c *config.Config) {
				c.Blobs, c.S3Endpoint, c.S3AccessKey, c.S3SecretKey = cfg.URL, cfg.Endpoint, cfg.AccessKey, cfg.SecretKey
			}})
			checkDamagedCSV(t, a, damage)
		})
	})
}

func checkDamagedCSV(t *testing.T, a *apptest.App, damage damager) {
	if _, err := demo.Load(context.Background(), a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a)
	const path = "/opendata/datasets/service-catalogue/download.csv"
	p := b.get(path)
	if p.status != http.StatusOK || !strings.HasPrefix(p.body, "实施编码,") {
		t.Fatalf("download: %d %.80s", p.status, p.body)
	}
	sum := fmt.Sprintf("%x", sha256.Sum256([]byte(p.body))) // the version's SHA-256, its file's address
	req, _ := http.NewRequest(http.MethodGet, a.URL(path), nil)
	req.Header.Set("Range", "bytes=0-11")
	if r := b.do(req); r.status != http.StatusPartialContent || r.body != "实施编码" {
		t.Fatalf("range: %d %q", r.status, r.body)
	}
	damage(t, sum, bytes.Replace([]byte(p.body), []byte("实施编码"), []byte("实施编号"), 1))
	r := b.get(path)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "该数据文件已损坏") || strings.Contains(r.body, "实施编号") {
		t.Fatalf("damaged file: %d %.300s", r.status, r.body)
	}
}

// testBucket is a fresh bucket on the S3 server scripts/test started and a
// way to damage its objects. Without a server the test is skipped, unless
// OPENHALL_REQUIRE_S3=1.
func testBucket(t *testing.T) (blob.S3Config, damager) {
	cfg, client := testutil.S3Bucket(t)
	bucket, _, _ := blob.ParseS3URL(cfg.URL)
	return cfg, func(t *testing.T, sum string, data []byte) {
		key := "materials/" + sum[0:2] + "/" + sum[2:4] + "/" + sum
		_, err := client.PutObject(context.Background(), bucket, key, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
	}
}
