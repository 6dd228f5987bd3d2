package certs

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/pii"

	"github.com/emmansun/gmsm/sm2"
)

// Options configure a Service.
type Options struct {
	KEK []byte // the key-encryption key, KEKSize bytes
	Now func() time.Time
	// Authorize, when set, replaces the default rule for who may open a
	// certificate's full view (CanView: the holder's account, or staff
	// whose scope covers the issuing centre). The cases module sets it,
	// since it knows who applied, who acts for whom and who handled the
	// case. It runs outside any transaction and must not write.
	Authorize Authorizer
	// PublicURL is the product's public address for verification links;
	// "" uses the address of the request that asks (see VerifyURL).
	PublicURL string
}

// Service issues, revokes and verifies certificates and manages the keys.
type Service struct {
	store     Store
	centres   Centres
	tx        Transactor
	audit     Auditor
	sealer    *Sealer
	now       func() time.Time
	authorize Authorizer
	revoked   RevokeListener
	publicURL string
	privates  sync.Map // key id → *sm2.PrivateKey
	publics   sync.Map // key id → *ecdsa.PublicKey
}

// NewService returns a Service; it fails only on a KEK of the wrong size.
func NewService(store Store, centres Centres, tx Transactor, auditor Auditor, o Options) (*Service, error) {
	sealer, err := NewSealer(o.KEK)
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, centres: centres, tx: tx, audit: auditor, sealer: sealer,
		now: func() time.Time { return now().UTC().Truncate(issuedAtPrecision) }, authorize: o.Authorize,
		publicURL: strings.TrimRight(o.PublicURL, "/")}, nil
}

// SetAuthorizer installs the rule for the full view (see
// Options.Authorize) once the module that owns it is built. Call it while
// wiring the application, before the service handles requests.
func (s *Service) SetAuthorizer(fn Authorizer) { s.authorize = fn }

// RevokeListener is told about each revocation inside the revocation's
// transaction, so that what depends on the certificate (the register of
// decisions made public) follows if and only if the revocation committed.
// It should only enqueue or write one small row.
type RevokeListener interface {
	CertificateRevoked(ctx context.Context, c *Certificate) error
}

// SetRevokeListener installs l; call it while wiring the application.
func (s *Service) SetRevokeListener(l RevokeListener) { s.revoked = l }

// IssueInput is what Issue needs.
type IssueInput struct {
	CentreID     int64 // the centre whose key signs
	HolderUserID int64 // the holder's account, 0 when the holder has none
	Data         Data
}

// Issue signs and stores a certificate in the caller's transaction (or its
// own). An empty Data.Number gets a generated number (see NewNumber).
func (s *Service) Issue(ctx context.Context, a *identity.Actor, in IssueInput) (*Certificate, error) {
	in.Data.normalize()
	var c *Certificate
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		path, err := s.centrePath(ctx, in.CentreID)
		if err != nil {
			return err
		}
		if err := CanIssue(a, path); err != nil {
			return err
		}
		if err := in.Data.Validate(); err != nil {
			return err
		}
		c, err = s.issue(ctx, a, in)
		return err
	})
	return c, err
}

func (s *Service) issue(ctx context.Context, a *identity.Actor, in IssueInput) (*Certificate, error) {
	k, err := s.activeKey(ctx, a, in.CentreID)
	if err != nil {
		return nil, err
	}
	priv, err := s.signer(k)
	if err != nil {
		return nil, err
	}
	c := &Certificate{CentreID: in.CentreID, KeyID: k.ID, HolderUserID: in.HolderUserID, Data: in.Data,
		IssuedAt: s.now(), IssuedBy: a.UserID}
	if c.Data.Number == "" {
		c.Data.Number = NewNumber(c.Data.IssueDate, in.CentreID)
	}
	if c.Signature, err = sign(priv, c); err != nil {
		return nil, err
	}
	if err := s.store.CreateCertificate(ctx, c); err != nil {
		return nil, err
	}
	return c, s.record(ctx, a, "certs.issue", c, nil)
}

