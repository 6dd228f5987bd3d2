package blob

import (
	"os"

	"golang.org/x/sys/unix"
)

// localFS lists the filesystems (statfs magic numbers) on which syncfs
// flushes everything written before it: ext4, XFS, Btrfs, F2FS, ZFS, tmpfs
// and overlayfs. Network filesystems keep per-file fsync.
var localFS = map[int64]bool{
	0xEF53:     true, // ext2/3/4
	0x58465342: true, // XFS
	0x9123683E: true, // Btrfs
	0xF2F52010: true, // F2FS
	0x2FC12FC1: true, // ZFS
	0x01021994: true, // tmpfs
	0x794C7630: true, // overlayfs
}

// openFlusher returns a group flusher for root when its filesystem is
// local, nil otherwise. The directory stays open for the process's life.
func openFlusher(root string) *flusher {
	var st unix.Statfs_t
	if err := unix.Statfs(root, &st); err != nil || !localFS[int64(st.Type)] {
		return nil
	}
	d, err := os.Open(root)
	if err != nil {
		return nil
	}
	return newFlusher(func() error { return unix.Syncfs(int(d.Fd())) })
}
