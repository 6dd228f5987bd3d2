// Package backup writes and reads the archive `openhall backup` makes: a
// tar file holding a consistent copy of the SQLite database (none on
// PostgreSQL, whose database pg_dump copies), every uploaded material the
// database refers to, and a manifest that lets a restore check that it got
// all of it. The archive is written to a temporary file next to its
// destination, synced and renamed into place, so an archive that exists is
// complete. Materials are checked against their content address on the way
// in and on the way out.
package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// Entry names inside an archive.
const (
	DatabaseEntry = "openhall.db"
	ManifestEntry = "MANIFEST.json"
	blobPrefix    = "blobs/"
)

// Manifest describes an archive; it is its last entry.
type Manifest struct {
	Format    int              `json:"format"`
	CreatedAt time.Time        `json:"created_at"`
	Backend   string           `json:"backend"`
	Database  bool             `json:"database"`         // the archive holds the SQLite database
	Counts    map[string]int64 `json:"counts,omitempty"` // rows per table of that database
	Blobs     int64            `json:"blobs"`            // materials in the archive
	BlobBytes int64            `json:"blob_bytes"`
}

// formatVersion is the archive layout this program writes and reads.
const formatVersion = 1

// Writer writes an archive to a temporary file until Commit renames it
// into place; Abort (or a failed Commit) removes it.
type Writer struct {
	path string
	f    *os.File
	buf  *bufio.Writer
	tw   *tar.Writer
	m    Manifest
}

// Create starts an archive that will be at path. An existing file there is
// refused: a backup never overwrites another.
func Create(path, backend string, now time.Time) (*Writer, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, apperr.New(apperr.Conflict, "备份文件 %s 已存在，请换一个文件名", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "无法在 "+filepath.Dir(path)+" 写入备份文件")
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	return &Writer{path: path, f: f, buf: buf, tw: tar.NewWriter(buf),
		m: Manifest{Format: formatVersion, CreatedAt: now.UTC(), Backend: backend}}, nil
}

// TempDir is the directory the archive is written in, for the copy of the
// database that goes into it (the same filesystem as the archive).
func (w *Writer) TempDir() string { return filepath.Dir(w.path) }

// AddDatabase copies the database file at path into the archive, with the
// row counts a restore checks.
func (w *Writer) AddDatabase(path string, counts map[string]int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := w.add(DatabaseEntry, st.Size(), f); err != nil {
		return err
	}
	w.m.Database, w.m.Counts = true, counts
	return nil
}

// AddBlob copies the material at sum from the store into the archive,
// checking that its content still has that address.
func (w *Writer) AddBlob(store blob.Blobs, sum string) error {
	rc, b, err := store.Open(sum)
	if err != nil {
		return fmt.Errorf("材料 %s：%s", sum, apperr.MessageOf(err))
	}
	defer rc.Close()
	h := sha256.New()
	src := &source{r: io.TeeReader(rc, h)}
	if err := w.add(blobPrefix+blobPath(sum), b.Size, src); err != nil {
		if src.err != nil { // the store's, e.g. an object found damaged as it was read
			return fmt.Errorf("材料 %s：%s", sum, apperr.MessageOf(src.err))
		}
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("材料 %s 已损坏（内容的 SHA-256 为 %s），备份中止；请从更早的备份取回该文件", sum, got)
	}
	w.m.Blobs++
	w.m.BlobBytes += b.Size
	return nil
}

// source keeps the error of the reader it wraps, to tell a material that
// could not be read from an archive that could not be written.
type source struct {
	r   io.Reader
	err error
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// add writes one entry. Its time is whole seconds, so that the header
// needs no PAX record: a small material's entry is then one 512-byte
// header and its content.
func (w *Writer) add(name string, size int64, r io.Reader) error {
	hdr := &tar.Header{Name: name, Mode: 0o640, Size: size, ModTime: w.m.CreatedAt.Truncate(time.Second), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	if err := w.tw.WriteHeader(hdr); err != nil {
		return w.writeError(err)
	}
	n, err := io.Copy(w.tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s changed while it was copied (%d of %d bytes)", name, n, size)
	}
	return w.writeError(err)
}

func (w *Writer) writeError(err error) error {
	if err == nil {
		return nil
	}
	return apperr.Wrap(err, apperr.Unavailable, "写入备份文件失败（磁盘空间不足？）")
}

// Commit writes the manifest, syncs the archive and renames it into place.
func (w *Writer) Commit() (Manifest, error) {
	js, err := json.MarshalIndent(w.m, "", "  ")
	if err != nil {
		return w.m, err
	}
	err = errors.Join(w.add(ManifestEntry, int64(len(js)), bytes.NewReader(js)), w.writeError(w.tw.Close()),
		w.writeError(w.buf.Flush()), w.writeError(w.f.Sync()), w.writeError(w.f.Close()))
	if err == nil {
		err = w.writeError(os.Rename(w.f.Name(), w.path))
	}
	if err != nil {
		os.Remove(w.f.Name())
		return w.m, err
	}
	return w.m, syncDir(filepath.Dir(w.path))
}

// Abort discards an archive that will not be committed.
func (w *Writer) Abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// blobPath is a material's place under blobs/, as in the blob store.
func blobPath(sum string) string { return sum[0:2] + "/" + sum[2:4] + "/" + sum }
