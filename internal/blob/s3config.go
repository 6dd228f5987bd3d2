package blob

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"openhall/internal/apperr"
)

// S3Config locates an S3 bucket: URL is s3://bucket/prefix, Endpoint the
// server (http://host:port or https://host).
type S3Config struct {
	URL       string
	Endpoint  string
	AccessKey string
	SecretKey string
	Region    string // empty: us-east-1
	// CAFile is a PEM file of the certificate authorities an https
	// endpoint's certificate is checked against; "" trusts the system's.
	CAFile string
	// Spool is the directory where uploads and downloads are staged;
	// "" is the system's temporary directory.
	Spool string
	// URLFlag is the command-line flag that gave URL, named in messages;
	// "" is --blobs.
	URLFlag string
	// Timeout is how long one exchange with the object store may take,
	// beyond the time its content needs at s3Rate; 0 is s3Wait.
	Timeout time.Duration
}

// wait is how long one exchange with the object store may take.
func (c S3Config) wait() time.Duration {
	if c.Timeout == 0 {
		return s3Wait
	}
	return c.Timeout
}

// urlFlag is the flag that gave c.URL, as a command line writes it.
func (c S3Config) urlFlag() string {
	if c.URLFlag == "" {
		return "--blobs"
	}
	return "--" + c.URLFlag
}

// connectError explains why the bucket could not be reached at start,
// naming the setting to look at.
func (c S3Config) connectError(err error) error {
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var dns *net.DNSError
	msg := "无法连接对象存储 " + c.Endpoint + "（--s3-endpoint）"
	refused := AccessDenied(err)
	switch {
	case refused && c.AccessKey == "":
		msg = "对象存储 " + c.Endpoint + " 拒绝了不带密钥的访问，而本节点没有配置访问密钥：请设置 --s3-access-key、--s3-secret-key（建议用环境变量 OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）"
	case refused:
		msg = "对象存储 " + c.Endpoint + " 拒绝了访问密钥：请检查 --s3-access-key、--s3-secret-key（OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）及其对存储桶的权限"
	case errors.As(err, &unknownCA):
		msg = "无法验证对象存储 " + c.Endpoint + " 的证书：签发机构不受信任（用 --s3-ca 指定其 CA 证书）"
	case errors.As(err, &hostname):
		msg = "对象存储 " + c.Endpoint + " 的证书不属于该主机名（--s3-endpoint）"
	case strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		msg = "对象存储 " + c.Endpoint + " 不支持 https，请改用 http://（--s3-endpoint）"
	case errors.As(err, &dns):
		msg += "：无法解析主机名"
	case errors.Is(err, syscall.ECONNREFUSED):
		msg += "：连接被拒绝，对象存储未运行或端口有误"
	case errors.Is(err, context.DeadlineExceeded):
		msg += fmt.Sprintf("：%s 内没有应答（--s3-timeout）", c.wait())
	}
	return apperr.Wrap(err, apperr.Unavailable, msg)
}

// AccessDenied reports whether the object store answered err because it
// refused the keys (or their rights to the bucket): it is reachable.
func AccessDenied(err error) bool {
	resp := minio.ToErrorResponse(err)
	return resp.StatusCode == http.StatusForbidden || resp.Code == "InvalidAccessKeyId" || resp.Code == "SignatureDoesNotMatch"
}

// client makes a client for c's endpoint and splits its URL.
func (c S3Config) client() (client *minio.Client, bucket, prefix string, err error) {
	bucket, prefix, err = ParseS3URL(c.URL)
	if err != nil {
		return nil, "", "", err
	}
	ep, err := url.Parse(c.Endpoint)
	if err != nil || ep.Host == "" || (ep.Scheme != "http" && ep.Scheme != "https") {
		return nil, "", "", apperr.Field("s3-endpoint", "对象存储地址应为 http(s)://主机:端口")
	}
	if ep.User != nil {
		// The address is printed and recorded; keys in it would be too.
		return nil, "", "", apperr.Field("s3-endpoint", "对象存储地址 --s3-endpoint 中不能含访问密钥；请只写 http(s)://主机:端口，"+
			"密钥用 --s3-access-key、--s3-secret-key（建议用环境变量 OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）")
	}
	region := c.Region
	if region == "" {
		region = "us-east-1"
	}
	tr, err := c.transport(ep.Scheme == "https")
	if err != nil {
		return nil, "", "", err
	}
	client, err = minio.New(ep.Host, &minio.Options{
		Creds:  credentials.NewStaticV4(c.AccessKey, c.SecretKey, ""),
		Secure: ep.Scheme == "https", Region: region, Transport: tr,
	})
	if err != nil {
		return nil, "", "", apperr.Wrap(err, apperr.Invalid, "对象存储配置无效")
	}
	return client, bucket, prefix, nil
}

// transport is minio's, trusting c.CAFile's authorities when it is set.
func (c S3Config) transport(secure bool) (*http.Transport, error) {
	tr, err := minio.DefaultTransport(secure)
	if err != nil || c.CAFile == "" || !secure {
		return tr, err
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, apperr.Field("s3-ca", "无法读取对象存储的 CA 证书文件 "+c.CAFile)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, apperr.Field("s3-ca", c.CAFile+" 中没有 PEM 格式的证书")
	}
	tr.TLSClientConfig.RootCAs = pool
	return tr, nil
}

// maxPrefix leaves room in S3's 1024 bytes of key for /aa/bb/<sha256>.
const maxPrefix = 900

// ParseS3URL splits s3://bucket/prefix. The bucket must be a valid S3
// bucket name by the strict rules: no capitals or underscores, which the
// client lets through but no bucket S3 creates has, so that a node would
// start only to report its bucket missing. The prefix is the start of
// every key, so it may not hold what servers read as a path step (an
// empty, "." or ".." segment) or control characters.
func ParseS3URL(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	prefix = strings.Trim(prefix, "/")
	switch {
	case !ok || bucket == "":
		return "", "", apperr.Field("blobs", "对象存储位置应为 s3://存储桶/前缀")
	case s3utils.CheckValidBucketNameStrict(bucket) != nil:
		return "", "", apperr.Field("blobs", fmt.Sprintf("存储桶名 %q 不合 S3 的命名规则：3–63 个字符，只能有小写字母、数字、连字符和点，"+
			"以小写字母或数字开头和结尾（不能有大写字母或下划线）", bucket))
	case !validPrefix(prefix):
		return "", "", apperr.Field("blobs", fmt.Sprintf("前缀 %q 无效：不能有空的、“.” 或 “..” 段，不能含控制字符，最长 %d 字节", prefix, maxPrefix))
	}
	return bucket, prefix, nil
}

func validPrefix(p string) bool {
	if p == "" {
		return true
	}
	if len(p) > maxPrefix || !utf8.ValidString(p) || strings.ContainsFunc(p, unicode.IsControl) {
		return false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// CreateBucket makes the bucket of c if it is missing (for setup and tests).
func CreateBucket(ctx context.Context, c S3Config) error {
	client, bucket, _, err := c.client()
	if err != nil {
		return err
	}
	if ok, err := client.BucketExists(ctx, bucket); err == nil && ok {
		return nil
	}
	if err := client.MakeBucket(ctx, bucket, minio.MakeBucketOptions{Region: c.Region}); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "无法创建存储桶 "+bucket)
	}
	return nil
}
