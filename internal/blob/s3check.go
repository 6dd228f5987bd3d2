package blob

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/minio/minio-go/v7"

	"openhall/internal/apperr"
)

// writeCheckKey is the object a serving node writes as it starts, beside
// the materials' <aa> folders (a name no SHA-256 address starts with);
// each start overwrites it, so no delete right is needed.
const writeCheckKey = "write-check"

// CheckWritable writes a small object and reads its size back. Keys may
// list and read a bucket without the right to write to it; a node that
// cannot store materials must refuse to start, naming the keys, before it
// creates or migrates a database, rather than start and fail every upload.
// Commands that only read (backup) do not call it.
func (s *S3) CheckWritable(ctx context.Context) error {
	body := []byte("openhall write check " + time.Now().UTC().Format(time.RFC3339) + "\n")
	ctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	key := writeCheckKey
	if s.prefix != "" {
		key = s.prefix + "/" + key
	}
	_, err := s.client.PutObject(ctx, s.bucket, key, bytes.NewReader(body), int64(len(body)),
		minio.PutObjectOptions{ContentType: "text/plain", SendContentMd5: true})
	if err == nil {
		var info minio.ObjectInfo
		info, err = s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
		if err == nil && info.Size != int64(len(body)) {
			err = fmt.Errorf("write check: the object holds %d bytes, %d were written", info.Size, len(body))
		}
	}
	switch {
	case err == nil:
		return nil
	case AccessDenied(err):
		return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("对象存储 %s 的访问密钥不能写入存储桶 %s（%s）：节点需要对该存储桶读、写和列出的权限；"+
			"请检查 --s3-access-key、--s3-secret-key（OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）所属账号的权限", s.conf.Endpoint, s.bucket, s.conf.urlFlag()))
	}
	return s.conf.connectError(err)
}

// CheckWritable checks the bucket the materials move into (see S3).
func (f *Fallback) CheckWritable(ctx context.Context) error { return f.bucket.CheckWritable(ctx) }
