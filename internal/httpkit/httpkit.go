// Package httpkit holds what the HTML UI (web) and the JSON API (api) share:
// the one table from error codes to HTTP statuses, the actor of a request,
// session cookies, CSRF tokens, client addresses and the common middleware.
package httpkit

import (
	"context"
	"net/http"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// RetryAfterSeconds is what a 503 answer tells clients to wait before they
// try again: a database restart or a full disk freed by an operator takes
// seconds, and a request repeated sooner would only fail again.
const RetryAfterSeconds = 5

// WriteStatus writes the status of an error answer, with Retry-After when
// the error is one a client may retry (the service is unavailable for the
// moment; nothing of the request was kept).
func WriteStatus(w http.ResponseWriter, code apperr.Code) int {
	status := StatusOf(code)
	if code == apperr.Unavailable {
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
	}
	return status
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
