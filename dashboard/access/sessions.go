package access

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// Session is who signed in: the user's immutable id and credential epoch
// (a re-added user or a changed password, role, grant or disabled flag
// ends it), and the name for the audit log.
type Session struct {
	UserID  string
	Epoch   uint64
	User    string
	Expires time.Time
}

// Sessions are the page's signed-in sessions, kept in memory by the
// SHA-256 of their random ids (a restart signs everyone out, which is
// acceptable for a dashboard and needs no key).
type Sessions struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]Session
}

// maxSessions bounds the table; expired sessions are dropped first.
const maxSessions = 100_000

// NewSessions is an empty table of sessions lasting ttl (12 h when 0).
func NewSessions(ttl time.Duration) *Sessions {
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	return &Sessions{ttl: ttl, m: map[string]Session{}}
}

func sessionHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// Create starts a session for pr and returns its secret id.
func (s *Sessions) Create(pr Principal, now time.Time) string {
	id := NewSecret(32)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		for k, v := range s.m {
			if now.After(v.Expires) {
				delete(s.m, k)
			}
		}
		for k := range s.m { // still full: drop arbitrary sessions
			if len(s.m) < maxSessions {
				break
			}
			delete(s.m, k)
		}
	}
	s.m[sessionHash(id)] = Session{UserID: pr.UserID, Epoch: pr.Epoch, User: pr.Name, Expires: now.Add(s.ttl)}
	return id
}

// TTL is how long a session lasts.
func (s *Sessions) TTL() time.Duration { return s.ttl }

// Lookup finds a session by its id. The table is keyed by the id's
// SHA-256, so the map lookup compares hashes, never the secret itself.
func (s *Sessions) Lookup(id string, now time.Time) (Session, bool) {
	if len(id) > 100 {
		return Session{}, false
	}
	h := sessionHash(id)
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[h]
	if !ok {
		return Session{}, false
	}
	if now.After(v.Expires) {
		delete(s.m, h)
		return Session{}, false
	}
	return v, true
}

// Drop ends a session.
func (s *Sessions) Drop(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, sessionHash(id))
}

// CSRFHeader carries a session's CSRF token on the data desk's
// state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// CSRFToken is the CSRF token of a session: derived from the session id,
// which only the browser holding the HttpOnly cookie has; the page reads it
// from /api/v1/session (same origin only). "" for no session.
func CSRFToken(sid string) string {
	if sid == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("antq-csrf\x00" + sid))
	return hex.EncodeToString(sum[:16])
}

// ErrCSRF refuses a session's request without its CSRF token.
var ErrCSRF = analytics.Errorf(analytics.CodeForbidden, "thiếu hoặc sai mã chống giả mạo (CSRF) / missing or wrong CSRF token (X-CSRF-Token from /api/v1/session)")

// CheckCSRF compares the token a request carries with its session's, in
// constant time; ErrCSRF when they differ or there is no session.
func CheckCSRF(sid, got string) error {
	want := CSRFToken(sid)
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return ErrCSRF
	}
	return nil
}
