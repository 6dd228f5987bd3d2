package app

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/opendata"
	"openhall/internal/org"
	"openhall/internal/store/postgres"
	"openhall/internal/store/sqlite"
)

// The capacity measurements of the open data catalogue (`openhall load
// opendata`) fill the database through these; none is used by serve.

// SpreadSeededCases spreads the copies first..last (see SeedCases) over
// the departments, two years of submission months and the outcomes a real
// case table has: four in five closed, some after their promised date.
// It runs in batches straight on the database.
func (a *App) SpreadSeededCases(ctx context.Context, first, last int64, progress func(done int64)) error {
	depts, err := a.Stores.Org.FindDepartments(ctx, org.DepartmentFilter{})
	if err != nil || len(depts) == 0 {
		return fmt.Errorf("no departments to spread cases over: %v", err)
	}
	minID := depts[0].ID
	for _, d := range depts {
		minID = min(minID, d.ID)
	}
	now := time.Now()
	const batch = 50000
	for lo := first; lo <= last; lo += batch {
		hi := min(lo+batch-1, last)
		if err := a.spreadBatch(ctx, minID, int64(len(depts)), now, lo, hi); err != nil {
			return err
		}
		if progress != nil {
			progress(hi - first + 1)
		}
	}
	return nil
}

func (a *App) spreadBatch(ctx context.Context, minDept, depts int64, now time.Time, lo, hi int64) error {
	switch db := a.Stores.Backend.(type) {
	case *sqlite.DB:
		day := int64(86400_000_000)
		_, err := db.JobsDB().ExecContext(ctx, `UPDATE cases SET department_id = ? + id % ?,
			submitted_at = ? - (id % 730) * ?,
			closed_at = CASE WHEN id % 5 = 0 THEN 0 ELSE ? - (id % 730) * ? + (id % 25) * ? END,
			promised_due = CASE WHEN id % 5 = 0 THEN '' ELSE date((? - (id % 730) * ?) / 1000000 + 28800 + 20 * 86400, 'unixepoch') END,
			status = CASE WHEN id % 5 = 0 THEN status ELSE 'closed' END
			WHERE id BETWEEN ? AND ?`, minDept, depts, now.UnixMicro(), day, now.UnixMicro(), day, day, now.UnixMicro(), day, lo, hi)
		return err
	case *postgres.DB:
		_, err := db.Pool().Exec(ctx, `UPDATE cases SET department_id = $1 + id % $2,
			submitted_at = $3::timestamptz - (id % 730) * interval '1 day',
			closed_at = CASE WHEN id % 5 = 0 THEN NULL ELSE $3::timestamptz - (id % 730) * interval '1 day' + (id % 25) * interval '1 day' END,
			promised_due = CASE WHEN id % 5 = 0 THEN '' ELSE to_char(($3::timestamptz - (id % 730) * interval '1 day') AT TIME ZONE 'UTC'
				+ interval '8 hours' + interval '20 days', 'YYYY-MM-DD') END,
			status = CASE WHEN id % 5 = 0 THEN status ELSE 'closed' END
			WHERE id BETWEEN $4 AND $5`, minDept, depts, now, lo, hi)
		return err
	}
	return fmt.Errorf("unknown backend %T", a.Stores.Backend)
}

// CountCases counts the case table with a plain count(*): the baseline a
// regeneration over every case is compared with.
func (a *App) CountCases(ctx context.Context) (int64, error) {
	var n int64
	var err error
	switch db := a.Stores.Backend.(type) {
	case *sqlite.DB:
		err = db.JobsDB().QueryRowContext(ctx, `SELECT count(*) FROM cases`).Scan(&n)
	case *postgres.DB:
		err = db.Pool().QueryRow(ctx, `SELECT count(*) FROM cases`).Scan(&n)
	}
	return n, err
}

// SeedDatasets describes n published datasets (without data) named
// prefix-00001 …, spread over the publishers and themes, for measuring the
// catalogue's search and CKAN API on a large catalogue.
func (a *App) SeedDatasets(ctx context.Context, prefix string, n int, publishers []int64) error {
	words := []string{"统计", "名录", "许可", "预算", "办件", "交通", "教育", "医疗", "环境", "农业"}
	const batch = 500
	for lo := 0; lo < n; lo += batch {
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			for i := lo; i < min(lo+batch, n); i++ {
				now := time.Now().UTC()
				d := &opendata.Dataset{Name: fmt.Sprintf("%s-%05d", prefix, i), Title: fmt.Sprintf("测试数据集%05d %s", i, words[i%len(words)]),
					Description: "用于测量目录检索的数据集：" + words[(i/10)%len(words)], PublisherID: publishers[i%len(publishers)],
					Theme: opendata.Themes[i%len(opendata.Themes)].Code, Keywords: []string{words[i%len(words)]}, Frequency: "monthly",
					License: "cc-by-4.0", ContactName: "测试", ContactPhone: "0571-87061234", Tier: opendata.TierOpen,
					Source: opendata.SourceUpload, Columns: []opendata.Column{{Name: "k", Title: "键", Type: opendata.TypeText}},
					Status: opendata.StatusPublished, IssuedAt: now, ModifiedAt: now.Add(-time.Duration(i) * time.Minute),
					CreatedAt: now, UpdatedAt: now}
				if err := a.Stores.OpenData.CreateDataset(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
