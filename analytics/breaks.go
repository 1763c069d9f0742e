package analytics

import (
	"math"
	"sort"
)

// Class-break methods, as the legend names them.
const (
	BreaksQuantile = "quantile" // phân vị
	BreaksEqual    = "equal"    // khoảng đều
	BreaksValues   = "values"   // giá trị: one class per distinct value
)

// MethodVI names a class-break method in Vietnamese for the legend.
func MethodVI(method string) string {
	switch method {
	case BreaksQuantile:
		return "phân vị"
	case BreaksEqual:
		return "khoảng đều"
	case BreaksValues:
		return "giá trị"
	}
	return method
}

// Breaks are a choropleth's classes: Breaks[i] is the upper bound of class
// i (inclusive), class 0 starts at Min. Values are classed as shown, rounded
// to Decimals, so two classes never print the same label and equal values
// (ties) always share a class.
type Breaks struct {
	Method   string
	Decimals int
	Min      *float64
	Breaks   []float64
}

// RoundTo rounds v to d decimals, halves away from zero (as the figures
// print).
func RoundTo(v float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(v*p) / p
}

// ClassBreaks computes at most k classes of the values with data, as shown
// with decimals: when there are at most k distinct values, each is a class
// (BreaksValues); else nearest-rank quantiles i/k, deduplicated, the last
// being the maximum (BreaksQuantile). Quantiles (not Jenks) because they
// are stable, cheap and give every colour about as many communes, which
// suits skewed counts. No values: no classes.
func ClassBreaks(values []float64, k, decimals int) Breaks {
	out := Breaks{Method: BreaksQuantile, Decimals: decimals, Breaks: []float64{}}
	if len(values) == 0 || k < 1 {
		return out
	}
	v := make([]float64, len(values))
	for i, x := range values {
		v[i] = RoundTo(x, decimals)
	}
	sort.Float64s(v)
	lo := v[0]
	out.Min = &lo
	var distinct []float64
	for i, x := range v {
		if i == 0 || x != v[i-1] {
			distinct = append(distinct, x)
		}
	}
	if len(distinct) <= k {
		out.Method = BreaksValues
		out.Breaks = distinct
		return out
	}
	for i := 1; i <= k; i++ {
		idx := int(math.Ceil(float64(i)*float64(len(v))/float64(k))) - 1
		b := v[max(idx, 0)]
		if n := len(out.Breaks); n > 0 && out.Breaks[n-1] >= b {
			continue
		}
		out.Breaks = append(out.Breaks, b)
	}
	return out
}

// ClassOf is the class of v (as shown): the first break not below it; -1
// when there are no classes.
func (b Breaks) ClassOf(v float64) int {
	if len(b.Breaks) == 0 {
		return -1
	}
	v = RoundTo(v, b.Decimals)
	for i, x := range b.Breaks {
		if v <= x {
			return i
		}
	}
	return len(b.Breaks) - 1
}

// Bounds are the classes as ranges of raw values for a renderer that maps
// by range (ECharts' piecewise visualMap): n+1 increasing numbers for n
// classes, class i from Bounds[i] (inclusive) to Bounds[i+1] (exclusive,
// inclusive for the last). Each inner bound sits half a shown unit above a
// break, where rounding moves a value into the next class, so the renderer
// colours every value as ClassOf classes it.
func (b Breaks) Bounds() []float64 {
	if b.Min == nil || len(b.Breaks) == 0 {
		return nil
	}
	half := 0.5 * math.Pow10(-b.Decimals)
	out := []float64{*b.Min - half}
	for _, x := range b.Breaks {
		out = append(out, x+half)
	}
	return out
}

// Ranges are the classes' shown ranges for the legend: lo == hi for a
// class of one value.
func (b Breaks) Ranges() [][2]float64 {
	if b.Min == nil {
		return nil
	}
	out := make([][2]float64, len(b.Breaks))
	for i, x := range b.Breaks {
		lo := *b.Min
		if i > 0 {
			lo = b.Breaks[i-1]
			if b.Method != BreaksValues {
				lo = RoundTo(lo+math.Pow10(-b.Decimals), b.Decimals)
			}
		}
		if b.Method == BreaksValues {
			lo = x
		}
		out[i] = [2]float64{lo, x}
	}
	return out
}
