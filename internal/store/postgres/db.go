// Package postgres stores OpenHall's data in PostgreSQL through pgx. It is the
// scale-out path: many stateless openhall nodes share one database, so
// nothing here keeps state between requests, and the job queue hands each
// job to exactly one node.
package postgres

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/store"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configure Open.
type Options struct {
	URL      string
	MaxConns int32
	Now      func() time.Time
}

// DB is a pool of connections to one PostgreSQL database.
type DB struct {
	pool     *pgxpool.Pool
	now      func() time.Time
	counters *store.Counters
}

// Open connects and checks the server is reachable. It does not migrate.
func Open(ctx context.Context, o Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(o.URL)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "PostgreSQL 连接串格式有误："+err.Error())
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	} else if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	counters := &store.Counters{}
	cfg.ConnConfig.Tracer = counting{counters}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, "无法连接 PostgreSQL")
	}
	db := &DB{pool: pool, now: o.Now, counters: counters}
	if err := db.Ping(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Ping checks the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.pool.Ping(ctx); err != nil {
		host := db.pool.Config().ConnConfig.Host
		port := db.pool.Config().ConnConfig.Port
		return apperr.Wrap(err, apperr.Unavailable, fmt.Sprintf("无法连接 PostgreSQL（%s:%d）：请检查数据库是否启动、地址与账号是否正确", host, port))
	}
	return nil
}

// Close closes the pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// Pool is the connection pool the job queue shares.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Backend names the storage backend.
func (db *DB) Backend() string { return "postgres" }

// Stores returns the backend with every domain store.
func (db *DB) Stores() *store.Stores {
	return &store.Stores{Backend: db, Audit: db.Audit(), Calendar: db.Calendar(), Cases: db.Cases(),
		Identity: db.Identity(), Org: db.Org(), Settings: db.Settings(),
		Certs: db.Certs(), Notify: db.Notify(), Catalog: db.Catalog(),
		Disclosure: db.Disclosure(), Search: db.Search(), Hall: db.Hall(),
		Supervision: db.Supervision(),
		Ratings:     db.Ratings(), Complaints: db.Complaints(), Hotline: db.Complaints(),
		Consult: db.Consult(), Mailbox: db.Mailbox(), Powers: db.Powers(), Publicity: db.Publicity(),
		OpenData: db.OpenData(), Budget: db.Budget()}
}

// Analyze refreshes the planner's statistics and the visibility map after
// a bulk load: what autovacuum does on its own within a minute or so of a
// large import, done at once so that what follows sees the steady state.
func (db *DB) Analyze(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, `VACUUM (ANALYZE)`)
	return mapError(err)
}
