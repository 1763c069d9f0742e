package access

import (
	"net/netip"
	"testing"
)

func TestProxiesClient(t *testing.T) {
	ps := Proxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name, peer, xff, want string
	}{
		{"no proxy", "203.0.113.5", "198.51.100.1", "203.0.113.5"},
		{"an untrusted peer's header is ignored", "203.0.113.5", "10.0.0.1", "203.0.113.5"},
		{"a trusted proxy names the client", "10.0.0.2", "198.51.100.1", "198.51.100.1"},
		{"the nearest untrusted hop, from the right", "10.0.0.2", "192.0.2.9, 198.51.100.1, 10.0.0.3", "198.51.100.1"},
		{"every hop trusted: the farthest", "10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"},
		{"a hop that is not an address stops the walk", "10.0.0.2", "198.51.100.1, junk, 10.0.0.3", "10.0.0.3"},
		{"no header: the proxy", "10.0.0.2", "", "10.0.0.2"},
		{"IPv4-mapped IPv6 is IPv4", "::ffff:203.0.113.5", "", "203.0.113.5"},
		{"IPv6 proxy", "::1", "2001:db8::7", "2001:db8::7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ps.Client(netip.MustParseAddr(tt.peer), tt.xff); got != tt.want {
				t.Errorf("Client(%s, %q) = %s, want %s", tt.peer, tt.xff, got, tt.want)
			}
		})
	}
	if (Proxies{}).Trusts(netip.MustParseAddr("10.0.0.1")) {
		t.Error("no proxies trust an address")
	}
}
