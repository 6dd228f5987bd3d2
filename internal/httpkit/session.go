package httpkit

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// SessionCookie and PreSessionCookie name the cookies. The pre-session
// cookie binds the CSRF token of forms shown before login.
const (
	SessionCookie    = "oh_session"
	PreSessionCookie = "oh_pre"
	CSRFField        = "csrf_token"
	CSRFHeader       = "X-CSRF-Token"
)

// Sessions authenticates requests and issues cookies and CSRF tokens.
type Sessions struct {
	Identity *identity.Service
	Key      []byte // HMAC key for CSRF tokens
	Secure   string // "auto", "yes", "no"
}

// Authenticate puts the actor of the session cookie into the request, or
// leaves it anonymous. An expired session is cleared; one that could not be
// checked (the database is unavailable) is kept, and the request fails with
// that error wherever it needs its actor, so that a database restart does
// not log everybody out.
func (s *Sessions) Authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(SessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.Identity.Authenticate(r.Context(), c.Value)
		if err != nil {
			if apperr.Is(err, apperr.Unauthenticated) {
				s.ClearSession(w, r)
			}
			r = r.WithContext(withAuthError(r.Context(), err))
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithActor(r.Context(), a)))
	})
}

func (s *Sessions) secure(r *http.Request) bool {
	switch s.Secure {
	case "yes":
		return true
	case "no":
		return false
	}
	return IsTLS(r)
}

// SetSession sets the session cookie after login.
func (s *Sessions) SetSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
		MaxAge: int(s.Identity.Policy().AbsoluteTimeout / time.Second)})
}

// ClearSession removes the session cookie.
func (s *Sessions) ClearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// SessionToken returns the session cookie's value.
func SessionToken(r *http.Request) string {
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// CSRFToken returns the token forms and API clients must send back: an HMAC
// of the session token, or of the pre-session cookie (set here if missing)
// for anonymous visitors.
func (s *Sessions) CSRFToken(w http.ResponseWriter, r *http.Request) string {
	if t := SessionToken(r); t != "" && ActorFrom(r.Context()) != nil {
		return s.mac(t)
	}
	c, err := r.Cookie(PreSessionCookie)
	if err != nil || len(c.Value) < 20 {
		b := make([]byte, 24)
		rand.Read(b)
		c = &http.Cookie{Name: PreSessionCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
			HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode}
		http.SetCookie(w, c)
		r.AddCookie(c)
	}
	return s.mac("pre:" + c.Value)
}

// CheckCSRF verifies the token of an unsafe request.
func (s *Sessions) CheckCSRF(r *http.Request) error {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = r.PostFormValue(CSRFField)
	}
	var want []string
	if t := SessionToken(r); t != "" && ActorFrom(r.Context()) != nil {
		want = append(want, s.mac(t))
	}
	if c, err := r.Cookie(PreSessionCookie); err == nil {
		want = append(want, s.mac("pre:"+c.Value))
	}
	for _, w := range want {
		if hmac.Equal([]byte(got), []byte(w)) {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "页面已过期或请求来源无法验证（CSRF 校验失败），请刷新页面后重新提交")
}

func (s *Sessions) mac(v string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

type authErrKey struct{}

// withAuthError records why a session cookie was refused, so that the login
// page can say "登录已超时" rather than just "请登录".
func withAuthError(ctx context.Context, err error) context.Context {
	return context.WithValue(ctx, authErrKey{}, err)
}

// AuthError returns why the request's session cookie was refused, if it was.
func AuthError(ctx context.Context) error {
	err, _ := ctx.Value(authErrKey{}).(error)
	return err
}
