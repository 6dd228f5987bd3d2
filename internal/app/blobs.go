package app

import (
	"context"
	"os"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/config"
)

// OpenBlobs opens the configured blob store: a local directory, or an
// S3-compatible object store whose bucket must exist, read through to
// --blobs-fallback while materials move into it (blob.Fallback).
func OpenBlobs(ctx context.Context, cfg config.Config) (blob.Blobs, error) {
	if !cfg.BlobsInS3() {
		return blob.New(cfg.BlobDir())
	}
	bucket, err := blob.NewS3(ctx, cfg.S3())
	if err != nil || cfg.BlobsFallback == "" {
		return bucket, err
	}
	dir, err := openFallbackDir(cfg.BlobsFallback)
	if err != nil {
		return nil, err
	}
	return blob.NewFallback(bucket, dir), nil
}

// openFallbackDir opens the directory materials move from; unlike --blobs
// it is never created: a missing one is a mistyped path.
func openFallbackDir(dir string) (*blob.Store, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, apperr.New(apperr.Invalid, "--blobs-fallback %s 不是可读取的目录：应为材料迁入对象存储之前所在的目录（migrate-blobs 的 --from）", dir)
	}
	return blob.New(dir)
}

// checkWritable has a serving node's object store prove that it accepts
// writes (blob.S3.CheckWritable) before any database is touched; a local
// directory needs no check beyond its creation.
func checkWritable(ctx context.Context, blobs blob.Blobs, node bool) error {
	w, ok := blobs.(interface{ CheckWritable(context.Context) error })
	if !node || !ok {
		return nil
	}
	return w.CheckWritable(ctx)
}
