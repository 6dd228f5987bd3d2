package blob

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
)

// PutRaw writes data at sum's object as is, the way a fault in the object
// store would: no checks, the metadata of an intact object (kind and
// SHA-256), the store's part size.
func (s *S3) PutRaw(ctx context.Context, sum string, data []byte) error {
	_, err := s.client.PutObject(ctx, s.bucket, s.key(sum), bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{UserMetadata: map[string]string{kindMeta: string(KindPDF), sumMeta: sum}, PartSize: s.partSize})
	return err
}

// RemoveRaw deletes sum's object.
func (s *S3) RemoveRaw(ctx context.Context, sum string) error {
	return s.client.RemoveObject(ctx, s.bucket, s.key(sum), minio.RemoveObjectOptions{})
}

// SetPartSize makes uploads larger than n bytes go in parts of n bytes.
func (s *S3) SetPartSize(n uint64) { s.partSize = n }

// InParts reports whether sum's object was stored in parts (its ETag is
// not an MD5).
func (s *S3) InParts(ctx context.Context, sum string) (bool, error) {
	info, err := s.client.StatObject(ctx, s.bucket, s.key(sum), minio.StatObjectOptions{})
	return strings.Contains(info.ETag, "-"), err
}

// RemoveBucket deletes the store's (empty) bucket.
func (s *S3) RemoveBucket(ctx context.Context) error { return s.client.RemoveBucket(ctx, s.bucket) }

// SetWait sets how long the store waits for the object store to answer.
func (s *S3) SetWait(d time.Duration) { s.wait = d }

// OpenS3Unchecked opens c's bucket without checking it, as the store of a
// node whose keys were changed on the server after it started.
func OpenS3Unchecked(c S3Config) (*S3, error) {
	client, bucket, prefix, err := c.client()
	return &S3{client: client, bucket: bucket, prefix: prefix, wait: s3Wait}, err
}
