// Package api is the JSON API under /api/v1. Its handlers call the same
// domain services as the HTML UI; they parse, make one service call and
// encode. Errors use one envelope:
//
//	{"error": {"code": "invalid", "message": "…", "fields": {"name": "…"}}}
//
// Authentication is the session cookie (POST /api/v1/session); unsafe
// methods must send the CSRF token from that response in X-CSRF-Token.
package api

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/svc"
)

// Server is the JSON API.
type Server struct {
	svc      *svc.Services
	sessions *httpkit.Sessions
	log      *slog.Logger
	mux      *http.ServeMux
}

// New returns the API server.
func New(d httpkit.Deps) *Server {
	s := &Server{svc: d.Services, sessions: d.Sessions, log: d.Log, mux: http.NewServeMux()}
	s.registerRoutes()
	return s
}

// Handler returns the API with authentication and CSRF checks applied.
func (s *Server) Handler() http.Handler {
	return s.sessions.Authenticate(s.csrf(httpkit.Routed(s.mux)))
}

// handlerFunc is an API handler that returns an error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// h adapts a handlerFunc, rendering its error.
func (s *Server) h(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// csrf refuses unsafe requests without a valid token. Logging in is the one
// unsafe request made before a token exists; it is protected by requiring a
// JSON body, which a cross-site form cannot send.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		safe := r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions
		login := r.Method == http.MethodPost && r.URL.Path == "/api/v1/session"
		if !safe && !login {
			if err := s.sessions.CheckCSRF(r); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    apperr.Code       `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// writeError renders err in the envelope; internal errors are logged and
// shown only as a generic message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	if code == apperr.Internal || code == apperr.Unavailable {
		s.log.Error("api request failed", "route", r.Pattern, "err", err)
	}
	writeJSON(w, httpkit.StatusOf(code), errorBody{Error: errorDetail{Code: code, Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// decode reads a JSON body into v, refusing unknown fields so that a typo
// in a field name is an error rather than silently ignored.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return apperr.New(apperr.Invalid, "请求体为空，应为 JSON 对象")
		case errors.As(err, &typeErr):
			return apperr.Field(typeErr.Field, "字段 "+typeErr.Field+" 的类型应为 "+typeErr.Type.String())
		case errors.As(err, &syntax):
			return apperr.New(apperr.Invalid, "请求体不是合法的 JSON（第 %d 字节附近）", syntax.Offset)
		}
		return apperr.New(apperr.Invalid, "请求体无法解析：%s", err.Error())
	}
	return nil
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "编号 %s 无效", r.PathValue(name))
	}
	return id, nil
}

// actor returns the request's actor or an Unauthenticated error.
func actor(r *http.Request) (*identity.Actor, error) {
	if a := httpkit.ActorFrom(r.Context()); a != nil {
		return a, nil
	}
	if err := httpkit.AuthError(r.Context()); err != nil {
		return nil, err
	}
	return nil, apperr.New(apperr.Unauthenticated, "请先登录（POST /api/v1/session）")
}
