package httpkit

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientBehindProxies(t *testing.T) {
	local, _ := ParseProxies(DefaultProxies)
	chain, _ := ParseProxies("127.0.0.1, 10.0.0.0/8")
	none, _ := ParseProxies("none")
	for _, c := range []struct {
		name    string
		p       Proxies
		peer    string
		xff     []string
		proto   string
		want    string
		wantTLS bool
	}{
		{"direct client", local, "203.0.113.7:5000", nil, "", "203.0.113.7", false},
		{"untrusted peer's header is ignored", local, "203.0.113.7:5000", []string{"198.51.100.1"}, "https", "203.0.113.7", false},
		{"local proxy", local, "127.0.0.1:40000", []string{"198.51.100.1"}, "https", "198.51.100.1", true},
		{"a client's invented entry is left of the proxy's", local, "127.0.0.1:40000", []string{"1.1.1.1, 198.51.100.1"}, "", "198.51.100.1", false},
		{"entries over several headers", local, "[::1]:40000", []string{"1.1.1.1", "198.51.100.1"}, "", "198.51.100.1", false},
		{"a chain of trusted proxies", chain, "10.0.0.6:1", []string{"9.9.9.9, 198.51.100.1, 10.0.0.5"}, "", "198.51.100.1", false},
		{"garbage only at the client end", chain, "10.0.0.6:1", []string{"not-an-ip, 10.0.0.5"}, "", "10.0.0.5", false},
		{"every hop trusted", chain, "10.0.0.6:1", []string{"10.0.0.4, 10.0.0.5"}, "", "10.0.0.4", false},
		{"no proxy trusted", none, "127.0.0.1:40000", []string{"198.51.100.1"}, "https", "127.0.0.1", false},
		{"an entry with the client's port", local, "127.0.0.1:40000", []string{"198.51.100.1:51234"}, "", "198.51.100.1", false},
		{"an IPv6 entry with its port", local, "127.0.0.1:40000", []string{"[2001:db8::7]:51234"}, "", "2001:db8::7", false},
		{"an IPv6 entry in brackets", local, "127.0.0.1:40000", []string{"[2001:db8::7]"}, "", "2001:db8::7", false},
		{"IPv4 in IPv6", local, "[::ffff:127.0.0.1]:40000", []string{"::ffff:198.51.100.1"}, "", "198.51.100.1", false},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if c.proto != "" {
			r.Header.Set("X-Forwarded-Proto", c.proto)
		}
		var got string
		var tls bool
		c.p.Resolve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got, tls = ClientAddr(r), IsTLS(r) })).
			ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want || tls != c.wantTLS {
			t.Errorf("%s: client %s (TLS %v), want %s (TLS %v)", c.name, got, tls, c.want, c.wantTLS)
		}
	}
}

func TestParseProxies(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.cn", "10.0.0"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if p, err := ParseProxies(" 192.0.2.1 , 2001:db8::/32 "); err != nil || len(p.nets) != 2 {
		t.Errorf("list: %+v %v", p, err)
	}
}
