package sqlite

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

// userConflict names the field a unique violation of a new account is
// about (an update changes none of the unique columns).
func (s *IdentityStore) userConflict(ctx context.Context, err error, u *identity.User) error {
	if !isUnique(err) {
		return mapError(err)
	}
	idTaken, err := s.db.taken(ctx, `SELECT 1 FROM users WHERE id_number = ? AND id_number <> ''`, u.IDNumber)
	if err != nil {
		return err
	}
	if idTaken {
		return apperr.Field("id_number", "该身份证号码已注册过账号")
	}
	codeTaken, err := s.db.taken(ctx, `SELECT 1 FROM users WHERE credit_code = ? AND credit_code <> ''`, u.CreditCode)
	if err != nil {
		return err
	}
	if codeTaken {
		return apperr.Field("credit_code", "该统一社会信用代码已注册过账号")
	}
	return apperr.Field("username", "登录名 "+u.Username+" 已被使用")
}

// CreateUser inserts u.
func (s *IdentityStore) CreateUser(ctx context.Context, u *identity.User) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO users (kind, username, name, id_number, credit_code, contact_name, phone, email, password_hash, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Kind, u.Username, u.Name, u.IDNumber, u.CreditCode, u.ContactName,
			u.Phone, u.Email, u.PasswordHash, boolInt(u.Disabled), micro(u.CreatedAt), micro(u.UpdatedAt))
		if err != nil {
			return s.userConflict(ctx, err, u)
		}
		u.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateUser saves the changeable fields of u.
func (s *IdentityStore) UpdateUser(ctx context.Context, u *identity.User) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE users SET name = ?, contact_name = ?, phone = ?, email = ?, password_hash = ?, disabled = ?, updated_at = ?
			WHERE id = ?`, u.Name, u.ContactName, u.Phone, u.Email, u.PasswordHash, boolInt(u.Disabled), micro(u.UpdatedAt), u.ID)
		if err != nil {
			return s.userConflict(ctx, err, u)
		}
		return nil
	})
}

// FindUserByID returns one account.
func (s *IdentityStore) FindUserByID(ctx context.Context, id int64) (*identity.User, error) {
	u, err := scanUser(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, notFound(err, "账号不存在")
}

// FindUserByUsername returns the account with a login name (case-insensitive).
func (s *IdentityStore) FindUserByUsername(ctx context.Context, username string) (*identity.User, error) {
	u, err := scanUser(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ? COLLATE NOCASE`, username))
	return u, notFound(err, "账号不存在")
}

// FindUserByIDNumber returns the account of a 居民身份证号码.
func (s *IdentityStore) FindUserByIDNumber(ctx context.Context, idNumber string) (*identity.User, error) {
	u, err := scanUser(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id_number = ? AND id_number <> ''`, idNumber))
	return u, notFound(err, "账号不存在")
}

// FindUsers lists accounts with the total count.
func (s *IdentityStore) FindUsers(ctx context.Context, f identity.UserFilter) ([]*identity.User, int, error) {
	w := sqlcommon.UserWhere(dialect, f)
	limit, offset := w.Arg(f.Limit), w.Arg(f.Offset)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+userColumns+`, count(*) OVER () FROM users WHERE `+
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
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO role_grants (user_id, role, region_id, department_id, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, g.UserID, g.Role, nullID(g.RegionID), nullID(g.DepartmentID), g.CreatedBy, micro(g.CreatedAt))
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该工作人员在此范围内已有%s角色", g.Role.Label())
		}
		if err != nil {
			return mapError(err)
		}
		g.ID, err = res.LastInsertId()
		return err
	})
}

// DeleteGrant removes a grant.
func (s *IdentityStore) DeleteGrant(ctx context.Context, id int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM role_grants WHERE id = ?`, id)
		return mapError(err)
	})
}

// FindGrantByID returns one grant.
func (s *IdentityStore) FindGrantByID(ctx context.Context, id int64) (*identity.Grant, error) {
	g, err := scanGrant(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+grantColumns+grantFrom+` WHERE g.id = ?`, id))
	return g, notFound(err, "角色授权不存在")
}

