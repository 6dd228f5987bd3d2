package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/certs"
	"openhall/internal/store/sqlcommon"
)

// CertsStore implements certs.Store.
type CertsStore struct{ db *DB }

// Certs returns the certificate store.
func (db *DB) Certs() *CertsStore { return &CertsStore{db} }

const keyColumns = sqlcommon.KeyColumns

// CreateKeyIfNone inserts k unless its centre has an active key.
func (s *CertsStore) CreateKeyIfNone(ctx context.Context, k *certs.SigningKey) (bool, error) {
	var created bool
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO cert_keys (centre_id, algorithm, public_key, fingerprint, sealed, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (centre_id) WHERE retired_at IS NULL DO NOTHING RETURNING id`,
			k.CentreID, k.Algorithm, k.PublicKey, k.Fingerprint, k.Sealed, micro(k.CreatedAt), k.CreatedBy).Scan(&k.ID)
		if isNoRows(err) {
			return nil
		}
		created = err == nil
		return mapError(err)
	})
	return created, err
}

// ActiveKey returns the centre's signing key.
func (s *CertsStore) ActiveKey(ctx context.Context, centreID int64) (*certs.SigningKey, error) {
	k, err := scanKey(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+keyColumns+` FROM cert_keys
		WHERE centre_id = ? AND retired_at IS NULL`, centreID))
	return k, notFound(err, "该服务中心尚无签名密钥")
}

// FindKeyByID returns one key.
func (s *CertsStore) FindKeyByID(ctx context.Context, id int64) (*certs.SigningKey, error) {
	k, err := scanKey(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+keyColumns+` FROM cert_keys WHERE id = ?`, id))
	return k, notFound(err, "签名密钥不存在")
}

// FindKeys lists every key, newest first.
func (s *CertsStore) FindKeys(ctx context.Context) ([]*certs.SigningKey, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+keyColumns+` FROM cert_keys ORDER BY id DESC`)
	return collect(rows, err, scanKey)
}

// RetireKey stops a key from signing.
func (s *CertsStore) RetireKey(ctx context.Context, id int64, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE cert_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL`, micro(at), id)
		return mapError(err)
	})
}

var scanKey = shared(sqlcommon.ScanKey)

const certColumns = sqlcommon.CertColumns

// CreateCertificate inserts c.
func (s *CertsStore) CreateCertificate(ctx context.Context, c *certs.Certificate) error {
	data, err := json.Marshal(c.Data)
	if err != nil {
		return fmt.Errorf("encode certificate %s: %w", c.Data.Number, err)
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO certificates (number, centre_id, key_id, holder_user_id, case_number,
			data, signature, issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.Data.Number, c.CentreID, c.KeyID,
			nullZero(c.HolderUserID), c.Data.CaseNumber, string(data), c.Signature, micro(c.IssuedAt), c.IssuedBy)
		if isUnique(err) {
			return apperr.Field("number", "证照编号 "+c.Data.Number+" 已被使用")
		}
		if err != nil {
			return mapError(err)
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// FindCertificateByID returns one certificate.
func (s *CertsStore) FindCertificateByID(ctx context.Context, id int64) (*certs.Certificate, error) {
	c, err := scanCert(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE id = ?`, id))
	return c, notFound(err, "电子证照不存在")
}

// FindCertificateByNumber returns the certificate with a number.
func (s *CertsStore) FindCertificateByNumber(ctx context.Context, n string) (*certs.Certificate, error) {
	c, err := scanCert(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+certColumns+` FROM certificates WHERE number = ?`, n))
	return c, notFound(err, "电子证照不存在")
}

// FindCertificates lists certificates, newest first.
func (s *CertsStore) FindCertificates(ctx context.Context, f certs.CertificateFilter) ([]*certs.Certificate, error) {
	w := sqlcommon.CertWhere(dialect, f)
	query := `SELECT ` + certColumns + ` FROM certificates WHERE ` + w.SQL() + ` ORDER BY id DESC LIMIT ` + w.Arg(f.Limit)
	rows, err := s.db.q(ctx).QueryContext(ctx, query, w.Args...)
	return collect(rows, err, scanCert)
}

// RevokeCertificate saves the revocation.
func (s *CertsStore) RevokeCertificate(ctx context.Context, c *certs.Certificate) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?`,
			micro(c.RevokedAt), c.RevokedBy, c.RevokeReason, c.ID)
		return mapError(err)
	})
}

var scanCert = shared(sqlcommon.ScanCert)

// isNoRows reports a query that found nothing.
func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// fromNullMicro reads a time stored by nullMicro.
func fromNullMicro(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return fromMicro(*n)
}

// nullZero stores an optional id where 0 means none.
func nullZero(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
