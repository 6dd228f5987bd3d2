package blob_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// padded is a PDF of about size bytes, with extra inserted after filler.
func padded(size int, extra string) []byte {
	data := pdfSample()
	data = append(data, bytes.Repeat([]byte("% filler line\n"), max(0, size-len(data))/14)...)
	return append(data, extra...)
}

// Uploads are checked in memory up to 64 KiB and read back from the file
// beyond; the same checks must hold on either side of that size.
func TestChecksEitherSideOfKeptSize(t *testing.T) {
	s := newStore(t)
	script := "2 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
	for _, size := range []int{1 << 10, 64<<10 - len(script) - 14, 64 << 10, 200 << 10} {
		clean := padded(size, "")
		b, err := put(s, clean, blob.PutOptions{Name: "scan.pdf"})
		if err != nil || b.SHA256 != sum(clean) || b.Size != int64(len(clean)) || b.Kind != blob.KindPDF {
			t.Fatalf("%d bytes: %+v, %v", len(clean), b, err)
		}
		assertStored(t, s, clean)
		for name, data := range map[string][]byte{
			"script": padded(size, script),
			"zip":    append(padded(size, ""), zipOf(t, "evil.class")...),
		} {
			_, err := put(s, data, blob.PutOptions{Name: "scan.pdf"})
			if msg := apperr.FieldsOf(err)["file"]; !apperr.Is(err, apperr.Invalid) || msg == "" {
				t.Fatalf("%s, %d bytes: got %v, want a refusal", name, len(data), err)
			}
		}
	}
}

// A directory of the store removed while the node runs (by hand, or by a
// restore) is made again when content is stored into it once more.
func TestDirectoryRemovedWhileRunning(t *testing.T) {
	s := newStore(t)
	data := pdfSample()
	if _, err := put(s, data, blob.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	h := sum(data)
	for _, gone := range []string{filepath.Join(s.Root(), h[:2], h[2:4]), filepath.Join(s.Root(), h[:2])} {
		if err := os.RemoveAll(gone); err != nil {
			t.Fatal(err)
		}
		if _, err := put(s, data, blob.PutOptions{}); err != nil {
			t.Fatalf("after removing %s: %v", strings.TrimPrefix(gone, s.Root()), err)
		}
		assertStored(t, s, data)
	}
}
