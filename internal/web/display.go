package web

import (
	"net/http"
	"strings"
)

// display holds the reader's display preferences.
type display struct {
	LargeText    bool
	HighContrast bool
}

// Classes returns the CSS classes of the <html> element.
func (d display) Classes() string {
	var c []string
	if d.LargeText {
		c = append(c, "large-text")
	}
	if d.HighContrast {
		c = append(c, "high-contrast")
	}
	return strings.Join(c, " ")
}

const displayCookie = "oh_display"

func displayOf(r *http.Request) display {
	c, err := r.Cookie(displayCookie)
	if err != nil {
		return display{}
	}
	return display{LargeText: strings.Contains(c.Value, "large"), HighContrast: strings.Contains(c.Value, "contrast")}
}

// handleDisplay toggles large text or high contrast and returns to the page.
func (s *Server) handleDisplay(w http.ResponseWriter, r *http.Request) error {
	d := displayOf(r)
	switch r.PostFormValue("toggle") {
	case "large":
		d.LargeText = !d.LargeText
	case "contrast":
		d.HighContrast = !d.HighContrast
	}
	var v []string
	if d.LargeText {
		v = append(v, "large")
	}
	if d.HighContrast {
		v = append(v, "contrast")
	}
	http.SetCookie(w, &http.Cookie{Name: displayCookie, Value: strings.Join(v, "-"), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
