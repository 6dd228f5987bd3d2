package blob

import (
	"context"
	"errors"
	"io"
	"net/http"

	"openhall/internal/apperr"
)

// maxCSVBytes bounds a kept CSV file.
const maxCSVBytes = 4 << 30

// CSVFiles keeps UTF-8 CSV files (the open data downloads, which the
// platform writes itself) in a blob store: on local disk or in the object
// store, shared by every node. It is opendata.Files.
type CSVFiles struct{ Blobs Blobs }

// PutCSV stores the CSV read from r and returns its SHA-256.
func (f CSVFiles) PutCSV(ctx context.Context, r io.Reader) (string, error) {
	b, err := f.Blobs.Put(ctx, r, PutOptions{Allowed: []Kind{KindCSV}, MaxBytes: maxCSVBytes, Name: "data.csv"})
	return b.SHA256, err
}

// ServeCSV answers a download of the CSV stored under sum as materials are
// answered (Serve): checked against its SHA-256 before the first byte is
// sent, Range requests included. Browsers get the file as name; old
// clients and tools that read only the plain file name (curl -OJ) get
// ascii. A damaged file is an apperr.Unavailable error and nothing is
// sent; served is false, with nothing sent, when the file is missing or
// cannot be read now.
func (f CSVFiles) ServeCSV(w http.ResponseWriter, r *http.Request, sum, name, ascii string) (served bool, err error) {
	err = f.Blobs.Serve(namedAs{ResponseWriter: w, name: name, ascii: ascii}, r, sum, name)
	if errors.Is(err, ErrDamaged) {
		return false, apperr.Wrap(err, apperr.Unavailable, "该数据文件已损坏，暂时无法下载；已记录此问题，请联系管理员从备份恢复")
	}
	return err == nil, nil
}

// namedAs gives a successful download its plain file name for old clients
// (filename=) beside the exact one (filename*=).
type namedAs struct {
	http.ResponseWriter
	name, ascii string
}

func (w namedAs) WriteHeader(code int) {
	if code < http.StatusMultipleChoices {
		w.Header().Set("Content-Disposition", `attachment; filename="`+asciiFallback(w.ascii)+`"; filename*=UTF-8''`+pctEncode(w.name))
	}
	w.ResponseWriter.WriteHeader(code)
}

// ReadFrom keeps the server's own copying (sendfile from a local file).
func (w namedAs) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{w.ResponseWriter}, r)
}
