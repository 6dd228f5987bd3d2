package blob

import (
	"context"
	"io"
)

// Batch places many materials whose durability can wait for one moment,
// as a restore or a bulk load does: Place writes and renames each file
// without waiting for the disk, and Sync then makes every file placed so
// far durable with one sync of the filesystem. Nothing may refer to a
// material placed through a batch before Sync has returned. Where the
// store syncs each file (see openFlusher), Place is the store's own and
// Sync has nothing left to do.
type Batch struct {
	s *Store
}

// Batch starts a batch of placements into the store.
func (s *Store) Batch() *Batch { return &Batch{s: s} }

// Place is Store.Place without the wait for the disk.
func (b *Batch) Place(ctx context.Context, sum string, r io.Reader) error {
	if b.s.flush == nil {
		return b.s.Place(ctx, sum, r)
	}
	return b.s.place(ctx, sum, r, b.s.rename)
}

// Sync makes every material placed through the batch durable.
func (b *Batch) Sync() error {
	if b.s.flush == nil {
		return nil
	}
	return errSave(b.s.flush.flush())
}
