package access

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"
)

var embedNow = time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)

func TestEmbedSignatureRotation(t *testing.T) {
	old, cur := []byte("old key, still accepted"), []byte("current signing key")
	now := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	params := url.Values{"province": {"08"}, "metric": {"sites"}, "period": {"2025"}}
	signedOld := SignEmbed([][]byte{old}, "map", params, now.Add(time.Hour))
	signedCur := SignEmbed([][]byte{cur, old}, "map", params, now.Add(time.Hour))
	parse := func(s string) (string, url.Values) {
		u, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(u.Path, "/embed/"), u.Query()
	}
	tests := []struct {
		name string
		link string
		keys [][]byte
		at   time.Time
		ok   bool
	}{
		{"signed with the current key", signedCur, [][]byte{cur, old}, now, true},
		{"signed with the previous key, during rotation", signedOld, [][]byte{cur, old}, now, true},
		{"signed with a key no longer accepted", signedOld, [][]byte{cur}, now, false},
		{"expired", signedCur, [][]byte{cur}, now.Add(2 * time.Hour), false},
		{"another chart", strings.Replace(signedCur, "/embed/map", "/embed/delta", 1), [][]byte{cur}, now, false},
		{"changed parameter", strings.Replace(signedCur, "period=2025", "period=2024", 1), [][]byte{cur}, now, false},
		{"added parameter", signedCur + "&commune=02263", [][]byte{cur}, now, false},
		{"later expiry", strings.Replace(signedCur, "exp=", "exp=9", 1), [][]byte{cur}, now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, q := parse(tt.link)
			err := VerifyEmbed(tt.keys, name, q, tt.at)
			if (err == nil) != tt.ok {
				t.Errorf("verify %s: err = %v, want ok=%v", tt.link, err, tt.ok)
			}
		})
	}
}

// FuzzEmbedSignature: only the signed parameter set verifies; any other
// query, or the signed one with a parameter changed, added or removed, is
// refused.
func FuzzEmbedSignature(f *testing.F) {
	keys := [][]byte{[]byte("0123456789abcdef0123456789abcdef"), []byte("old key, still verifying links..")}
	f.Add("province=08&metric=sites&period=2025", "province=25&metric=sites&period=2025")
	f.Add("province=08", "province=08&province=25")
	f.Add("province=08&lang=en", "")
	f.Fuzz(func(t *testing.T, signedRaw, otherRaw string) {
		params, err := url.ParseQuery(signedRaw)
		if err != nil {
			return
		}
		params.Del("sig")
		params.Del("exp")
		link := SignEmbed(keys, "map", params, embedNow.Add(time.Hour))
		_, query, _ := strings.Cut(link, "?")
		signed, err := url.ParseQuery(query)
		if err != nil {
			t.Fatalf("signed link %q does not parse: %v", link, err)
		}
		if err := VerifyEmbed(keys, "map", signed, embedNow); err != nil {
			t.Fatalf("signed link %q refused: %v", link, err)
		}
		if VerifyEmbed(keys, "trend", signed, embedNow) == nil {
			t.Fatalf("signature of map accepted for trend")
		}
		if VerifyEmbed(keys, "map", signed, embedNow.Add(2*time.Hour)) == nil {
			t.Fatalf("expired link accepted")
		}
		other, err := url.ParseQuery(otherRaw)
		if err != nil {
			return
		}
		// The other query with the signature of the first: accepted only
		// if it is the same parameter set.
		other.Set("sig", signed.Get("sig"))
		other.Set("exp", signed.Get("exp"))
		if VerifyEmbed(keys, "map", other, embedNow) == nil && other.Encode() != signed.Encode() {
			t.Fatalf("signature of %q accepted for %q", signed.Encode(), other.Encode())
		}
	})
}

func TestEmbedExpiredIsToldApart(t *testing.T) {
	keys := [][]byte{[]byte("k")}
	link := SignEmbed(keys, "map", url.Values{"province": {"08"}}, embedNow)
	_, raw, _ := strings.Cut(link, "?")
	q, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyEmbed(keys, "map", q, embedNow.Add(time.Second)); !errors.Is(err, ErrEmbedExpired) {
		t.Errorf("expired link: %v, want ErrEmbedExpired", err)
	}
	q.Set("province", "25")
	if err := VerifyEmbed(keys, "map", q, embedNow.Add(time.Second)); err == nil || errors.Is(err, ErrEmbedExpired) {
		t.Errorf("changed link: %v, want a broken-link error", err)
	}
}
