package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"openhall/internal/config"
	"openhall/internal/jobs"
	"openhall/internal/store"
	"openhall/internal/store/migrate"
	"openhall/internal/store/postgres"
	"openhall/internal/store/sqlite"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// jobQueue is the part of jobs.Queue the app uses, whatever the backend.
type jobQueue interface {
	Enqueue(ctx context.Context, args jobs.Args, o *jobs.Options) error
	EnqueueMany(ctx context.Context, args []jobs.Args) error
	EnqueueTimed(ctx context.Context, jobs []jobs.Timed) error
	Waiting(ctx context.Context, kind string) ([]jobs.Waiting, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// queueStartTries is how often serve tries to start the job queue before it
// gives up: a start can time out while the database is busy (River waits
// 5 s for its listener to subscribe), and a node that then refused to
// serve would be down for a passing load.
const queueStartTries = 3

// startQueue starts q, trying again after pause when a try fails.
func startQueue(ctx context.Context, q jobQueue, log *slog.Logger, tries int, pause time.Duration) error {
	var err error
	for try := 1; try <= tries; try++ {
		if err = q.Start(ctx); err == nil || ctx.Err() != nil {
			return err
		}
		log.Warn("job queue did not start", "try", try, "of", tries, "err", err)
		if try < tries {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(pause):
			}
		}
	}
	return err
}

// openStores opens the configured backend.
func openStores(ctx context.Context, cfg config.Config, now func() time.Time) (*store.Stores, error) {
	if cfg.IsPostgres() {
		db, err := postgres.Open(ctx, postgres.Options{URL: cfg.DB, Now: now})
		if err != nil {
			return nil, err
		}
		return db.Stores(), nil
	}
	db, err := sqlite.Open(ctx, sqlite.Options{Path: cfg.SQLitePath(), Sync: cfg.SQLiteSync, Now: now})
	if err != nil {
		return nil, err
	}
	return db.Stores(), nil
}

// newQueue builds the job queue on the backend's own River driver.
func newQueue(s *store.Stores, reg *jobs.Registry, cfg jobs.Config) (jobQueue, error) {
	switch db := s.Backend.(type) {
	case *postgres.DB:
		return jobs.New(riverpgxv5.New(db.Pool()), postgres.TxFromContext, reg, cfg)
	case *sqlite.DB:
		// SQLite cannot notify waiting workers (the driver reports no
		// listener, see sqlite.JobsDriver), so River polls; a short interval
		// keeps a job's wait low at negligible cost.
		cfg.PollInterval = 200 * time.Millisecond
		cfg.FastInsert = true
		return jobs.New(db.JobsDriver(), sqlite.TxFromContext, reg, cfg)
	}
	return nil, fmt.Errorf("no job queue for backend %T", s.Backend)
}

// prepareSchema applies or checks migrations as configured.
func prepareSchema(ctx context.Context, s *store.Stores, migrate bool, log *slog.Logger) error {
	if migrate {
		applied, err := s.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("数据库迁移失败：%w", err)
		}
		if len(applied) > 0 {
			log.Info("applied migrations", "versions", applied)
		}
	}
	st, err := s.SchemaStatus(ctx)
	if err != nil {
		return fmt.Errorf("检查数据库结构版本失败：%w", err)
	}
	if !st.UpToDate() {
		return fmt.Errorf("%s（可用 --migrate=yes 在启动时迁移）", st.Describe())
	}
	return nil
}

// Migrate opens the configured database, applies pending migrations and
// reports the resulting status.
func Migrate(ctx context.Context, cfg config.Config) ([]int, migrate.Status, error) {
	if err := cfg.Validate(); err != nil {
		return nil, migrate.Status{}, err
	}
	s, err := openStores(ctx, cfg, time.Now)
	if err != nil {
		return nil, migrate.Status{}, err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return applied, migrate.Status{}, fmt.Errorf("数据库迁移失败：%w", err)
	}
	st, err := s.SchemaStatus(ctx)
	return applied, st, err
}
