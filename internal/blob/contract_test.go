package blob_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/testutil"
)

// backend is a blob store under the contract test with the means to damage
// it behind its back.
type backend struct {
	store   blob.Blobs
	corrupt func(t *testing.T, sum string, data []byte)
	remove  func(t *testing.T, sum string)
}

func localBackend(t *testing.T) backend {
	s := newStore(t)
	path := func(sum string) string { return filepath.Join(s.Root(), sum[0:2], sum[2:4], sum) }
	return backend{
		store: s,
		corrupt: func(t *testing.T, sum string, data []byte) {
			if err := os.WriteFile(path(sum), data, 0o640); err != nil {
				t.Fatal(err)
			}
		},
		remove: func(t *testing.T, sum string) {
			if err := os.Remove(path(sum)); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// s3Backend is a fresh bucket on the S3 server scripts/test started
// (OPENHALL_TEST_S3 and its keys). Without one the test is skipped, unless
// OPENHALL_REQUIRE_S3=1 makes that a failure.
func s3Backend(t *testing.T) backend {
	c := s3TestConfig(t)
	ctx := context.Background()
	s, err := blob.NewS3(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	return backend{
		store: s,
		corrupt: func(t *testing.T, sum string, data []byte) {
			if err := s.PutRaw(ctx, sum, data); err != nil {
				t.Fatal(err)
			}
		},
		remove: func(t *testing.T, sum string) {
			if err := s.RemoveRaw(ctx, sum); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// fallbackBackend is a bucket read through to an empty local directory,
// as during a move of the materials: everything it is asked for goes to
// the bucket, whose objects are damaged and removed behind its back.
func fallbackBackend(t *testing.T) backend {
	b := s3Backend(t)
	b.store = blob.NewFallback(b.store.(*blob.S3), newStore(t))
	return b
}

// s3TestConfig creates a bucket of its own for t on the test S3 server.
func s3TestConfig(t testing.TB) blob.S3Config {
	t.Helper()
	c, _ := testutil.S3Bucket(t)
	return c
}

func TestContract(t *testing.T) {
	for name, open := range map[string]func(*testing.T) backend{"local": localBackend, "s3": s3Backend, "fallback": fallbackBackend} {
		t.Run(name, func(t *testing.T) {
			for _, c := range contractCases {
				t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
			}
		})
	}
}

var contractCases = []struct {
	name string
	run  func(*testing.T, backend)
}{
	{"PutOpenExists", contractPutOpen},
	{"Dedupe", contractDedupe},
	{"Refusals", contractRefusals},
	{"SizeLimit", contractSizeLimit},
	{"Range", contractRange},
	{"Corrupted", contractCorrupted},
	{"Missing", contractMissing},
	{"CSVFiles", contractCSVFiles},
}

// contractCSVFiles: the open data CSV files go in and come out whole under
// their SHA-256, checked before they are sent, Range requests included;
// anything but text is refused, a missing file is not served, and a
// damaged one is refused with nothing sent.
func contractCSVFiles(t *testing.T, b backend) {
	ctx, files := context.Background(), blob.CSVFiles{Blobs: b.store}
	data := []byte("名称,数量\n" + strings.Repeat("西湖区市场主体,1\n", 500))
	got, err := files.PutCSV(ctx, bytes.NewReader(data))
	if err != nil || got != sum(data) {
		t.Fatalf("PutCSV = %s, %v", got, err)
	}
	if w, served, err := serveCSV(files, got, "bytes=10-19"); !served || err != nil || !bytes.Equal(w.Body.Bytes(), data[10:20]) {
		t.Fatalf("ServeCSV range: %v %v %d %q", served, err, w.Code, w.Body.Bytes())
	}
	if w, _, _ := serveCSV(files, got, ""); w.Header().Get("Content-Disposition") != `attachment; filename="data-v1.csv"; filename*=UTF-8''%E6%95%B0%E6%8D%AE.csv` {
		t.Fatalf("ServeCSV names the file %q", w.Header().Get("Content-Disposition"))
	}
	if w, served, err := serveCSV(files, sum([]byte("never stored")), ""); served || err != nil || w.Body.Len() != 0 {
		t.Fatalf("ServeCSV(absent) = %v, %v, %d bytes", served, err, w.Body.Len())
	}
	if _, err := files.PutCSV(ctx, bytes.NewReader(pdfSample())); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a PDF as CSV: %v", err)
	}
	b.corrupt(t, got, bytes.Replace(data, []byte("1"), []byte("2"), 1))
	w, served, err := serveCSV(files, got, "")
	if served || !apperr.Is(err, apperr.Unavailable) || !strings.Contains(apperr.MessageOf(err), "该数据文件已损坏") || w.Body.Len() != 0 ||
		w.Header().Get("Content-Disposition") != "" {
		t.Fatalf("damaged CSV: %v, %v, %d bytes", served, err, w.Body.Len())
	}
}

func serveCSV(files blob.CSVFiles, sum, rng string) (*httptest.ResponseRecorder, bool, error) {
	r := httptest.NewRequest("GET", "/d.csv", nil)
	if rng != "" {
		r.Header.Set("Range", rng)
	}
	w := httptest.NewRecorder()
	served, err := files.ServeCSV(w, r, sum, "数据.csv", "data-v1.csv")
	return w, served, err
}

func putPDF(t *testing.T, b backend) (blob.Blob, []byte) {
	t.Helper()
	data := append(pdfSample(), bytes.Repeat([]byte("0123456789"), 2000)...)
	got, err := b.store.Put(context.Background(), bytes.NewReader(data), blob.PutOptions{Name: "scan.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	return got, data
}

func contractPutOpen(t *testing.T, b backend) {
	got, data := putPDF(t, b)
	if got.SHA256 != sum(data) || got.Size != int64(len(data)) || got.Kind != blob.KindPDF {
		t.Fatalf("Put = %+v", got)
	}
	rc, desc, err := b.store.Open(got.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	read, err := io.ReadAll(rc)
	if err != nil || !bytes.Equal(read, data) || desc != got {
		t.Fatalf("Open = %+v, %d bytes, %v", desc, len(read), err)
	}
	if ok, err := b.store.Exists(got.SHA256); !ok || err != nil {
		t.Fatalf("Exists = %v, %v", ok, err)
	}
	if ok, err := b.store.Exists(sum([]byte("never stored"))); ok || err != nil {
		t.Fatalf("Exists(absent) = %v, %v", ok, err)
	}
}

func contractDedupe(t *testing.T, b backend) {
	first, _ := putPDF(t, b)
	second, _ := putPDF(t, b)
	if first != second {
		t.Fatalf("same content twice: %+v, %+v", first, second)
	}
}

func contractRefusals(t *testing.T, b backend) {
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 100)...), "可执行程序"},
		{"photo.pdf", pngSample(t), "与扩展名不符"},
		{"empty.pdf", nil, "文件为空"},
	} {
		_, err := b.store.Put(context.Background(), bytes.NewReader(c.data), blob.PutOptions{Name: c.name})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if ok, _ := b.store.Exists(sum(c.data)); ok {
			t.Errorf("%s: refused content was stored", c.name)
		}
	}
}

func contractSizeLimit(t *testing.T, b backend) {
	data := append(pdfSample(), bytes.Repeat([]byte(" "), 100)...)
	o := blob.PutOptions{Name: "a.pdf", MaxBytes: int64(len(data)) - 1}
	if _, err := b.store.Put(context.Background(), bytes.NewReader(data), o); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("over the limit: %v", err)
	}
	o.MaxBytes++
	if _, err := b.store.Put(context.Background(), bytes.NewReader(data), o); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
}

func serve(b backend, sum string, header http.Header) (*httptest.ResponseRecorder, error) {
	r := httptest.NewRequest("GET", "/d", nil)
	r.Header = header
	w := httptest.NewRecorder()
	return w, b.store.Serve(w, r, sum, "扫描件.pdf")
}

func contractRange(t *testing.T, b backend) {
	got, data := putPDF(t, b)
	w, err := serve(b, got.SHA256, http.Header{"Range": {"bytes=10-19"}})
	if err != nil || w.Code != http.StatusPartialContent || !bytes.Equal(w.Body.Bytes(), data[10:20]) {
		t.Fatalf("range: %d %q %v", w.Code, w.Body.Bytes(), err)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func contractCorrupted(t *testing.T, b backend) {
	got, data := putPDF(t, b)
	damaged := bytes.Clone(data)
	damaged[len(damaged)-1] ^= 1
	b.corrupt(t, got.SHA256, damaged)
	w, err := serve(b, got.SHA256, http.Header{})
	if !apperr.Is(err, apperr.Unavailable) || !strings.Contains(err.Error(), "已损坏") || w.Body.Len() != 0 {
		t.Fatalf("damaged blob served: %v, %d bytes", err, w.Body.Len())
	}
	if _, err := b.store.Put(context.Background(), bytes.NewReader(data), blob.PutOptions{Name: "scan.pdf"}); err != nil {
		t.Fatal(err)
	}
	if w, err := serve(b, got.SHA256, http.Header{}); err != nil || !bytes.Equal(w.Body.Bytes(), data) {
		t.Fatalf("a new upload of the content did not repair it: %v", err)
	}
}

func contractMissing(t *testing.T, b backend) {
	got, _ := putPDF(t, b)
	b.remove(t, got.SHA256)
	if _, err := serve(b, got.SHA256, http.Header{}); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("Serve(missing) = %v", err)
	}
	if _, _, err := b.store.Open(got.SHA256); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("Open(missing) = %v", err)
	}
	if ok, err := b.store.Exists(got.SHA256); ok || err != nil {
		t.Fatalf("Exists(missing) = %v, %v", ok, err)
	}
}
