package blob

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"openhall/internal/apperr"
)

// kindMeta is the user metadata key that keeps a blob's recognised kind, so
// that Open describes it without reading it.
const kindMeta = "Openhall-Kind"

// sumMeta is the user metadata key that records the SHA-256 an object was
// uploaded with, beside the one its key names.
const sumMeta = "Openhall-Sha256"

// s3Wait is how long one exchange with the object store may take, beyond
// the time its content needs at s3Rate, unless S3Config.Timeout says
// otherwise: an object store that stops answering fails the request with
// a message to try later instead of holding it (minio's client would
// retry for up to ten minutes).
const s3Wait = 30 * time.Second

// s3Rate is the slowest transfer, in bytes per second, that a content's
// time allows for.
const s3Rate = 1 << 20

// S3 is a content-addressed blob store in an S3 bucket (any server that
// speaks the S3 API with signature V4): object <prefix>/<aa>/<bb>/<sha256>.
// It checks uploads exactly as Store does; content is spooled to a local
// temporary file to be sniffed and hashed, then sent with its MD5 so the
// server refuses a body damaged in transit and with its SHA-256 as user
// metadata, and Put reports success only after the stored object's size,
// SHA-256 and content are confirmed (see confirm).
type S3 struct {
	client *minio.Client
	bucket string
	prefix string
	spool  string // directory of the staged files
	// partSize is the size of the parts of a multipart upload; objects no
	// larger go in one request. 0 is minio's (16 MiB).
	partSize uint64
	wait     time.Duration // S3Config.Timeout or s3Wait
	conf     S3Config      // for the messages of CheckWritable
}

// NewS3 connects to the bucket and checks that it exists.
func NewS3(ctx context.Context, c S3Config) (*S3, error) {
	client, bucket, prefix, err := c.client()
	if err != nil {
		return nil, err
	}
	s := &S3{client: client, bucket: bucket, prefix: prefix, spool: c.Spool, wait: c.wait(), conf: c}
	ctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	ok, err := client.BucketExists(ctx, bucket)
	if err != nil {
		return nil, c.connectError(err)
	}
	if !ok {
		return nil, apperr.New(apperr.Unavailable, "对象存储 %s 中没有存储桶 %s（%s）；请先创建该存储桶", c.Endpoint, bucket, c.urlFlag())
	}
	if s.spool == "" {
		s.spool = os.TempDir()
	}
	removeStale(s.spool, time.Now())
	return s, nil
}

// deadline bounds an exchange with the object store that moves size bytes.
func (s *S3) deadline(ctx context.Context, size int64) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.wait+time.Duration(size/s3Rate)*time.Second)
}

// Ping reports whether the bucket answers, for readiness checks; a store
// that answers without the bucket gives a *MissingBucketError.
func (s *S3) Ping(ctx context.Context) error {
	ctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err == nil && !ok {
		err = &MissingBucketError{Bucket: s.bucket}
	}
	return err
}

// MissingBucketError says that the object store answers but has no bucket
// of the configured name: it was deleted since the node started.
type MissingBucketError struct{ Bucket string }

func (e *MissingBucketError) Error() string { return "bucket " + e.Bucket + " is gone" }

func (s *S3) key(sum string) string {
	k := sum[0:2] + "/" + sum[2:4] + "/" + sum
	if s.prefix != "" {
		k = s.prefix + "/" + k
	}
	return k
}

// Put checks and stores the content of r; see Store.Put for the refusals.
// The object is confirmed (s.confirm) before Put returns.
func (s *S3) Put(ctx context.Context, r io.Reader, o PutOptions) (Blob, error) {
	o = o.withDefaults()
	tmp, err := os.CreateTemp(s.spool, tempPrefix+"*")
	if err != nil {
		return Blob{}, errSave(err)
	}
	defer holdTemp(tmp.Name())()
	defer func() { tmp.Close(); os.Remove(tmp.Name()) }()
	b, err := write(ctx, tmp, r, o)
	if err != nil {
		return Blob{}, err
	}
	_, err = s.store(ctx, tmp, b)
	return b, err
}

