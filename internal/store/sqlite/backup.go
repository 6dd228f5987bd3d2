package sqlite

import (
	"context"
	"openhall/internal/store"
	"os"
	"strings"

	"openhall/internal/apperr"
)

// Snapshot writes a consistent copy of the database to path, a file that
// must not exist yet, while the server goes on: VACUUM INTO reads one
// snapshot of the WAL on a connection of its own, so writers are not held
// up, and the copy is compact. The copy is synced to disk before Snapshot
// returns.
func (db *DB) Snapshot(ctx context.Context, path string) error {
	conn := openDB(dsn(db.path, "full", false), &store.Counters{})
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "无法复制数据库（磁盘空间不足或目标不可写？）")
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// MaterialHashes calls fn with the content address of every stored case
// material, each once, in order.
func (db *DB) MaterialHashes(ctx context.Context, fn func(sum string) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT DISTINCT sha256 FROM case_materials ORDER BY sha256`)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sum string
		if err := rows.Scan(&sum); err != nil {
			return mapError(err)
		}
		if err := fn(sum); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}

// Counts returns the number of rows of every table, by name.
func (db *DB) Counts(ctx context.Context) (map[string]int64, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, mapError(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, mapError(err)
		}
		names = append(names, n)
	}
	rows.Close()
	out := make(map[string]int64, len(names))
	for _, n := range names {
		var c int64
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM "`+strings.ReplaceAll(n, `"`, `""`)+`"`).Scan(&c); err != nil {
			return nil, mapError(err)
		}
		out[n] = c
	}
	return out, nil
}

// Check runs SQLite's integrity check and names the first problem.
func (db *DB) Check(ctx context.Context) error {
	var res string
	if err := db.read.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return mapError(err)
	}
	if res != "ok" {
		return apperr.New(apperr.Unavailable, "数据库文件 %s 未通过完整性检查：%s", db.path, res)
	}
	return nil
}
