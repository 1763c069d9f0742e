package value

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean trims s, collapses inner runs of white space to one space and
// normalises it to NFC, the form every stored string has. Most values are
// already clean and cost no allocation.
func Clean(s string) string {
	prevSpace := true
	dirty := false
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			if c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0 { // no-break space
				dirty = true
			}
			prevSpace = false
			continue
		}
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
		if sp && (prevSpace || c != ' ') {
			dirty = true
		}
		prevSpace = sp
	}
	if prevSpace && s != "" {
		dirty = true
	}
	if !ascii && mayDecompose(s) && !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
		dirty = true
	}
	if !dirty {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// mayDecompose reports whether s holds a combining mark (U+0300–U+036F or
// U+1DC0–U+1DFF), the only way Vietnamese text is not in NFC; it saves the
// full check, which is slower and allocates, on text that is already
// composed.
func mayDecompose(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch c := s[i]; {
		case c == 0xCC, c == 0xCD:
			return true
		case c == 0xE1 && s[i+1] == 0xB7:
			return true
		}
	}
	return false
}

// Numeric reports whether a cell holds a number or a date written with
// digits (a count, a subtotal, an Excel serial, "03/02/2024").
func Numeric(s string) bool {
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' || c == ',' || c == '/' || c == '-' || c == ' ' || c == '%' || c == ':':
		default:
			return false
		}
	}
	return digits > 0
}
