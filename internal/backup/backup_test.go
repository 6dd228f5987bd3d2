package backup

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

type fakeDB struct{ counts map[string]int64 }

func (f fakeDB) Check(context.Context) error                      { return nil }
func (f fakeDB) Counts(context.Context) (map[string]int64, error) { return f.counts, nil }
func (f fakeDB) Close() error                                     { return nil }
func opener(counts map[string]int64) OpenFunc {
	return func(context.Context, string) (Database, error) { return fakeDB{counts}, nil }
}

// archive writes an archive of one database file and two materials.
func archive(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	store, err := blob.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	var sums []string
	for _, body := range []string{"%PDF-1.4\n% one\n", "%PDF-1.4\n% two\n"} {
		b, err := store.Put(context.Background(), strings.NewReader(body), blob.PutOptions{Name: "a.pdf"})
		if err != nil {
			t.Fatal(err)
		}
		sums = append(sums, b.SHA256)
	}
	db := filepath.Join(dir, "copy.db")
	os.WriteFile(db, []byte("SQLite format 3\x00 not really"), 0o600)
	out := filepath.Join(dir, "backup.tar")
	w, err := Create(out, "sqlite", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		if err := w.AddBlob(store, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddDatabase(db, map[string]int64{"cases": 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := Create(out, "sqlite", time.Now()); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second backup over the first: %v", err)
	}
	return out, sums
}

func TestRestoreChecksEverything(t *testing.T) {
	ctx := context.Background()
	out, sums := archive(t)
	good := t.TempDir()
	m, err := Restore(ctx, out, good, opener(map[string]int64{"cases": 2}))
	if err != nil || m.Blobs != 2 || !m.Database {
		t.Fatalf("restore: %+v %v", m, err)
	}
	for _, s := range sums {
		if _, err := os.Stat(filepath.Join(good, "blobs", s[:2], s[2:4], s)); err != nil {
			t.Fatalf("material %s: %v", s, err)
		}
	}
	if _, err := Restore(ctx, out, good, opener(nil)); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("restoring over a database: %v", err)
	}
	if _, err := Restore(ctx, out, t.TempDir(), opener(map[string]int64{"cases": 1})); err == nil || !strings.Contains(err.Error(), "cases") {
		t.Fatalf("a database whose counts differ from the manifest's: %v", err)
	}
	raw, _ := os.ReadFile(out)
	bad := filepath.Join(t.TempDir(), "bad.tar")
	os.WriteFile(bad, bytes.Replace(raw, []byte("% one"), []byte("% 0ne"), 1), 0o600)
	dir := t.TempDir()
	if _, err := Restore(ctx, bad, dir, opener(map[string]int64{"cases": 2})); err == nil {
		t.Fatal("a damaged material was restored")
	}
	if _, err := os.Stat(filepath.Join(dir, DatabaseFile)); err == nil {
		t.Fatal("a failed restore left a database in place")
	}
	cut := filepath.Join(t.TempDir(), "cut.tar")
	os.WriteFile(cut, raw[:len(raw)/2], 0o600)
	if _, err := Restore(ctx, cut, t.TempDir(), opener(map[string]int64{"cases": 2})); err == nil {
		t.Fatal("half an archive was restored")
	}
}

// TestRestoreMaterialsOnly: an archive of a PostgreSQL deployment holds
// materials and no database; it restores them and puts no database in place.
func TestRestoreMaterialsOnly(t *testing.T) {
	dir := t.TempDir()
	store, err := blob.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Put(context.Background(), strings.NewReader("%PDF-1.4\n% pg\n"), blob.PutOptions{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "backup.tar")
	w, err := Create(out, "postgres", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.AddBlob(store, b.SHA256); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	restored := t.TempDir()
	m, err := Restore(context.Background(), out, restored, opener(nil))
	if err != nil || m.Blobs != 1 || m.Database {
		t.Fatalf("restore of a materials-only archive: %+v %v", m, err)
	}
	if _, err := os.Stat(filepath.Join(restored, "blobs", b.SHA256[:2], b.SHA256[2:4], b.SHA256)); err != nil {
		t.Fatalf("material: %v", err)
	}
	if _, err := os.Stat(filepath.Join(restored, DatabaseFile)); err == nil {
		t.Fatal("a materials-only restore put a database in place")
	}
}

// damagedStore is a store whose reads end in an error, as an object store's
// do when an object's content no longer has its address.
type damagedStore struct{ *blob.Store }

func (d damagedStore) Open(sum string) (io.ReadCloser, blob.Blob, error) {
	rc, b, err := d.Store.Open(sum)
	if err != nil {
		return nil, b, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.MultiReader(rc, iotest.ErrReader(apperr.New(apperr.Unavailable, "该材料文件已损坏"))), rc}, b, nil
}

// TestBackupDamagedMaterial: a material the store reports damaged while it
// is read stops the backup with the material named, not as a failure to
// write the archive.
func TestBackupDamagedMaterial(t *testing.T) {
	dir := t.TempDir()
	store, err := blob.New(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Put(context.Background(), strings.NewReader("%PDF-1.4\n% rot\n"), blob.PutOptions{Name: "a.pdf"})
	if err != nil {
		t.Fatal(err)
	}
	w, err := Create(filepath.Join(dir, "backup.tar"), "postgres", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	err = w.AddBlob(damagedStore{store}, b.SHA256)
	if err == nil || !strings.Contains(err.Error(), b.SHA256) || !strings.Contains(err.Error(), "已损坏") {
		t.Fatalf("backup of a damaged material: %v", err)
	}
}
