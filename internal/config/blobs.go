package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// The bounds of S3Timeout: below a second a busy store fails requests it
// would have answered; past ten minutes a store that stopped answering
// holds uploads longer than any user waits.
const (
	minS3Timeout = time.Second
	maxS3Timeout = 10 * time.Minute
)

// BlobsInS3 reports whether materials are kept in an object store.
func (c Config) BlobsInS3() bool { return strings.HasPrefix(c.Blobs, "s3://") }

// BlobDir is the directory of the local blob store.
func (c Config) BlobDir() string {
	if c.Blobs == "" {
		return filepath.Join(c.DataDir, "blobs")
	}
	return c.Blobs
}

// S3 is the object store configuration of an s3:// Blobs.
func (c Config) S3() blob.S3Config {
	return blob.S3Config{URL: c.Blobs, Endpoint: c.S3Endpoint, Region: c.S3Region,
		AccessKey: c.S3AccessKey, SecretKey: c.S3SecretKey, CAFile: c.S3CA, Timeout: c.S3Timeout}
}

// BlobLabel describes where materials are kept, without credentials.
func (c Config) BlobLabel() string {
	if c.BlobsInS3() {
		return "对象存储 " + c.Blobs + "（" + c.S3Endpoint + "）"
	}
	return "目录 " + c.BlobDir()
}

// checkBlobs checks the location of materials and the object store settings.
func (c Config) checkBlobs() []string {
	bad := c.checkFallback()
	if !c.BlobsInS3() {
		if strings.Contains(c.Blobs, "://") || strings.HasPrefix(strings.ToLower(c.Blobs), "s3:") {
			bad = append(bad, fmt.Sprintf("--blobs %q 无法识别：留空使用数据目录，或给出目录、s3://存储桶/前缀", c.Blobs))
		}
		return bad
	}
	if _, _, err := blob.ParseS3URL(c.Blobs); err != nil {
		bad = append(bad, fmt.Sprintf("--blobs %q 无效：%s", c.Blobs, apperr.MessageOf(err)))
	}
	u, err := url.Parse(c.S3Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		bad = append(bad, fmt.Sprintf("--s3-endpoint %q 应为 http(s)://主机:端口（使用对象存储时必填）", c.S3Endpoint))
	}
	if c.S3CA != "" && u != nil && u.Scheme != "https" {
		bad = append(bad, "--s3-ca 只用于 https:// 的 --s3-endpoint")
	}
	if c.S3Timeout < minS3Timeout || c.S3Timeout > maxS3Timeout {
		bad = append(bad, fmt.Sprintf("--s3-timeout %s 超出范围 1s–10m（对象存储每次应答的时限，如 30s、2m）", c.S3Timeout))
	}
	if (c.S3AccessKey == "") != (c.S3SecretKey == "") {
		bad = append(bad, "--s3-access-key 与 --s3-secret-key 须同时设置（建议用环境变量 OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）")
	}
	return bad
}

// checkFallback checks the directory materials are read from while they
// move into a bucket: a local directory other than --blobs, beside an
// s3:// --blobs.
func (c Config) checkFallback() []string {
	f := c.BlobsFallback
	switch {
	case f == "":
		return nil
	case c.sameStore(f):
		return []string{fmt.Sprintf("--blobs-fallback %q 与 --blobs 是同一个材料存储；它应是材料迁入对象存储之前所在的本地目录", f)}
	case strings.Contains(f, "://") || strings.HasPrefix(strings.ToLower(f), "s3:"):
		return []string{fmt.Sprintf("--blobs-fallback %q 应为本地目录（材料迁入对象存储之前所在的目录，即 migrate-blobs 的 --from）", f)}
	case !c.BlobsInS3():
		return []string{"--blobs-fallback 只用于 --blobs 为对象存储（s3://存储桶/前缀）时：迁移期间对象存储中没有的材料从这个旧目录读取"}
	}
	return nil
}

// sameStore reports whether the location f is the store of --blobs.
func (c Config) sameStore(f string) bool {
	if c.BlobsInS3() {
		return strings.TrimSuffix(f, "/") == strings.TrimSuffix(c.Blobs, "/")
	}
	a, errA := filepath.Abs(f)
	b, errB := filepath.Abs(c.BlobDir())
	return errA == nil && errB == nil && a == b
}
