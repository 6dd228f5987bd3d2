package opendata

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"openhall/internal/identity"

	"github.com/xuri/excelize/v2"
)

// Download formats.
const (
	FormatCSV  = "csv"
	FormatJSON = "json"
	FormatXLSX = "xlsx"
)

// MediaType is the media type of a download format.
func MediaType(format string) string {
	switch format {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatJSON:
		return "application/json; charset=utf-8"
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return ""
}

// maxXLSXRows bounds an .xlsx download (Excel's sheet limit, and the
// workbook is assembled before it is sent); larger data is CSV or JSON.
const maxXLSXRows = 1_000_000

// Download checks that the actor may read the dataset and resolves the
// version (0 = latest); the caller then streams it with WriteTo.
func (s *Service) Download(ctx context.Context, a *identity.Actor, d *Dataset, number int) (*Version, error) {
	if err := s.canRead(ctx, a, d); err != nil {
		return nil, err
	}
	return s.version(ctx, d, number)
}

// WriteTo streams a version in a format. Rows are read page by page and
// written as they come, so memory stays flat whatever the size (CSV and
// JSON; XLSX goes through the spreadsheet library's temporary file). A
// CSV download of a version's kept file is ServeCSV.
func (s *Service) WriteTo(ctx context.Context, w io.Writer, d *Dataset, v *Version, format string) error {
	switch format {
	case FormatCSV:
		return s.streamCSV(ctx, w, d, v)
	case FormatJSON:
		return s.writeJSON(ctx, w, d, v)
	case FormatXLSX:
		return s.writeXLSX(ctx, w, d, v)
	}
	return fmt.Errorf("unknown format %q", format)
}

func (s *Service) writeJSON(ctx context.Context, w io.Writer, d *Dataset, v *Version) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("[")
	n := 0
	err := s.d.Store.ScanRows(ctx, v.ID, 0, 0, func(r []string) error {
		if n > 0 {
			bw.WriteString(",")
		}
		n++
		return writeObject(bw, d.Columns, r)
	})
	if err != nil {
		return err
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// writeObject writes one row as a JSON object keyed by column name, in
// column order.
func writeObject(w *bufio.Writer, cols []Column, r []string) error {
	w.WriteString("{")
	for i, c := range cols {
		if i > 0 {
			w.WriteString(",")
		}
		k, _ := json.Marshal(c.Name)
		val, _ := json.Marshal(cell(r, i))
		w.Write(k)
		w.WriteString(":")
		w.Write(val)
	}
	_, err := w.WriteString("}")
	return err
}

func cell(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

func (s *Service) writeXLSX(ctx context.Context, w io.Writer, d *Dataset, v *Version) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := 1
	put := func(r []string) error {
		vals := make([]any, len(r))
		for i, x := range r {
			vals[i] = x
		}
		cellName, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cellName, vals)
	}
	if err := put(header(d.Columns)); err != nil {
		return err
	}
	if err := s.d.Store.ScanRows(ctx, v.ID, 0, maxXLSXRows, put); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// Rows returns a page of a version's rows as objects keyed by column name,
// keeping only the named columns (nil = all).
func (s *Service) rowsPage(ctx context.Context, d *Dataset, v *Version, offset, limit int, keep []string) ([]map[string]string, error) {
	idx := columnIndexes(d.Columns, keep)
	var out []map[string]string
	err := s.d.Store.ScanRows(ctx, v.ID, offset, limit, func(r []string) error {
		m := make(map[string]string, len(idx))
		for _, i := range idx {
			m[d.Columns[i].Name] = cell(r, i)
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

func columnIndexes(cols []Column, keep []string) []int {
	var out []int
	for i, c := range cols {
		if keep == nil || contains(keep, c.Name) {
			out = append(out, i)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