func sign(priv *sm2.PrivateKey, c *Certificate) ([]byte, error) {
	sig, err := priv.SignWithSM2(rand.Reader, nil, SigningBytes(c))
	if err != nil {
		return nil, fmt.Errorf("sign certificate %s: %w", c.Data.Number, err)
	}
	return sig, nil
}

// record writes an audit entry; the holder appears masked.
func (s *Service) record(ctx context.Context, a *identity.Actor, action string, c *Certificate, extra map[string]any) error {
	change := map[string]any{"number": c.Data.Number, "name": c.Data.Name, "centre_id": c.CentreID, "key_id": c.KeyID,
		"holder": c.Data.Masked().Holder, "case_number": c.Data.CaseNumber}
	for k, v := range extra {
		change[k] = v
	}
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "centre:" + strconv.FormatInt(c.CentreID, 10),
		Action: action, ObjectType: "certificate", ObjectID: strconv.FormatInt(c.ID, 10), Change: change})
}

// numberAlphabet has no 0/O or 1/I, which people misread off paper.
const numberAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewNumber generates a certificate number: "DZ", the issue date as
// YYYYMMDD, "-", the centre id (at least four digits), "-", then eight
// random characters of numberAlphabet (40 bits), e.g. DZ20260315-0003-7K9QF2XA.
// The random part keeps numbers unguessable, so the public verification
// page cannot be walked; the unique index catches the unlikely collision.
func NewNumber(issued calendar.Date, centreID int64) string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = numberAlphabet[int(b[i])%len(numberAlphabet)]
	}
	return fmt.Sprintf("DZ%04d%02d%02d-%04d-%s", issued.Year(), issued.Month(), issued.Day(), centreID, b)
}

// Revoke withdraws a certificate; the reason is shown on the verification
// page.
func (s *Service) Revoke(ctx context.Context, a *identity.Actor, id int64, reason string) (*Certificate, error) {
	var c *Certificate
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.store.FindCertificateByID(ctx, id); err != nil {
			return err
		}
		if err := s.checkRevoke(ctx, a, c, reason); err != nil {
			return err
		}
		c.RevokedAt, c.RevokedBy, c.RevokeReason = s.now(), a.UserID, cleanReason(reason)
		if err := s.store.RevokeCertificate(ctx, c); err != nil {
			return err
		}
		if s.revoked != nil {
			if err := s.revoked.CertificateRevoked(ctx, c); err != nil {
				return err
			}
		}
		return s.record(ctx, a, "certs.revoke", c, map[string]any{"reason": c.RevokeReason})
	})
	return c, err
}

func (s *Service) checkRevoke(ctx context.Context, a *identity.Actor, c *Certificate, reason string) error {
	path, err := s.centrePath(ctx, c.CentreID)
	if err != nil {
		return err
	}
	if err := CanRevoke(a, path); err != nil {
		return err
	}
	if c.Revoked() {
		return apperr.New(apperr.Conflict, "该证照已于 %s 撤销", c.RevokedAt.In(chinaTime).Format("2006-01-02 15:04"))
	}
	return checkReason(reason)
}

// Verify checks the certificate with the number: its signature against the
// stored public key it names, its revocation and its validity today.
func (s *Service) Verify(ctx context.Context, number string) (Result, error) {
	c, err := s.store.FindCertificateByNumber(ctx, number)
	if apperr.Is(err, apperr.NotFound) {
		return Result{}, apperr.New(apperr.NotFound, "未找到编号为 %s 的电子证照，请核对编号", number)
	}
	if err != nil {
		return Result{}, err
	}
	return s.check(ctx, c), nil
}

// VerifyID is Verify by the certificate's id.
func (s *Service) VerifyID(ctx context.Context, id int64) (Result, error) {
	c, err := s.store.FindCertificateByID(ctx, id)
	if err != nil {
		return Result{}, err
	}
	return s.check(ctx, c), nil
}

