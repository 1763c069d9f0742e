package access

import (
	"errors"
	"testing"
)

func TestCSRF(t *testing.T) {
	tok := CSRFToken("session-1")
	if len(tok) != 32 || tok == CSRFToken("session-2") || tok != CSRFToken("session-1") {
		t.Fatalf("token %q: want 32 hex digits, fixed per session, different between sessions", tok)
	}
	if CSRFToken("") != "" {
		t.Error("no session has a token")
	}
	for _, tc := range []struct {
		sid, got string
		ok       bool
	}{
		{"session-1", tok, true},
		{"session-2", tok, false},
		{"session-1", "", false},
		{"session-1", tok[:31], false},
		{"", "", false},
	} {
		if err := CheckCSRF(tc.sid, tc.got); (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrCSRF)) {
			t.Errorf("CheckCSRF(%q, %q) = %v, want ok=%v", tc.sid, tc.got, err, tc.ok)
		}
	}
}
