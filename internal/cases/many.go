package cases

import (
	"context"
	"strconv"

	"openhall/internal/identity"
)

// Several applications filed together (一件事一次办) are checked one by
// one with Prepare, then created with CreateMany in one transaction, with
// one 查询密码, together with whatever the caller records about them.

// Prepare checks an application and builds its case in memory, without
// storing anything.
func (s *Service) Prepare(ctx context.Context, a *identity.Actor, in FileInput) (*Case, error) {
	return s.prepare(ctx, a, in)
}

// CreateMany stores prepared cases in one transaction with one new 查询密码,
// then runs within in the same transaction (with the cases numbered and the
// code), and returns the code. Each case's idempotency key is key and its
// position: retrying the same key is a Conflict.
func (s *Service) CreateMany(ctx context.Context, a *identity.Actor, cs []*Case, key string,
	within func(ctx context.Context, cs []*Case, code string) error) (string, error) {
	code := newQueryCode()
	ds := make([]Details, len(cs))
	for i, c := range cs {
		var err error
		if ds[i], err = s.details(c, code); err != nil {
			return "", err
		}
	}
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		for i, c := range cs {
			if err := s.create(ctx, a, c, key+"/"+strconv.Itoa(i), code, ds[i]); err != nil {
				return err
			}
		}
		return within(ctx, cs, code)
	})
	return code, err
}

// SealCode seals a 查询密码 for keeping; HashCode keys it for checking.
func (s *Service) SealCode(code string) []byte { return s.sealCode(code) }

// HashCode is the keyed hash a 查询密码 is checked against.
func (s *Service) HashCode(code string) []byte { return s.hashQueryCode(code) }

// OpenCode opens a sealed 查询密码.
func (s *Service) OpenCode(sealed []byte) (string, error) { return s.openCode(sealed) }
