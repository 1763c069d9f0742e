package charts

import (
	"testing"

	"github.com/antq-atlas/antq/dashboard/figures"
)

func TestSequentialBreaksKeepAPIClasses(t *testing.T) {
	for _, decimals := range []int{0, 1, 2} {
		lo := 2.0
		cb := figures.Breaks{Method: "quantile", Decimals: decimals, Min: &lo, Breaks: []float64{5, 9, 14}}
		got := sequentialBreaks(cb)
		// Every value is coloured in the class the API gives it: a
		// commune with exactly 5 is in class 0, one that shows as 5 too.
		for v := 2.0; v <= 14.0; v += 0.001 {
			c := cb.ClassOf(v)
			if !(v >= got[c] && (v < got[c+1] || c == len(got)-2)) {
				t.Fatalf("decimals %d: value %v in API class %d, chart bounds %v", decimals, v, c, got)
			}
		}
	}
}
