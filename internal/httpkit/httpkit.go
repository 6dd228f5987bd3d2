// Package httpkit holds what the HTML UI (web) and the JSON API (api) share:
// the one table from error codes to HTTP statuses, the actor of a request,
// session cookies, CSRF tokens, client addresses and the common middleware.
package httpkit

import (
	"context"
	"net"
	"net/http"
	"strings"

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

// ClientAddr returns the client's IP address. X-Forwarded-For is trusted
// only when the direct peer is a loopback address (a local reverse proxy).
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			first := strings.TrimSpace(strings.Split(fwd, ",")[0])
			if net.ParseIP(first) != nil {
				return first
			}
		}
	}
	return host
}

// IsTLS reports whether the request reached us over TLS, directly or
// through a local proxy that says so.
func IsTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback() && r.Header.Get("X-Forwarded-Proto") == "https"
}
