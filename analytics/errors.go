package analytics

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the people and programs that receive it.
type Code string

// Error codes. The dashboard maps them to HTTP statuses in one table.
const (
	CodeInvalid     Code = "invalid"     // bad input: a parameter, a file, a row
	CodeNotFound    Code = "not_found"   // a commune, province or record that does not exist
	CodeUnavailable Code = "unavailable" // the engine or server cannot answer now; retry later
	CodeConflict    Code = "conflict"    // the data directory is owned by another process
	CodeInternal    Code = "internal"    // a defect: nothing the caller can change

	CodeUnauthenticated Code = "unauthenticated" // no credentials, or credentials that do not sign in
	CodeForbidden       Code = "forbidden"       // signed in, but not granted this province or role
)

// Error is a domain error: a code, a message fit for a user, and the cause.
type Error struct {
	Code    Code
	Message string // lower-case, says what failed; never SQL text or a stack
	Err     error  // the cause, for logs; may be nil
	// VI and EN are Message in one language each, when it was written
	// "tiếng Việt / English" (Errorf splits the format, so a " / " in a
	// value never splits it); empty otherwise.
	VI, EN string
}

func (e *Error) Error() string {
	if e.Err != nil && e.Message != "" {
		if strings.Contains(e.Message, e.Err.Error()) { // made by Errorf with %w
			return e.Message
		}
		return e.Message + ": " + e.Err.Error()
	}
	if e.Message != "" {
		return e.Message
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return string(e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message. A %w verb
// wraps the cause as with fmt.Errorf.
//
// A format written "tiếng Việt / English" (one " / ") is also kept in each
// language (VI, EN), the arguments split between the halves by their verbs.
func Errorf(code Code, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	e := &Error{Code: code, Message: err.Error(), Err: errors.Unwrap(err)}
	if vi, en, ok := strings.Cut(format, " / "); ok && !strings.Contains(en, " / ") {
		if n := countVerbs(vi); n <= len(args) && countVerbs(en) == len(args)-n {
			e.VI = fmt.Sprintf(strings.ReplaceAll(vi, "%w", "%v"), args[:n]...)
			e.EN = fmt.Sprintf(strings.ReplaceAll(en, "%w", "%v"), args[n:]...)
		}
	}
	return e
}

// countVerbs counts the arguments a format consumes (%% takes none).
func countVerbs(format string) int {
	n := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		if i+1 < len(format) && format[i+1] == '%' {
			i++
			continue
		}
		n++
	}
	return n
}

// SplitMessage splits a fixed message written "tiếng Việt / English" (one
// " / ") into its languages; any other message is returned as both.
func SplitMessage(m string) (vi, en string) {
	if a, b, ok := strings.Cut(m, " / "); ok && !strings.Contains(b, " / ") {
		return a, b
	}
	return m, m
}

// NewError returns an *Error with a user-facing message and a cause kept for
// logs (its text is not shown to users).
func NewError(code Code, message string, cause error) error {
	e := &Error{Code: code, Message: message, Err: cause}
	e.VI, e.EN = SplitMessage(message)
	return e
}

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal when there is none (and "" for a nil error).
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain, or a generic text for anything else so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "internal error"
}

// ErrorMessages returns the user-facing message of err in Vietnamese and in
// English (see Error.VI); a message written in one language only is given
// as both, and anything that is not an *Error gets a generic text.
func ErrorMessages(err error) (vi, en string) {
	var e *Error
	if !errors.As(err, &e) || e.Message == "" {
		return "lỗi nội bộ", "internal error"
	}
	if e.VI != "" && e.EN != "" {
		return e.VI, e.EN
	}
	return SplitMessage(e.Message)
}
