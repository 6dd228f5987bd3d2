package app

import (
	"context"

	"openhall/internal/blob"
	"openhall/internal/config"
)

// OpenBlobs opens the configured blob store: a local directory, or an
// S3-compatible object store whose bucket must exist.
func OpenBlobs(ctx context.Context, cfg config.Config) (blob.Blobs, error) {
	if cfg.BlobsInS3() {
		return blob.NewS3(ctx, cfg.S3())
	}
	return blob.New(cfg.BlobDir())
}
