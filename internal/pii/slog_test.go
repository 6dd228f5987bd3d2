package pii

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const (
	rawID       = "11010519491231002X"
	maskedID    = "110105********002X"
	rawPhone    = "13812345678"
	maskedPhone = "138****5678"
)

type person struct {
	Name   string
	Mobile string
}

// LogValue makes person a slog.LogValuer.
func (p person) LogValue() slog.Value {
	return slog.GroupValue(slog.String("name", p.Name), slog.String("mobile", p.Mobile))
}

type ticket struct{ holder string }

func (t ticket) String() string { return "ticket of " + t.holder }

type contact struct {
	Phone *string // only JSON follows the pointer
	Note  string
}

// newLogger logs JSON without time into buf through the redacting handler.
func newLogger(buf *bytes.Buffer) *slog.Logger {
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	return slog.New(NewRedactingHandler(slog.NewJSONHandler(buf, &slog.HandlerOptions{ReplaceAttr: noTime})))
}

func TestRedactingHandler(t *testing.T) {
	var buf bytes.Buffer
	phone := "+86 139 1234 5678"
	log := newLogger(&buf).With("operator_mobile", "13712345678").WithGroup("req")
	log.Info("用户 "+rawID+" 提交申请",
		"mobile", "+86 "+rawPhone,
		slog.Group("applicant", "id", strings.ToLower(rawID), "name", "张三"),
		"err", errors.New("lookup "+rawPhone+" failed"),
		"ticket", ticket{holder: rawID},
		"phone_int", int64(13812345678),
		"phone_uint", uint64(13812345678),
		"phone_float", 13812345678.0,
		"person", person{Name: "李四", Mobile: rawPhone},
		"bytes", []byte("tel "+rawPhone),
		"contact", contact{Phone: &phone},
		"contact_plain", person{Name: "x", Mobile: rawPhone}.LogValue().Group(),
	)
	out := buf.String()
	for _, raw := range []string{rawID, strings.ToLower(rawID), rawPhone, "13712345678", "139 1234 5678"} {
		if strings.Contains(out, raw) {
			t.Errorf("log line carries %s:\n%s", raw, out)
		}
	}
	for _, masked := range []string{
		`"msg":"用户 ` + maskedID + ` 提交申请"`,
		`"operator_mobile":"137****5678"`,
		`"mobile":"+86 ` + maskedPhone + `"`,
		`"id":"110105********002x"`,
		`"err":"lookup ` + maskedPhone + ` failed"`,
		`"ticket":"ticket of ` + maskedID + `"`,
		`"phone_int":"` + maskedPhone + `"`,
		`"phone_uint":"` + maskedPhone + `"`,
		`"phone_float":"` + maskedPhone + `"`,
		`"person":{"name":"李四","mobile":"` + maskedPhone + `"}`,
		`"bytes":"tel ` + maskedPhone + `"`,
		`+86 139 **** 5678`,
		`"name":"张三"`,
	} {
		if !strings.Contains(out, masked) {
			t.Errorf("log line lacks %s:\n%s", masked, out)
		}
	}
}

func TestRedactingHandlerPassesCleanRecords(t *testing.T) {
	var plain, redacted bytes.Buffer
	opts := &slog.HandlerOptions{AddSource: true, Level: slog.LevelDebug}
	inner := slog.NewJSONHandler(&plain, opts)
	wrapped := NewRedactingHandler(slog.NewJSONHandler(&redacted, opts))
	r := slog.NewRecord(time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC), slog.LevelWarn, "耗时 38 ms", 0)
	r.AddAttrs(slog.Int("status", 200), slog.String("path", "/api/v1/cases/12345"), slog.Int64("big", 12345678901234567), slog.Float64("ratio", 0.5))
	for _, h := range []slog.Handler{inner, wrapped} {
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	if plain.String() != redacted.String() {
		t.Fatalf("clean record changed:\n%s%s", plain.String(), redacted.String())
	}
	if !wrapped.Enabled(context.Background(), slog.LevelDebug) || wrapped.Enabled(context.Background(), slog.LevelDebug-1) {
		t.Error("Enabled does not follow the wrapped handler")
	}
}

func TestRedactingHandlerAllocations(t *testing.T) {
	var buf bytes.Buffer
	inner := slog.NewJSONHandler(&buf, nil)
	wrapped := NewRedactingHandler(inner)
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "请求完成 GET /api/v1/cases/12345", 0)
	r.AddAttrs(slog.Int("status", 200), slog.String("path", "/api/v1/cases"), slog.Duration("took", 38*time.Millisecond))
	base := testing.AllocsPerRun(100, func() { buf.Reset(); _ = inner.Handle(context.Background(), r) })
	got := testing.AllocsPerRun(100, func() { buf.Reset(); _ = wrapped.Handle(context.Background(), r) })
	if got != base {
		t.Errorf("wrapping adds %v allocations to a clean record (%v → %v)", got-base, base, got)
	}
}
