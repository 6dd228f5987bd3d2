package certs

import (
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/org"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/smx509"
)

// aadPrefix starts the additional data a private key is sealed with.
const aadPrefix = "openhall-cert-key\x00"

// checkAAD is the additional data of the KEK check value, so that it
// opens as nothing else and nothing else opens as it.
const checkAAD = "openhall-kek-check\x00"

// newKey makes a fresh SM2 key pair for a centre, sealed under the KEK.
func (s *Service) newKey(centreID, actorID int64) (*SigningKey, *sm2.PrivateKey, error) {
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate SM2 key: %w", err)
	}
	pub, err := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("encode SM2 public key: %w", err)
	}
	der, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("encode SM2 private key: %w", err)
	}
	fp := sm3.Sum(pub)
	k := &SigningKey{CentreID: centreID, Algorithm: "SM2", PublicKey: pub, Fingerprint: hex.EncodeToString(fp[:]),
		Sealed: s.sealer.Seal(der, append([]byte(aadPrefix), pub...)), CreatedAt: s.now(), CreatedBy: actorID}
	return k, priv, nil
}

// signer returns the private key of k, opened once and then cached.
func (s *Service) signer(k *SigningKey) (*sm2.PrivateKey, error) {
	if v, ok := s.privates.Load(k.ID); ok {
		return v.(*sm2.PrivateKey), nil
	}
	der, err := s.sealer.Open(k.Sealed, append([]byte(aadPrefix), k.PublicKey...))
	if err != nil {
		return nil, apperr.Wrap(fmt.Errorf("open signing key %d of centre %d: %w", k.ID, k.CentreID, err),
			apperr.Unavailable, "电子证照签发暂不可用：签名密钥无法解密，请联系系统管理员检查密钥加密密钥配置")
	}
	parsed, err := smx509.ParsePKCS8PrivateKey(der)
	priv, ok := parsed.(*sm2.PrivateKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("parse signing key %d: %v", k.ID, err)
	}
	s.privates.Store(k.ID, priv)
	return priv, nil
}

// publicKey returns the public half of k, parsed once and then cached.
func (s *Service) publicKey(k *SigningKey) (*ecdsa.PublicKey, error) {
	if v, ok := s.publics.Load(k.ID); ok {
		return v.(*ecdsa.PublicKey), nil
	}
	parsed, err := smx509.ParsePKIXPublicKey(k.PublicKey)
	pub, ok := parsed.(*ecdsa.PublicKey)
	if err != nil || !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, fmt.Errorf("public key %d is not an SM2 key: %v", k.ID, err)
	}
	s.publics.Store(k.ID, pub)
	return pub, nil
}

// activeKey returns the centre's signing key, creating it on first use. Of
// two nodes creating it at once, one key wins and both use it.
func (s *Service) activeKey(ctx context.Context, a *identity.Actor, centreID int64) (*SigningKey, error) {
	k, err := s.store.ActiveKey(ctx, centreID)
	if !apperr.Is(err, apperr.NotFound) {
		return k, err
	}
	if k, err = s.installKey(ctx, a, centreID, "certs.key.create", nil); err != nil || k != nil {
		return k, err
	}
	return s.store.ActiveKey(ctx, centreID)
}

func (s *Service) recordKey(ctx context.Context, a *identity.Actor, action string, k, old *SigningKey) error {
	change := map[string]any{"centre_id": k.CentreID, "key_id": k.ID, "algorithm": k.Algorithm, "fingerprint": k.Fingerprint}
	if old != nil {
		change["retired_key_id"], change["retired_fingerprint"] = old.ID, old.Fingerprint
	}
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "centre:" + strconv.FormatInt(k.CentreID, 10),
		Action: action, ObjectType: "cert_key", ObjectID: strconv.FormatInt(k.ID, 10), Change: change})
}

