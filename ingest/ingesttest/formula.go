package ingesttest

import (
	"regexp"
	"strings"
)

// FormulaCell reports whether a spreadsheet would run cell s as a formula
// (its own rule, not analytics.SafeCell, so that a test checks the
// writers).
func FormulaCell(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) &&
		!regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)*([eE][+-]?[0-9]+)?%?$`).MatchString(s)
}
