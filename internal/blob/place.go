package blob

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"openhall/internal/apperr"
)

// Place stores content that must have the address sum, as a restore from a
// backup does: its type is not looked at again (it was checked when it was
// uploaded), its hash is. Content that does not match is refused and
// nothing is stored. Once Place returns, the file is durable like an upload.
func (s *Store) Place(ctx context.Context, sum string, r io.Reader) error {
	return s.place(ctx, sum, r, s.commit)
}

// place is Place with the commit step given: s.commit, or a batch's,
// which leaves the sync to the batch.
func (s *Store) place(ctx context.Context, sum string, r io.Reader, commit func(*os.File, Blob) (bool, error)) error {
	if !ValidHash(sum) {
		return apperr.New(apperr.Invalid, "%q 不是材料的内容地址", sum)
	}
	tmp, err := os.CreateTemp(s.root, tempPrefix+"*")
	if err != nil {
		return errSave(err)
	}
	defer holdTemp(tmp.Name())()
	placed := false
	defer func() {
		tmp.Close()
		if !placed {
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return errSave(err)
	}
	if got := hexSum(h); got != sum {
		return apperr.New(apperr.Invalid, "材料 %s 的内容与其地址不符（实际为 %s）", sum, got)
	}
	placed, err = commit(tmp, Blob{SHA256: sum, Size: n})
	if err != nil {
		return fmt.Errorf("place %s: %w", sum, err)
	}
	return nil
}

// putUnnamed writes an upload into a file without a name (see openUnnamed)
// and names it at its address once the content is known and accepted; a
// refused or broken upload leaves nothing behind, and neither does a crash.
func (s *Store) putUnnamed(ctx context.Context, f *os.File, r io.Reader, o PutOptions) (Blob, error) {
	defer f.Close()
	b, err := write(ctx, f, r, o)
	if err != nil {
		return Blob{}, err
	}
	if err := s.name(f, b); err != nil {
		return Blob{}, err
	}
	// Flushed even when the name existed: a concurrent upload of the same
	// content may have named it a moment ago, before its own sync.
	return b, errSave(s.flush.flush())
}

// name gives the unnamed file f b's address, unless a file holding b's
// content is there already (stored before, or by a concurrent upload of
// the same content); a damaged file there is replaced.
func (s *Store) name(f *os.File, b Blob) error {
	dir, final, err := s.linkInto(f, b.SHA256)
	if !errors.Is(err, os.ErrExist) {
		return errSave(err)
	}
	if intact(final, b) {
		return nil
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return errSave(err)
	}
	tmp.Close()
	os.Remove(tmp.Name())
	if err := linkUnnamed(f, tmp.Name()); err != nil {
		return errSave(err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		os.Remove(tmp.Name())
		return errSave(err)
	}
	return nil
}
