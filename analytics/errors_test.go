package analytics_test

import (
	"errors"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

// TestErrorMessages: a message written "tiếng Việt / English" is given in
// each language, its arguments split by the format (a " / " in a value
// never splits it); a message in one language is given as both.
func TestErrorMessages(t *testing.T) {
	cause := errors.New("disk full")
	for _, tt := range []struct {
		name   string
		err    error
		vi, en string
	}{
		{"args split", analytics.Errorf(analytics.CodeInvalid, "tham số %s=%q không hợp lệ / invalid parameter %s=%q", "period", "a / b", "period", "a / b"),
			`tham số period="a / b" không hợp lệ`, `invalid parameter period="a / b"`},
		{"percent sign", analytics.Errorf(analytics.CodeInvalid, "quá %d%% / over %d%%", 5, 5), "quá 5%", "over 5%"},
		{"wrapped cause", analytics.Errorf(analytics.CodeInternal, "không ghi được: %w / cannot write: %w", cause, cause), "không ghi được: disk full", "cannot write: disk full"},
		{"one language", analytics.Errorf(analytics.CodeInternal, "write csv: %w", cause), "write csv: disk full", "write csv: disk full"},
		{"fixed", analytics.NewError(analytics.CodeUnavailable, "đang bận / busy", cause), "đang bận", "busy"},
		{"not ours", cause, "lỗi nội bộ", "internal error"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			vi, en := analytics.ErrorMessages(tt.err)
			if vi != tt.vi || en != tt.en {
				t.Errorf("got %q, %q; want %q, %q", vi, en, tt.vi, tt.en)
			}
		})
	}
}
