package access

import (
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies whose X-Forwarded-For and
// X-Forwarded-Proto are believed: the client of a request they pass on is
// named by them, not by the connection (the audit log, the rate limits,
// Secure cookies).
type Proxies []netip.Prefix

// Trusts reports whether ip is one of the proxies.
func (ps Proxies) Trusts(ip netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Client is the client's address: the peer, or, when the peer is a
// trusted proxy, the nearest untrusted address in forwardedFor (the
// X-Forwarded-For header, read from the right; a hop that is not an
// address stops the walk at the last one read). IPv4-mapped IPv6
// addresses are written as IPv4.
func (ps Proxies) Client(peer netip.Addr, forwardedFor string) string {
	ip := peer.Unmap()
	if !ps.Trusts(ip) {
		return ip.String()
	}
	hops := strings.Split(forwardedFor, ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		h = h.Unmap()
		if !ps.Trusts(h) {
			return h.String()
		}
		ip = h
	}
	return ip.String()
}
