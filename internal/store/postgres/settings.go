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
// that is stored, so that nodes starting together agree on one value. The
// conflict arm rewrites the row with its own value: unlike DO NOTHING and a
// read, it returns a row committed by another node after this statement's
// snapshot was taken.
func (s *SettingsStore) PutSettingIfAbsent(ctx context.Context, key, value string) (string, error) {
	var stored string
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = settings.value RETURNING value`, key, value).Scan(&stored)
	return stored, mapError(err)
}

// PutSetting stores a value.
func (s *SettingsStore) PutSetting(ctx context.Context, key, value string) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return mapError(err)
}
