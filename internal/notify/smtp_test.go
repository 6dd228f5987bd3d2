package notify_test

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"openhall/internal/notify"
	"openhall/internal/notify/notifytest"
)

func body(t *testing.T, data string) string {
	t.Helper()
	_, b64, ok := strings.Cut(data, "\r\n\r\n")
	if !ok {
		t.Fatalf("no body in %q", data)
	}
	b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(b64, "\r\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSMTPSenderStartTLS(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{StartTLS: true})
	s := &notify.SMTPSender{Host: srv.Host, Port: srv.Port, User: "mailer", Password: "pw", From: "阳光政务大厅 <noreply@example.gov.cn>",
		TLS: &tls.Config{RootCAs: srv.RootCAs, ServerName: srv.Host}, Timeout: 5 * time.Second}
	long := strings.Repeat("您的申请已受理。", 30)
	if err := s.Send(context.Background(), notify.Mail{To: "Zhang <zhang@example.com>", Subject: "受理通知", Body: long, MessageID: "notification-7"}); err != nil {
		t.Fatal(err)
	}
	got := srv.Received()
	if len(got) != 1 || !got[0].TLS || got[0].User != "mailer" || got[0].To[0] != "zhang@example.com" {
		t.Fatalf("received %+v", got)
	}
	if body(t, got[0].Data) != long || !strings.Contains(got[0].Data, "Message-ID: <notification-7@example.gov.cn>") {
		t.Fatalf("message:\n%s", got[0].Data)
	}
	for _, line := range strings.Split(got[0].Data, "\r\n") {
		if len(line) > 78 {
			t.Fatalf("line longer than 78 characters: %q", line)
		}
	}
	if !strings.Contains(got[0].Data, "From: =?UTF-8?b?6Ziz5YWJ5pS/5Yqh5aSn5Y6F?= <noreply@example.gov.cn>") {
		t.Fatalf("From header:\n%s", got[0].Data)
	}
}

func TestSMTPSenderRefusesUntrustedTLS(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{StartTLS: true})
	s := &notify.SMTPSender{Host: srv.Host, Port: srv.Port, From: "noreply@example.gov.cn", Timeout: 5 * time.Second}
	if err := s.Send(context.Background(), notify.Mail{To: "a@example.com", Subject: "x", Body: "y"}); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("an untrusted certificate was accepted: %v", err)
	}
	if len(srv.Received()) != 0 {
		t.Fatal("the message was sent over a connection whose TLS failed")
	}
}

func TestSMTPSenderPlainAndFailures(t *testing.T) {
	srv := notifytest.Start(t, notifytest.Options{FailNext: 1})
	s := &notify.SMTPSender{Host: srv.Host, Port: srv.Port, From: "noreply@example.gov.cn", Timeout: 5 * time.Second}
	m := notify.Mail{To: "a@example.com", Subject: "x", Body: "y"}
	if err := s.Send(context.Background(), m); err == nil {
		t.Fatal("a 451 answer was taken as success")
	}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := srv.Received(); len(got) != 1 || got[0].TLS || got[0].User != "" {
		t.Fatalf("received %+v", got)
	}
	bad := notify.Mail{To: "a@example.com\r\nBcc: x@evil.example", Subject: "x", Body: "y"}
	if err := s.Send(context.Background(), bad); err == nil {
		t.Fatal("a recipient with a line break was accepted")
	}
	down := &notify.SMTPSender{Host: "127.0.0.1", Port: 1, From: "noreply@example.gov.cn", Timeout: time.Second}
	if err := down.Send(context.Background(), m); err == nil {
		t.Fatal("no server, but no error")
	}
}
