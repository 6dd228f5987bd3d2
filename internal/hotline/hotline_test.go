package hotline

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
)

// recorder is a receiver that keeps what it was handed.
type recorder struct{ got []Ticket }

func (r *recorder) Receive(_ context.Context, t Ticket) (Receipt, error) {
	r.got = append(r.got, t)
	return Receipt{Kind: t.Kind, TicketNo: t.TicketNo, Ref: "TS1"}, nil
}

func (r *recorder) Status(context.Context, string) (*Status, error) { return nil, nil }

// TestReceiveChecksTicket: what a ticket is refused for, by field, with
// this system's clock (not the machine's) as the reference for the
// received time.
func TestReceiveChecksTicket(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, cst)
	valid := func() Ticket {
		return Ticket{Kind: "complaint", TicketNo: "12345-1", RegionCode: "330106", ReceivedAt: now.Add(-time.Hour),
			Caller: Caller{Name: "赵六", Phone: "13700001111"}, Content: "窗口午休时间无人值守"}
	}
	tests := []struct {
		name    string
		edit    func(*Ticket)
		field   string // "" = accepted
		message string // a part of the field's message
	}{
		{"valid", func(*Ticket) {}, "", ""},
		{"received a few minutes ahead of our clock", func(t *Ticket) { t.ReceivedAt = now.Add(4 * time.Minute) }, "", ""},
		{"received in the future", func(t *Ticket) { t.ReceivedAt = time.Date(2030, 1, 1, 0, 0, 0, 0, cst) }, "received_at", "晚于本系统当前时间"},
		{"received ten minutes ahead", func(t *Ticket) { t.ReceivedAt = now.Add(10 * time.Minute) }, "received_at", "2026-03-09T10:00:00+08:00"},
		{"no received time", func(t *Ticket) { t.ReceivedAt = time.Time{} }, "received_at", "RFC 3339"},
		{"received at the epoch", func(t *Ticket) { t.ReceivedAt = time.Unix(1, 0) }, "received_at", "早于 2000 年"},
		{"no kind", func(t *Ticket) { t.Kind = "" }, "kind", "请给出工单类型"},
		{"an unknown kind", func(t *Ticket) { t.Kind = "praise" }, "kind", "不支持的工单类型“praise”"},
		{"received in 2005", func(t *Ticket) { t.ReceivedAt = time.Date(2005, 1, 1, 9, 0, 0, 0, cst) }, "received_at", "早于 90 天前"},
		{"unknown subject kind", func(t *Ticket) { t.Subject = Subject{Kind: "zzz", Text: "A01窗口"} }, "subject.kind", "window（窗口）"},
		{"window", func(t *Ticket) { t.Subject = Subject{Kind: "window", Text: "A01窗口"} }, "", ""},
		{"staff", func(t *Ticket) { t.Subject = Subject{Kind: " staff ", Text: "A01 张三"} }, "", ""},
		{"platform", func(t *Ticket) { t.Subject = Subject{Kind: "platform"} }, "", ""},
		{"subject kind not said", func(t *Ticket) { t.Subject = Subject{Text: "西湖区"} }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			s := NewService(nil, "token-0123456789abcdef")
			s.SetClock(func() time.Time { return now })
			s.Register("complaint", rec)
			tk := valid()
			tt.edit(&tk)
			_, err := s.Receive(context.Background(), tk)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v %v", err, apperr.FieldsOf(err))
				}
				if len(rec.got) != 1 || !validSubjectKind(rec.got[0].Subject.Kind) {
					t.Fatalf("handed over %+v", rec.got)
				}
				return
			}
			fields := apperr.FieldsOf(err)
			if !apperr.Is(err, apperr.Invalid) || len(fields) != 1 || !strings.Contains(fields[tt.field], tt.message) {
				t.Fatalf("error %v, fields %v; want %s saying %q", err, fields, tt.field, tt.message)
			}
			if len(rec.got) != 0 {
				t.Fatal("a refused ticket was handed over")
			}
		})
	}
}
