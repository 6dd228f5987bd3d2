package blob

import (
	"context"
	"crypto/sha256"
	"io"
	"io/fs"
	"path/filepath"
	"time"

	"openhall/internal/apperr"
)

// Outcome is what Migrate did with one blob.
type Outcome string

const (
	Copied  Outcome = "copied"  // uploaded and confirmed
	Skipped Outcome = "skipped" // already in the object store, confirmed
	Failed  Outcome = "failed"  // not copied; the error says why
)

// MigrateSummary counts what Migrate did.
type MigrateSummary struct {
	Copied, Skipped, Failed int
	CopiedBytes             int64
	Markers                 int // deployment markers copied
}

// Migrate copies every blob of the local store from into the object store
// to, one after the other in the order of their addresses, and calls report
// after each. A blob whose local content no longer has its address is not
// copied (Failed); one already in the object store and confirmed there is
// Skipped, so that a run that was interrupted or failed can simply be
// repeated. Migrate stops early only when ctx ends (its error is returned
// with the summary so far) or the local store cannot be listed.
//
// Once every blob is in the object store, and only then, the local store's
// deployment markers are copied there too, each marked as a copy (see
// copyMarkers): a node started on the object store before its materials
// are all there is refused, one started after is let in.
func Migrate(ctx context.Context, from *Store, to *S3, report func(sum string, o Outcome, err error)) (MigrateSummary, error) {
	var sum MigrateSummary
	err := from.Walk(func(h string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		o, size, err := to.importBlob(ctx, from, h)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		sum.add(o, size)
		report(h, o, err)
		return nil
	})
	if err == nil && sum.Failed == 0 {
		if sum.Markers, err = copyMarkers(ctx, from, to); err != nil {
			err = apperr.Wrap(err, apperr.Unavailable, "材料已全部复制，但部署标识未能写入对象存储；重新运行同一命令即可")
		}
	}
	return sum, err
}

// copyMarkers writes the local store's deployment markers into the object
// store, unless it has them already, with CopiedFrom set: the first node
// started on the object store then gives the deployment a new id, so that
// a node started on the old location afterwards is refused.
func copyMarkers(ctx context.Context, from *Store, to *S3) (int, error) {
	ms, err := from.Markers(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if _, err := to.ReadMarker(ctx, m.Deployment); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return n, err
		}
		m.CopiedFrom, m.WrittenAt = from.Root(), time.Now()
		if err := to.WriteMarker(ctx, m); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (m *MigrateSummary) add(o Outcome, size int64) {
	switch o {
	case Copied:
		m.Copied++
		m.CopiedBytes += size
	case Skipped:
		m.Skipped++
	default:
		m.Failed++
	}
}

// importBlob copies one local blob after checking it against its address.
func (s *S3) importBlob(ctx context.Context, from *Store, sum string) (Outcome, int64, error) {
	rc, b, err := from.Open(sum)
	if err != nil {
		return Failed, 0, err
	}
	defer rc.Close()
	f := rc.(io.ReadSeeker)
	if err := checkLocal(f, sum); err != nil {
		return Failed, 0, err
	}
	uploaded, err := s.store(ctx, f, b)
	switch {
	case err != nil:
		return Failed, 0, err
	case uploaded:
		return Copied, b.Size, nil
	}
	return Skipped, 0, nil
}

// checkLocal reads f through, checks it against its address and rewinds it.
func checkLocal(f io.ReadSeeker, sum string) error {
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "本地材料文件无法读取")
	}
	if got := hexSum(h); got != sum {
		return apperr.New(apperr.Invalid, "本地材料文件已损坏（内容的 SHA-256 为 %s，与其地址不符），未复制；请从备份恢复该文件后重新运行", got)
	}
	_, err := f.Seek(0, io.SeekStart)
	return err
}

// Walk calls fn with the address of every blob in the store, in order; a
// file that is not where its name says it belongs (a temporary file, a
// stray) is passed over. An error from fn ends the walk and is returned.
func (s *Store) Walk(fn func(sum string) error) error {
	return filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() || !ValidHash(name) || path != filepath.Join(s.dir(name), name) {
			return nil
		}
		return fn(name)
	})
}
