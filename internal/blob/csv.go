package blob

import (
	"context"
	"io"
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

// OpenCSV opens the CSV stored under sum.
func (f CSVFiles) OpenCSV(_ context.Context, sum string) (io.ReadCloser, error) {
	rc, _, err := f.Blobs.Open(sum)
	return rc, err
}