// FindGrantsByUser lists a user's grants.
func (s *IdentityStore) FindGrantsByUser(ctx context.Context, userID int64) ([]*identity.Grant, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+grantColumns+grantFrom+` WHERE g.user_id = ? ORDER BY g.id`, userID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*identity.Grant
	for rows.Next() {
		g, err := scanGrant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, mapError(rows.Err())
}

var scanGrant = shared(sqlcommon.ScanGrant)

// CreateSession inserts a session.
func (s *IdentityStore) CreateSession(ctx context.Context, ss *identity.Session) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, address, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, ss.ID, ss.UserID, micro(ss.CreatedAt), micro(ss.LastSeenAt), micro(ss.ExpiresAt), ss.Address, ss.UserAgent)
		return mapError(err)
	})
}

const sessionColumns = sqlcommon.SessionColumns

// FindSession returns a session by id.
func (s *IdentityStore) FindSession(ctx context.Context, id []byte) (*identity.Session, error) {
	var ss identity.Session
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE id = ?`, id).Scan(sqlcommon.SessionDest(&ss)...)
	if err != nil {
		return nil, notFound(err, "会话不存在")
	}
	return &ss, nil
}

// sessionActorQuery reads a session with its user and the user's grants.
var sessionActorQuery = sqlcommon.SessionActorQuery("?")

// FindSessionActor returns a session, its user and the user's grants.
func (s *IdentityStore) FindSessionActor(ctx context.Context, id []byte) (*identity.Session, *identity.User, []*identity.Grant, error) {
	// A point read: not worth the driver's interrupt goroutine (see FindCaseForLookup).
	rows, err := s.db.q(ctx).QueryContext(context.WithoutCancel(ctx), sessionActorQuery, id)
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
	// A point read: not worth the driver's interrupt goroutine (see FindCaseForLookup).
	err := s.db.q(ctx).QueryRowContext(context.WithoutCancel(ctx), `SELECT n FROM auth_epoch WHERE id = 1`).Scan(&n)
	return n, mapError(err)
}

// TouchSession records activity.
func (s *IdentityStore) TouchSession(ctx context.Context, id []byte, at time.Time) error {
	return s.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, micro(at), id)
}

// DeleteSession removes a session.
func (s *IdentityStore) DeleteSession(ctx context.Context, id []byte) error {
	return s.exec(ctx, `DELETE FROM sessions WHERE id = ?`, id)
}

// DeleteUserSessions removes every session of a user.
func (s *IdentityStore) DeleteUserSessions(ctx context.Context, userID int64) error {
	return s.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or past their end.
func (s *IdentityStore) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM sessions WHERE last_seen_at < ? OR expires_at < ?`, micro(idleBefore), micro(now))
		if err != nil {
			return mapError(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// FindThrottle returns the failure counter of key.
func (s *IdentityStore) FindThrottle(ctx context.Context, key string) (*identity.Throttle, error) {
	t := identity.Throttle{Key: key}
	var start, locked int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT failures, window_start, locked_until FROM login_throttle WHERE key = ?`, key).
		Scan(&t.Failures, &start, &locked)
	if err != nil {
		return nil, notFound(err, "无失败记录")
	}
	t.WindowStart, t.LockedUntil = fromMicro(start), fromMicro(locked)
	return &t, nil
}

// PutThrottle saves a failure counter.
func (s *IdentityStore) PutThrottle(ctx context.Context, t *identity.Throttle) error {
	return s.exec(ctx, `INSERT INTO login_throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start, locked_until = excluded.locked_until`,
		t.Key, t.Failures, micro(t.WindowStart), micro(t.LockedUntil))
}

// DeleteThrottle clears a failure counter.
func (s *IdentityStore) DeleteThrottle(ctx context.Context, key string) error {
	return s.exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, key)
}

// exec runs one write statement in a transaction.
func (s *IdentityStore) exec(ctx context.Context, query string, args ...any) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, query, args...)
		return mapError(err)
	})
}
