package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/backup"
	"openhall/internal/blob"
	"openhall/internal/config"
	"openhall/internal/store"
	"openhall/internal/store/postgres"
	"openhall/internal/store/sqlite"
)

// Backup writes an archive of the deployment to out while it runs: on
// SQLite a consistent copy of the database and every material it refers
// to; on PostgreSQL the materials the database refers to, the database
// itself being pg_dump's (run it first: materials are never removed, so
// the ones referred to after the dump include the dump's).
func Backup(ctx context.Context, cfg config.Config, out string) (backup.Manifest, error) {
	if err := cfg.Validate(); err != nil {
		return backup.Manifest{}, err
	}
	s, err := openStores(ctx, cfg, time.Now)
	if err != nil {
		return backup.Manifest{}, err
	}
	defer s.Close()
	blobs, err := OpenBlobs(ctx, cfg)
	if err != nil {
		return backup.Manifest{}, err
	}
	if err := ownBlobStore(ctx, s.Settings, blobs, blobLabel(cfg)); err != nil {
		return backup.Manifest{}, err
	}
	w, err := backup.Create(out, s.Backend.Backend(), time.Now())
	if err != nil {
		return backup.Manifest{}, err
	}
	switch db := s.Backend.(type) {
	case *sqlite.DB:
		err = backupSQLite(ctx, db, blobs, w)
	case *postgres.DB:
		err = db.MaterialHashes(ctx, func(sum string) error { return w.AddBlob(blobs, sum) })
	}
	if err != nil {
		w.Abort()
		return backup.Manifest{}, err
	}
	return w.Commit()
}

// ownBlobStore refuses a backup from a blob store that is not the
// deployment's (a --blobs left out or mistyped): every material would be
// missing from it, the first one stopping the backup as if it were lost. A
// store migrate-blobs copied the deployment's marker into counts as its.
func ownBlobStore(ctx context.Context, settings store.Settings, blobs blob.Blobs, label string) error {
	rec, err := readBlobRecord(ctx, settings)
	if apperr.Is(err, apperr.NotFound) {
		return nil // no node has started on this database yet
	}
	if err != nil {
		return err
	}
	if _, err := blobs.ReadMarker(ctx, rec.Deployment); !apperr.Is(err, apperr.NotFound) {
		return err
	}
	return apperr.New(apperr.Invalid, "材料存储（--blobs）%s 不是本部署的：数据库登记的材料存储是 %s。"+
		"请给出与 serve 相同的 --blobs（对象存储还须同一个 --s3-endpoint 及其密钥）后重新备份", label, rec.Store)
}

// backupSQLite copies the database beside the archive, then puts the
// materials that copy refers to and the copy itself into the archive.
func backupSQLite(ctx context.Context, db *sqlite.DB, blobs blob.Blobs, w *backup.Writer) error {
	dir, err := os.MkdirTemp(w.TempDir(), ".openhall-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, backup.DatabaseFile)
	if err := db.Snapshot(ctx, path); err != nil {
		return err
	}
	snap, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		return err
	}
	counts, err := snap.Counts(ctx)
	if err == nil {
		err = snap.MaterialHashes(ctx, func(sum string) error { return w.AddBlob(blobs, sum) })
	}
	if err = errors.Join(err, snap.Close()); err != nil {
		return err
	}
	return w.AddDatabase(path, counts)
}

// Restore unpacks an archive into a new data directory (cfg.DataDir). On
// PostgreSQL only the materials come back; the database comes back with
// pg_restore.
func Restore(ctx context.Context, cfg config.Config, from string) (backup.Manifest, error) {
	if err := cfg.Validate(); err != nil {
		return backup.Manifest{}, err
	}
	open := func(ctx context.Context, path string) (backup.Database, error) {
		return openRestoredCopy(ctx, path, cfg.DataDir)
	}
	m, err := backup.Restore(ctx, from, cfg.DataDir, open)
	if err == nil && m.Database && cfg.IsPostgres() {
		err = errors.New("该备份是 SQLite 部署的备份（含数据库文件），已恢复到数据目录；它不能恢复到 PostgreSQL")
	}
	return m, err
}

// openRestoredCopy opens the restored database for Restore to check and,
// before Restore puts it in place, gives the restored materials the marker
// of the deployment that database records (see checkBlobStore), so that a
// server started on the restored data directory takes them for its own.
func openRestoredCopy(ctx context.Context, path, dataDir string) (backup.Database, error) {
	db, err := sqlite.Open(ctx, sqlite.Options{Path: path})
	if err != nil {
		return nil, err
	}
	if err := markRestoredBlobs(ctx, db.Settings(), config.Config{DataDir: dataDir}); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// markRestoredBlobs writes the marker of the deployment recorded in
// settings into the local blob store of cfg; nothing when none is
// recorded (the first server to start records one).
func markRestoredBlobs(ctx context.Context, settings store.Settings, cfg config.Config) error {
	rec, err := readBlobRecord(ctx, settings)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	blobs, err := blob.New(cfg.BlobDir())
	if err != nil {
		return err
	}
	return blobs.WriteMarker(ctx, blob.Marker{Deployment: rec.Deployment, Store: blobLabel(cfg), WrittenAt: time.Now().UTC()})
}
