package apierr

import (
	"errors"
	"fmt"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

func TestStatus(t *testing.T) {
	tests := []struct {
		code analytics.Code
		want int
	}{
		{analytics.CodeInvalid, 400},
		{analytics.CodeUnauthenticated, 401},
		{analytics.CodeForbidden, 403},
		{analytics.CodeNotFound, 404},
		{analytics.CodeConflict, 409},
		{analytics.CodeInternal, 500},
		{analytics.CodeUnavailable, 503},
		{"made_up", 500},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			if got := Status(tt.code); got != tt.want {
				t.Errorf("Status(%s) = %d, want %d", tt.code, got, tt.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name, vi, en, lang, want string
	}{
		{"both", "sai", "wrong", "", "sai / wrong"},
		{"vi", "sai", "wrong", "vi", "sai"},
		{"en", "sai", "wrong", "en", "wrong"},
		{"one language", "x=1", "x=1", "", "x=1"},
		{"another lang keeps both", "sai", "wrong", "fr", "sai / wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New("invalid", tt.vi, tt.en, tt.lang)
			if b.Error.Code != "invalid" || b.Error.Message != tt.want || b.Error.MessageVI != tt.vi || b.Error.MessageEN != tt.en {
				t.Errorf("got %+v, want message %q", b.Error, tt.want)
			}
		})
	}
}

func TestOf(t *testing.T) {
	notFound := analytics.Errorf(analytics.CodeNotFound, "không có xã %q / no commune %q", "9", "9")
	tests := []struct {
		name   string
		err    error
		lang   string
		status int
		code   string
		msg    string
	}{
		{"as written", notFound, "", 404, "not_found", `không có xã "9" / no commune "9"`},
		{"wrapped, in English", fmt.Errorf("read: %w", notFound), "en", 404, "not_found", `no commune "9"`},
		{"not a domain error", errors.New("SELECT secret FROM t"), "", 500, "internal", "internal error"},
		{"not a domain error, in Vietnamese", errors.New("SELECT secret FROM t"), "vi", 500, "internal", "lỗi nội bộ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b := Of(tt.err, tt.lang)
			if status != tt.status || b.Error.Code != tt.code || b.Error.Message != tt.msg {
				t.Errorf("got %d %+v, want %d %s %q", status, b.Error, tt.status, tt.code, tt.msg)
			}
		})
	}
}
