package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"openhall/internal/app"
	"openhall/internal/apptest"
	"openhall/internal/config"
	"openhall/internal/identity"
	"openhall/internal/notify"
	"openhall/internal/notify/notifytest"
	"openhall/internal/store/storetest"
)

// lockedBuffer collects a process's log lines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func openApp(t *testing.T, cfg config.Config, workers bool, log io.Writer) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewJSONHandler(log, nil)),
		app.Options{Argon2: &storetest.CheapArgon2, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// run serves a until the test ends.
func run(t *testing.T, a *app.App) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		<-done
		a.Close()
	})
}

// TestNotificationsSurviveRestart: a process without workers enqueues an
// email and an SMS and stops; the next process delivers both, retrying the
// email after the mail server's first temporary failure, and logs the SMS
// with the phone number masked.
func TestNotificationsSurviveRestart(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		mail := notifytest.Start(t, notifytest.Options{FailNext: 1})
		cfg := config.Default()
		cfg.DataDir, cfg.Migrate = t.TempDir(), "yes"
		cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPFrom = mail.Host, mail.Port, "阳光政务大厅 <noreply@example.gov.cn>"
		cfg.PublicURL, cfg.SMSGateway = "https://zw.example.gov.cn", "log"
		if backend == "postgres" {
			cfg.DB = storetest.PostgresDatabase(t)
		}
		first := openApp(t, cfg, false, io.Discard)
		err := first.Services.Identity.Register(context.Background(), identity.UserInput{Kind: identity.KindPerson,
			Username: "receiver", Name: "收件人", IDNumber: storetest.IDNumber(3), Phone: "13912345678", Email: "r@example.com", Password: "secret123"}, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		u, err := first.Stores.Identity.FindUserByUsername(context.Background(), "receiver")
		if err != nil {
			t.Fatal(err)
		}
		n, err := first.Services.Notify.Notify(context.Background(), notify.Message{UserID: u.ID, Kind: "case.accepted",
			Title: "您的申请已受理", Body: "受理编号 XH2026-00001。", Link: "/cases/1", Email: true, SMS: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		logs := &lockedBuffer{}
		second := openApp(t, cfg, true, logs)
		run(t, second)
		waitFor(t, 30*time.Second, "the email after a retry", func() bool { return len(mail.Received()) == 1 })
		checkMail(t, mail.Received()[0])
		waitFor(t, 10*time.Second, "the SMS", func() bool { return strings.Contains(logs.String(), "SMS (logging gateway") })
		if !strings.Contains(logs.String(), `"to":"139****5678"`) || strings.Contains(logs.String(), "13912345678") {
			t.Fatalf("the SMS log line must show the phone masked: %s", logs.String())
		}
		// The outcome is recorded just after the mail server has the message.
		for _, ch := range []notify.Channel{notify.ChannelEmail, notify.ChannelSMS} {
			waitFor(t, 10*time.Second, string(ch)+" outcome recorded as sent", func() bool {
				o, _ := second.Stores.Notify.DeliveryOutcome(context.Background(), n.ID, ch)
				return o == notify.OutcomeSent
			})
		}
	})
}

func checkMail(t *testing.T, m notifytest.Received) {
	t.Helper()
	if m.From != "noreply@example.gov.cn" || len(m.To) != 1 || m.To[0] != "r@example.com" {
		t.Fatalf("envelope %s → %v", m.From, m.To)
	}
	var subject string
	for _, line := range strings.Split(m.Data, "\r\n") {
		if s, ok := strings.CutPrefix(line, "Subject: "); ok {
			subject, _ = new(mime.WordDecoder).DecodeHeader(s)
		}
	}
	if subject != "您的申请已受理" || !strings.Contains(m.Data, "Message-ID: <notification-") {
		t.Fatalf("message: subject %q\n%s", subject, m.Data)
	}
}
