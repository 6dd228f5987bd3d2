package pii

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func BenchmarkCheckIDNumber(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if CheckIDNumber("11010519491231002X") != nil {
			b.Fatal("rejected")
		}
	}
}

// benchLines are 200-byte log lines, one clean and one with an ID number,
// a mobile number and a credit code.
var benchLines = map[string]string{
	"clean": padTo200("2024-06-01T08:00:00Z INFO 请求完成 method=GET path=/api/v1/cases/12345/documents status=200 took=38ms bytes=10240 trace=550e8400-e29b-41d4-a716-446655440000 "),
	"pii":   padTo200("2024-06-01T08:00:00Z INFO 提交申请 applicant=11010519491231002X mobile=+86 138 1234 5678 uscc=91350100M000100Y43 status=200 took=38ms "),
}

func padTo200(s string) string {
	if len(s) > 200 {
		panic(len(s))
	}
	return s + strings.Repeat("x", 200-len(s))
}

func BenchmarkRedact(b *testing.B) {
	for name, line := range benchLines {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				_ = Redact(line)
			}
		})
	}
}

func BenchmarkRedactingHandler(b *testing.B) {
	var buf bytes.Buffer
	for name, h := range map[string]slog.Handler{
		"plain":     slog.NewJSONHandler(&buf, nil),
		"redacting": NewRedactingHandler(slog.NewJSONHandler(&buf, nil)),
	} {
		r := slog.NewRecord(time.Now(), slog.LevelInfo, "提交申请", 0)
		r.AddAttrs(slog.String("applicant", rawID), slog.String("mobile", rawPhone), slog.Int("status", 200), slog.Duration("took", 38*time.Millisecond))
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				_ = h.Handle(context.Background(), r)
			}
		})
	}
}
