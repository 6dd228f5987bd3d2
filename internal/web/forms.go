package web

import (
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
)

// form is a submitted form re-shown with its values and per-field errors.
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string
}

// newForm returns an empty form, or one holding a failed submission.
func newForm(values url.Values, err error) form {
	f := form{Values: values}
	if f.Values == nil {
		f.Values = url.Values{}
	}
	if err != nil {
		f.Errors, f.Message = apperr.FieldsOf(err), apperr.MessageOf(err)
	}
	return f
}

// Get returns a field's value.
func (f form) Get(name string) string { return f.Values.Get(name) }

// Has reports whether a multi-valued field contains v.
func (f form) Has(name, v string) bool {
	for _, x := range f.Values[name] {
		if x == v {
			return true
		}
	}
	return false
}

// Error returns a field's error message.
func (f form) Error(name string) string { return f.Errors[name] }

// optionalID parses an optional id field; "" and "0" mean none.
func optionalID(v url.Values, name string) (*int64, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" || s == "0" {
		return nil, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 0 {
		return nil, apperr.Field(name, "请从列表中选择")
	}
	return &id, nil
}

// requiredID parses a required id field.
func requiredID(v url.Values, name, label string) (int64, error) {
	id, err := optionalID(v, name)
	if err != nil {
		return 0, err
	}
	if id == nil {
		return 0, apperr.Field(name, "请选择"+label)
	}
	return *id, nil
}

// ids parses a multi-valued id field.
func ids(v url.Values, name string) ([]int64, error) {
	var out []int64
	for _, s := range v[name] {
		if strings.TrimSpace(s) == "" {
			continue
		}
		id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, apperr.Field(name, "选择无效，请重新选择")
		}
		out = append(out, id)
	}
	return out, nil
}

// pathID reads a numeric path parameter.
func pathID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "页面不存在")
	}
	return id, nil
}

// safeNext returns next if it is a local path, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}
