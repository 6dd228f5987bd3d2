package notify

import (
	"context"
	"log/slog"
	"unicode/utf8"

	"openhall/internal/pii"
)

// LogGateway is the SMS gateway of a deployment without an SMS provider: it
// writes each message to the log with the phone number masked. A real
// provider's client implements Gateway the same way.
type LogGateway struct {
	Log *slog.Logger
}

// Send logs the message.
func (g LogGateway) Send(ctx context.Context, phone, text string) error {
	g.Log.InfoContext(ctx, "SMS (logging gateway, not sent)", "to", pii.MaskMobile(phone),
		"chars", utf8.RuneCountInString(text), "text", text)
	return nil
}

// Text sends one SMS to a number that belongs to no account (a visitor a
// window clerk asked to rate the service), with a link to a path of this
// product. The number is validated and never logged unmasked.
func (s *Service) Text(ctx context.Context, phone, text, link string) error {
	if err := pii.CheckMobile(phone); err != nil {
		s.log.Info("not a mobile number; SMS skipped", "phone", pii.MaskMobile(phone))
		return nil
	}
	if s.sms == nil {
		// Queued before the gateway was taken out of the configuration.
		s.log.Warn("no SMS gateway configured; SMS not sent", "phone", pii.MaskMobile(phone))
		return nil
	}
	if link != "" {
		text += s.baseURL + link
	}
	return s.sms.Send(ctx, pii.NormalizeMobile(phone), text)
}
