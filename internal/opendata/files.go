package opendata

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Files keeps the CSV of each version as a file addressed by its SHA-256
// (Version.SHA256), so that a CSV download is the copy of a file: no rows
// read, nothing allocated per row, and the server's memory stays flat
// however large the file and however many download it. Versions never
// change, so a kept file is always right. Optional: without it, and for a
// version whose file cannot be kept, the download streams the rows.
type Files interface {
	PutCSV(ctx context.Context, r io.Reader) (sum string, err error)
	// ServeCSV answers a download of the file under sum once it is checked
	// against sum, Range requests included. served is false, with nothing
	// sent, when it has no file it can read; a damaged file is an error, and
	// nothing of it is sent.
	// Browsers get the file as name, tools that read only the plain file
	// name as ascii.
	ServeCSV(w http.ResponseWriter, r *http.Request, sum, name, ascii string) (served bool, err error)
}

// ServeCSV answers a CSV download of v from its kept file, checked against
// the version's SHA-256 before its first byte is sent; it keeps the file
// first when it is missing. served is false, with nothing sent, when no
// file can be kept or read: the caller streams the rows (WriteTo). A
// damaged file is refused, never sent. The file is called after the
// dataset's title, and for tools that read only the plain file name after
// its name and the version (DownloadName).
func (s *Service) ServeCSV(w http.ResponseWriter, r *http.Request, d *Dataset, v *Version) (served bool, err error) {
	if s.d.Files == nil {
		return false, nil
	}
	name, ascii := d.Title+"."+FormatCSV, DownloadName(d, v, FormatCSV)
	if served, err := s.d.Files.ServeCSV(w, r, v.SHA256, name, ascii); served || err != nil {
		return served, err
	}
	if s.keepCSV(r.Context(), d, v) != nil {
		return false, nil
	}
	return s.d.Files.ServeCSV(w, r, v.SHA256, name, ascii)
}

// DownloadName is the plain file name of a version's download in format:
// the dataset's name and the version's number (data-v3.csv).
func DownloadName(d *Dataset, v *Version, format string) string {
	return d.Name + "-v" + strconv.Itoa(v.Number) + "." + format
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
