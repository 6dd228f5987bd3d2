package sqlite

import (
	"context"
)

// SettingsStore keeps small named values (keys, one-time markers).
type SettingsStore struct{ db *DB }

// Settings returns the settings store.
func (db *DB) Settings() *SettingsStore { return &SettingsStore{db} }

// Setting returns a value; NotFound when unset.
func (s *SettingsStore) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	return v, notFound(err, "设置项不存在")
}

// PutSettingIfAbsent stores value unless key is set and returns the value
// that is stored, so that concurrent first starts agree on one value.
func (s *SettingsStore) PutSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	var stored string
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value); err != nil {
			return mapError(err)
		}
		return mapError(q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&stored))
	})
	return stored, err
}

// PutSetting stores a value.
func (s *SettingsStore) PutSetting(ctx context.Context, key, value string) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return mapError(err)
	})
}
