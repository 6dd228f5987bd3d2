package sqlcommon

import (
	"fmt"

	"openhall/internal/certs"
)

// KeyColumns are the columns ScanKey reads.
const KeyColumns = `id, centre_id, algorithm, public_key, fingerprint, sealed, created_at, created_by, retired_at`

// ScanKey reads KeyColumns.
func ScanKey(r Scanner) (*certs.SigningKey, error) {
	var k certs.SigningKey
	err := r.Scan(&k.ID, &k.CentreID, &k.Algorithm, &k.PublicKey, &k.Fingerprint, &k.Sealed, Time(&k.CreatedAt), &k.CreatedBy,
		Time(&k.RetiredAt))
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// CertColumns are the columns ScanCert reads.
const CertColumns = `id, centre_id, key_id, holder_user_id, data, signature, issued_at, issued_by, revoked_at, revoked_by, revoke_reason`

// ScanCert reads CertColumns.
func ScanCert(r Scanner) (*certs.Certificate, error) {
	var c certs.Certificate
	var holder, revokedBy *int64
	var data string
	err := r.Scan(&c.ID, &c.CentreID, &c.KeyID, &holder, &data, &c.Signature, Time(&c.IssuedAt), &c.IssuedBy, Time(&c.RevokedAt),
		&revokedBy, &c.RevokeReason)
	if err != nil {
		return nil, err
	}
	if err := JSON(&c.Data).Scan(data); err != nil {
		return nil, fmt.Errorf("decode certificate %d: %w", c.ID, err)
	}
	c.HolderUserID, c.RevokedBy = zeroIfNull(holder), zeroIfNull(revokedBy)
	return &c, nil
}

// CertWhere is the WHERE clause of a certificate list.
func CertWhere(d Dialect, f certs.CertificateFilter) *Where {
	w := NewWhere(d)
	if f.CaseNumber != "" {
		w.Add("case_number = ?", f.CaseNumber)
	}
	if f.HolderUserID != 0 {
		w.Add("holder_user_id = ?", f.HolderUserID)
	}
	return w
}

func zeroIfNull(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
