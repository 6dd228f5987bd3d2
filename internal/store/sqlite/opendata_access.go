package sqlite

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/opendata"
)

const applicationColumns = `p.id, p.dataset_id, p.user_id, p.applicant, p.purpose, p.fields, p.period_from, p.period_to, p.status,
	p.submitted_on, p.decided_on, p.decided_by, p.decision_reason, p.rate_limit, p.created_at, p.updated_at,
	d.name, d.title, d.publisher_id`

const applicationFrom = ` FROM opendata_applications p JOIN opendata_datasets d ON d.id = p.dataset_id
	JOIN disclosure_agencies a ON a.id = d.publisher_id JOIN regions r ON r.id = a.region_id`

func scanApplication(sc scanner) (*opendata.Application, error) {
	var p opendata.Application
	var fields, from, to, submitted, decided string
	var created, updated int64
	err := sc.Scan(&p.ID, &p.DatasetID, &p.UserID, &p.Applicant, &p.Purpose, &fields, &from, &to, &p.Status, &submitted,
		&decided, &p.DecidedBy, &p.Reason, &p.RateLimit, &created, &updated, &p.DatasetName, &p.DatasetTitle, &p.PublisherID)
	if err != nil {
		return nil, err
	}
	p.PeriodFrom, p.PeriodTo, p.SubmittedOn, p.DecidedOn = textDate(from), textDate(to), textDate(submitted), textDate(decided)
	p.CreatedAt, p.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &p, json.Unmarshal([]byte(fields), &p.Fields)
}

// CreateApplication inserts an application.
func (s *OpenDataStore) CreateApplication(ctx context.Context, p *opendata.Application) error {
	fields, err := json.Marshal(p.Fields)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO opendata_applications (dataset_id, user_id, applicant, purpose, fields,
			period_from, period_to, status, submitted_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.DatasetID, p.UserID, p.Applicant, p.Purpose, string(fields), dateText(p.PeriodFrom), dateText(p.PeriodTo), p.Status,
			dateText(p.SubmittedOn), micro(p.CreatedAt), micro(p.UpdatedAt)).Scan(&p.ID)
		return mapError(err)
	})
}

// UpdateApplication saves a decision.
func (s *OpenDataStore) UpdateApplication(ctx context.Context, p *opendata.Application) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE opendata_applications SET status = ?, decided_on = ?, decided_by = ?,
			decision_reason = ?, rate_limit = ?, updated_at = ? WHERE id = ?`, p.Status, dateText(p.DecidedOn), p.DecidedBy, p.Reason,
			p.RateLimit, micro(p.UpdatedAt), p.ID)
		return mapError(err)
	})
}

// FindApplicationByID returns an application.
func (s *OpenDataStore) FindApplicationByID(ctx context.Context, id int64) (*opendata.Application, error) {
	p, err := scanApplication(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE p.id = ?`, id))
	return p, notFound(err, "申请不存在")
}

// FindApplications lists applications, newest first.
func (s *OpenDataStore) FindApplications(ctx context.Context, f opendata.ApplicationFilter) ([]*opendata.Application, error) {
	where, args := "1 = 1", []any{}
	if f.UserID != 0 {
		where, args = where+" AND p.user_id = ?", append(args, f.UserID)
	}
	if f.DatasetID != 0 {
		where, args = where+" AND p.dataset_id = ?", append(args, f.DatasetID)
	}
	if f.PathPrefix != "" {
		where, args = where+" AND substr(r.path, 1, ?) = ?", append(args, len(f.PathPrefix), f.PathPrefix)
	}
	if f.Status != "" {
		where, args = where+" AND p.status = ?", append(args, f.Status)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE `+where+
		` ORDER BY p.id DESC LIMIT 1000`, args...)
	return collect(rows, err, scanApplication)
}

const apiKeyColumns = `id, application_id, prefix, hash, revoked_at, revoked_by, last_used_at, created_at`

func scanAPIKey(sc scanner) (*opendata.Key, error) {
	var k opendata.Key
	var revoked, used, created int64
	if err := sc.Scan(&k.ID, &k.ApplicationID, &k.Prefix, &k.Hash, &revoked, &k.RevokedBy, &used, &created); err != nil {
		return nil, err
	}
	k.RevokedAt, k.LastUsedAt, k.CreatedAt = fromMicro(revoked), fromMicro(used), fromMicro(created)
	return &k, nil
}

// CreateKey inserts a key.
func (s *OpenDataStore) CreateKey(ctx context.Context, k *opendata.Key) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO opendata_keys (application_id, prefix, hash, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`, k.ApplicationID, k.Prefix, k.Hash, micro(k.CreatedAt)).Scan(&k.ID)
		return mapError(err)
	})
}

// UpdateKey saves a key's revocation.
func (s *OpenDataStore) UpdateKey(ctx context.Context, k *opendata.Key) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE opendata_keys SET revoked_at = ?, revoked_by = ? WHERE id = ?`,
			micro(k.RevokedAt), k.RevokedBy, k.ID)
		return mapError(err)
	})
}

// FindKeyByHash returns the key with this hash.
func (s *OpenDataStore) FindKeyByHash(ctx context.Context, hash []byte) (*opendata.Key, error) {
	k, err := scanAPIKey(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM opendata_keys WHERE hash = ?`, hash))
	return k, notFound(err, "密钥不存在")
}

// FindKeys lists an application's keys, newest first.
func (s *OpenDataStore) FindKeys(ctx context.Context, applicationID int64) ([]*opendata.Key, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM opendata_keys WHERE application_id = ?
		ORDER BY id DESC`, applicationID)
	return collect(rows, err, scanAPIKey)
}

// UseKey logs a call of a key and reports whether it was within the limit.
// The whole check runs on the single writer, so calls of one key never
// pass the limit together.
func (s *OpenDataStore) UseKey(ctx context.Context, u opendata.KeyUse, limit int, since time.Time) (bool, error) {
	var ok bool
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		var n int
		err := q.QueryRowContext(ctx, `SELECT count(*) FROM opendata_key_log WHERE key_id = ? AND at > ? AND status = 200`,
			u.KeyID, micro(since)).Scan(&n)
		if err != nil {
			return mapError(err)
		}
		ok = n < limit
		status, rows := 200, u.Rows
		if !ok {
			status, rows = 429, 0
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO opendata_key_log (key_id, at, endpoint, row_count, status) VALUES (?, ?, ?, ?, ?)`,
			u.KeyID, micro(u.At), u.Endpoint, rows, status); err != nil {
			return mapError(err)
		}
		_, err = q.ExecContext(ctx, `UPDATE opendata_keys SET last_used_at = ? WHERE id = ?`, micro(u.At), u.KeyID)
		return mapError(err)
	})
	return ok, err
}

// FindKeyUses lists the latest calls of an application's keys.
func (s *OpenDataStore) FindKeyUses(ctx context.Context, applicationID int64, limit int) ([]opendata.KeyUse, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT l.key_id, l.at, l.endpoint, l.row_count, l.status FROM opendata_key_log l
		JOIN opendata_keys k ON k.id = l.key_id WHERE k.application_id = ? ORDER BY l.id DESC LIMIT ?`, applicationID, limit)
	return collect(rows, err, func(sc scanner) (opendata.KeyUse, error) {
		var u opendata.KeyUse
		var at int64
		err := sc.Scan(&u.KeyID, &at, &u.Endpoint, &u.Rows, &u.Status)
		u.At = fromMicro(at)
		return u, err
	})
}
