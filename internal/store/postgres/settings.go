package postgres

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
	err := s.db.q(ctx).QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	return v, notFound(err, "设置项不存在")
}

// PutSettingIfAbsent stores value unless key is set and returns the value
// that is stored, so that nodes starting together agree on one value.
func (s *SettingsStore) PutSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	var stored string
	err := s.db.q(ctx).QueryRow(ctx, `
		WITH ins AS (INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value)
		SELECT value FROM ins UNION ALL SELECT value FROM settings WHERE key = $1 LIMIT 1`, key, value).Scan(&stored)
	return stored, mapError(err)
}

// PutSetting stores a value.
func (s *SettingsStore) PutSetting(ctx context.Context, key, value string) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return mapError(err)
}
