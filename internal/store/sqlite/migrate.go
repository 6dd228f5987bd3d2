package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"log/slog"

	"openhall/internal/store/migrate"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFS, "migrations") }

// SchemaStatus reports how far the file is behind the program.
func (db *DB) SchemaStatus(ctx context.Context) (migrate.Status, error) {
	all, err := migrations()
	if err != nil {
		return migrate.Status{}, err
	}
	cur, err := db.schemaVersion(ctx)
	if err != nil {
		return migrate.Status{}, err
	}
	jobs, err := db.jobsSchemaCurrent(ctx)
	if err != nil {
		return migrate.Status{}, err
	}
	return migrate.Status{Current: cur, Latest: len(all), JobsCurrent: jobs}, nil
}

func (db *DB) schemaVersion(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
	if err != nil || n == 0 {
		return 0, mapError(err)
	}
	var v int
	err = db.read.QueryRowContext(ctx, `SELECT IFNULL(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, mapError(err)
}

func (db *DB) jobsMigrator() (*rivermigrate.Migrator[*sql.Tx], error) {
	return rivermigrate.New(riversqlite.New(db.jobs), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
}

func (db *DB) jobsSchemaCurrent(ctx context.Context) (bool, error) {
	m, err := db.jobsMigrator()
	if err != nil {
		return false, err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("check job queue schema: %w", err)
	}
	return res.OK, nil
}

// Migrate applies every pending migration, each in its own transaction, then
// the job queue's migrations. It returns the versions applied.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	err = db.InTx(ctx, func(ctx context.Context) error {
		_, err := db.q(ctx).ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
		return err
	})
	if err != nil {
		return nil, mapError(err)
	}
	cur, err := db.schemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range migrate.Pending(all, cur) {
		if err := db.apply(ctx, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.Version)
	}
	return applied, db.migrateJobs(ctx)
}

func (db *DB) apply(ctx context.Context, m migrate.Migration) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		tx, _ := TxFromContext(ctx)
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.Version, m.Name, db.now().UnixMicro())
		return err
	})
}

func (db *DB) migrateJobs(ctx context.Context) error {
	m, err := db.jobsMigrator()
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("migrate job queue schema: %w", err)
	}
	return nil
}
