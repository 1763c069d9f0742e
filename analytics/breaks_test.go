package analytics

import (
	"slices"
	"testing"
)

func TestDivergingBreaks(t *testing.T) {
	tests := []struct {
		name     string
		values   []float64
		decimals int
		edges    []float64
		wantDec  int
	}{
		{"no values: no classes", nil, 0, nil, 0},
		{"all zero: one class around it", []float64{0, 0}, 1, []float64{-1, 1}, 1},
		{"round bound above the largest change", []float64{-3, 7, 1}, 0, []float64{-10, -6, -2, 2, 6, 10}, 0},
		{"2.5 times a power of ten", []float64{-2.2}, 1, []float64{-2.5, -1.5, -0.5, 0.5, 1.5, 2.5}, 1},
		{"narrow classes get decimals", []float64{0.3}, 0, []float64{-0.5, -0.3, -0.1, 0.1, 0.3, 0.5}, 1},
		{"counts", []float64{-3, 7, 12}, 0, []float64{-20, -12, -4, 4, 12, 20}, 0},
		{"small changes get a decimal", []float64{0.4, -1.1}, 0, []float64{-2, -1.2, -0.4, 0.4, 1.2, 2}, 1},
		{"decimals never shrink", []float64{40}, 2, []float64{-50, -30, -10, 10, 30, 50}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := DivergingBreaks(tt.values, tt.decimals)
			got := b.Edges()
			if len(got) != len(tt.edges) {
				t.Fatalf("edges %v, want %v", got, tt.edges)
			}
			for i := range got {
				if d := got[i] - tt.edges[i]; d > 1e-9 || d < -1e-9 {
					t.Fatalf("edges %v, want %v", got, tt.edges)
				}
			}
			if b.Decimals != tt.wantDec || b.Method != BreaksDiverging {
				t.Errorf("decimals %d method %s, want %d diverging", b.Decimals, b.Method, tt.wantDec)
			}
			if !slices.IsSorted(got) {
				t.Errorf("edges not increasing: %v", got)
			}
		})
	}
}

func TestEqualBreaks(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		k, dec int
		method string
		breaks []float64
		min    float64
	}{
		{"no values", nil, 5, 0, BreaksEqual, nil, 0},
		{"few distinct values: one class each", []float64{1, 2, 2, 3}, 5, 0, BreaksValues, []float64{1, 2, 3}, 1},
		{"equal widths", []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5, 0, BreaksEqual, []float64{2, 4, 6, 8, 10}, 0},
		{"shown with decimals", []float64{0, 0.33, 0.5, 0.71, 0.9, 1}, 4, 1, BreaksEqual, []float64{0.3, 0.5, 0.8, 1}, 0},
		{"skewed values keep equal widths", []float64{0, 0, 0, 0, 1, 2, 100}, 3, 0, BreaksEqual, []float64{33, 67, 100}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := EqualBreaks(tt.values, tt.k, tt.dec)
			if len(tt.values) == 0 {
				if len(b.Breaks) != 0 || b.Min != nil {
					t.Errorf("classes without values: %+v", b)
				}
				return
			}
			if b.Method != tt.method || !slices.Equal(b.Breaks, tt.breaks) || *b.Min != tt.min {
				t.Errorf("got %s %v from %v, want %s %v from %v", b.Method, b.Breaks, *b.Min, tt.method, tt.breaks, tt.min)
			}
			for _, v := range tt.values {
				if c := b.ClassOf(v); c < 0 || (c > 0 && RoundTo(v, tt.dec) <= b.Breaks[c-1]) || RoundTo(v, tt.dec) > b.Breaks[c] {
					t.Errorf("value %v in class %d of %v", v, c, b.Breaks)
				}
			}
		})
	}
}
