package opendata

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
)

// Files keeps the CSV of each version as a file addressed by its SHA-256
// (Version.SHA256), so that a CSV download is the copy of a file: no rows
// read, nothing allocated per row, and the server's memory stays flat
// however large the file and however many download it. Versions never
// change, so a kept file is always right. Optional: without it, and for a
// version whose file is not (yet) kept, the download streams the rows.
type Files interface {
	PutCSV(ctx context.Context, r io.Reader) (sum string, err error)
	OpenCSV(ctx context.Context, sum string) (io.ReadCloser, error)
}

// writeCSV copies the version's kept file; it keeps the file first when it
// is missing, and streams the rows when it cannot be kept or opened.
func (s *Service) writeCSV(ctx context.Context, w io.Writer, d *Dataset, v *Version) error {
	if s.d.Files != nil {
		if opened, err := s.copyCSV(ctx, w, v); opened {
			return err
		}
		if s.keepCSV(ctx, d, v) == nil {
			if opened, err := s.copyCSV(ctx, w, v); opened {
				return err
			}
		}
	}
	return s.streamCSV(ctx, w, d, v)
}

// copyCSV writes the kept file of v; opened is false when there is none to
// read, and nothing was written.
func (s *Service) copyCSV(ctx context.Context, w io.Writer, v *Version) (opened bool, err error) {
	f, err := s.d.Files.OpenCSV(ctx, v.SHA256)
	if err != nil {
		return false, nil
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return true, err
}

// keepCSV stores the CSV of v as a file, streaming its rows into the store,
// and checks that the file is the version's content.
func (s *Service) keepCSV(ctx context.Context, d *Dataset, v *Version) error {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(s.streamCSV(ctx, pw, d, v))
	}()
	sum, err := s.d.Files.PutCSV(ctx, pr)
	pr.CloseWithError(io.ErrClosedPipe) // stops the rows if the store gave up early
	<-done
	if err == nil && sum != v.SHA256 {
		err = fmt.Errorf("the CSV of version %d of %s hashes to %s, not %s", v.Number, d.Name, sum, v.SHA256)
	}
	return err
}

// streamCSV writes the version's rows as CSV, page by page.
func (s *Service) streamCSV(ctx context.Context, w io.Writer, d *Dataset, v *Version) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header(d.Columns)); err != nil {
		return err
	}
	err := s.d.Store.ScanRows(ctx, v.ID, 0, 0, func(r []string) error { return cw.Write(r) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
