package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// SMTPSender sends email through an SMTP server (submission, usually port
// 587). It upgrades the connection with STARTTLS whenever the server offers
// it, and then refuses to go on if the upgrade fails rather than send in the
// clear; it authenticates (PLAIN) only when a user is configured, which
// net/smtp in turn allows only over TLS or to localhost.
type SMTPSender struct {
	Host     string
	Port     int
	User     string
	Password string
	From     string      // the sender address, "阳光政务大厅 <noreply@example.gov.cn>" or a bare address
	TLS      *tls.Config // nil: verify the server against the system roots for Host
	Timeout  time.Duration
}

// Send delivers m in one SMTP session.
func (s *SMTPSender) Send(ctx context.Context, m Mail) error {
	from, err := mail.ParseAddress(s.From)
	if err != nil {
		return fmt.Errorf("sender address %q: %w", s.From, err)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("recipient address: %w", err)
	}
	m.To = to.Address
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := s.secure(c); err != nil {
		return err
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	if err := s.data(c, from, m); err != nil {
		return err
	}
	return c.Quit()
}

func (s *SMTPSender) dial(ctx context.Context) (*smtp.Client, error) {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("connect to SMTP server %s: %w", addr, err)
	}
	// The deadline bounds the whole session, which net/smtp cannot do.
	conn.SetDeadline(time.Now().Add(timeout))
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("SMTP greeting from %s: %w", addr, err)
	}
	return c, nil
}

// secure upgrades to TLS when offered and authenticates when configured.
func (s *SMTPSender) secure(c *smtp.Client) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("smtp STARTTLS: %w", err)
		}
	}
	if s.User == "" {
		return nil
	}
	if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, s.Host)); err != nil {
		return fmt.Errorf("smtp AUTH: %w", err)
	}
	return nil
}

func (s *SMTPSender) data(c *smtp.Client, from *mail.Address, m Mail) error {
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(compose(from, m, time.Now())); err != nil {
		w.Close()
		return fmt.Errorf("smtp message: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp end of message: %w", err)
	}
	return nil
}

// compose writes an RFC 5322 message: UTF-8 subject as an encoded word,
// UTF-8 body in base64 lines of 76 characters.
func compose(from *mail.Address, m Mail, now time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", formatAddress(from))
	header("To", m.To)
	header("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	if m.MessageID != "" {
		header("Message-ID", "<"+m.MessageID+"@"+domainOf(from.Address)+">")
	}
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(m.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// formatAddress writes a display name as one base64 encoded word, which
// stays short where mail.Address.String's quoted-printable form does not.
func formatAddress(a *mail.Address) string {
	if a.Name == "" {
		return "<" + a.Address + ">"
	}
	return mime.BEncoding.Encode("UTF-8", a.Name) + " <" + a.Address + ">"
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "openhall"
}
