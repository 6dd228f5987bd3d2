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
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

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
	routes   []string // "METHOD /pattern" of every endpoint, in registration order
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

// csrf refuses unsafe requests of a logged-in session that lack the
// session's token. Logging in and self-registration are the unsafe requests
// made before a token exists; they are protected instead by requiring a JSON
// body (Content-Type: application/json), which a cross-site form cannot send
// and a cross-site script can send only after a CORS preflight this API never
// grants. A request without a session acts for nobody, so it goes on to its
// handler, which answers 401 when the endpoint needs a login.
func (s *Server) csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkUnsafe(r); err != nil {
			s.writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkUnsafe applies the rules of csrf to one request.
func (s *Server) checkUnsafe(r *http.Request) error {
	switch {
	case r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions:
		return nil
	case r.Method == http.MethodPost && (r.URL.Path == "/api/v1/session" || r.URL.Path == "/api/v1/register"):
		return requireJSON(r)
	case httpkit.ActorFrom(r.Context()) == nil:
		return nil
	}
	return s.sessions.CheckCSRF(r)
}

// requireJSON refuses a body that is not declared as JSON.
func requireJSON(r *http.Request) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return apperr.New(apperr.Invalid, "请以 JSON 提交：请求头 Content-Type 须为 application/json")
	}
	return nil
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
	if httpkit.Sent(err) || httpkit.Started(w) {
		httpkit.LogFailure(s.log, r, "api request failed", err)
		return
	}
	code := apperr.CodeOf(err)
	if code == apperr.Internal || code == apperr.Unavailable {
		httpkit.LogFailure(s.log, r, "api request failed", err)
	}
	writeJSON(w, httpkit.WriteStatus(w, err), errorBody{Error: errorDetail{Code: code, Message: apperr.MessageOf(err), Fields: apperr.FieldsOf(err)}})
}

// writeJSON encodes v first, so that a value that cannot be encoded is
// answered as an error, then sends it; a failure to send is marked as
// such (httpkit.SendFailed).
func writeJSON(w http.ResponseWriter, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// With its length known the body goes out whole, not in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return httpkit.SendFailed(err)
}

// maxBody bounds request bodies.
const maxBody = 1 << 20

// decode reads a JSON body into v, refusing unknown fields so that a typo
// in a field name is an error rather than silently ignored.
func decode(r *http.Request, v any) error {
	var raw json.RawMessage
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&raw); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return apperr.New(apperr.Invalid, "请求体在 JSON 对象之后还有多余内容")
	}
	// null, an array or a bare value would decode into nothing at all and
	// be answered as if every field were missing.
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' {
		return apperr.New(apperr.Invalid, "请求体应为 JSON 对象（{…}），不能是 null、数组或单个值")
	}
	dec = json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	return nil
}

// decodeError explains why a body could not be decoded, naming the field
// when one is to blame.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return apperr.New(apperr.TooLarge, "请求体超过 %s 的上限", httpkit.HumanSize(tooLarge.Limit))
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "请求体为空，应为 JSON 对象")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "请求体不完整：JSON 未结束")
	case errors.As(err, &typeErr) && typeErr.Field == "":
		return apperr.New(apperr.Invalid, "请求体应为 JSON 对象")
	case errors.As(err, &typeErr) && strings.HasPrefix(typeErr.Value, "number") && jsonType(typeErr.Type) == "整数":
		return apperr.Field(typeErr.Field, "字段 "+typeErr.Field+" 应为整数，且不超出范围")
	case errors.As(err, &typeErr):
		return apperr.Field(typeErr.Field, "字段 "+typeErr.Field+" 的类型应为"+jsonType(typeErr.Type))
	case errors.As(err, &syntax):
		return apperr.New(apperr.Invalid, "请求体不是合法的 JSON（第 %d 字节附近）", syntax.Offset)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return apperr.Field(name, "没有这个字段："+name+"（字段名区分大小写，见接口文档）")
	}
	return apperr.Wrap(err, apperr.Invalid, "请求体无法解析，请检查是否为合法的 JSON 对象")
}

// readBody reads a whole (limited) body into memory.
// readFormFile reads the one file of a multipart form's field into memory
// (at most max bytes), part by part as it arrives; hint says what to send
// when the field is missing.
func readFormFile(w http.ResponseWriter, r *http.Request, field string, max int64, hint string) (httpkit.Upload, error) {
	p, err := httpkit.OpenParts(w, r, 0)
	if err != nil {
		return httpkit.Upload{}, apperr.Field(field, hint)
	}
	ups, err := p.Files(r.Context(), nil, func(f string) (httpkit.FileRule, bool) {
		return httpkit.FileRule{MaxBytes: max, Memory: true}, f == field
	})
	if err == nil && len(ups) == 0 {
		err = apperr.Field(field, hint)
	}
	if err != nil {
		return httpkit.Upload{}, err
	}
	return ups[0], nil
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, httpkit.TooLargeError(tooLarge.Limit)
	}
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "请求体读取中断，请重新提交")
	}
	return b, nil
}

// jsonType names the JSON type a Go type is decoded from, for messages.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "布尔值（true 或 false）"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.String:
		return "字符串"
	case reflect.Slice, reflect.Array:
		return "数组"
	case reflect.Map, reflect.Struct:
		return "对象"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return t.String()
}

// decodeString decodes a JSON value sent as a form field.
func decodeString(s string, v any) error {
	if strings.TrimSpace(s) == "" {
		return apperr.Field("case", "缺少 case 字段（申请内容的 JSON）")
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.Field("case", "case 字段不是合法的申请 JSON："+apperr.MessageOf(decodeError(err)))
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
