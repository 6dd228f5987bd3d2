package loadgen

import (
	"net/http"
	"net/url"
	"strings"
)

// SessionCookie logs user in over the API and returns the session's
// Cookie header, for measuring pages that need a login.
func SessionCookie(base, user, password string) (string, error) {
	s, err := login(base, user, password, 1)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, c := range s.http.Jar.Cookies(u) {
		parts = append(parts, c.Name+"="+c.Value)
	}
	return strings.Join(parts, "; "), nil
}

// GetAs is a GET of url with a session's Cookie header.
func GetAs(url, cookie string) Request {
	return func(int, int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Cookie", cookie)
		return req, nil
	}
}