// store uploads the content of f as the object of b, unless an object
// holding that content is there already (see present); uploaded says which.
func (s *S3) store(ctx context.Context, f io.ReadSeeker, b Blob) (uploaded bool, err error) {
	md5sum, err := readMD5(f)
	if err != nil {
		return false, errSave(err)
	}
	if ok, err := s.present(ctx, b); err != nil || ok {
		return false, errSave(err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return false, errSave(err)
	}
	if err := s.upload(ctx, f, b); err != nil {
		return false, errSave(err)
	}
	if err := s.confirm(ctx, b, md5sum); err != nil {
		return false, errSave(err)
	}
	return true, nil
}

// present reports whether the object of b is there and holds b's content,
// read back and hashed: its ETag and metadata were computed when it was
// written and do not show a fault of the storage under it since. An object
// store that gave no answer at all is an error: uploading to it would only
// wait as long again. (Any answer, a refusal included, is not: a key
// without the right to list may be refused a missing object's metadata.)
func (s *S3) present(ctx context.Context, b Blob) (bool, error) {
	info, err := s.stat(ctx, b.SHA256)
	if err != nil && minio.ToErrorResponse(err).StatusCode == 0 {
		return false, err
	}
	if err != nil || info.Size != b.Size || info.UserMetadata[sumMeta] != b.SHA256 {
		return false, nil
	}
	return s.readBack(ctx, b) == nil, nil
}

// upload writes the content of f as the object of b.
func (s *S3) upload(ctx context.Context, f io.Reader, b Blob) error {
	ctx, cancel := s.deadline(ctx, b.Size)
	defer cancel()
	_, err := s.client.PutObject(ctx, s.bucket, s.key(b.SHA256), f, b.Size, minio.PutObjectOptions{
		ContentType:  b.MIME,
		UserMetadata: map[string]string{kindMeta: string(b.Kind), sumMeta: b.SHA256},
		// Each request carries its body's MD5, so the server refuses a
		// body damaged in transit; large objects go in parts.
		SendContentMd5: true, PartSize: s.partSize,
	})
	return err
}

// stat describes sum's object.
func (s *S3) stat(ctx context.Context, sum string) (minio.ObjectInfo, error) {
	ctx, cancel := s.deadline(ctx, 0)
	defer cancel()
	return s.client.StatObject(ctx, s.bucket, s.key(sum), minio.StatObjectOptions{})
}

// confirm checks that the object of b is stored whole: its size, the
// SHA-256 recorded with it, and its content. An object stored in one
// request has the MD5 of its content as ETag, which then must be md5sum;
// one stored in parts has an ETag made of its parts' MD5s, so its content
// is read back and hashed.
func (s *S3) confirm(ctx context.Context, b Blob, md5sum string) error {
	info, err := s.stat(ctx, b.SHA256)
	if err != nil {
		return err
	}
	if info.Size != b.Size || info.UserMetadata[sumMeta] != b.SHA256 {
		return fmt.Errorf("object %s: size %d or recorded SHA-256 %q differs from the upload", b.SHA256, info.Size, info.UserMetadata[sumMeta])
	}
	etag := strings.Trim(info.ETag, `"`)
	if !strings.Contains(etag, "-") {
		if etag != md5sum {
			return fmt.Errorf("object %s: ETag %s is not the upload's MD5 %s", b.SHA256, etag, md5sum)
		}
		return nil
	}
	return s.readBack(ctx, b)
}

// readBack reads the object of b through and checks it against its address.
func (s *S3) readBack(ctx context.Context, b Blob) error {
	rc, err := s.get(ctx, b.SHA256, b.Size)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// get streams sum's object of size bytes, checked against its address
// (see checked). Each read from the object store must answer within the
// store's wait; the stream as a whole has no deadline, since it goes at
// the pace of whoever reads it (a download on a slow village line).
func (s *S3) get(ctx context.Context, sum string, size int64) (io.ReadCloser, error) {
	ctx, cancel := context.WithCancel(ctx)
	obj, err := s.client.GetObject(ctx, s.bucket, s.key(sum), minio.GetObjectOptions{})
	if err != nil {
		cancel()
		return nil, err
	}
	return &checked{rc: obj, sum: sum, size: size, h: sha256.New(), cancel: cancel, wait: s.wait}, nil
}

// readMD5 hashes f from its start.
func readMD5(f io.ReadSeeker) (string, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Open returns the content at sum, streamed from the bucket. The reader
// checks the content against its address as it reaches the end: a damaged
// or truncated object ends in an apperr.Unavailable error instead of
// io.EOF.
func (s *S3) Open(sum string) (io.ReadCloser, Blob, error) {
	return s.open(context.Background(), sum)
}

// open is Open under ctx.
func (s *S3) open(ctx context.Context, sum string) (io.ReadCloser, Blob, error) {
	if !ValidHash(sum) {
		return nil, Blob{}, apperr.New(apperr.NotFound, "材料文件不存在")
	}
	info, err := s.stat(ctx, sum)
	if err != nil {
		return nil, Blob{}, s3ReadError(err)
	}
	rc, err := s.get(ctx, sum, info.Size)
	if err != nil {
		return nil, Blob{}, s3ReadError(err)
	}
	k := Kind(info.UserMetadata[kindMeta])
	return rc, Blob{SHA256: sum, Size: info.Size, MIME: k.MIME(), Kind: k}, nil
}

// Exists reports whether content with the hash is stored.
func (s *S3) Exists(sum string) (bool, error) {
	if !ValidHash(sum) {
		return false, apperr.New(apperr.NotFound, "材料文件不存在")
	}
	_, err := s.stat(context.Background(), sum)
	if isMissing(err) {
		return false, nil
	}
	if err != nil {
		return false, s3ReadError(err)
	}
	return true, nil
}

// Serve writes the blob as a download, like Store.Serve. The object is
// copied to a local temporary file and checked against its address before
// the first byte is sent, so a damaged object is never served, and Range
// requests are answered from that copy.
func (s *S3) Serve(w http.ResponseWriter, r *http.Request, sum, name string) error {
	rc, b, err := s.open(r.Context(), sum)
	if err != nil {
		return err
	}
	defer rc.Close()
	tmp, err := os.CreateTemp(s.spool, tempPrefix+"*")
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	defer holdTemp(tmp.Name())()
	defer func() { tmp.Close(); os.Remove(tmp.Name()) }()
	if _, err := io.Copy(tmp, rc); err != nil {
		return asReadError(err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
	}
	setDownloadHeaders(w.Header(), b, name)
	serveContent(w, r, b.Size, tmp)
	return nil
}

// checked verifies streamed content against its address at the end.
type checked struct {
	rc     io.ReadCloser
	sum    string
	size   int64
	n      int64
	h      hash.Hash
	cancel context.CancelFunc // ends the object's request; nil for none
	wait   time.Duration      // the longest one read may take, with cancel; 0 for no bound
}

func (c *checked) Read(p []byte) (int, error) {
	if c.cancel != nil && c.wait > 0 {
		t := time.AfterFunc(c.wait, c.cancel)
		defer t.Stop()
	}
	n, err := c.rc.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	if err == io.EOF && (c.n != c.size || hexSum(c.h) != c.sum) {
		return n, errDamaged(c.sum, hexSum(c.h))
	}
	if err != nil && err != io.EOF {
		return n, s3ReadError(err)
	}
	return n, err
}

func (c *checked) Close() error {
	err := c.rc.Close()
	if c.cancel != nil {
		c.cancel()
	}
	return err
}

func errDamaged(sum, got string) error {
	return apperr.Wrap(fmt.Errorf("blob %s holds content with SHA-256 %s: %w", sum, got, ErrDamaged), apperr.Unavailable,
		"该材料文件已损坏，暂时无法下载；已记录此问题，请联系管理员从备份恢复")
}

// asReadError keeps an apperr from checked and wraps anything else.
func asReadError(err error) error {
	if ae := (*apperr.Error)(nil); errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
}

func isMissing(err error) bool {
	code := minio.ToErrorResponse(err).Code
	return code == "NoSuchKey" || code == "NotFound"
}

func s3ReadError(err error) error {
	if isMissing(err) {
		return apperr.New(apperr.NotFound, "材料文件不存在")
	}
	return apperr.Wrap(err, apperr.Unavailable, "材料文件暂时无法读取")
}
