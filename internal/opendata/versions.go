package opendata

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// keepVersions is how many versions keep their rows; older versions keep
// their record (number, date, row count, checksum) in the update history.
const keepVersions = 10

// contentHash is the SHA-256 of the data as CSV (header and rows): what a
// download of the version gives, so a harvester can check it.
func contentHash(cols []Column, rows [][]string) string {
	h := sha256.New()
	w := csv.NewWriter(h)
	w.Write(header(cols))
	w.WriteAll(rows)
	return hex.EncodeToString(h.Sum(nil))
}

func header(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Title
	}
	return out
}

// addVersion stores rows as the dataset's next version unless they equal
// the latest version's; it reports whether a version was added. It runs in
// the caller's transaction and sets d's version fields afresh.
func (s *Service) addVersion(ctx context.Context, d *Dataset, rows [][]string, note string, by int64) (*Version, error) {
	sum := contentHash(d.Columns, rows)
	if d.Version > 0 {
		latest, err := s.d.Store.FindVersion(ctx, d.ID, d.Version)
		if err != nil {
			return nil, err
		}
		if latest.SHA256 == sum {
			return nil, nil
		}
	}
	v := &Version{DatasetID: d.ID, Number: d.Version + 1, RowCount: int64(len(rows)), SHA256: sum, Note: note,
		CreatedBy: by, CreatedAt: s.now()}
	if err := s.d.Store.CreateVersion(ctx, v, rows); err != nil {
		return nil, err
	}
	d.Version, d.RowCount = v.Number, v.RowCount
	if d.Status == StatusPublished {
		d.ModifiedAt = v.CreatedAt
	}
	return v, s.d.Store.PruneVersions(ctx, d.ID, keepVersions)
}

// Versions lists a dataset's update history, newest first.
func (s *Service) Versions(ctx context.Context, d *Dataset) ([]*Version, error) {
	return s.d.Store.FindVersions(ctx, d.ID)
}

// version resolves a version number (0 = the latest) to a version whose
// rows are kept.
func (s *Service) version(ctx context.Context, d *Dataset, number int) (*Version, error) {
	if !d.HasData() {
		return nil, apperr.New(apperr.NotFound, "“%s”还没有数据", d.Title)
	}
	if number == 0 {
		number = d.Version
	}
	v, err := s.d.Store.FindVersion(ctx, d.ID, number)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.NotFound, "“%s”没有第 %d 版", d.Title, number)
	}
	if err == nil && v.Pruned {
		return nil, apperr.New(apperr.NotFound, "第 %d 版的数据已不再保留（仅保留最近 %d 个版本的数据），请下载最新版本", number, keepVersions)
	}
	return v, err
}

// Preview returns the first n rows of the latest version to whoever may
// read its data.
func (s *Service) Preview(ctx context.Context, a *identity.Actor, d *Dataset, n int) ([][]string, error) {
	if !d.HasData() || s.canRead(ctx, a, d) != nil {
		return nil, nil
	}
	v, err := s.version(ctx, d, 0)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	err = s.d.Store.ScanRows(ctx, v.ID, 0, n, func(r []string) error {
		rows = append(rows, append([]string(nil), r...)) // the store reuses r
		return nil
	})
	return rows, err
}
