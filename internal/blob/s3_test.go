package blob_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// bigPDF is a PDF of n bytes whose content depends on seed.
func bigPDF(n int, seed byte) []byte {
	data := append(pdfSample(), bytes.Repeat([]byte{'0' + seed%10}, n)...)
	return data[:n]
}

func readAll(t *testing.T, s blob.Blobs, sum string) []byte {
	t.Helper()
	rc, _, err := s.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestS3Multipart: an object stored in parts has no MD5 ETag; its upload
// is confirmed by reading it back, and an object in parts with the right
// size and recorded SHA-256 but other content is found and replaced.
func TestS3Multipart(t *testing.T) {
	ctx := context.Background()
	s, err := blob.NewS3(ctx, s3TestConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	s.SetPartSize(5 << 20)
	data := bigPDF(11<<20, 1)
	want := sum(data)
	if err := s.PutRaw(ctx, want, bigPDF(len(data), 2)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Put(ctx, bytes.NewReader(data), blob.PutOptions{Name: "big.pdf", MaxBytes: 20 << 20})
	if err != nil || got.SHA256 != want {
		t.Fatalf("Put = %+v, %v", got, err)
	}
	if parts, err := s.InParts(ctx, want); !parts || err != nil {
		t.Fatalf("the object was not stored in parts (%v): the test does not reach the read-back", err)
	}
	if !bytes.Equal(readAll(t, s, want), data) {
		t.Fatal("the damaged object in parts was kept instead of the upload")
	}
}

// TestS3Ping: the readiness check fails once the bucket is gone, saying
// that the bucket (named) is missing.
func TestS3Ping(t *testing.T) {
	ctx := context.Background()
	c := s3TestConfig(t)
	s, err := blob.NewS3(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveBucket(ctx); err != nil {
		t.Fatal(err)
	}
	var missing *blob.MissingBucketError
	if err := s.Ping(ctx); !errors.As(err, &missing) || "s3://"+missing.Bucket+"/materials" != c.URL {
		t.Fatalf("Ping without the bucket: %v, want the bucket of %s missing", err, c.URL)
	}
}

// BenchmarkStores puts distinct PDFs and serves one, on local disk and in
// the S3 bucket, so that the object store's cost reads as a ratio against
// the disk measured in the same run.
func BenchmarkStores(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) blob.Blobs
	}{
		{"local", func(b *testing.B) blob.Blobs { return newStore(b) }},
		{"s3", func(b *testing.B) blob.Blobs {
			s, err := blob.NewS3(context.Background(), s3TestConfig(b))
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	for _, st := range stores {
		for _, size := range []int{20 << 10, 2 << 20} {
			b.Run(fmt.Sprintf("%s/put-%dKB", st.name, size>>10), func(b *testing.B) { benchPut(b, st.open(b), size) })
		}
		b.Run(st.name+"/serve-2048KB", func(b *testing.B) { benchServe(b, st.open(b), 2<<20) })
	}
}

func benchPut(b *testing.B, s blob.Blobs, size int) {
	data := bigPDF(size, 0)
	b.SetBytes(int64(size))
	for i := 0; b.Loop(); i++ {
		copy(data[size-8:], []byte{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24), 1, 2, 3, 4})
		if _, err := s.Put(context.Background(), bytes.NewReader(data), blob.PutOptions{Name: "b.pdf"}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchServe(b *testing.B, s blob.Blobs, size int) {
	got, err := s.Put(context.Background(), bytes.NewReader(bigPDF(size, 3)), blob.PutOptions{Name: "b.pdf"})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	for b.Loop() {
		w := httptest.NewRecorder()
		if err := s.Serve(w, httptest.NewRequest("GET", "/d", nil), got.SHA256, "b.pdf"); err != nil || w.Body.Len() != size {
			b.Fatal(err)
		}
	}
}

// TestS3SpoolCleanedAtStart: the staged file of an upload whose process
// died is removed when a store opens on the same spool directory.
func TestS3SpoolCleanedAtStart(t *testing.T) {
	c := s3TestConfig(t)
	c.Spool = t.TempDir()
	dead := filepath.Join(c.Spool, ".upload-dead")
	if err := os.WriteFile(dead, []byte("%PDF-1.4 half an upload"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(c.Spool, "someone-else")
	if err := os.WriteFile(other, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := blob.NewS3(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dead); err == nil {
		t.Error("the abandoned staged upload is still there")
	}
	if _, err := os.Stat(other); err != nil {
		t.Error("a file that is not a staged upload was removed")
	}
	if _, err := s.Put(context.Background(), bytes.NewReader(bigPDF(1000, 4)), blob.PutOptions{Name: "a.pdf"}); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(c.Spool, ".upload-*")); len(m) != 0 {
		t.Errorf("left in the spool after an upload: %v", m)
	}
}

// TestS3CAFile: an https endpoint's certificate is checked against the
// configured authorities (here a test server's own certificate).
func TestS3CAFile(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK) // every bucket exists
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	ca, junk := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "junk.pem")
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if os.WriteFile(ca, pemCert, 0o600) != nil || os.WriteFile(junk, []byte("not a certificate"), 0o600) != nil {
		t.Fatal("cannot write the CA files")
	}
	c := blob.S3Config{URL: "s3://materials/p", Endpoint: srv.URL, AccessKey: "k", SecretKey: "s"}
	ctx := context.Background()
	if _, err := blob.NewS3(ctx, c); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("an unknown authority was trusted: %v", err)
	}
	c.CAFile = junk
	if _, err := blob.NewS3(ctx, c); apperr.FieldsOf(err)["s3-ca"] == "" {
		t.Errorf("a CA file without certificates: %v", err)
	}
	c.CAFile = ca
	if _, err := blob.NewS3(ctx, c); err != nil {
		t.Errorf("with the server's CA: %v", err)
	}
}

// TestS3StartErrors: a store that cannot be opened says why, naming the
// setting to correct: wrong keys, a missing bucket, nothing listening,
// https to a server that speaks http.
func TestS3StartErrors(t *testing.T) {
	good := s3TestConfig(t)
	wrongKey, noKey, noBucket, refused, notTLS := good, good, good, good, good
	wrongKey.SecretKey += "x"
	noKey.AccessKey, noKey.SecretKey = "", ""
	noBucket.URL = "s3://no-such-bucket-here/p"
	refused.Endpoint = "http://127.0.0.1:1"
	notTLS.Endpoint = strings.Replace(good.Endpoint, "http://", "https://", 1)
	for name, c := range map[string]struct {
		cfg  blob.S3Config
		want string
	}{
		"wrong key": {wrongKey, "--s3-secret-key"},
		"no key":    {noKey, "没有配置访问密钥"},
		"no bucket": {noBucket, "没有存储桶 no-such-bucket-here（--blobs）"},
		"refused":   {refused, "连接被拒绝"},
		"not TLS":   {notTLS, "不支持 https"},
	} {
		_, err := blob.NewS3(context.Background(), c.cfg)
		if msg := apperr.MessageOf(err); !strings.Contains(msg, c.want) {
			t.Errorf("%s: %q (%v), want it to say %q", name, msg, err, c.want)
		}
	}
}

// TestS3PingRefusedKeys: a running store whose keys the server refuses
// fails its ping as refused keys, not as a store out of reach.
func TestS3PingRefusedKeys(t *testing.T) {
	good := s3TestConfig(t)
	wrongKey := good
	wrongKey.SecretKey += "x"
	s, err := blob.OpenS3Unchecked(wrongKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(context.Background()); err == nil || !blob.AccessDenied(err) {
		t.Fatalf("ping with a wrong key: %v, want the keys refused", err)
	}
	s, _ = blob.OpenS3Unchecked(good)
	if err := s.Ping(context.Background()); err != nil || blob.AccessDenied(err) {
		t.Fatalf("ping: %v", err)
	}
}

// TestParseS3URL: a bucket name S3 refuses or a prefix that servers would
// read as path steps is refused with the flag named, before any request.
func TestParseS3URL(t *testing.T) {
	for _, c := range []struct{ url, bucket, prefix string }{
		{"s3://materials", "materials", ""},
		{"s3://materials/", "materials", ""},
		{"s3://materials/hall/2026/", "materials", "hall/2026"},
		{"s3://materials/材料 a+b%c=d&e", "materials", "材料 a+b%c=d&e"},
	} {
		bucket, prefix, err := blob.ParseS3URL(c.url)
		if err != nil || bucket != c.bucket || prefix != c.prefix {
			t.Errorf("%s: %q %q %v", c.url, bucket, prefix, err)
		}
	}
	for _, bad := range []string{
		"s3://", "s3:/materials", "s3://ab/p", "s3://materials?x/p", "s3://-materials/p",
		"s3://materials/a//b", "s3://materials/../other", "s3://materials/a/./b",
		"s3://materials/a\nb", "s3://materials/" + strings.Repeat("x", 901),
	} {
		if _, _, err := blob.ParseS3URL(bad); apperr.FieldsOf(err)["blobs"] == "" {
			t.Errorf("%q: %v, want an error on blobs", bad, err)
		}
	}
}

// TestParseS3URLBucketName: a bucket name with capitals or underscores,
// which the S3 client lets through but no bucket S3 creates has, is
// refused with the naming rules, as the other names S3 refuses are; the
// names S3 allows pass.
func TestParseS3URLBucketName(t *testing.T) {
	for _, c := range []struct {
		bucket string
		ok     bool
	}{
		{"materials", true},
		{"hall-2026.materials", true},
		{"0ab", true},
		{strings.Repeat("a", 63), true},
		{"Materials", false},
		{"materiaLs", false},
		{"hall_materials", false},
		{"ab", false},
		{strings.Repeat("a", 64), false},
		{"materials-", false},
		{".materials", false},
		{"hall..materials", false},
		{"192.168.1.10", false},
	} {
		bucket, _, err := blob.ParseS3URL("s3://" + c.bucket + "/hall")
		msg := apperr.FieldsOf(err)["blobs"]
		refused := strings.Contains(msg, fmt.Sprintf("存储桶名 %q", c.bucket)) && strings.Contains(msg, "3–63 个字符，只能有小写字母、数字、连字符和点")
		if c.ok && (err != nil || bucket != c.bucket) || !c.ok && !refused {
			t.Errorf("%q: %q, %v", c.bucket, bucket, err)
		}
	}
}

// TestS3Timeout: the configured bound of an exchange with the object
// store (--s3-timeout) is the one kept: a store opened on an endpoint that
// does not answer gives up after it, naming it and the flag.
func TestS3Timeout(t *testing.T) {
	hung := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hung:
		}
	}))
	defer srv.Close()
	defer close(hung)
	start := time.Now()
	_, err := blob.NewS3(context.Background(), blob.S3Config{URL: "s3://materials/hall", Endpoint: srv.URL, Timeout: 1500 * time.Millisecond})
	if d := time.Since(start); err == nil || !strings.Contains(apperr.MessageOf(err), "1.5s 内没有应答（--s3-timeout）") || d > 10*time.Second {
		t.Fatalf("opening a store that does not answer: %v after %s, want it given up after 1.5s", err, d)
	}
}

// TestS3OddPrefix: a prefix with spaces, CJK and characters that URLs
// escape holds materials like any other.
func TestS3OddPrefix(t *testing.T) {
	c := s3TestConfig(t)
	c.URL = strings.TrimSuffix(c.URL, "materials") + "材料 2026/a+b%c=d&e;f"
	s, err := blob.NewS3(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	data := bigPDF(2000, 9)
	b, err := s.Put(context.Background(), bytes.NewReader(data), blob.PutOptions{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, s, b.SHA256); !bytes.Equal(got, data) {
		t.Fatal("the material read back differs")
	}
	if ok, err := s.Exists(b.SHA256); !ok || err != nil {
		t.Fatalf("Exists = %v, %v", ok, err)
	}
}

// TestS3EndpointWithKeys: keys written into the endpoint's address are
// refused before any request, naming the flag, and never echoed: the
// address is printed at start and recorded in the database.
func TestS3EndpointWithKeys(t *testing.T) {
	c := blob.S3Config{URL: "s3://materials/p", Endpoint: "http://AKID:TOPSECRET@127.0.0.1:1"}
	_, err := blob.NewS3(context.Background(), c)
	if apperr.FieldsOf(err)["s3-endpoint"] == "" || strings.Contains(fmt.Sprint(err), "TOPSECRET") {
		t.Fatalf("endpoint with keys: %v", err)
	}
}
