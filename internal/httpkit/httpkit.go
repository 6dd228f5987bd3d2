// Package httpkit holds what the HTML UI (web) and the JSON API (api) share:
// the one table from error codes to HTTP statuses, the actor of a request,
// session cookies, CSRF tokens, client addresses and the common middleware.
package httpkit

import (
	"context"
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

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
