package web

import (
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"
)

// flash is a one-time message shown on the next page (after a redirect).
type flash struct {
	Kind    string // "success", "warning", "error"
	Message string
}

const (
	flashCookie  = "oh_flash"
	flashSuccess = "success"
	flashWarning = "warning"
)

// setFlash stores a message for the next page view. Messages are ours, not
// user input, but are still escaped when shown.
func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, kind, msg string) {
	if !utf8.ValidString(msg) || len(msg) > 1500 {
		msg = "操作已完成"
	}
	v := base64.RawURLEncoding.EncodeToString([]byte(kind + "\n" + msg))
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash returns and clears the pending message.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(string(b), "\n")
	if !ok || (kind != flashSuccess && kind != flashWarning && kind != "error") {
		return nil
	}
	return &flash{Kind: kind, Message: msg}
}

// redirect sends the browser to url after a successful POST, with a message.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, url, msg string) error {
	if msg != "" {
		s.setFlash(w, r, flashSuccess, msg)
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}
