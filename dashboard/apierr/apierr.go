// Package apierr writes the API's answer to an error: the one table that
// maps the domain's error codes (analytics.Code) to HTTP statuses, and the
// body every client gets, {"error": {"code", "message", "message_vi",
// "message_en"}}, never a stack or SQL text. The shell's error handler
// sends it.
//
// It imports analytics only; it must not import Fiber, the store or the
// ingest.
package apierr

import (
	"net/http"

	"github.com/antq-atlas/antq/analytics"
)

// statusOf maps domain error codes to HTTP statuses: the one table.
var statusOf = map[analytics.Code]int{
	analytics.CodeInvalid:     http.StatusBadRequest,
	analytics.CodeNotFound:    http.StatusNotFound,
	analytics.CodeUnavailable: http.StatusServiceUnavailable,
	analytics.CodeConflict:    http.StatusConflict,
	analytics.CodeInternal:    http.StatusInternalServerError,

	analytics.CodeUnauthenticated: http.StatusUnauthorized,
	analytics.CodeForbidden:       http.StatusForbidden,
}

// Status is the HTTP status of a domain error code; 500 for a code the
// table does not name.
func Status(code analytics.Code) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Body is the answer to every error.
type Body struct {
	Error struct {
		Code string `json:"code"`
		// Message is "tiếng Việt / English", or one of them when the
		// request asked lang=vi or lang=en; MessageVI and MessageEN are
		// each language alone.
		Message   string `json:"message"`
		MessageVI string `json:"message_vi"`
		MessageEN string `json:"message_en"`
	} `json:"error"`
}

// New is the body of an error of code with its message in Vietnamese and
// English, Message chosen by the request's lang= ("" keeps both).
func New(code, vi, en, lang string) Body {
	var b Body
	b.Error.Code = code
	b.Error.MessageVI, b.Error.MessageEN = vi, en
	switch {
	case lang == "vi":
		b.Error.Message = vi
	case lang == "en":
		b.Error.Message = en
	case vi == en:
		b.Error.Message = vi
	default:
		b.Error.Message = vi + " / " + en
	}
	return b
}

// Of is the status and body of err, a domain error (anything else is
// internal), for a request that asked lang=; without lang= the message is
// as the error wrote it.
func Of(err error, lang string) (int, Body) {
	code := analytics.ErrorCode(err)
	vi, en := analytics.ErrorMessages(err)
	b := New(string(code), vi, en, lang)
	if lang == "" {
		b.Error.Message = analytics.ErrorMessage(err) // as written
	}
	return Status(code), b
}
