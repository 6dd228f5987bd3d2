package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"sync"

	"openhall/internal/apperr"
)

// write streams r into f while hashing, then checks size and content. A
// file of up to keptBytes is also kept in memory on the way, and its
// content is checked there rather than read back from f.
func write(ctx context.Context, f *os.File, r io.Reader, o PutOptions) (Blob, error) {
	h := sha256.New()
	kept := keptHead{max: keptBytes}
	buf := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(buf)
	n, err := io.CopyBuffer(io.MultiWriter(fileWriter{f}, h, &kept), io.LimitReader(ctxReader{ctx, r}, o.MaxBytes+1), *buf)
	if err != nil {
		return Blob{}, readError(ctx, err)
	}
	if n > o.MaxBytes {
		return Blob{}, apperr.Field("file", fmt.Sprintf("文件超过大小上限 %s，请压缩或拆分后重新上传", humanSize(o.MaxBytes)))
	}
	var content io.ReaderAt = f
	if !kept.over {
		content = bytes.NewReader(kept.b)
	}
	k, err := check(sniff(content, n), o)
	if err != nil {
		return Blob{}, err
	}
	return Blob{SHA256: hexSum(h), Size: n, MIME: k.MIME(), Kind: k}, nil
}

// keptBytes is the size up to which an upload is kept in memory while it
// is stored, for its checks. Most materials are scans well under it.
const keptBytes = 64 << 10

// copyBuffers are the buffers uploads are copied through.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// keptHead keeps what is written to it, up to max bytes; past that it keeps
// nothing and reports over.
type keptHead struct {
	b    []byte
	max  int
	over bool
}

func (k *keptHead) Write(p []byte) (int, error) {
	if !k.over && len(k.b)+len(p) <= k.max {
		k.b = append(k.b, p...)
	} else {
		k.b, k.over = nil, true
	}
	return len(p), nil
}

// fileWriter tells a failure to store (a full disk) from a failure to
// receive: the first is the service's, retryable, the second the upload's.
type fileWriter struct{ f *os.File }

func (w fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	return n, errSave(err)
}
