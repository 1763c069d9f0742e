package chart

import (
	"github.com/antq-atlas/antq/analytics"
)

// FormatNumber writes v the Vietnamese way: a dot between thousands and a
// comma before decimals, with exactly decimals digits after the comma
// ("2.025", "75,6", "-1.234,50"). Halves round away from zero on the exact
// binary value, as JavaScript's toFixed does, so labels computed here match
// those antq.js computes in ECharts. NaN and infinities give "".
//
// It is analytics.Number in Vietnamese, the catalogue's one number format.
func FormatNumber(v float64, decimals int) string {
	return analytics.Number(analytics.LangVI, v, decimals)
}

// FormatPercent writes a percentage the Vietnamese way: FormatPercent(75.64, 1)
// is "75,6%". v is already in percent.
func FormatPercent(v float64, decimals int) string {
	s := FormatNumber(v, decimals)
	if s == "" {
		return ""
	}
	return s + "%"
}
