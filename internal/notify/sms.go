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