func (s *Service) check(ctx context.Context, c *Certificate) Result {
	r := Result{Certificate: c, Revoked: c.Revoked()}
	k, err := s.store.FindKeyByID(ctx, c.KeyID)
	if err == nil {
		r.Key = k
	}
	switch today := calendar.DateOf(s.now()); {
	case err != nil || k.CentreID != c.CentreID || !s.signatureHolds(k, c):
		r.Status, r.Reason = StatusBadSignature, "签名验证未通过：证照内容与签发时不一致，或签名密钥不符。该证照不可信。"
	case r.Revoked:
		r.Status, r.Reason = StatusRevoked, "该证照已被撤销："+c.RevokeReason
	case today.Before(c.Data.ValidFrom):
		r.Status, r.Reason = StatusNotYetValid, "该证照自 "+c.Data.ValidFrom.String()+" 起生效。"
	case c.Data.ValidTo != nil && today.After(*c.Data.ValidTo):
		r.Status, r.Reason = StatusExpired, "该证照有效期已于 "+c.Data.ValidTo.String()+" 届满。"
	default:
		r.Status, r.Valid = StatusValid, true
	}
	return r
}

func (s *Service) signatureHolds(k *SigningKey, c *Certificate) bool {
	pub, err := s.publicKey(k)
	return err == nil && sm2.VerifyASN1WithSM2(pub, nil, SigningBytes(c), c.Signature)
}

// View returns a certificate with its verification for its printable
// view, if the actor may open it (Options.Authorize, else CanView). The
// holder's personal data is masked unless the actor is the holder or
// needs it (Options.Authorize, else SeesHolder): personal data is shown
// in full to its owner and to those who handle it, to no one else.
func (s *Service) View(ctx context.Context, a *identity.Actor, number string) (Result, error) {
	r, err := s.Verify(ctx, number)
	if err != nil {
		return Result{}, err
	}
	full, err := s.canView(ctx, a, r.Certificate)
	if err != nil {
		return Result{}, err
	}
	if !full {
		c := *r.Certificate
		c.Data = c.Data.Masked()
		r.Certificate, r.Masked = &c, true
	}
	return r, nil
}

func (s *Service) canView(ctx context.Context, a *identity.Actor, c *Certificate) (bool, error) {
	if a == nil {
		return false, apperr.New(apperr.Unauthenticated, "请先登录后查看证照全文")
	}
	if s.authorize != nil {
		return s.authorize(ctx, a, c)
	}
	path, err := s.centrePath(ctx, c.CentreID)
	if err != nil {
		return false, err
	}
	if err := CanView(a, c, path); err != nil {
		return false, err
	}
	return SeesHolder(a, c, path), nil
}

// Certificates lists certificates, newest first: those of a case, of a holder.
func (s *Service) Certificates(ctx context.Context, f CertificateFilter) ([]*Certificate, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	return s.store.FindCertificates(ctx, f)
}

// Masked returns the data as shown to the public: the holder's name masked
// for natural persons and the ID number or credit code masked always.
func (d Data) Masked() Data {
	if !d.Holder.IDType.Organisation() {
		d.Holder.Name = pii.MaskName(d.Holder.Name)
	}
	if d.Holder.IDType == IDCreditCode {
		d.Holder.IDNumber = pii.MaskCreditCode(d.Holder.IDNumber)
	} else {
		d.Holder.IDNumber = pii.MaskIDNumber(d.Holder.IDNumber)
	}
	return d
}

// VerifyURL is the absolute address of a certificate's public verification
// page, the content of its QR code. requestBase ("https://host") is used
// when no public address is configured.
func (s *Service) VerifyURL(number, requestBase string) string {
	base := s.publicURL
	if base == "" {
		base = strings.TrimRight(requestBase, "/")
	}
	return base + "/verify/" + url.PathEscape(number)
}

var chinaTime = time.FixedZone("CST", 8*3600)
