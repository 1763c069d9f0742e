package figures

import (
	"math"
	"sort"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
)

// Row is one commune of a map, a ranking or an export.
type Row struct {
	Code     analytics.CommuneCode
	Name     string // full name: "Xã Hùng Lợi"
	Kind     string
	Province analytics.ProvinceCode
	Num, Den float64
	Value    *float64
	Rank     *int
	Class    *int
	Compare  *float64
	Delta    *float64
	DeltaPct *float64
	// Reason says why Value is null; Missing lists the composite's
	// components without a value (insufficient_components).
	Reason  analytics.Reason
	Missing []analytics.MetricID
}

// Breaks are the choropleth's classes as the API sends them
// (analytics.ClassBreaks): the page and the charts draw these, they do not
// compute their own. Breaks[i] is the upper bound of class i (inclusive, as
// shown with the metric's decimals); class 0 starts at Min.
type Breaks struct {
	Method   string    `json:"method"`
	MethodVI string    `json:"method_vi"`
	Decimals int       `json:"decimals"`
	Min      *float64  `json:"min"`
	Breaks   []float64 `json:"breaks"`
	// Labels and Colors per class, lowest first; NoData is the legend
	// entry of the communes without a value.
	Labels []string `json:"labels"`
	Colors []string `json:"colors"`
	// Bounds are the classes as ranges of raw values for ECharts'
	// piecewise legend (analytics.Breaks.Bounds): n+1 for n classes.
	Bounds []float64   `json:"bounds"`
	NoData NoDataEntry `json:"no_data"`
}

// NoDataEntry is the legend entry of the communes without a value.
type NoDataEntry struct {
	LabelVI string `json:"label_vi"`
	LabelEN string `json:"label_en"`
	Color   string `json:"color"`
}

const classCount = 5

// BreaksOf computes the classes of values shown with decimals.
func BreaksOf(values []float64, decimals int) Breaks {
	return breaksOf(analytics.ClassBreaks(values, classCount, decimals), decimals)
}

// breaksOf is the classes b as the API sends them.
func breaksOf(b analytics.Breaks, decimals int) Breaks {
	out := Breaks{Method: b.Method, MethodVI: analytics.MethodVI(b.Method), Decimals: decimals, Min: b.Min, Breaks: b.Breaks,
		Labels: []string{}, Colors: chart.ClassColors(len(b.Breaks), false),
		NoData: NoDataEntry{LabelVI: analytics.NoDataVI, LabelEN: analytics.NoDataEN, Color: chart.NoDataColor}}
	for _, r := range b.Ranges() {
		out.Labels = append(out.Labels, chart.RangeLabel(r[0], r[1], decimals))
	}
	out.Bounds = b.Bounds()
	if out.Bounds == nil {
		out.Bounds = []float64{}
	}
	for i := range out.Bounds {
		out.Bounds[i] = Round6(out.Bounds[i])
	}
	return out
}

// DivergingOf computes the classes of changes (analytics.DivergingBreaks)
// as the API sends them: Bounds are the round class edges themselves.
func DivergingOf(values []float64, decimals int) Breaks {
	b := analytics.DivergingBreaks(values, decimals)
	out := Breaks{Method: b.Method, MethodVI: analytics.MethodVI(b.Method), Decimals: b.Decimals, Min: b.Min, Breaks: b.Breaks,
		Labels: []string{}, Colors: chart.ClassColors(len(b.Breaks), true), Bounds: b.Edges(),
		NoData: NoDataEntry{LabelVI: analytics.NoDataVI, LabelEN: analytics.NoDataEN, Color: chart.NoDataColor}}
	if out.Bounds == nil {
		out.Bounds = []float64{}
	}
	for i := 1; i < len(out.Bounds); i++ {
		lo, hi := out.Bounds[i-1], out.Bounds[i]
		if len(out.Bounds) == 2 && lo == -hi {
			out.Labels = append(out.Labels, chart.FormatNumber(0, b.Decimals)) // no change anywhere
			continue
		}
		out.Labels = append(out.Labels, chart.RangeLabel(lo, hi, b.Decimals))
	}
	return out
}

