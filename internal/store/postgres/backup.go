package postgres

import "context"

// MaterialHashes calls fn with the content address of every stored case
// material, each once, in order. On PostgreSQL the database itself is
// backed up with pg_dump; a backup of the materials taken after the dump
// holds every material the dump refers to, since materials are written
// before the rows that name them and never removed.
func (db *DB) MaterialHashes(ctx context.Context, fn func(sum string) error) error {
	rows, err := db.pool.Query(ctx, `SELECT DISTINCT sha256 FROM case_materials ORDER BY sha256`)
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
