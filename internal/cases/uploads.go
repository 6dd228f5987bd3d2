package cases

import (
	"context"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// A file is stored once by its content and named by its SHA-256. Only an
// account that uploaded a file, or has it among the materials of its own
// cases, may name it in a filing, a supplement or a form shown again: a
// digest seen elsewhere (or guessed from a document one holds) opens
// nobody else's material and does not tell whether it was ever uploaded.

// AllowUpload refuses, before the file is stored, an upload of an account
// on its own (ahead of a filing, the API's uploads) when the account has
// uploaded too many lately: such a file is stored whether or not a case
// ever uses it, so without a bound any account could fill the store.
func (s *Service) AllowUpload(ctx context.Context, a *identity.Actor) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录后再上传材料")
	}
	if s.d.Uploads == nil {
		return nil
	}
	return s.d.Uploads.Check(ctx, uploadKey(a))
}

// Uploaded counts a file the account stored on its own against its quota
// and lets it name the file later, in one transaction.
func (s *Service) Uploaded(ctx context.Context, a *identity.Actor, sha256 string) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录后再上传材料")
	}
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if s.d.Uploads != nil {
			if err := s.d.Uploads.Take(ctx, uploadKey(a)); err != nil {
				return err
			}
		}
		return s.d.Store.GrantUpload(ctx, a.UserID, sha256, s.d.Now())
	})
}

// Received lets the account name files it sent with a form (kept when the
// form comes back with an error); they are not counted against the quota.
func (s *Service) Received(ctx context.Context, a *identity.Actor, sha256s []string) error {
	if a == nil || len(sha256s) == 0 {
		return nil
	}
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		for _, sum := range sha256s {
			if err := s.d.Store.GrantUpload(ctx, a.UserID, sum, s.d.Now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// MayName reports whether the account may name the file with sha256: it
// uploaded it, or the file is among the materials of a case it applied
// for or filed for someone.
func (s *Service) MayName(ctx context.Context, a *identity.Actor, sha256 string) (bool, error) {
	if a == nil {
		return false, nil
	}
	return s.d.Store.HasUpload(ctx, a.UserID, sha256)
}

func uploadKey(a *identity.Actor) string { return "upload:" + strconv.FormatInt(a.UserID, 10) }
