//go:build unix

package blob

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// holdTemp marks the upload file at path as being written, until the
// returned function is called, with an advisory lock on a descriptor of its
// own: the lock stays on the file through its rename, and the kernel drops
// it when the process dies, however it dies. (On NFS and CephFS the lock
// reaches the server, so other nodes see it too.)
func holdTemp(path string) func() {
	f, err := os.Open(path)
	if err != nil {
		return func() {}
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return func() {}
	}
	return func() { f.Close() }
}

// abandoned reports whether nobody is writing the upload file at path: no
// process holds its lock.
func abandoned(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	return err == nil || !errors.Is(err, unix.EWOULDBLOCK)
}
