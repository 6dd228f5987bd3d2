package cases

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// The 查询密码 is checked against a keyed hash, and also kept sealed
// (AES-GCM under a key derived from the deployment's secret) so that the
// applicant can read it again on the 受理回执 and on their case page, and
// reset it. The sealing keeps the code out of exports and logs of the
// table; whoever holds the whole database also holds the secret.

var errSealed = errors.New("cases: sealed query code does not open")

func newSealer(secret []byte) cipher.AEAD {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("openhall case query code seal"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

func (s *Service) sealCode(code string) []byte {
	nonce := make([]byte, s.seal.NonceSize())
	rand.Read(nonce)
	return s.seal.Seal(nonce, nonce, []byte(code), nil)
}

func (s *Service) openCode(sealed []byte) (string, error) {
	n := s.seal.NonceSize()
	if len(sealed) < n {
		return "", errSealed
	}
	code, err := s.seal.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", errSealed
	}
	return string(code), nil
}

// CanReadQueryCode: the applicant and the person who filed the case read
// its 查询密码; staff handling it do not need it.
func CanReadQueryCode(a *identity.Actor, c *Case) error {
	if a != nil && (isApplicant(a, c) || (c.AgentID != 0 && c.AgentID == a.UserID)) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有申请人或代为申请的工作人员可以查看查询密码")
}

// QueryCode returns a case's 查询密码 to its applicant (or the person who
// filed it); "" for a case filed before codes were kept.
func (s *Service) QueryCode(ctx context.Context, a *identity.Actor, c *Case) (string, error) {
	if err := CanReadQueryCode(a, c); err != nil {
		return "", err
	}
	ds, err := s.d.Store.FindDetails(ctx, []int64{c.ID})
	if err != nil {
		return "", err
	}
	d, ok := ds[c.ID]
	if !ok || len(d.QueryCode) == 0 {
		return "", nil
	}
	return s.openCode(d.QueryCode)
}

// ResetQueryCode gives a case a new 查询密码, for its applicant who lost or
// gave away the old one; the old one stops working at once.
func (s *Service) ResetQueryCode(ctx context.Context, a *identity.Actor, caseID int64) (string, error) {
	code := newQueryCode()
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.loadFor(ctx, a, caseID, true)
		if err != nil {
			return err
		}
		if err := CanReadQueryCode(a, c); err != nil {
			return err
		}
		if err := s.d.Store.ResetQueryCode(ctx, c.ID, s.hashQueryCode(code), s.sealCode(code)); err != nil {
			return err
		}
		return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + c.Procedure.RegionPath,
			Action: "cases.query_code_reset", ObjectType: "case", ObjectID: strconv.FormatInt(c.ID, 10),
			Change: map[string]any{"number": c.Number}})
	})
	return code, err
}

// Reveal returns a case with the applicant's personal data to someone who
// sees it masked but may open it for a stated reason (CanReveal): the
// opening, with the reason, is recorded in the audit log before the data
// is returned.
func (s *Service) Reveal(ctx context.Context, a *identity.Actor, caseID int64, reason string) (*Case, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 4 || n > 500 {
		return nil, apperr.Field("reason", "请写明查看完整信息的事由（4–500 字），该操作将记入审计日志")
	}
	var c *Case
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.loadFor(ctx, a, caseID, false); err != nil {
			return err
		}
		if err := CanReveal(a, c); err != nil {
			return err
		}
		return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + c.Procedure.RegionPath,
			Action: "cases.personal_data_viewed", ObjectType: "case", ObjectID: strconv.FormatInt(c.ID, 10),
			Change: map[string]any{"number": c.Number, "reason": reason}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
