package pii

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"strconv"
)

// NewRedactingHandler returns a handler that passes records to h with
// Redact applied to the message and to every attribute value, including
// those given to WithAttrs and those inside groups:
//
//   - strings are redacted;
//   - LogValuers are resolved first, and what they resolve to is redacted;
//   - errors and fmt.Stringers are replaced by their redacted string form;
//   - integers and floats of 11 or more digits, and []byte, are replaced by
//     a redacted string when they hold a candidate (a phone number logged
//     as an int64 is still a phone number);
//   - other Any values (structs, maps, slices…) are rendered with %+v and
//     as JSON; only when a rendering holds a candidate is the value replaced
//     by the redacted rendering (this costs allocations: prefer typed
//     attributes on hot paths).
//
// Keys and group names are not redacted. A record with nothing to redact is
// passed on unchanged, without allocating beyond the attribute scan.
func NewRedactingHandler(h slog.Handler) slog.Handler {
	return &redactingHandler{next: h}
}

type redactingHandler struct{ next slog.Handler }

// Enabled reports whether the wrapped handler handles level.
func (h *redactingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle redacts r and passes it on.
func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	msg := Redact(r.Message)
	var buf [8]slog.Attr
	attrs, changed := redactRecordAttrs(r, buf[:0])
	if !changed && msg == r.Message {
		return h.next.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	out.AddAttrs(attrs...)
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts attrs once and passes them on.
func (h *redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i], _ = redactAttr(a)
	}
	return &redactingHandler{next: h.next.WithAttrs(red)}
}

// WithGroup passes the group on.
func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{next: h.next.WithGroup(name)}
}

// redactRecordAttrs appends r's attributes, redacted, to dst and reports
// whether any changed.
func redactRecordAttrs(r slog.Record, dst []slog.Attr) ([]slog.Attr, bool) {
	changed := false
	r.Attrs(func(a slog.Attr) bool {
		ra, c := redactAttr(a)
		dst = append(dst, ra)
		changed = changed || c
		return true
	})
	return dst, changed
}

// redactAttr returns a with its value redacted and whether it changed.
func redactAttr(a slog.Attr) (slog.Attr, bool) {
	v, changed := redactValue(a.Value)
	if !changed {
		return a, false
	}
	return slog.Attr{Key: a.Key, Value: v}, true
}

// redactValue returns v redacted and whether it changed. A resolved
// LogValuer counts as changed, so that it is not resolved a second time.
func redactValue(v slog.Value) (slog.Value, bool) {
	resolved := v.Kind() == slog.KindLogValuer
	if resolved {
		v = v.Resolve()
	}
	var changed bool
	switch v.Kind() {
	case slog.KindString:
		v, changed = redactString(v.String())
	case slog.KindGroup:
		v, changed = redactGroup(v)
	case slog.KindInt64:
		v, changed = redactNumber(v, strconv.AppendInt, v.Int64(), v.Int64() >= 1e10 || v.Int64() <= -1e10)
	case slog.KindUint64:
		v, changed = redactNumber(v, strconv.AppendUint, v.Uint64(), v.Uint64() >= 1e10)
	case slog.KindFloat64:
		v, changed = redactFloat(v)
	case slog.KindAny:
		v, changed = redactAny(v)
	}
	return v, changed || resolved
}

func redactString(s string) (slog.Value, bool) {
	r := Redact(s)
	return slog.StringValue(r), r != s
}

// redactGroup redacts the attributes of a group, copying them only when one
// changes.
func redactGroup(v slog.Value) (slog.Value, bool) {
	attrs := v.Group()
	var out []slog.Attr
	for i, a := range attrs {
		ra, c := redactAttr(a)
		if c && out == nil {
			out = append(make([]slog.Attr, 0, len(attrs)), attrs[:i]...)
		}
		if out != nil {
			out = append(out, ra)
		}
	}
	if out == nil {
		return v, false
	}
	return slog.GroupValue(out...), true
}

// redactNumber checks the decimal form of a large integer.
func redactNumber[N int64 | uint64](v slog.Value, appendN func([]byte, N, int) []byte, n N, large bool) (slog.Value, bool) {
	if !large {
		return v, false
	}
	var buf [24]byte
	return redactBytes(v, appendN(buf[:0], n, 10))
}

// redactFloat checks a large float in the plain decimal form JSON uses.
func redactFloat(v slog.Value) (slog.Value, bool) {
	f := math.Abs(v.Float64())
	if f < 1e10 || f >= 1e21 {
		return v, false
	}
	var buf [32]byte
	return redactBytes(v, strconv.AppendFloat(buf[:0], v.Float64(), 'f', -1, 64))
}

// redactBytes replaces v by the redacted string form of b when b holds a
// candidate.
func redactBytes(v slog.Value, b []byte) (slog.Value, bool) {
	if !hasCandidate(b) {
		return v, false
	}
	return slog.StringValue(Redact(string(b))), true
}

// redactAny handles values of Kind Any.
func redactAny(v slog.Value) (slog.Value, bool) {
	switch x := v.Any().(type) {
	case error, fmt.Stringer:
		s := fmt.Sprint(x) // calls Error or String, and survives their panics
		return slog.StringValue(Redact(s)), true
	case []byte:
		return redactBytes(v, x)
	}
	return redactRendered(v)
}

// redactRendered inspects the %+v and JSON renderings of any other value,
// since handlers render Any values one way or the other.
func redactRendered(v slog.Value) (slog.Value, bool) {
	s := fmt.Sprintf("%+v", v.Any())
	if hasCandidate(s) {
		return slog.StringValue(Redact(s)), true
	}
	j, err := json.Marshal(v.Any())
	if err == nil && hasCandidate(j) {
		return slog.StringValue(Redact(string(j))), true
	}
	return v, false
}
