package access

import (
	"crypto/rand"
	"net/url"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// Who a request is: its credentials (an API token, the page's session
// cookie, a signed embed link) turned into a principal, and what
// /api/v1/session says of it. The shell reads the credentials from the
// request and keeps the principal in its context.

// Credentials are what a request presents.
type Credentials struct {
	// Authorization is the Authorization header ("Bearer <token>").
	Authorization string
	// Session is the session cookie's value.
	Session string
	// EmbedCharts are the charts whose signed embed link may admit this
	// request (the shell names them from the route: a chart's data, or the
	// map GeoJSON a map embed loads); Query is its raw query string, which
	// carries the link's exp= and sig=.
	EmbedCharts []string
	Query       string
}

// Verifier is what the gate asks of the users file (*Store implements
// it): the principal of an API token, and of a session's user while its
// credential epoch is unchanged (see User).
type Verifier interface {
	ByToken(token string) (Principal, error)
	Session(id string, epoch uint64, via string) (Principal, bool)
}

// Gate finds the principal of a request.
type Gate struct {
	Users    Verifier
	Sessions *Sessions
	// EmbedKeys verify embed links (the first signs, all verify).
	EmbedKeys [][]byte
	// Public lets anonymous visitors read as viewers of every province.
	Public bool
}

// Principal finds who presents c: an API token (Authorization: Bearer),
// else the session cookie, else a signed embed link (its chart's data
// only), else the anonymous viewer of a public server. A bad token is an
// error (401); no credential at all is not (ok false): the route's access
// level decides. A session whose user was removed, or whose credentials
// changed, is dropped.
func (g Gate) Principal(c Credentials, now time.Time) (pr Principal, ok bool, err error) {
	if h := c.Authorization; h != "" {
		scheme, tok, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return Principal{}, false, analytics.Errorf(analytics.CodeUnauthenticated, "chỉ nhận Authorization: Bearer <token> / only Authorization: Bearer <token> is accepted")
		}
		pr, err := g.Users.ByToken(strings.TrimSpace(tok))
		if err != nil {
			return Principal{}, false, analytics.Errorf(analytics.CodeUnauthenticated, "token không hợp lệ / invalid token")
		}
		return pr, true, nil
	}
	if sid := c.Session; sid != "" {
		if s, ok := g.Sessions.Lookup(sid, now); ok {
			if pr, ok := g.Users.Session(s.UserID, s.Epoch, "session"); ok {
				return pr, true, nil
			}
			g.Sessions.Drop(sid) // the user was removed, or its credentials changed
		}
	}
	if pr, ok := g.embed(c, now); ok {
		return pr, true, nil
	}
	if g.Public {
		return Principal{Role: Viewer, AllProvinces: true, Via: "public"}, true, nil
	}
	return Principal{}, false, nil
}

// embed admits the data requests of a signed embed (/embed/{name} checks
// its own link): they carry the link's exact parameters with exp= and
// sig=, which the signature (VerifyEmbed) covers. Nothing can be added or
// changed, so the link shows what its signer was allowed to see.
func (g Gate) embed(c Credentials, now time.Time) (Principal, bool) {
	if len(c.EmbedCharts) == 0 || !strings.Contains(c.Query, "sig=") {
		return Principal{}, false
	}
	q, err := url.ParseQuery(c.Query)
	if err != nil {
		return Principal{}, false
	}
	for _, n := range c.EmbedCharts {
		if VerifyEmbed(g.EmbedKeys, n, q, now) == nil {
			return Principal{Name: "embed", Role: Viewer, AllProvinces: true, Via: "embed"}, true
		}
	}
	return Principal{}, false
}

// SessionInfo is who a request is, as /api/v1/session (and sign-in and
// sign-out) answer: the page shows the sign-in form when User is empty and
// Auth is "on".
type SessionInfo struct {
	User      string   `json:"user,omitempty"`
	Role      string   `json:"role,omitempty"`
	Provinces []string `json:"provinces,omitempty"` // ["all"] or codes
	Via       string   `json:"via,omitempty"`
	Auth      string   `json:"auth"` // "on", "public" or "off"
	// CSRF is the token the session's state-changing data-desk requests
	// carry in X-CSRF-Token (CSRFHeader); only for a session cookie.
	CSRF string `json:"csrf,omitempty"`
}

// InfoOf says who pr is (nobody when !ok) on a server whose access
// control is auth: "on", "public" (anonymous visitors read as viewers) or
// "off".
func InfoOf(auth string, pr Principal, ok bool) SessionInfo {
	b := SessionInfo{Auth: auth}
	if ok {
		b.User, b.Role, b.Provinces, b.Via = pr.Name, string(pr.Role), pr.Grants(), pr.Via
	}
	return b
}

// Keyring returns the keys to sign and verify embed links with: the
// configured ones that are not empty, else one random key for this process
// (random true: links then stop working at restart, which the caller
// should say).
func Keyring(configured [][]byte) (keys [][]byte, random bool) {
	for _, k := range configured {
		if len(k) > 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) > 0 {
		return keys, false
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic("crypto/rand: " + err.Error()) // never fails on Linux
	}
	return [][]byte{k}, true
}
