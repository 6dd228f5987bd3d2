package blob

import (
	"bytes"
	"context"

	"github.com/minio/minio-go/v7"
)

// PutRaw writes data at sum's object as is, the way a fault in the object
// store would: no checks, no address.
func (s *S3) PutRaw(ctx context.Context, sum string, data []byte) error {
	_, err := s.client.PutObject(ctx, s.bucket, s.key(sum), bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{UserMetadata: map[string]string{kindMeta: string(KindPDF)}})
	return err
}

// RemoveRaw deletes sum's object.
func (s *S3) RemoveRaw(ctx context.Context, sum string) error {
	return s.client.RemoveObject(ctx, s.bucket, s.key(sum), minio.RemoveObjectOptions{})
}
