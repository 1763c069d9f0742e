package dashboard

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/dashboard/figures"
)

func TestEmbedSignatureRotation(t *testing.T) {
	old, cur := []byte("old key, still accepted"), []byte("current signing key")
	now := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	params := url.Values{"province": {"08"}, "metric": {"sites"}, "period": {"2025"}}
	signedOld := signEmbed([][]byte{old}, "map", params, now.Add(time.Hour))
	signedCur := signEmbed([][]byte{cur, old}, "map", params, now.Add(time.Hour))
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
			err := verifyEmbed(tt.keys, name, q, tt.at)
			if (err == nil) != tt.ok {
				t.Errorf("verify %s: err = %v, want ok=%v", tt.link, err, tt.ok)
			}
		})
	}
}

func TestSequentialBreaksKeepAPIClasses(t *testing.T) {
	for _, decimals := range []int{0, 1, 2} {
		lo := 2.0
		cb := figures.Breaks{Method: "quantile", Decimals: decimals, Min: &lo, Breaks: []float64{5, 9, 14}}
		got := sequentialBreaks(cb)
		// Every value is coloured in the class the API gives it: a
		// commune with exactly 5 is in class 0, one that shows as 5 too.
		for v := 2.0; v <= 14.0; v += 0.001 {
			c := cb.ClassOf(v)
			if !(v >= got[c] && (v < got[c+1] || c == len(got)-2)) {
				t.Fatalf("decimals %d: value %v in API class %d, chart bounds %v", decimals, v, c, got)
			}
		}
	}
}
