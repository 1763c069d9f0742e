package chart

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// ExtremeRegions returns the codes of the n highest and n lowest regions
// with a value (labels=top on a map: the communes a slide talks about).
func ExtremeRegions(values []RegionValue, n int) []string {
	var with []RegionValue
	for _, v := range values {
		if v.Value != nil && !math.IsNaN(*v.Value) {
			with = append(with, v)
		}
	}
	slices.SortStableFunc(with, func(a, b RegionValue) int {
		if c := cmp.Compare(*b.Value, *a.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	var out []string
	for i, v := range with {
		if i < n || i >= len(with)-n {
			out = append(out, v.Code)
		}
	}
	return out
}
