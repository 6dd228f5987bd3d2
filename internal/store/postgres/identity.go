package postgres

import (
	"context"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/store/sqlcommon"
)

// IdentityStore implements identity.Store.
type IdentityStore struct{ db *DB }

// Identity returns the accounts store.
func (db *DB) Identity() *IdentityStore { return &IdentityStore{db} }

const userColumns = sqlcommon.UserColumns

func userConflict(err error, u *identity.User) error {
	if !isUnique(err) {
		return mapError(err)
	}
	switch constraint(err) {
	case "users_id_number":
		return apperr.Field("id_number", "该身份证号码已注册过账号")
	case "users_credit_code":
		return apperr.Field("credit_code", "该统一社会信用代码已注册过账号")
	}
	return apperr.Field("username", "登录名 "+u.Username+" 已被使用")
}

// CreateUser inserts u.
func (s *IdentityStore) CreateUser(ctx context.Context, u *identity.User) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO users (kind, username, name, id_number, credit_code, contact_name, phone, email, password_hash, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`, u.Kind, u.Username, u.Name, u.IDNumber, u.CreditCode,
		u.ContactName, u.Phone, u.Email, u.PasswordHash, u.Disabled, u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
	if err != nil {
		return userConflict(err, u)
	}
	return nil
}

// UpdateUser saves the changeable fields of u.
func (s *IdentityStore) UpdateUser(ctx context.Context, u *identity.User) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE users SET name = $1, contact_name = $2, phone = $3, email = $4, password_hash = $5, disabled = $6, updated_at = $7
		WHERE id = $8`, u.Name, u.ContactName, u.Phone, u.Email, u.PasswordHash, u.Disabled, u.UpdatedAt, u.ID)
	if err != nil {
		return userConflict(err, u)
	}
	return nil
}

// FindUserByID returns one account.
func (s *IdentityStore) FindUserByID(ctx context.Context, id int64) (*identity.User, error) {
	u, err := scanUser(s.db.q(ctx).QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return u, notFound(err, "账号不存在")
}

// FindUserByUsername returns the account with a login name (case-insensitive).
func (s *IdentityStore) FindUserByUsername(ctx context.Context, username string) (*identity.User, error) {
	u, err := scanUser(s.db.q(ctx).QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE lower(username) = lower($1)`, username))
	return u, notFound(err, "账号不存在")
}

// FindUserByIDNumber returns the account of a 居民身份证号码.
func (s *IdentityStore) FindUserByIDNumber(ctx context.Context, idNumber string) (*identity.User, error) {
	u, err := scanUser(s.db.q(ctx).QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id_number = $1 AND id_number <> ''`, idNumber))
	return u, notFound(err, "账号不存在")
}

// FindUsers lists accounts with the total count.
func (s *IdentityStore) FindUsers(ctx context.Context, f identity.UserFilter) ([]*identity.User, int, error) {
	w := sqlcommon.UserWhere(dialect, f)
	limit, offset := w.Arg(f.Limit), w.Arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+userColumns+`, count(*) OVER () FROM users WHERE `+
		w.SQL()+` ORDER BY id LIMIT `+limit+` OFFSET `+offset, w.Args...)
	total := 0
	users, err := collect(rows, err, shared(func(r sqlcommon.Scanner) (*identity.User, error) { return sqlcommon.ScanUser(r, &total) }))
	return users, total, err
}

var scanUser = shared(func(r sqlcommon.Scanner) (*identity.User, error) { return sqlcommon.ScanUser(r) })

const grantColumns = sqlcommon.GrantColumns
const grantFrom = sqlcommon.GrantFrom

// CreateGrant inserts g.
func (s *IdentityStore) CreateGrant(ctx context.Context, g *identity.Grant) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO role_grants (user_id, role, region_id, department_id, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, g.UserID, g.Role, g.RegionID, g.DepartmentID, g.CreatedBy, g.CreatedAt).Scan(&g.ID)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "该工作人员在此范围内已有%s角色", g.Role.Label())
	}
	return mapError(err)
}

// DeleteGrant removes a grant.
func (s *IdentityStore) DeleteGrant(ctx context.Context, id int64) error {
	return s.exec(ctx, `DELETE FROM role_grants WHERE id = $1`, id)
}

// FindGrantByID returns one grant.
func (s *IdentityStore) FindGrantByID(ctx context.Context, id int64) (*identity.Grant, error) {
	g, err := scanGrant(s.db.q(ctx).QueryRow(ctx, `SELECT `+grantColumns+grantFrom+` WHERE g.id = $1`, id))
	return g, notFound(err, "角色授权不存在")
}

// FindGrantsByUser lists a user's grants.
func (s *IdentityStore) FindGrantsByUser(ctx context.Context, userID int64) ([]*identity.Grant, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+grantColumns+grantFrom+` WHERE g.user_id = $1 ORDER BY g.id`, userID)
	return collect(rows, err, scanGrant)
}

