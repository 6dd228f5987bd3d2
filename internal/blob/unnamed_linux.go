package blob

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// openUnnamed opens a file without a name in dir (O_TMPFILE) for an upload
// to be written into: creating it changes no directory, so concurrent
// uploads do not queue on the store's root for a name each and again for
// its removal, and a crash leaves nothing behind. ok is false where the
// filesystem cannot: the caller then uses a named temporary file.
func openUnnamed(dir string) (f *os.File, ok bool) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o640)
	if err != nil {
		return nil, false
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(upload)")), true
}

// unnamedWorks reports whether files without a name can be opened in dir
// and then named, which linkUnnamed does through /proc. New asks once.
func unnamedWorks(dir string) bool {
	f, ok := openUnnamed(dir)
	if !ok {
		return false
	}
	defer f.Close()
	_, err := os.Stat(fdPath(f))
	return err == nil
}

func fdPath(f *os.File) string { return "/proc/self/fd/" + strconv.Itoa(int(f.Fd())) }

// linkUnnamed gives the unnamed file f the name path. It fails with
// os.ErrExist when path exists.
func linkUnnamed(f *os.File, path string) error {
	err := unix.Linkat(unix.AT_FDCWD, fdPath(f), unix.AT_FDCWD, path, unix.AT_SYMLINK_FOLLOW)
	if errors.Is(err, unix.EEXIST) {
		return os.ErrExist
	}
	if err != nil {
		return &os.LinkError{Op: "linkat", Old: f.Name(), New: path, Err: err}
	}
	return nil
}
