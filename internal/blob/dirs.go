package blob

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

// knownDirs remembers which of the store's 65,536 directories (<aa>/<bb>)
// this process has seen exist, so that storing a file does not ask the
// filesystem for its directory each time: an upload is then one link into
// place, not a stat and a link.
type knownDirs [1 << 16 / 64]atomic.Uint64

// dirIndex is the directory of sum as a number: its first four hex digits.
// ok is false for an address that is not hex.
func dirIndex(sum string) (i int, ok bool) {
	v, err := strconv.ParseUint(sum[:4], 16, 16)
	return int(v), err == nil
}

func (k *knownDirs) has(i int) bool { return k[i/64].Load()&(1<<(i%64)) != 0 }
func (k *knownDirs) add(i int)      { k[i/64].Or(1 << (i % 64)) }

// linkInto gives the unnamed file f the name at sum's address (see
// linkUnnamed; os.ErrExist when it is taken). The directory is created the
// first time this process stores into it. A directory removed since (by an
// operator, or a restore) fails the link with ErrNotExist; it is then made
// again and the link tried once more.
func (s *Store) linkInto(f *os.File, sum string) (dir, final string, err error) {
	dir = s.dir(sum)
	final = filepath.Join(dir, sum)
	i, ok := dirIndex(sum)
	if !ok || !s.dirs.has(i) {
		if err := makeDir(dir); err != nil {
			return dir, final, err
		}
	}
	err = linkUnnamed(f, final)
	if errors.Is(err, fs.ErrNotExist) {
		if err = makeDir(dir); err == nil {
			err = linkUnnamed(f, final)
		}
	}
	if ok && (err == nil || errors.Is(err, os.ErrExist)) {
		s.dirs.add(i)
	}
	return dir, final, err
}

// makeDir makes sure dir exists, asking the filesystem once when its
// parent does: os.MkdirAll would look it up first, then make it.
func makeDir(dir string) error {
	err := os.Mkdir(dir, 0o750)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o750)
	}
	return err
}
