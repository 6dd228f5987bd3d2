package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/certs"
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

// CertsStore implements certs.Store.
type CertsStore struct{ db *DB }

// Certs returns the certificate store.
func (db *DB) Certs() *CertsStore { return &CertsStore{db} }

const keyColumns = sqlcommon.KeyColumns

// CreateKeyIfNone inserts k unless its centre has an active key. A
// concurrent insert for the same centre makes this one wait for it and then
// do nothing.
func (s *CertsStore) CreateKeyIfNone(ctx context.Context, k *certs.SigningKey) (bool, error) {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO cert_keys (centre_id, algorithm, public_key, fingerprint, sealed, created_at, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (centre_id) WHERE retired_at IS NULL DO NOTHING RETURNING id`,
		k.CentreID, k.Algorithm, k.PublicKey, k.Fingerprint, k.Sealed, k.CreatedAt, k.CreatedBy).Scan(&k.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, mapError(err)
}

// ActiveKey returns the centre's signing key.
func (s *CertsStore) ActiveKey(ctx context.Context, centreID int64) (*certs.SigningKey, error) {
	k, err := scanKey(s.db.q(ctx).QueryRow(ctx, `SELECT `+keyColumns+` FROM cert_keys
		WHERE centre_id = $1 AND retired_at IS NULL`, centreID))
	return k, notFound(err, "该服务中心尚无签名密钥")
}

// FindKeyByID returns one key.
func (s *CertsStore) FindKeyByID(ctx context.Context, id int64) (*certs.SigningKey, error) {
	k, err := scanKey(s.db.q(ctx).QueryRow(ctx, `SELECT `+keyColumns+` FROM cert_keys WHERE id = $1`, id))
	return k, notFound(err, "签名密钥不存在")
}

// FindKeys lists every key, newest first.
func (s *CertsStore) FindKeys(ctx context.Context) ([]*certs.SigningKey, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+keyColumns+` FROM cert_keys ORDER BY id DESC`)
	return collect(rows, err, scanKey)
}

// RetireKey stops a key from signing.
func (s *CertsStore) RetireKey(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE cert_keys SET retired_at = $1 WHERE id = $2 AND retired_at IS NULL`, at, id)
	return mapError(err)
}

var scanKey = shared(sqlcommon.ScanKey)

const certColumns = sqlcommon.CertColumns

// CreateCertificate inserts c.
func (s *CertsStore) CreateCertificate(ctx context.Context, c *certs.Certificate) error {
	data, err := json.Marshal(c.Data)
	if err != nil {
		return fmt.Errorf("encode certificate %s: %w", c.Data.Number, err)
	}
	err = s.db.q(ctx).QueryRow(ctx, `INSERT INTO certificates (number, centre_id, key_id, holder_user_id, case_number,
		data, signature, issued_at, issued_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, c.Data.Number,
		c.CentreID, c.KeyID, nullZero(c.HolderUserID), c.Data.CaseNumber, string(data), c.Signature, c.IssuedAt, c.IssuedBy).Scan(&c.ID)
	if isUnique(err) {
		return apperr.Field("number", "证照编号 "+c.Data.Number+" 已被使用")
	}
	return mapError(err)
}

// FindCertificateByID returns one certificate.
func (s *CertsStore) FindCertificateByID(ctx context.Context, id int64) (*certs.Certificate, error) {
	c, err := scanCert(s.db.q(ctx).QueryRow(ctx, `SELECT `+certColumns+` FROM certificates WHERE id = $1`, id))
	return c, notFound(err, "电子证照不存在")
}

// FindCertificateByNumber returns the certificate with a number.
func (s *CertsStore) FindCertificateByNumber(ctx context.Context, n string) (*certs.Certificate, error) {
	c, err := scanCert(s.db.q(ctx).QueryRow(ctx, `SELECT `+certColumns+` FROM certificates WHERE number = $1`, n))
	return c, notFound(err, "电子证照不存在")
}

// FindCertificates lists certificates, newest first.
func (s *CertsStore) FindCertificates(ctx context.Context, f certs.CertificateFilter) ([]*certs.Certificate, error) {
	w := sqlcommon.CertWhere(dialect, f)
	query := `SELECT ` + certColumns + ` FROM certificates WHERE ` + w.SQL() + ` ORDER BY id DESC LIMIT ` + w.Arg(f.Limit)
	rows, err := s.db.q(ctx).Query(ctx, query, w.Args...)
	return collect(rows, err, scanCert)
}

// RevokeCertificate saves the revocation.
func (s *CertsStore) RevokeCertificate(ctx context.Context, c *certs.Certificate) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE certificates SET revoked_at = $1, revoked_by = $2, revoke_reason = $3 WHERE id = $4`,
		c.RevokedAt, c.RevokedBy, c.RevokeReason, c.ID)
	return mapError(err)
}

var scanCert = shared(sqlcommon.ScanCert)

// utcOrZero reads a nullable time.
func utcOrZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// nullZero stores an optional id where 0 means none.
func nullZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}
