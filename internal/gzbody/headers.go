package gzbody

import (
	"strconv"
	"strings"
)

// The request headers that decide what is sent of a Body: its ETag
// against If-None-Match (304), and its gzip member or plain bytes by
// Accept-Encoding.

// ETagMatches implements If-None-Match: a list of tags or "*"; weak tags
// compare equal to strong ones (RFC 9110 weak comparison).
func ETagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// AcceptsGzip reads Accept-Encoding: gzip (or *) unless its q is 0.
func AcceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		params = strings.ReplaceAll(params, " ", "")
		if q, ok := strings.CutPrefix(params, "q="); ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				continue
			}
		}
		return true
	}
	return false
}
