package chart

import (
	"math"
	"math/big"
	"strings"
)

// FormatNumber writes v the Vietnamese way: a dot between thousands and a
// comma before decimals, with exactly decimals digits after the comma
// ("2.025", "75,6", "-1.234,50"). Halves round away from zero on the exact
// binary value, as JavaScript's toFixed does, so labels computed here match
// those antq.js computes in ECharts. NaN and infinities give "".
func FormatNumber(v float64, decimals int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	if decimals < 0 {
		decimals = 0
	}
	neg := v < 0
	// n = floor(|v|·10^d + 1/2), exactly.
	r := new(big.Rat).SetFloat64(math.Abs(v))
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	r.Mul(r, new(big.Rat).SetInt(pow))
	r.Add(r, big.NewRat(1, 2))
	n := new(big.Int).Quo(r.Num(), r.Denom())
	digits := n.String()
	if len(digits) <= decimals {
		digits = strings.Repeat("0", decimals-len(digits)+1) + digits
	}
	intPart, frac := digits[:len(digits)-decimals], digits[len(digits)-decimals:]

	var b strings.Builder
	if neg && n.Sign() != 0 {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if decimals > 0 {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
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
