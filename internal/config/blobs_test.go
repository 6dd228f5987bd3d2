package config_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/config"
)

func TestBlobSettings(t *testing.T) {
	local := config.Default()
	if local.BlobsInS3() || local.BlobDir() != filepath.Join("data", "blobs") {
		t.Fatalf("default: in S3 %v, dir %q", local.BlobsInS3(), local.BlobDir())
	}
	ok := config.Default()
	ok.Blobs, ok.S3Endpoint = "s3://materials/hall", "https://s3.example.gov.cn"
	ok.S3AccessKey, ok.S3SecretKey = "AK", "very-secret-key"
	if err := ok.Validate(); err != nil || !ok.BlobsInS3() {
		t.Fatalf("valid settings refused: %v", err)
	}
	if got := ok.S3().Timeout; got != 30*time.Second {
		t.Errorf("default object store timeout %s, want 30s", got)
	}
	for _, d := range []time.Duration{time.Second, 2 * time.Minute, 10 * time.Minute} {
		c := ok
		c.S3Timeout = d
		if err := c.Validate(); err != nil || c.S3().Timeout != d {
			t.Errorf("--s3-timeout %s: %v, store's timeout %s", d, err, c.S3().Timeout)
		}
	}
	if l := ok.BlobLabel(); strings.Contains(l, ok.S3SecretKey) || !strings.Contains(l, "s3://materials/hall") {
		t.Errorf("label %q", l)
	}
	for _, tc := range []struct {
		edit func(c *config.Config)
		want string
	}{
		{func(c *config.Config) { c.Blobs = "s3://" }, "--blobs"},
		{func(c *config.Config) { c.Blobs = "gs://materials" }, "--blobs"},
		{func(c *config.Config) { c.Blobs = "s3:/materials/hall" }, "--blobs"},
		{func(c *config.Config) { c.Blobs = "s3://materials/../hall" }, "前缀"},
		{func(c *config.Config) { c.Blobs = "s3://Materials/hall" }, `--blobs "s3://Materials/hall" 无效：存储桶名 "Materials" 不合 S3 的命名规则：3–63 个字符，只能有小写字母`},
		{func(c *config.Config) { c.Blobs = "s3://hall_materials/hall" }, `--blobs "s3://hall_materials/hall" 无效：存储桶名 "hall_materials"`},
		{func(c *config.Config) { c.S3Endpoint = "" }, "--s3-endpoint"},
		{func(c *config.Config) { c.S3Endpoint = "s3.example.gov.cn:9000" }, "--s3-endpoint"},
		{func(c *config.Config) { c.S3Endpoint = "http://s3.example.gov.cn/bucket" }, "--s3-endpoint"},
		{func(c *config.Config) { c.S3SecretKey = "" }, "--s3-access-key 与 --s3-secret-key"},
		{func(c *config.Config) { c.S3Endpoint, c.S3CA = "http://127.0.0.1:8333", "ca.pem" }, "--s3-ca"},
		{func(c *config.Config) { c.S3Timeout = 0 }, "--s3-timeout 0s 超出范围 1s–10m"},
		{func(c *config.Config) { c.S3Timeout = -time.Second }, "--s3-timeout -1s 超出范围 1s–10m"},
		{func(c *config.Config) { c.S3Timeout = time.Millisecond }, "--s3-timeout 1ms 超出范围 1s–10m"},
		{func(c *config.Config) { c.S3Timeout = 11 * time.Minute }, "--s3-timeout 11m0s 超出范围 1s–10m"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want an error naming %s, got %v", tc.want, err)
		}
		if err != nil && strings.Contains(err.Error(), ok.S3SecretKey) {
			t.Errorf("the secret key is in the error: %v", err)
		}
	}
}

// TestBlobsFallbackSetting: --blobs-fallback is a local directory other
// than --blobs, and only beside an s3:// --blobs; each refusal names it.
func TestBlobsFallbackSetting(t *testing.T) {
	ok := config.Default()
	ok.Blobs, ok.S3Endpoint = "s3://materials/hall", "https://s3.example.gov.cn"
	ok.BlobsFallback = "/var/lib/openhall/blobs"
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid settings refused: %v", err)
	}
	for _, tc := range []struct {
		edit func(c *config.Config)
		want string
	}{
		{func(c *config.Config) { c.BlobsFallback = "s3://materials/hall" }, `--blobs-fallback "s3://materials/hall" 与 --blobs 是同一个材料存储`},
		{func(c *config.Config) { c.BlobsFallback = "s3://materials/hall/" }, "与 --blobs 是同一个材料存储"},
		{func(c *config.Config) { c.BlobsFallback = "s3://old/hall" }, `--blobs-fallback "s3://old/hall" 应为本地目录`},
		{func(c *config.Config) { c.BlobsFallback = "https://files.example.gov.cn/blobs" }, "应为本地目录"},
		{func(c *config.Config) { c.Blobs = "" }, "--blobs-fallback 只用于 --blobs 为对象存储"},
		{func(c *config.Config) { c.Blobs = "/srv/blobs" }, "--blobs-fallback 只用于 --blobs 为对象存储"},
		{func(c *config.Config) { c.Blobs = "/var/lib/openhall/blobs/" }, `--blobs-fallback "/var/lib/openhall/blobs" 与 --blobs 是同一个材料存储`},
		{func(c *config.Config) { c.Blobs, c.DataDir = "", "/var/lib/openhall" }, "与 --blobs 是同一个材料存储"},
	} {
		c := ok
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q beside --blobs %q: want an error saying %s, got %v", c.BlobsFallback, c.Blobs, tc.want, err)
		}
	}
}
