package config_test

import (
	"path/filepath"
	"strings"
	"testing"

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
