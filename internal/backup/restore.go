package backup

import (
	"archive/tar"
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/blob"
)

// Database is what a restore asks of the restored database file.
type Database interface {
	Check(ctx context.Context) error // the storage engine's own integrity check
	Counts(ctx context.Context) (map[string]int64, error)
	Close() error
}

// OpenFunc opens a database file for Restore to check.
type OpenFunc func(ctx context.Context, path string) (Database, error)

// DatabaseFile is the database's file name in a data directory.
const DatabaseFile = "openhall.db"

// Restore unpacks the archive at path into the data directory dir, which
// must not hold a database yet. Every material is checked against its
// address as it is placed; the database is checked by open (integrity and
// the row counts of the manifest) before it is put in place, so a data
// directory with a database in it is a complete restore.
func Restore(ctx context.Context, path, dir string, open OpenFunc) (Manifest, error) {
	final := filepath.Join(dir, DatabaseFile)
	if _, err := os.Stat(final); err == nil {
		return Manifest{}, apperr.New(apperr.Conflict, "数据目录 %s 中已有数据库；恢复只写入新的（空的）数据目录", dir)
	}
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, apperr.Wrap(err, apperr.Invalid, "无法读取备份文件 "+path)
	}
	defer f.Close()
	store, err := blob.New(filepath.Join(dir, "blobs"))
	if err != nil {
		return Manifest{}, err
	}
	staged := final + ".restoring"
	defer os.Remove(staged)
	r := &reader{store: store.Batch(), staged: staged}
	if err := r.read(ctx, tar.NewReader(bufio.NewReaderSize(f, 1<<20))); err != nil {
		return r.m, err
	}
	// One sync for all the materials, before the database that refers to
	// them is put in place.
	if err := r.store.Sync(); err != nil {
		return r.m, err
	}
	if err := r.verify(ctx, open); err != nil {
		return r.m, err
	}
	if !r.database {
		return r.m, nil // PostgreSQL: materials only, synced above
	}
	if err := os.Rename(staged, final); err != nil {
		return r.m, err
	}
	return r.m, syncDir(dir)
}

// reader unpacks one archive.
type reader struct {
	store    *blob.Batch
	staged   string
	m        Manifest
	manifest bool
	database bool
	blobs    int64
}

func (r *reader) read(ctx context.Context, tr *tar.Reader) error {
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return broken(err)
		}
		if err := r.entry(ctx, hdr.Name, tr); err != nil {
			return err
		}
	}
}

func (r *reader) entry(ctx context.Context, name string, tr io.Reader) error {
	switch {
	case name == DatabaseEntry:
		r.database = true
		return writeFile(r.staged, tr)
	case strings.HasPrefix(name, blobPrefix):
		sum := name[strings.LastIndexByte(name, '/')+1:]
		if blobPrefix+blobPath(sum) != name || !blob.ValidHash(sum) {
			return apperr.New(apperr.Invalid, "备份文件中的材料路径 %q 无效", name)
		}
		r.blobs++
		return r.store.Place(ctx, sum, tr)
	case name == ManifestEntry:
		r.manifest = true
		if err := json.NewDecoder(tr).Decode(&r.m); err != nil {
			return broken(err)
		}
		return nil
	}
	return apperr.New(apperr.Invalid, "备份文件中有无法识别的内容 %q；它不是 openhall backup 写的备份", name)
}

// verify checks the unpacked archive against its manifest, and the
// database by opening it.
func (r *reader) verify(ctx context.Context, open OpenFunc) error {
	switch {
	case !r.manifest:
		return apperr.New(apperr.Invalid, "备份文件不完整（缺少清单），无法恢复")
	case r.m.Format != formatVersion:
		return apperr.New(apperr.Invalid, "备份文件格式版本 %d 无法识别（本程序读取版本 %d）", r.m.Format, formatVersion)
	case r.blobs != r.m.Blobs:
		return apperr.New(apperr.Invalid, "备份文件应有 %d 个材料，实际 %d 个", r.m.Blobs, r.blobs)
	case r.database != r.m.Database:
		return apperr.New(apperr.Invalid, "备份文件的数据库部分与清单不符")
	case !r.database:
		return nil // PostgreSQL: the database comes back with pg_restore
	}
	db, err := open(ctx, r.staged)
	if err != nil {
		return err
	}
	err = checkDatabase(ctx, db, r.m.Counts)
	return errors.Join(err, db.Close(), removeSidecars(r.staged))
}

func checkDatabase(ctx context.Context, db Database, want map[string]int64) error {
	if err := db.Check(ctx); err != nil {
		return err
	}
	got, err := db.Counts(ctx)
	if err != nil {
		return err
	}
	if !maps.Equal(got, want) {
		for t, n := range want {
			if got[t] != n {
				return apperr.New(apperr.Invalid, "恢复的数据库中表 %s 有 %d 行，备份时为 %d 行", t, got[t], n)
			}
		}
		return apperr.New(apperr.Invalid, "恢复的数据库中的表与备份时不同")
	}
	return nil
}

// removeSidecars removes the WAL files a checked copy leaves, so that only
// the database file is renamed into place.
func removeSidecars(path string) error {
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func writeFile(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "无法写入 "+path)
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return broken(err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func broken(err error) error {
	return apperr.Wrap(err, apperr.Invalid, "备份文件已损坏或不完整，无法恢复")
}
