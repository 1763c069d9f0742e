package access

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// users knows one token and one user id.
type users struct{ removed bool }

func (users) ByToken(tok string) (Principal, error) {
	if tok == "good" {
		return Principal{Name: "bot", Role: Analyst, AllProvinces: true, Via: "token"}, nil
	}
	return Principal{}, analytics.Errorf(analytics.CodeUnauthenticated, "no")
}

func (u users) Session(id string, epoch uint64, via string) (Principal, bool) {
	if u.removed || id != "u1" || epoch != 7 {
		return Principal{}, false
	}
	return Principal{Name: "lan", Role: Viewer, Provinces: []analytics.ProvinceCode{"08"}, Via: via}, true
}

func TestGatePrincipal(t *testing.T) {
	now := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	keys := [][]byte{[]byte("a key of thirty-two bytes, or so")}
	signed := strings.TrimPrefix(SignEmbed(keys, "map", url.Values{"province": {"08"}}, now.Add(time.Hour)), "/embed/map?")
	expired := strings.TrimPrefix(SignEmbed(keys, "map", url.Values{"province": {"08"}}, now.Add(-time.Hour)), "/embed/map?")
	tests := []struct {
		name    string
		public  bool
		removed bool
		cr      Credentials
		want    string // the principal's Via; "" when none
		code    analytics.Code
	}{
		{"nothing", false, false, Credentials{}, "", ""},
		{"nothing on a public server", true, false, Credentials{}, "public", ""},
		{"a token", false, false, Credentials{Authorization: "Bearer good"}, "token", ""},
		{"a token, any case of the scheme", false, false, Credentials{Authorization: "bearer  good "}, "token", ""},
		{"a bad token", true, false, Credentials{Authorization: "Bearer bad"}, "", analytics.CodeUnauthenticated},
		{"another scheme", true, false, Credentials{Authorization: "Basic Zm9vOmJhcg=="}, "", analytics.CodeUnauthenticated},
		{"a token wins over a session", false, false, Credentials{Authorization: "Bearer good", Session: "SID"}, "token", ""},
		{"a session", false, false, Credentials{Session: "SID"}, "session", ""},
		{"an unknown session", false, false, Credentials{Session: "other"}, "", ""},
		{"a removed user's session", true, true, Credentials{Session: "SID"}, "public", ""},
		{"a signed embed", false, false, Credentials{EmbedCharts: []string{"map", "delta"}, Query: signed}, "embed", ""},
		{"an embed of another chart", false, false, Credentials{EmbedCharts: []string{"trend"}, Query: signed}, "", ""},
		{"an expired embed", false, false, Credentials{EmbedCharts: []string{"map"}, Query: expired}, "", ""},
		{"an embed with a parameter changed", false, false, Credentials{EmbedCharts: []string{"map"}, Query: strings.Replace(signed, "province=08", "province=25", 1)}, "", ""},
		{"a signature on a route no embed loads", false, false, Credentials{Query: signed}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := NewSessions(time.Hour)
			sid := ss.Create(Principal{UserID: "u1", Epoch: 7, Name: "lan"}, now)
			if tt.cr.Session == "SID" {
				tt.cr.Session = sid
			}
			g := Gate{Users: users{removed: tt.removed}, Sessions: ss, EmbedKeys: keys, Public: tt.public}
			pr, ok, err := g.Principal(tt.cr, now)
			if tt.code != "" {
				if analytics.ErrorCode(err) != tt.code {
					t.Fatalf("got %v, want a %s error", err, tt.code)
				}
				return
			}
			if err != nil || ok != (tt.want != "") || pr.Via != tt.want {
				t.Fatalf("got %+v, %v, %v; want via %q", pr, ok, err, tt.want)
			}
			if tt.removed {
				if _, kept := ss.Lookup(sid, now); kept {
					t.Error("the session of a removed user was kept")
				}
			}
		})
	}
}

func TestInfoOf(t *testing.T) {
	lan := Principal{Name: "lan", Role: Viewer, Provinces: []analytics.ProvinceCode{"08"}, Via: "session"}
	tests := []struct {
		name, auth string
		pr         Principal
		ok         bool
		want       SessionInfo
	}{
		{"off", "off", Principal{}, false, SessionInfo{Auth: "off"}},
		{"nobody", "on", lan, false, SessionInfo{Auth: "on"}},
		{"a viewer of 08", "on", lan, true, SessionInfo{User: "lan", Role: "viewer", Provinces: []string{"08"}, Via: "session", Auth: "on"}},
		{"a public visitor", "public", Principal{Role: Viewer, AllProvinces: true, Via: "public"}, true, SessionInfo{Role: "viewer", Provinces: []string{All}, Via: "public", Auth: "public"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := InfoOf(tt.auth, tt.pr, tt.ok)
			if got.User != tt.want.User || got.Role != tt.want.Role || strings.Join(got.Provinces, ",") != strings.Join(tt.want.Provinces, ",") ||
				got.Via != tt.want.Via || got.Auth != tt.want.Auth || got.CSRF != "" {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestKeyring(t *testing.T) {
	tests := []struct {
		name       string
		configured [][]byte
		want       int
		random     bool
	}{
		{"none", nil, 1, true},
		{"empty keys only", [][]byte{nil, {}}, 1, true},
		{"configured, empty ones dropped", [][]byte{[]byte("new"), nil, []byte("old")}, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keys, random := Keyring(tt.configured)
			if len(keys) != tt.want || random != tt.random {
				t.Fatalf("%d keys, random %v; want %d, %v", len(keys), random, tt.want, tt.random)
			}
			if random && len(keys[0]) != 32 {
				t.Errorf("a random key of %d bytes", len(keys[0]))
			}
			if !random && string(keys[0]) != "new" {
				t.Errorf("the first configured key does not sign: %q", keys[0])
			}
		})
	}
	a, _ := Keyring(nil)
	b, _ := Keyring(nil)
	if string(a[0]) == string(b[0]) {
		t.Error("two random keyrings share a key")
	}
}
