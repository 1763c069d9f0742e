package access

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// Embeds: /embed/{name}?{chart parameters}&exp={unix seconds}&sig={mac}.
// The MAC is HMAC-SHA256 over "/embed/{name}?" and every parameter but sig,
// sorted by name (url.Values.Encode), so no parameter can be added, removed
// or changed, and exp bounds the link's life.

// MaxEmbedDays bounds a link's life.
const MaxEmbedDays = 366

// withoutSig is a copy of q without sig.
func withoutSig(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		if k != "sig" {
			out[k] = append([]string(nil), v...)
		}
	}
	return out
}

func embedMessage(name string, q url.Values) []byte {
	return []byte("/embed/" + name + "?" + withoutSig(q).Encode())
}

func embedMAC(key []byte, name string, q url.Values) string {
	m := hmac.New(sha256.New, key)
	m.Write(embedMessage(name, q))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// SignEmbed returns the path and query of an embed of chart name with the
// given chart parameters, valid until exp; the first key signs.
func SignEmbed(keys [][]byte, name string, params url.Values, exp time.Time) string {
	q := withoutSig(params)
	q.Set("exp", strconv.FormatInt(exp.Unix(), 10))
	q.Set("sig", embedMAC(keys[0], name, q))
	return "/embed/" + name + "?" + q.Encode()
}

// ErrEmbedExpired is VerifyEmbed's answer to a well-signed link past its
// expiry (the embed page tells it apart from a broken link).
var ErrEmbedExpired = analytics.Errorf(analytics.CodeForbidden, "liên kết nhúng đã hết hạn / embed link has expired")

// VerifyEmbed checks a link's signature against every key (so a key can be
// rotated without breaking links) and its expiry.
func VerifyEmbed(keys [][]byte, name string, q url.Values, now time.Time) error {
	sig := q.Get("sig")
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	if sig == "" || err != nil || len(q["sig"]) != 1 || len(q["exp"]) != 1 {
		return analytics.Errorf(analytics.CodeForbidden, "liên kết nhúng không có chữ ký hợp lệ / embed link is not signed")
	}
	ok := false
	for _, k := range keys {
		if hmac.Equal([]byte(embedMAC(k, name, q)), []byte(sig)) {
			ok = true
		}
	}
	if !ok {
		return analytics.Errorf(analytics.CodeForbidden, "chữ ký liên kết nhúng không đúng / embed link signature does not match")
	}
	if now.Unix() > exp {
		return ErrEmbedExpired
	}
	return nil
}
