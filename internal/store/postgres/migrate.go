package postgres

import (
	"context"
	"embed"
	"fmt"
	"log/slog"

	"openhall/internal/store/migrate"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key that keeps two nodes from migrating
// at once.
const migrationLock = 0x6f68_6d67 // "ohmg"

func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFS, "migrations") }

// SchemaStatus reports how far the database is behind the program.
func (db *DB) SchemaStatus(ctx context.Context) (migrate.Status, error) {
	all, err := migrations()
	if err != nil {
		return migrate.Status{}, err
	}
	cur, err := schemaVersion(ctx, db.pool)
	if err != nil {
		return migrate.Status{}, err
	}
	m, err := db.jobsMigrator()
	if err != nil {
		return migrate.Status{}, err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return migrate.Status{}, fmt.Errorf("check job queue schema: %w", err)
	}
	return migrate.Status{Current: cur, Latest: len(all), JobsCurrent: res.OK}, nil
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, mapError(err)
	}
	var v int
	err := q.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, mapError(err)
}

func (db *DB) jobsMigrator() (*rivermigrate.Migrator[pgx.Tx], error) {
	return rivermigrate.New(riverpgxv5.New(db.pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
}

// Migrate applies every pending migration, each in its own transaction,
// holding an advisory lock so that nodes starting together migrate once.
func (db *DB) Migrate(ctx context.Context) ([]int, error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return nil, mapError(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return nil, mapError(err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	applied, err := applyAll(ctx, conn.Conn(), all, db)
	if err != nil {
		return applied, err
	}
	m, err := db.jobsMigrator()
	if err == nil {
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return applied, fmt.Errorf("migrate job queue schema: %w", err)
	}
	return applied, nil
}

func applyAll(ctx context.Context, conn *pgx.Conn, all []migrate.Migration, db *DB) ([]int, error) {
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`); err != nil {
		return nil, mapError(err)
	}
	cur, err := schemaVersion(ctx, conn)
	if err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range migrate.Pending(all, cur) {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.Version, m.Name, db.now())
			return err
		})
		if err != nil {
			return applied, err
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}

// MigrationFS exposes the embedded migrations (tests key template databases on them).
func MigrationFS() embed.FS { return migrationFS }
