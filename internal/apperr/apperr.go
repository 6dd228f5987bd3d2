// Package apperr defines the one error type OpenHall returns to its users.
//
// An *Error carries a Code (mapped to an HTTP status in exactly one place per
// face, web and api), a Message that is always safe to show to the person who
// caused it (Chinese, no internal detail), optional per-field messages for
// forms, and the internal cause, which is logged but never shown.
package apperr

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Code classifies an application error.
type Code string

// The closed set of error codes.
const (
	Invalid         Code = "invalid"         // bad input; Fields says where
	NotFound        Code = "not_found"       // the object does not exist or is not visible to the actor
	Conflict        Code = "conflict"        // duplicate, stale write, illegal state transition
	Forbidden       Code = "forbidden"       // authenticated but not allowed
	Unauthenticated Code = "unauthenticated" // login required or session expired
	TooMany         Code = "too_many"        // throttled or locked out
	TooLarge        Code = "too_large"       // a request body over the endpoint's limit
	Unavailable     Code = "unavailable"     // a dependency (database) is down
	Internal        Code = "internal"        // anything else; never shown in detail
)

// Error is an application error with a safe message.
type Error struct {
	Code    Code
	Message string            // safe to show; Chinese
	Fields  map[string]string // field name → safe message, for forms and API clients
	Err     error             // internal cause; logged, never shown
	// Wait is, for a TooMany error, how long until the client may try
	// again (answered as Retry-After); 0 when not known.
	Wait time.Duration
}

// After sets how long the client is to wait before trying again.
func (e *Error) After(wait time.Duration) *Error {
	e.Wait = wait
	return e
}

// WaitOf returns how long err asks the client to wait, or 0.
func WaitOf(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.Wait
	}
	return 0
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
		}
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// New returns an error with the code and a formatted safe message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an error with a code, a safe message and an internal cause.
func Wrap(err error, code Code, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// Field returns an Invalid error for one field.
func Field(field, message string) *Error {
	return &Error{Code: Invalid, Message: message, Fields: map[string]string{field: message}}
}

// CodeOf returns the code of err, Internal for any error that is not an *Error,
// and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the safe message of err, or a generic one for errors that
// are not application errors.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "系统内部错误，请稍后重试；如持续出现请联系管理员。"
}

// FieldsOf returns the per-field messages of err, if any.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Is reports whether err has the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Fields collects per-field validation messages and turns them into one
// Invalid error. The zero value is ready to use.
type Fields map[string]string

// Add records a message for a field; the first message per field wins.
func (f *Fields) Add(field, message string) {
	if *f == nil {
		*f = Fields{}
	}
	if _, ok := (*f)[field]; !ok {
		(*f)[field] = message
	}
}

// Check records message for field when bad is true.
func (f *Fields) Check(bad bool, field, message string) {
	if bad {
		f.Add(field, message)
	}
}

// AddErr records the safe message of err for field when err is not nil.
func (f *Fields) AddErr(field string, err error) {
	if err != nil {
		f.Add(field, MessageOf(err))
	}
}

// Err returns nil when no field failed, else an Invalid error naming them.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "提交的信息有误，请按提示修改后重新提交。", Fields: map[string]string(f)}
}
