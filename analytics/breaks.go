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
	// BreaksDiverging: five classes symmetric around zero, for changes.
	BreaksDiverging = "diverging" // đối xứng quanh 0
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
	case BreaksDiverging:
		return "đối xứng quanh 0"
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
	if len(values) == 0 || k < 1 {
		return classBreaks(nil, k, decimals)
	}
	v := make([]float64, len(values))
	for i, x := range values {
		v[i] = RoundTo(x, decimals)
	}
	sort.Float64s(v)
	return classBreaks(v, k, decimals)
}

// ClassBreaksSorted is ClassBreaks of values already in ascending order,
// for a caller that sorts them anyway (a map's ranks): rounding keeps
// their order, so they are not sorted again (≈ 0.2 ms of a national map).
func ClassBreaksSorted(sorted []float64, k, decimals int) Breaks {
	v := make([]float64, len(sorted))
	for i, x := range sorted {
		v[i] = RoundTo(x, decimals)
	}
	return classBreaks(v, k, decimals)
}

// classBreaks is ClassBreaks of v, the values rounded and sorted.
func classBreaks(v []float64, k, decimals int) Breaks {
	out := Breaks{Method: BreaksQuantile, Decimals: decimals, Breaks: []float64{}}
	if len(v) == 0 || k < 1 {
		return out
	}
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

// EqualBreaks computes at most k classes of equal width between the
// smallest and the largest value, as shown with decimals (BreaksEqual); like
// ClassBreaks, at most k distinct values are a class each (BreaksValues).
// Bounds that round to the same shown value are merged, and the last is the
// maximum. No values: no classes.
func EqualBreaks(values []float64, k, decimals int) Breaks {
	out := ClassBreaks(values, k, decimals)
	if out.Min == nil {
		out.Method = BreaksEqual
		return out // no values, no classes
	}
	if out.Method != BreaksQuantile {
		return out // one class a value
	}
	lo, hi := *out.Min, RoundTo(values[0], decimals)
	for _, x := range values {
		hi = math.Max(hi, RoundTo(x, decimals))
	}
	out.Method, out.Breaks = BreaksEqual, []float64{}
	for i := 1; i <= k; i++ {
		b := RoundTo(lo+(hi-lo)*float64(i)/float64(k), decimals)
		if i == k {
			b = hi
		}
		if n := len(out.Breaks); n > 0 && out.Breaks[n-1] >= b {
			continue
		}
		out.Breaks = append(out.Breaks, b)
	}
	return out
}

// Edges are the classes' bounds as given, n+1 increasing numbers for n
// classes: Min, then each class's upper bound. Diverging classes are drawn
// by these (they fall on round numbers), sequential ones by Bounds.
func (b Breaks) Edges() []float64 {
	if b.Min == nil || len(b.Breaks) == 0 {
		return nil
	}
	return append([]float64{*b.Min}, b.Breaks...)
}

// DivergingBreaks are the classes of changes: five symmetric around zero,
// from −m to m where m is a round bound (1, 2, 2.5 or 5 times a power of
// ten) at or above the largest change; the decimals grow (up to 4) until a
// class is at least one shown unit wide. All changes zero: one class from
// −1 to 1. No values: no classes.
func DivergingBreaks(values []float64, decimals int) Breaks {
	out := Breaks{Method: BreaksDiverging, Decimals: decimals, Breaks: []float64{}}
	if len(values) == 0 {
		return out
	}
	m := 0.0
	for _, v := range values {
		m = math.Max(m, math.Abs(v))
	}
	if m == 0 {
		lo := -1.0
		out.Min, out.Breaks = &lo, []float64{1}
		return out
	}
	m = niceCeil(m)
	step := 2 * m / 5
	for d := decimals; d < 4; d++ {
		if step*math.Pow10(d) >= 1 {
			out.Decimals = d
			break
		}
		out.Decimals = d + 1
	}
	lo := -m
	out.Min = &lo
	out.Breaks = []float64{-m + step, -m + 2*step, m - 2*step, m - step, m}
	return out
}

// niceCeil rounds up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow10(int(math.Floor(math.Log10(v))))
	for _, k := range []float64{1, 2, 2.5, 5, 10} {
		if k*p >= v {
			return k * p
		}
	}
	return 10 * p
}
