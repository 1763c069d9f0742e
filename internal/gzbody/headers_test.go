package gzbody

import "testing"

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"gzip", true},
		{"deflate, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0", false},
		{"br", false},
		{"*", true},
		{"", false},
		{"GZIP", true},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := AcceptsGzip(tt.header); got != tt.want {
				t.Errorf("AcceptsGzip(%q) = %v", tt.header, got)
			}
		})
	}
}

func TestETagMatches(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{`"a"`, true},
		{`W/"a"`, true},
		{`"b", "a"`, true},
		{`*`, true},
		{`"b"`, false},
		{``, false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := ETagMatches(tt.header, `"a"`); got != tt.want {
				t.Errorf("ETagMatches(%q, \"a\") = %v", tt.header, got)
			}
		})
	}
}
