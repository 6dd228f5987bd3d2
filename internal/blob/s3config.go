package blob

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

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

// ParseS3URL splits s3://bucket/prefix.
func ParseS3URL(s string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	bucket, prefix, _ = strings.Cut(rest, "/")
	if !ok || bucket == "" {
		return "", "", apperr.Field("blobs", "对象存储位置应为 s3://存储桶/前缀")
	}
	return bucket, strings.Trim(prefix, "/"), nil
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