var scanGrant = shared(sqlcommon.ScanGrant)

// CreateSession inserts a session.
func (s *IdentityStore) CreateSession(ctx context.Context, ss *identity.Session) error {
	return s.exec(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, address, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, ss.ID, ss.UserID, ss.CreatedAt, ss.LastSeenAt, ss.ExpiresAt, ss.Address, ss.UserAgent)
}

const sessionColumns = sqlcommon.SessionColumns

// FindSession returns a session by id.
func (s *IdentityStore) FindSession(ctx context.Context, id []byte) (*identity.Session, error) {
	var ss identity.Session
	err := s.db.q(ctx).QueryRow(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = $1`, id).Scan(sqlcommon.SessionDest(&ss)...)
	if err != nil {
		return nil, notFound(err, "会话不存在")
	}
	return &ss, nil
}

// sessionActorQuery reads a session with its user and the user's grants.
var sessionActorQuery = sqlcommon.SessionActorQuery("$1")

// FindSessionActor returns a session, its user and the user's grants.
func (s *IdentityStore) FindSessionActor(ctx context.Context, id []byte) (*identity.Session, *identity.User, []*identity.Grant, error) {
	rows, err := s.db.q(ctx).Query(ctx, sessionActorQuery, id)
	found, err := collect(rows, err, scanSessionActor)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(found) == 0 {
		return nil, nil, nil, apperr.New(apperr.NotFound, "会话不存在")
	}
	return found[0].Session, found[0].User, sqlcommon.SessionGrants(found), nil
}

var scanSessionActor = shared(sqlcommon.ScanSessionActor)

// AuthEpoch returns the number the auth_epoch triggers move whenever a
// session ends or an account, its grants or their scopes change.
func (s *IdentityStore) AuthEpoch(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT n FROM auth_epoch WHERE id = 1`).Scan(&n)
	return n, mapError(err)
}

// TouchSession records activity.
func (s *IdentityStore) TouchSession(ctx context.Context, id []byte, at time.Time) error {
	return s.exec(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, at, id)
}

// DeleteSession removes a session.
func (s *IdentityStore) DeleteSession(ctx context.Context, id []byte) error {
	return s.exec(ctx, `DELETE FROM sessions WHERE id = $1`, id)
}

// DeleteUserSessions removes every session of a user.
func (s *IdentityStore) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or past their end.
func (s *IdentityStore) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error) {
	tag, err := s.db.q(ctx).Exec(ctx, `DELETE FROM sessions WHERE last_seen_at < $1 OR expires_at < $2`, idleBefore, now)
	return tag.RowsAffected(), mapError(err)
}

// throttleLockClass is the first key of the advisory locks on login
// throttle counters (the two-key lock space; River uses the one-key space).
const throttleLockClass int32 = 0x7468726f // "thro"

// FindThrottle returns the failure counter of key.
func (s *IdentityStore) FindThrottle(ctx context.Context, key string) (*identity.Throttle, error) {
	t := identity.Throttle{Key: key}
	var locked *time.Time
	query := `SELECT failures, window_start, locked_until FROM login_throttle WHERE key = $1`
	if _, inTx := TxFromContext(ctx); inTx {
		// A failure is counted on the row as read: concurrent failures
		// queue, on any node. FOR UPDATE alone cannot lock a counter that
		// does not exist yet, so the first failures would each write 1;
		// the key's transaction-scoped advisory lock queues them too.
		if err := s.exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, throttleLockClass, key); err != nil {
			return nil, err
		}
		query += ` FOR UPDATE`
	}
	err := s.db.q(ctx).QueryRow(ctx, query, key).Scan(&t.Failures, &t.WindowStart, &locked)
	if err != nil {
		return nil, notFound(err, "无失败记录")
	}
	t.WindowStart = t.WindowStart.UTC()
	if locked != nil {
		t.LockedUntil = locked.UTC()
	}
	return &t, nil
}

// PutThrottle saves a failure counter.
func (s *IdentityStore) PutThrottle(ctx context.Context, t *identity.Throttle) error {
	var locked *time.Time
	if !t.LockedUntil.IsZero() {
		locked = &t.LockedUntil
	}
	return s.exec(ctx, `INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
		t.Key, t.Failures, t.WindowStart, locked)
}

// DeleteThrottle clears a failure counter.
func (s *IdentityStore) DeleteThrottle(ctx context.Context, key string) error {
	return s.exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
}

// exec runs one write statement.
func (s *IdentityStore) exec(ctx context.Context, query string, args ...any) error {
	_, err := s.db.q(ctx).Exec(ctx, query, args...)
	return mapError(err)
}
