package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"openhall/internal/opendata"

	"github.com/jackc/pgx/v5"
)

// rowsPerInsert is how many data rows one INSERT statement carries.
const rowsPerInsert = 500

// rowsPage is how many rows one read of ScanRows fetches.
const rowsPage = 256

// CreateVersion inserts v and its rows.
func (s *OpenDataStore) CreateVersion(ctx context.Context, v *opendata.Version, rows [][]string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO opendata_versions (dataset_id, number, row_count, sha256, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, v.DatasetID, v.Number, v.RowCount, v.SHA256, v.Note, v.CreatedBy,
			v.CreatedAt).Scan(&v.ID)
		if err != nil {
			return mapError(err)
		}
		for start := 0; start < len(rows); start += rowsPerInsert {
			if err := s.insertRows(ctx, v.ID, start, rows[start:min(start+rowsPerInsert, len(rows))]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *OpenDataStore) insertRows(ctx context.Context, versionID int64, first int, rows [][]string) error {
	args := make([]any, 0, 3*len(rows))
	for i, r := range rows {
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		args = append(args, versionID, first+i, string(data))
	}
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO opendata_rows (version_id, seq, data) VALUES `+tuples(len(rows), 3), args...)
	return mapError(err)
}

const dataVersionColumns = `id, dataset_id, number, row_count, sha256, note, pruned, created_by, created_at`

func scanDataVersion(sc pgx.Row) (*opendata.Version, error) {
	var v opendata.Version
	if err := sc.Scan(&v.ID, &v.DatasetID, &v.Number, &v.RowCount, &v.SHA256, &v.Note, &v.Pruned, &v.CreatedBy, &v.CreatedAt); err != nil {
		return nil, err
	}
	v.CreatedAt = v.CreatedAt.UTC()
	return &v, nil
}

// FindVersions lists a dataset's versions, newest first.
func (s *OpenDataStore) FindVersions(ctx context.Context, datasetID int64) ([]*opendata.Version, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+dataVersionColumns+` FROM opendata_versions WHERE dataset_id = $1
		ORDER BY number DESC`, datasetID)
	return collect(rows, err, scanDataVersion)
}

// FindVersion returns one version of a dataset.
func (s *OpenDataStore) FindVersion(ctx context.Context, datasetID int64, number int) (*opendata.Version, error) {
	v, err := scanDataVersion(s.db.q(ctx).QueryRow(ctx, `SELECT `+dataVersionColumns+` FROM opendata_versions
		WHERE dataset_id = $1 AND number = $2`, datasetID, number))
	return v, notFound(err, fmt.Sprintf("没有第 %d 版", number))
}

// ScanRows reads rows seq >= from in pages, calling fn for each.
func (s *OpenDataStore) ScanRows(ctx context.Context, versionID int64, from, limit int, fn func(row []string) error) error {
	done := 0
	for {
		page := rowsPage
		if limit > 0 {
			page = min(page, limit-done)
		}
		if page <= 0 {
			return nil
		}
		n, next, err := s.scanPage(ctx, versionID, from, page, fn)
		if err != nil || n < page {
			return err
		}
		done, from = done+n, next
	}
}

func (s *OpenDataStore) scanPage(ctx context.Context, versionID int64, from, page int, fn func(row []string) error) (int, int, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT seq, data FROM opendata_rows WHERE version_id = $1 AND seq >= $2
		ORDER BY seq LIMIT $3`, versionID, from, page)
	if err != nil {
		return 0, 0, mapError(err)
	}
	defer rows.Close()
	n, next := 0, from
	var row []string
	for rows.Next() {
		var seq int
		var data string
		if err := rows.Scan(&seq, &data); err != nil {
			return n, next, mapError(err)
		}
		row = row[:0]
		if err := json.Unmarshal([]byte(data), &row); err != nil {
			return n, next, fmt.Errorf("row %d of version %d: %w", seq, versionID, err)
		}
		if err := fn(row); err != nil {
			return n, next, err
		}
		n, next = n+1, seq+1
	}
	return n, next, mapError(rows.Err())
}

// PruneVersions drops the rows of all but the newest keep versions.
func (s *OpenDataStore) PruneVersions(ctx context.Context, datasetID int64, keep int) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		r := s.db.q(ctx)
		var cutoff int
		err := r.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) - $1 FROM opendata_versions WHERE dataset_id = $2`, keep, datasetID).Scan(&cutoff)
		if err != nil || cutoff <= 0 {
			return mapError(err)
		}
		if _, err := r.Exec(ctx, `DELETE FROM opendata_rows WHERE version_id IN (SELECT id FROM opendata_versions
			WHERE dataset_id = $1 AND number <= $2 AND NOT pruned)`, datasetID, cutoff); err != nil {
			return mapError(err)
		}
		_, err = r.Exec(ctx, `UPDATE opendata_versions SET pruned = true WHERE dataset_id = $1 AND number <= $2`, datasetID, cutoff)
		return mapError(err)
	})
}
