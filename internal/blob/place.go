package blob

import (
	"context"
	"crypto/sha256"
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
