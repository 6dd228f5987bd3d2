package httpkit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// LogFailure logs a request that failed on the server's side. A request
// whose client went away before the answer (its context canceled) is not
// a failure of the server and is logged at debug level only.
func LogFailure(log *slog.Logger, r *http.Request, msg string, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		log.Debug(msg+": client went away", "route", r.Pattern)
		return
	}
	log.Error(msg, "route", r.Pattern, "err", err)
}
