// Package httpkit holds what the HTML UI (web) and the JSON API (api) share:
// the one table from error codes to HTTP statuses, the actor of a request,
// session cookies, CSRF tokens, client addresses and the common middleware.
package httpkit

import (
	"context"
	"math"
	"net/http"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// RetryAfterSeconds is what a 503 answer tells clients to wait before they
// try again: a database restart or a full disk freed by an operator takes
// seconds, and a request repeated sooner would only fail again.
const RetryAfterSeconds = 5

// WriteStatus sets the headers of an error answer and returns its status:
// Retry-After when the error is one a client may retry, the service being
// unavailable for the moment (nothing of the request was kept), or a limit
// reached that says when it lifts.
func WriteStatus(w http.ResponseWriter, err error) int {
	code := apperr.CodeOf(err)
	switch wait := apperr.WaitOf(err); {
	case code == apperr.Unavailable:
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
	case code == apperr.TooMany && wait > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	}
	return StatusOf(code)
}

// StatusOf maps an application error code to its HTTP status. It is the only
// such table in the product.
func StatusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

type actorKey struct{}

// WithActor returns ctx carrying the authenticated actor.
func WithActor(ctx context.Context, a *identity.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the request's actor, or nil for an anonymous request.
func ActorFrom(ctx context.Context) *identity.Actor {
	a, _ := ctx.Value(actorKey{}).(*identity.Actor)
	return a
}
