package postgres

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/opendata"

	"github.com/jackc/pgx/v5"
)

const applicationColumns = `p.id, p.dataset_id, p.user_id, p.applicant, p.purpose, p.fields, p.period_from, p.period_to, p.status,
	p.submitted_on, p.decided_on, p.decided_by, p.decision_reason, p.rate_limit, p.created_at, p.updated_at,
	d.name, d.title, d.publisher_id`

const applicationFrom = ` FROM opendata_applications p JOIN opendata_datasets d ON d.id = p.dataset_id
	JOIN disclosure_agencies a ON a.id = d.publisher_id JOIN regions r ON r.id = a.region_id`

func scanApplication(sc pgx.Row) (*opendata.Application, error) {
	var p opendata.Application
	var fields, from, to, submitted, decided string
	err := sc.Scan(&p.ID, &p.DatasetID, &p.UserID, &p.Applicant, &p.Purpose, &fields, &from, &to, &p.Status, &submitted,
		&decided, &p.DecidedBy, &p.Reason, &p.RateLimit, &p.CreatedAt, &p.UpdatedAt, &p.DatasetName, &p.DatasetTitle, &p.PublisherID)
	if err != nil {
		return nil, err
	}
	p.PeriodFrom, p.PeriodTo, p.SubmittedOn, p.DecidedOn = textDate(from), textDate(to), textDate(submitted), textDate(decided)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, json.Unmarshal([]byte(fields), &p.Fields)
}

// CreateApplication inserts an application.
func (s *OpenDataStore) CreateApplication(ctx context.Context, p *opendata.Application) error {
	fields, err := json.Marshal(p.Fields)
	if err != nil {
		return err
	}
	err = s.db.q(ctx).QueryRow(ctx, `INSERT INTO opendata_applications (dataset_id, user_id, applicant, purpose, fields,
		period_from, period_to, status, submitted_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		p.DatasetID, p.UserID, p.Applicant, p.Purpose, string(fields), dateText(p.PeriodFrom), dateText(p.PeriodTo), string(p.Status),
		dateText(p.SubmittedOn), p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
	return mapError(err)
}

// UpdateApplication saves a decision.
func (s *OpenDataStore) UpdateApplication(ctx context.Context, p *opendata.Application) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE opendata_applications SET status = $1, decided_on = $2, decided_by = $3,
		decision_reason = $4, rate_limit = $5, updated_at = $6 WHERE id = $7`, string(p.Status), dateText(p.DecidedOn), p.DecidedBy, p.Reason,
		p.RateLimit, p.UpdatedAt, p.ID)
	return mapError(err)
}

// FindApplicationByID returns an application.
func (s *OpenDataStore) FindApplicationByID(ctx context.Context, id int64) (*opendata.Application, error) {
	p, err := scanApplication(s.db.q(ctx).QueryRow(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE p.id = $1`, id))
	return p, notFound(err, "申请不存在")
}

// FindApplications lists applications, newest first.
func (s *OpenDataStore) FindApplications(ctx context.Context, f opendata.ApplicationFilter) ([]*opendata.Application, error) {
	w := newWhere()
	if f.UserID != 0 {
		w.add("p.user_id = ?", f.UserID)
	}
	if f.DatasetID != 0 {
		w.add("p.dataset_id = ?", f.DatasetID)
	}
	if f.PathPrefix != "" {
		w.add("r.path LIKE ?", likePrefix(f.PathPrefix))
	}
	if f.Status != "" {
		w.add("p.status = ?", string(f.Status))
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE `+w.sql()+
		` ORDER BY p.id DESC LIMIT 1000`, w.args...)
	return collect(rows, err, scanApplication)
}

const apiKeyColumns = `id, application_id, prefix, hash, revoked_at, revoked_by, last_used_at, created_at`

func scanAPIKey(sc pgx.Row) (*opendata.Key, error) {
	var k opendata.Key
	var revoked, used *time.Time
	if err := sc.Scan(&k.ID, &k.ApplicationID, &k.Prefix, &k.Hash, &revoked, &k.RevokedBy, &used, &k.CreatedAt); err != nil {
		return nil, err
	}
	k.RevokedAt, k.LastUsedAt, k.CreatedAt = optTime(revoked), optTime(used), k.CreatedAt.UTC()
	return &k, nil
}

// CreateKey inserts a key.
func (s *OpenDataStore) CreateKey(ctx context.Context, k *opendata.Key) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO opendata_keys (application_id, prefix, hash, created_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, k.ApplicationID, k.Prefix, k.Hash, k.CreatedAt).Scan(&k.ID)
	return mapError(err)
}

// UpdateKey saves a key's revocation.
func (s *OpenDataStore) UpdateKey(ctx context.Context, k *opendata.Key) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE opendata_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3`,
		nullTime(k.RevokedAt), k.RevokedBy, k.ID)
	return mapError(err)
}

// FindKeyByHash returns the key with this hash.
func (s *OpenDataStore) FindKeyByHash(ctx context.Context, hash []byte) (*opendata.Key, error) {
	k, err := scanAPIKey(s.db.q(ctx).QueryRow(ctx, `SELECT `+apiKeyColumns+` FROM opendata_keys WHERE hash = $1`, hash))
	return k, notFound(err, "密钥不存在")
}

// FindKeys lists an application's keys, newest first.
func (s *OpenDataStore) FindKeys(ctx context.Context, applicationID int64) ([]*opendata.Key, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+apiKeyColumns+` FROM opendata_keys WHERE application_id = $1
		ORDER BY id DESC`, applicationID)
	return collect(rows, err, scanAPIKey)
}

// UseKey logs a call of a key and reports whether it was within the limit.
// The key's row is locked first, so concurrent calls of one key are
// counted one after the other and none slips past the limit.
func (s *OpenDataStore) UseKey(ctx context.Context, u opendata.KeyUse, limit int, since time.Time) (bool, error) {
	var ok bool
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		r := s.db.q(ctx)
		if _, err := r.Exec(ctx, `UPDATE opendata_keys SET last_used_at = $1 WHERE id = $2`, u.At, u.KeyID); err != nil {
			return mapError(err)
		}
		var n int
		err := r.QueryRow(ctx, `SELECT count(*) FROM opendata_key_log WHERE key_id = $1 AND at > $2 AND status = 200`, u.KeyID, since).Scan(&n)
		if err != nil {
			return mapError(err)
		}
		ok = n < limit
		status, rows := 200, u.Rows
		if !ok {
			status, rows = 429, 0
		}
		_, err = r.Exec(ctx, `INSERT INTO opendata_key_log (key_id, at, endpoint, row_count, status) VALUES ($1, $2, $3, $4, $5)`,
			u.KeyID, u.At, u.Endpoint, rows, status)
		return mapError(err)
	})
	return ok, err
}

// FindKeyUses lists the latest calls of an application's keys.
func (s *OpenDataStore) FindKeyUses(ctx context.Context, applicationID int64, limit int) ([]opendata.KeyUse, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT l.key_id, l.at, l.endpoint, l.row_count, l.status FROM opendata_key_log l
		JOIN opendata_keys k ON k.id = l.key_id WHERE k.application_id = $1 ORDER BY l.id DESC LIMIT $2`, applicationID, limit)
	return collect(rows, err, func(sc pgx.Row) (opendata.KeyUse, error) {
		var u opendata.KeyUse
		err := sc.Scan(&u.KeyID, &u.At, &u.Endpoint, &u.Rows, &u.Status)
		u.At = u.At.UTC()
		return u, err
	})
}
