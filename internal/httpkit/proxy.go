package httpkit

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies whose forwarding headers are believed.
// A request from any other peer is taken as coming from that peer, whatever
// its X-Forwarded-For says.
type Proxies struct{ nets []netip.Prefix }

// DefaultProxies trusts a proxy on the same machine only.
const DefaultProxies = "127.0.0.0/8,::1/128"

// ParseProxies reads a comma-separated list of CIDR ranges or single
// addresses; "" or "none" trusts no proxy.
func ParseProxies(list string) (Proxies, error) {
	var p Proxies
	if strings.TrimSpace(list) == "none" {
		return p, nil
	}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		pfx, err := netip.ParsePrefix(item)
		if err != nil {
			addr, aerr := netip.ParseAddr(item)
			if aerr != nil {
				return Proxies{}, fmt.Errorf("%q 不是 IP 地址或 CIDR 网段", item)
			}
			pfx = netip.PrefixFrom(addr, addr.BitLen())
		}
		p.nets = append(p.nets, pfx.Masked())
	}
	return p, nil
}

func (p Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, n := range p.nets {
		if n.Contains(a) {
			return true
		}
	}
	return false
}

// client is what the request says about the client, once resolved.
type client struct {
	addr string
	tls  bool
}

type clientKey struct{}

// Resolve works out each request's client address and scheme once, for
// ClientAddr and IsTLS. Forwarding headers count only when the peer is a
// trusted proxy; then the address is the right-most X-Forwarded-For entry
// that is not itself a trusted proxy: every proxy appends the address it
// saw, so entries left of that one are the client's to invent.
func (p Proxies) Resolve(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := p.resolve(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, c)))
	})
}

func (p Proxies) resolve(r *http.Request) client {
	peer, tls := peerAddr(r), r.TLS != nil
	if !peer.IsValid() || !p.trusted(peer) {
		return client{addr: addrString(peer, r.RemoteAddr), tls: tls}
	}
	if proto := lastValue(r.Header.Values("X-Forwarded-Proto")); proto != "" {
		tls = strings.EqualFold(proto, "https")
	}
	hops := forwarded(r.Header.Values("X-Forwarded-For"))
	addr := peer
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := parseHop(hops[i])
		if err != nil {
			break // garbage can only come from the client end: keep the last good hop
		}
		addr = hop.Unmap()
		if !p.trusted(addr) {
			break
		}
	}
	return client{addr: addr.String(), tls: tls}
}

// parseHop reads one X-Forwarded-For entry: an address, or an address with
// the client's port as some load balancers write it ("203.0.113.7:51234",
// "[2001:db8::1]:51234", "[2001:db8::1]").
func parseHop(s string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, nil
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr(), nil
	}
	return netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
}

func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func addrString(a netip.Addr, raw string) string {
	if a.IsValid() {
		return a.String()
	}
	return raw
}

// forwarded splits the X-Forwarded-For headers into their entries, in order.
func forwarded(values []string) []string {
	var out []string
	for _, v := range values {
		for _, e := range strings.Split(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

// lastValue is the last entry of a list header (the nearest proxy's).
func lastValue(values []string) string {
	all := forwarded(values)
	if len(all) == 0 {
		return ""
	}
	return all[len(all)-1]
}

// ClientAddr returns the client's IP address as Resolve worked it out, or
// the direct peer's for a request that did not pass through Resolve.
func ClientAddr(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.addr
	}
	return addrString(peerAddr(r), r.RemoteAddr)
}

// IsTLS reports whether the client reached us over TLS, directly or through
// a trusted proxy that says so (X-Forwarded-Proto).
func IsTLS(r *http.Request) bool {
	if c, ok := r.Context().Value(clientKey{}).(client); ok {
		return c.tls
	}
	return r.TLS != nil
}
