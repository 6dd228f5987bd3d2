package cases

import (
	"context"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// AllowUpload counts one file an account uploads on its own, ahead of a
// filing (the API's uploads), and refuses it when the account has uploaded
// too many lately: such a file is stored whether or not a case ever uses
// it, so without a bound any account could fill the store.
func (s *Service) AllowUpload(ctx context.Context, a *identity.Actor) error {
	if a == nil {
		return apperr.New(apperr.Unauthenticated, "请先登录后再上传材料")
	}
	if s.d.Uploads == nil {
		return nil
	}
	return s.d.Uploads.Take(ctx, "upload:"+strconv.FormatInt(a.UserID, 10))
}
