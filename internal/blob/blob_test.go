package blob_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// Samples: small real files of every kind, made here rather than shipped.

func pdfSample() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func img() image.Image {
	m := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := 0; i < 8; i++ {
		m.Set(i, i, color.RGBA{200, 0, 0, 255})
	}
	return m
}

func pngSample(t testing.TB) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img()); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegSample(t testing.TB) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img(), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipOf builds an archive holding the named files.
func zipOf(t testing.TB, names ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newStore(t testing.TB) *blob.Store {
	s, err := blob.New(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func put(s *blob.Store, data []byte, o blob.PutOptions) (blob.Blob, error) {
	return s.Put(context.Background(), bytes.NewReader(data), o)
}

func sum(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

func TestSniffing(t *testing.T) {
	s := newStore(t)
	cases := []struct {
		name string
		data []byte
		kind blob.Kind
		mime string
	}{
		{"scan.pdf", pdfSample(), blob.KindPDF, "application/pdf"},
		{"photo.jpg", jpegSample(t), blob.KindJPEG, "image/jpeg"},
		{"photo.JPEG", jpegSample(t), blob.KindJPEG, "image/jpeg"},
		{"seal.png", pngSample(t), blob.KindPNG, "image/png"},
		{"licence.ofd", zipOf(t, "OFD.xml", "Doc_0/Document.xml"), blob.KindOFD, "application/ofd"},
		{"form.docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), blob.KindDOCX, blob.KindDOCX.MIME()},
		{"list.xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml"), blob.KindXLSX, blob.KindXLSX.MIME()},
		{"", pdfSample(), blob.KindPDF, "application/pdf"},
		{"names.pdf", append(pdfSample(), "3 0 obj << /JSON true /JScript2 1 >> endobj\n"...), blob.KindPDF, "application/pdf"},
		{"无扩展名", pngSample(t), blob.KindPNG, "image/png"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := put(s, c.data, blob.PutOptions{Name: c.name, Allowed: blob.Kinds})
			if err != nil {
				t.Fatalf("put: %v", err)
			}
			if b.Kind != c.kind || b.MIME != c.mime || b.Size != int64(len(c.data)) || b.SHA256 != sum(c.data) {
				t.Fatalf("got %+v, want kind %s, mime %s, size %d", b, c.kind, c.mime, len(c.data))
			}
			rc, got, err := s.Open(b.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			content, _ := io.ReadAll(rc)
			if got != b || !bytes.Equal(content, c.data) {
				t.Fatalf("open: %+v, %d bytes; want %+v", got, len(content), b)
			}
		})
	}
}

func TestRefusals(t *testing.T) {
	s := newStore(t)
	polyglot := append(pdfSample(), zipOf(t, "evil.class")...)
	cases := []struct {
		name    string
		data    []byte
		allowed []blob.Kind
		want    string // part of the message
	}{
		{"archive.pdf", zipOf(t, "a.txt"), nil, "扩展名为 .pdf，但文件内容是ZIP 压缩包"},
		{"setup.pdf", append([]byte("MZ\x90\x00"), make([]byte, 100)...), nil, "可执行程序"},
		{"run.pdf", []byte("\x7fELF\x02\x01\x01"), nil, "可执行程序"},
		{"x.sh", []byte("#!/bin/sh\nrm -rf /\n"), nil, "可执行程序"},
		{"page.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), nil, "网页、SVG 图形或脚本"},
		{"logo.png", []byte("\xEF\xBB\xBF  <svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"), nil, "网页、SVG 图形或脚本"},
		{"note.txt", []byte("just text, but javascript:alert(1)"), nil, "网页、SVG 图形或脚本"},
		{"plain.pdf", []byte("just some text"), nil, "无法识别文件类型，仅接受 PDF、JPEG 图片、PNG 图片、OFD"},
		{"both.pdf", polyglot, nil, "夹带的压缩包"},
		{"script.pdf", append(pdfSample(), "2 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"...), nil, "打印为 PDF"},
		{"launch.pdf", append(pdfSample(), "2 0 obj << /A << /S/Launch/F (cmd.exe) >> >> endobj\n"...), nil, "自动执行动作"},
		{"photo.pdf", pngSample(t), nil, "文件扩展名为 .pdf，但内容是PNG 图片，与扩展名不符；请上传真实的PDF文件"},
		{"scan.exe", pdfSample(), nil, "文件扩展名 .exe 与文件内容（PDF）不符"},
		{"form.docx", zipOf(t, "[Content_Types].xml", "word/document.xml"), nil, "本材料不接受Word 文档（DOCX），仅接受"},
		{"scan.pdf", pdfSample(), []blob.Kind{blob.KindPNG}, "本材料不接受PDF，仅接受 PNG 图片"},
		{"empty.pdf", nil, nil, "文件为空"},
		{"data.csv", []byte("a,b\n1,\x002\n"), []blob.Kind{blob.KindCSV}, "无法识别文件类型，仅接受 CSV"},
		{"data.csv", []byte("\xff\xfe,a\n"), []blob.Kind{blob.KindCSV}, "无法识别文件类型，仅接受 CSV"},
		{"data.csv", []byte("<script>alert(1)</script>,a\n"), []blob.Kind{blob.KindCSV}, "网页、SVG 图形或脚本"},
		{"data.csv", []byte("名称,数量\n甲,1\n"), nil, "无法识别文件类型，仅接受 PDF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := put(s, c.data, blob.PutOptions{Name: c.name, Allowed: c.allowed})
			msg := apperr.FieldsOf(err)["file"]
			if !apperr.Is(err, apperr.Invalid) || !strings.Contains(msg, c.want) {
				t.Fatalf("got %v (file: %q), want a refusal containing %q", err, msg, c.want)
			}
		})
	}
	assertEmpty(t, s)
}

// assertEmpty checks that refused uploads left nothing behind.
func assertEmpty(t *testing.T, s *blob.Store) {
	t.Helper()
	entries, err := os.ReadDir(s.Root())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind: %s", e.Name())
	}
}

func TestSizeLimit(t *testing.T) {
	s := newStore(t)
	limit := int64(len(pdfSample()) + 100)
	exact := append(pdfSample(), bytes.Repeat([]byte(" "), 100)...)
	if b, err := put(s, exact, blob.PutOptions{MaxBytes: limit}); err != nil || b.Size != limit {
		t.Fatalf("exactly at the limit: %+v %v", b, err)
	}
	over := append(exact, ' ')
	_, err := put(s, over, blob.PutOptions{MaxBytes: limit})
	if msg := apperr.FieldsOf(err)["file"]; !strings.Contains(msg, "文件超过大小上限") {
		t.Fatalf("one byte over: %v", err)
	}
	_, err = put(s, bytes.Repeat([]byte("x"), 3<<20), blob.PutOptions{MaxBytes: 2 << 20})
	if msg := apperr.FieldsOf(err)["file"]; !strings.Contains(msg, "2 MB") {
		t.Fatalf("limit in the message: %v", err)
	}
}

func TestDeduplication(t *testing.T) {
	s := newStore(t)
	a, err := put(s, pdfSample(), blob.PutOptions{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := put(s, pdfSample(), blob.PutOptions{Name: "b.pdf"})
	if err != nil || a != b {
		t.Fatalf("second upload: %+v %v; want %+v", b, err, a)
	}
	if n := countFiles(t, s.Root()); n != 1 {
		t.Fatalf("%d files stored, want 1", n)
	}
}

func countFiles(t *testing.T, root string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	return n
}

func TestConcurrentIdenticalUploads(t *testing.T) {
	s := newStore(t)
	data := append(pdfSample(), bytes.Repeat([]byte("%"), 64<<10)...)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := put(s, data, blob.PutOptions{})
			if err == nil && b.SHA256 != sum(data) {
				err = io.ErrUnexpectedEOF
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := countFiles(t, s.Root()); n != 1 {
		t.Fatalf("%d files after 16 identical uploads, want 1", n)
	}
	assertStored(t, s, data)
}

// assertStored checks the file at the content's address is complete and no
// temporary file remains.
func assertStored(t *testing.T, s *blob.Store, data []byte) {
	t.Helper()
	h := sum(data)
	got, err := os.ReadFile(filepath.Join(s.Root(), h[:2], h[2:4], h))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("stored file: %d bytes, %v; want %d bytes", len(got), err, len(data))
	}
	matches, _ := filepath.Glob(filepath.Join(s.Root(), ".upload-*"))
	if len(matches) != 0 {
		t.Fatalf("temporary files left: %v", matches)
	}
}

func TestDurableWrite(t *testing.T) {
	s := newStore(t)
	data := append(pdfSample(), bytes.Repeat([]byte("0123456789"), 5000)...)
	if _, err := put(s, data, blob.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	assertStored(t, s, data)
	if ok, err := s.Exists(sum(data)); !ok || err != nil {
		t.Fatalf("exists: %v %v", ok, err)
	}
}

// A name whose content never reached the disk before a crash (here: cut
// short, then padded to the right length with zeros) is not trusted: the
// next upload of that content replaces it.
func TestDamagedNameIsReplaced(t *testing.T) {
	s := newStore(t)
	data := pdfSample()
	dir := filepath.Join(s.Root(), sum(data)[0:2], sum(data)[2:4])
	for _, damaged := range [][]byte{data[:len(data)/2], make([]byte, len(data))} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, sum(data)), damaged, 0o640); err != nil {
			t.Fatal(err)
		}
		if _, err := put(s, data, blob.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		assertStored(t, s, data)
		if n := countFiles(t, s.Root()); n != 1 {
			t.Fatalf("%d files after replacing a damaged name, want 1 (no temporary file left)", n)
		}
	}
}

func TestCancelledUpload(t *testing.T) {
	s := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, bytes.NewReader(pdfSample()), blob.PutOptions{}); err == nil {
		t.Fatal("a cancelled upload was stored")
	}
	assertEmpty(t, s)
}

func TestNoPathTraversal(t *testing.T) {
	s := newStore(t)
	secret := filepath.Join(filepath.Dir(s.Root()), "secret")
	os.WriteFile(secret, []byte("%PDF-secret"), 0o600)
	for _, h := range []string{"../secret", "../../etc/passwd", "", strings.Repeat("a", 63) + "/",
		strings.Repeat("A", 64), "..%2fsecret", strings.Repeat("../", 21) + "e"} {
		if _, _, err := s.Open(h); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("open %q: %v, want NotFound", h, err)
		}
		if ok, err := s.Exists(h); ok || !apperr.Is(err, apperr.NotFound) {
			t.Errorf("exists %q: %v %v", h, ok, err)
		}
	}
	b, err := put(s, pdfSample(), blob.PutOptions{Name: "../../../../tmp/evil.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.Root(), b.SHA256[:2], b.SHA256[2:4], b.SHA256)); err != nil {
		t.Fatalf("a declared name changed where the file went: %v", err)
	}
}

func TestMissingBlob(t *testing.T) {
	s := newStore(t)
	if _, _, err := s.Open(sum([]byte("never stored"))); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("open missing: %v", err)
	}
	if ok, err := s.Exists(sum([]byte("never stored"))); ok || err != nil {
		t.Fatalf("exists missing: %v %v", ok, err)
	}
}

func BenchmarkPut20KB(b *testing.B) {
	s := newStore(b)
	data := append(pdfSample(), bytes.Repeat([]byte("x"), 20<<10-len(pdfSample()))...)
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		copy(data[len(data)-8:], []byte{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24), 1, 2, 3, 4})
		if _, err := put(s, data, blob.PutOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCSV: text is stored as CSV only where the caller allows it, also when
// the sniffed head ends inside a character.
func TestCSV(t *testing.T) {
	s := newStore(t)
	long := []byte("名称,说明\n" + strings.Repeat("甲,政务公开数据\n", 60))
	for _, data := range [][]byte{[]byte("名称,数量\n甲,1\n"), long} {
		b, err := put(s, data, blob.PutOptions{Name: "data.csv", Allowed: []blob.Kind{blob.KindCSV}})
		if err != nil || b.Kind != blob.KindCSV || b.MIME != "text/csv; charset=utf-8" || b.Size != int64(len(data)) {
			t.Fatalf("csv of %d bytes: %+v %v", len(data), b, err)
		}
	}
}
