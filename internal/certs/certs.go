// Package certs issues and verifies electronic certificates (电子证照).
//
// A certificate is structured data (Data: holder, item, name and number,
// validity, issuing body, case number, free fields) signed with SM2 by the
// key of the service centre that issues it: the centre's unified 审批专用章.
// Each centre's key is created on first use; its private half is stored
// encrypted with SM4-GCM under a key-encryption key (KEK) from configuration
// and is never written anywhere in the clear. Rotating a centre's key retires
// the old key for signing but keeps its public half, so certificates signed
// earlier still verify.
//
// Verify re-reads the stored certificate, rebuilds its canonical bytes (see
// SigningBytes), checks the signature against the public key the certificate
// names and reports revocation and validity. Editing any signed field or the
// signature in the database makes it fail.
//
// Certificates issued here are trust level A of 国办函〔2016〕108号: issued by
// the implementing body itself and usable directly.
package certs

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// IDType is the kind of identification a holder has (证件类型).
type IDType string

// ID types.
const (
	IDResident   IDType = "resident_id" // 居民身份证
	IDCreditCode IDType = "credit_code" // 统一社会信用代码
	IDPassport   IDType = "passport"    // 护照
	IDOther      IDType = "other"       // 其他证件
)

// IDTypes lists the ID types in display order.
var IDTypes = []IDType{IDResident, IDCreditCode, IDPassport, IDOther}

// Label is the ID type's Chinese name.
func (t IDType) Label() string {
	switch t {
	case IDResident:
		return "居民身份证"
	case IDCreditCode:
		return "统一社会信用代码"
	case IDPassport:
		return "护照"
	case IDOther:
		return "其他证件"
	}
	return string(t)
}

// Organisation reports whether the holder is a legal person.
func (t IDType) Organisation() bool { return t == IDCreditCode }

// Holder is the person or organisation the certificate is issued to.
type Holder struct {
	Name     string `json:"name"`
	IDType   IDType `json:"id_type"`
	IDNumber string `json:"id_number"` // ID number or credit code; masked whenever shown publicly
}

// Data is what a certificate says. Every field is covered by the signature.
type Data struct {
	Number           string            `json:"number"`      // 证照编号; generated when empty at issue
	Name             string            `json:"name"`        // 证照名称, e.g. 食品经营许可证
	Holder           Holder            `json:"holder"`      // 持证主体
	ItemName         string            `json:"item_name"`   // 事项名称
	ItemCode         string            `json:"item_code"`   // 事项基本编码
	ValidFrom        calendar.Date     `json:"valid_from"`  // 有效期起
	ValidTo          *calendar.Date    `json:"valid_to"`    // 有效期止; nil = 长期有效
	IssuerName       string            `json:"issuer_name"` // 发证机关
	IssuerCreditCode string            `json:"issuer_code"` // 发证机关统一社会信用代码
	IssueDate        calendar.Date     `json:"issue_date"`  // 发证日期
	CaseNumber       string            `json:"case_number"` // 办件编号
	Fields           map[string]string `json:"fields"`      // 其他信息, e.g. 经营项目
}

// Certificate is an issued certificate.
type Certificate struct {
	ID           int64
	CentreID     int64 // whose key signed it
	KeyID        int64
	HolderUserID int64 // the holder's account, 0 when unknown; not signed: it only grants access
	Data         Data
	Signature    []byte // SM2, ASN.1 DER, over SigningBytes
	IssuedAt     time.Time
	IssuedBy     int64
	RevokedAt    time.Time // zero while in force
	RevokedBy    int64
	RevokeReason string
}

// Number is the certificate's number.
func (c *Certificate) Number() string { return c.Data.Number }

// Revoked reports whether the certificate was revoked.
func (c *Certificate) Revoked() bool { return !c.RevokedAt.IsZero() }

// SigningKey is a centre's SM2 key pair.
type SigningKey struct {
	ID          int64
	CentreID    int64
	Algorithm   string // "SM2"
	PublicKey   []byte // PKIX DER
	Fingerprint string // SM3 of PublicKey, hex
	Sealed      []byte // the private key, SM4-GCM sealed under the KEK (see Sealer)
	CreatedAt   time.Time
	CreatedBy   int64
	RetiredAt   time.Time // zero while it signs
}

// Active reports whether the key still signs.
func (k *SigningKey) Active() bool { return k.RetiredAt.IsZero() }

// Status is the outcome of a verification.
type Status string

// Statuses, from good to bad.
const (
	StatusValid        Status = "valid"         // 有效
	StatusNotYetValid  Status = "not_yet_valid" // 尚未生效
	StatusExpired      Status = "expired"       // 已过期
	StatusRevoked      Status = "revoked"       // 已撤销
	StatusBadSignature Status = "bad_signature" // 签名无效
)

// Label is the status as shown on the verification page.
func (s Status) Label() string {
	switch s {
	case StatusValid:
		return "有效"
	case StatusNotYetValid:
		return "尚未生效"
	case StatusExpired:
		return "已过期"
	case StatusRevoked:
		return "已撤销"
	case StatusBadSignature:
		return "签名无效"
	}
	return string(s)
}

// Result is what Verify found.
type Result struct {
	Status      Status
	Valid       bool   // the signature holds, it is not revoked and today is within its validity
	Revoked     bool   // revoked, whatever else holds
	Reason      string // why it is not valid, safe to show publicly
	Certificate *Certificate
	Key         *SigningKey // the key it names; nil when that key is missing
	Masked      bool        // the holder's personal data is masked (View for someone other than those who need it)
}

// CertificateFilter selects certificates; zero fields do not filter.
type CertificateFilter struct {
	CaseNumber   string
	HolderUserID int64
	Limit        int
}

// Store is what certs needs from storage. Methods join the transaction in ctx.
type Store interface {
	// CreateKeyIfNone inserts k as its centre's active key unless the
	// centre already has one; it reports whether k was inserted.
	CreateKeyIfNone(ctx context.Context, k *SigningKey) (bool, error)
	ActiveKey(ctx context.Context, centreID int64) (*SigningKey, error) // NotFound
	FindKeyByID(ctx context.Context, id int64) (*SigningKey, error)     // NotFound
	FindKeys(ctx context.Context) ([]*SigningKey, error)                // newest first
	RetireKey(ctx context.Context, id int64, at time.Time) error

	CreateCertificate(ctx context.Context, c *Certificate) error                 // Conflict on a duplicate number
	FindCertificateByID(ctx context.Context, id int64) (*Certificate, error)     // NotFound
	FindCertificateByNumber(ctx context.Context, n string) (*Certificate, error) // NotFound
	FindCertificates(ctx context.Context, f CertificateFilter) ([]*Certificate, error)
	RevokeCertificate(ctx context.Context, c *Certificate) error // saves the revocation fields
}

// Centres is what certs needs of the organisation: where a centre is, and
// which centres an administrator manages.
type Centres interface {
	Centre(ctx context.Context, id int64) (*org.Centre, error)
	RegionPath(ctx context.Context, regionID int64) (string, error)
	AdminCentres(ctx context.Context, a *identity.Actor) ([]*org.Centre, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Authorizer decides whether an actor may open a certificate's printable
// view and whether the holder's personal data appears there in full
// (full) or masked. It returns an apperr error (Forbidden, NotFound) to
// refuse. See Options.Authorize.
type Authorizer func(ctx context.Context, a *identity.Actor, c *Certificate) (full bool, err error)
