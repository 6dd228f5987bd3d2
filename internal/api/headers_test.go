package api_test

import (
	"net/http"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/config"
)

// A deployment public over https tells browsers to stay on https (HSTS),
// unless its operator turns that off; one reached over plain http does not.
func TestStrictTransport(t *testing.T) {
	for _, c := range []struct {
		name      string
		publicURL string
		hsts      string
		want      string
	}{
		{"https", "https://zw.example.gov.cn", "auto", "max-age=31536000"},
		{"https, turned off", "https://zw.example.gov.cn", "no", ""},
		{"http", "http://zw.example.gov.cn", "auto", ""},
		{"no public address", "", "auto", ""},
	} {
		a := apptest.New(t, "sqlite", apptest.Options{Config: func(cfg *config.Config) { cfg.PublicURL, cfg.HSTS = c.publicURL, c.hsts }})
		a.Staff(t, "root", "sysadmin", nil, nil)
		me := login(t, a, "root").do("GET", "/api/v1/me", nil)
		if got := me.header.Get("Strict-Transport-Security"); got != c.want {
			t.Errorf("%s: Strict-Transport-Security %q, want %q", c.name, got, c.want)
		}
		res, err := http.Get(a.URL("/login"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Strict-Transport-Security"); got != c.want {
			t.Errorf("%s: page: Strict-Transport-Security %q, want %q", c.name, got, c.want)
		}
	}
}
