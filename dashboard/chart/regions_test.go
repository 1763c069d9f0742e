package chart

import (
	"math"
	"slices"
	"testing"
)

func TestExtremeRegions(t *testing.T) {
	v := func(code string, x float64) RegionValue { return RegionValue{Code: code, Value: &x} }
	none := RegionValue{Code: "Z"}
	tests := []struct {
		name   string
		values []RegionValue
		n      int
		want   []string
	}{
		{"highest and lowest, highest first", []RegionValue{v("A", 1), v("B", 5), v("C", 3), v("D", 9), v("E", 2)}, 1, []string{"D", "A"}},
		{"ties by code", []RegionValue{v("B", 4), v("A", 4), v("C", 1), v("D", 0)}, 1, []string{"A", "D"}},
		{"no data and NaN left out", []RegionValue{none, v("A", math.NaN()), v("B", 2), v("C", 1)}, 1, []string{"B", "C"}},
		{"fewer than 2n: every one once", []RegionValue{v("A", 1), v("B", 2), v("C", 3)}, 5, []string{"C", "B", "A"}},
		{"none with a value", []RegionValue{none}, 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExtremeRegions(tt.values, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("ExtremeRegions = %v, want %v", got, tt.want)
			}
		})
	}
}
