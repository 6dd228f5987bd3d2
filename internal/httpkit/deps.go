package httpkit

import (
	"log/slog"

	"openhall/internal/svc"
)

// Deps is what the web and api packages are built from.
type Deps struct {
	Services *svc.Services
	Sessions *Sessions
	Log      *slog.Logger
}
