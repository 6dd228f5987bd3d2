package httpkit

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
)

// LogFailure logs a request that failed on the server's side. A request
// whose client went away before the answer (its context canceled, or the
// answer already under way when sending it failed) is not a failure of the
// server and is logged at debug level only.
func LogFailure(log *slog.Logger, r *http.Request, msg string, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil || Sent(err) {
		log.Debug(msg+": client went away", "route", r.Pattern)
		return
	}
	log.Error(msg, "route", r.Pattern, "err", err)
}

// sendError is a failure to send a response whose status line has gone
// out: nothing else can be answered on that request.
type sendError struct{ err error }

func (e *sendError) Error() string { return "sending the response: " + e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

// SendFailed marks err (nil stays nil) as met while sending a response
// already begun, so that error handlers neither log it as a server failure
// nor try to write a second answer.
func SendFailed(err error) error {
	if err == nil {
		return nil
	}
	return &sendError{err: err}
}

// Sent reports whether err was met after the response had begun (see
// SendFailed): the request is over.
func Sent(err error) bool {
	var se *sendError
	return errors.As(err, &se)
}

// Started reports whether the response on w has begun (its status line
// sent), as far as Observe's recorder knows: an error met after that can
// no longer be answered, only logged.
func Started(w http.ResponseWriter) bool {
	for {
		switch x := w.(type) {
		case *recorder:
			return x.status != 0
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			return false
		}
	}
}