// Rotate gives a centre a new signing key and retires the old one for
// signing. Certificates signed with the old key keep verifying against its
// public half, which stays stored.
func (s *Service) Rotate(ctx context.Context, a *identity.Actor, centreID int64) (*SigningKey, error) {
	var k *SigningKey
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.checkKeyAdmin(ctx, a, centreID); err != nil {
			return err
		}
		old, err := s.store.ActiveKey(ctx, centreID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if old != nil {
			if err := s.store.RetireKey(ctx, old.ID, s.now()); err != nil {
				return err
			}
		}
		if k, err = s.installKey(ctx, a, centreID, "certs.key.rotate", old); err == nil && k == nil {
			return apperr.New(apperr.Conflict, "该中心的签名密钥刚被他人轮换，请刷新后查看")
		}
		return err
	})
	return k, err
}

// installKey makes a new key the centre's active one and records it. It
// returns no key when another transaction installed one first.
func (s *Service) installKey(ctx context.Context, a *identity.Actor, centreID int64, action string, old *SigningKey) (*SigningKey, error) {
	k, priv, err := s.newKey(centreID, a.UserID)
	if err != nil {
		return nil, err
	}
	created, err := s.store.CreateKeyIfNone(ctx, k)
	if err != nil || !created {
		return nil, err
	}
	s.privates.Store(k.ID, priv)
	return k, s.recordKey(ctx, a, action, k, old)
}

func (s *Service) checkKeyAdmin(ctx context.Context, a *identity.Actor, centreID int64) error {
	path, err := s.centrePath(ctx, centreID)
	if err != nil {
		return err
	}
	return CanManageKeys(a, path)
}

// centrePath returns the region path of a centre.
func (s *Service) centrePath(ctx context.Context, centreID int64) (string, error) {
	c, err := s.centres.Centre(ctx, centreID)
	if apperr.Is(err, apperr.NotFound) {
		return "", apperr.Field("centre_id", "服务中心不存在")
	}
	if err != nil {
		return "", err
	}
	if c.RegionPath != "" {
		return c.RegionPath, nil
	}
	return s.centres.RegionPath(ctx, c.RegionID)
}

// CentreKeys are one centre's signing keys, the active one first.
type CentreKeys struct {
	Centre *org.Centre
	Keys   []*SigningKey
}

// Active returns the centre's signing key, nil before its first certificate.
func (c CentreKeys) Active() *SigningKey {
	if len(c.Keys) > 0 && c.Keys[0].Active() {
		return c.Keys[0]
	}
	return nil
}

// Keys lists the signing keys of every centre the actor administers.
func (s *Service) Keys(ctx context.Context, a *identity.Actor) ([]CentreKeys, error) {
	if err := CanViewKeys(a); err != nil {
		return nil, err
	}
	centres, err := s.centres.AdminCentres(ctx, a)
	if err != nil {
		return nil, err
	}
	all, err := s.store.FindKeys(ctx)
	if err != nil {
		return nil, err
	}
	byCentre := map[int64][]*SigningKey{}
	for _, k := range all {
		byCentre[k.CentreID] = append(byCentre[k.CentreID], k)
	}
	out := make([]CentreKeys, 0, len(centres))
	for _, c := range centres {
		ks := byCentre[c.ID]
		slices.SortStableFunc(ks, func(x, y *SigningKey) int { return boolRank(y.Active()) - boolRank(x.Active()) })
		out = append(out, CentreKeys{Centre: c, Keys: ks})
	}
	return out, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CheckKEK opens every active key once, so that a wrong KEK is found at
// start-up rather than at the first issue. It returns ErrWrongKEK (wrapped)
// for the first key that does not open.
func (s *Service) CheckKEK(ctx context.Context) error {
	keys, err := s.store.FindKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.Active() {
			if _, err := s.signer(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// SealKEKCheck returns a value sealed under the KEK that opens only under
// the same KEK. A deployment keeps one (app records it at the first start),
// so that a node with another KEK is found before any signing key exists,
// not after it has made one the other nodes cannot open.
func (s *Service) SealKEKCheck() []byte {
	return s.sealer.Seal([]byte("openhall"), []byte(checkAAD))
}

// OpenKEKCheck returns ErrWrongKEK (wrapped) unless sealed, from
// SealKEKCheck, was sealed under this service's KEK.
func (s *Service) OpenKEKCheck(sealed []byte) error {
	_, err := s.sealer.Open(sealed, []byte(checkAAD))
	return err
}