// Domain turns the API's classes back into analytics.Breaks.
func (b Breaks) Domain() analytics.Breaks {
	return analytics.Breaks{Method: b.Method, Decimals: b.Decimals, Min: b.Min, Breaks: b.Breaks}
}

// ClassOf is the class of v.
func (b Breaks) ClassOf(v float64) int { return b.Domain().ClassOf(v) }

// BuildRows joins the communes with the metric (and the comparison) and
// ranks them: rank 1 is the best by the metric's direction, ties share a
// rank ("1, 2, 2, 4"), communes without data have no rank and no class.
func BuildRows(cs []*commune.Commune, cur, cmp *Table) ([]Row, Breaks) {
	rows := make([]Row, len(cs))
	// A row's numbers point into two arrays made once, not one allocation
	// per number: a national map has 3,321 rows of up to six numbers
	// (BenchmarkIdentityBody, national, streamed: 3,724 allocations a map
	// before, 376 after).
	nums := make([]float64, 4*len(cs)) // value, compare, delta, delta_pct
	ints := make([]int, 2*len(cs))     // rank, class
	var vals []float64
	for i, c := range cs {
		num := nums[4*i : 4*i+4 : 4*i+4]
		r := Row{Code: c.Code, Name: c.FullName, Kind: string(c.Kind), Province: c.Province, Reason: analytics.ReasonNoReports}
		if f, ok := cur.At(i, c); ok {
			r.Num, r.Den, r.Reason, r.Missing = f.Num, f.Den, f.Reason, f.Missing
			if f.OK {
				num[0] = Round6(f.Value)
				r.Value = &num[0]
				vals = append(vals, num[0])
			}
		}
		if cmp != nil {
			if v, ok := cmp.ValueAt(i, c); ok {
				v = Round6(v)
				num[1] = v
				r.Compare = &num[1]
				if r.Value != nil {
					d := Round6(*r.Value - v)
					num[2] = d
					r.Delta = &num[2]
					if v != 0 {
						num[3] = Round6(d / math.Abs(v) * 100)
						r.DeltaPct = &num[3]
					}
				}
			}
		}
		rows[i] = r
	}
	sorted := append([]float64(nil), vals...)
	sort.Float64s(sorted)
	breaks := breaksOf(analytics.ClassBreaksSorted(sorted, classCount, cur.Metric.Decimals), cur.Metric.Decimals)
	for i := range rows {
		if rows[i].Value == nil {
			continue
		}
		v := *rows[i].Value
		var better int
		if cur.Metric.HigherIsBetter {
			better = len(sorted) - sort.Search(len(sorted), func(j int) bool { return sorted[j] > v })
		} else {
			better = sort.Search(len(sorted), func(j int) bool { return sorted[j] >= v })
		}
		rc := ints[2*i : 2*i+2 : 2*i+2]
		rc[0], rc[1] = better+1, breaks.ClassOf(v)
		rows[i].Rank, rows[i].Class = &rc[0], &rc[1]
	}
	return rows, breaks
}

// Round6 keeps 6 decimals: enough for every Figure, stable in golden files.
func Round6(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	return math.Round(v*1e6) / 1e6
}

// Change is the province figure's change against the comparison: nil
// when either has no value, the percent nil when the comparison is 0.
func Change(cur, cmp *Table) (delta, pct *float64) {
	if !cur.TotalOK || !cmp.TotalOK {
		return nil, nil
	}
	d := Round6(cur.Total - cmp.Total)
	delta = &d
	if cmp.Total != 0 {
		p := Round6(d / math.Abs(cmp.Total) * 100)
		pct = &p
	}
	return delta, pct
}
