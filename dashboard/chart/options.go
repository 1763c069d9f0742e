package chart

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/antq-atlas/antq/analytics"
)

// Palette is the series colours of the bar, line and pie charts.
var Palette = []string{"#1d4e89", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f", "#2e4057", "#b56576"}

// compareColor draws the comparison period ("cùng kỳ") in grey, dashed.
const compareColor = "#8c8c8c"

// NamedValues is one series: a name for the legend and one value per
// category. NaN marks a missing value (drawn as a gap, not as zero).
type NamedValues struct {
	Name   string
	Values []float64
	// Compare marks the series of the comparison period ("so với cùng kỳ"):
	// drawn grey and dashed.
	Compare bool
}

// BarInput is a bar chart: a ranking (Horizontal, categories in rank order,
// first on top) or a breakdown (vertical).
type BarInput struct {
	Categories []string
	Series     []NamedValues
	Unit       string // e.g. "điểm"; shown after values in labels and tooltips
	Decimals   int
	Horizontal bool
	Stacked    bool
	Labels     bool // print values at the bars
}

// LineInput is a trend, e.g. by police year, with an optional comparison series.
type LineInput struct {
	Categories []string // e.g. "2022" … "2025" or "15/12–14/01"
	Series     []NamedValues
	Unit       string
	Decimals   int
	Labels     bool
	// Partial marks the categories whose period has not ended (the last
	// ones): the line runs dashed from the last whole period into them.
	Partial []bool
	// Lang is the language of the words the option adds (the partial
	// series' "(kỳ chưa kết thúc)"); default Vietnamese.
	Lang analytics.Lang
}

// NamedValue is one slice of a pie.
type NamedValue struct {
	Name  string
	Value float64
}

// PieInput is a share chart.
type PieInput struct {
	Name     string // series name, for the tooltip
	Items    []NamedValue
	Unit     string
	Decimals int
	Donut    bool
}

// RegionValue is one commune's value; a nil Value means no data.
type RegionValue struct {
	Code  string // the join key: a feature property (MapInput.KeyProperty)
	Name  string // shown in tooltips and labels, never used to join
	Value *float64
	// NoData says why Value is nil, for the tooltip ("không có báo cáo").
	NoData string
}

// MapInput is a choropleth of a registered GeoJSON map.
type MapInput struct {
	MapName string // the name the GeoJSON is passed under in Spec.Maps
	// KeyProperty is the feature property holding Code; default "code".
	KeyProperty string
	Values      []RegionValue
	// Breaks are class bounds in increasing order, lowest and highest
	// included: n+1 numbers give n classes; a value equal to a bound goes to
	// the class above it, the top bound belongs to the last class.
	Breaks []float64
	// Colors, one per class; default a sequential blue ramp, or a red–blue
	// ramp when Diverging (for changes: negatives red, positives blue).
	Colors    []string
	Diverging bool
	Unit      string
	Decimals  int
	Labels    bool // print every region's name (labels=all, for posters)
	// LabelCodes are the regions to name when Labels is false (labels=top:
	// the highest and lowest); overlapping names are hidden.
	LabelCodes []string
	SeriesName string // for the tooltip, e.g. the metric's label
	// Lang is the language of the legend's words ("Chia lớp", "Đơn vị");
	// default Vietnamese.
	Lang analytics.Lang
	// PieceLabels name the classes, lowest first (default "lo – hi" from
	// Breaks); Method names how the classes were made ("phân vị"), printed
	// above the legend.
	PieceLabels []string
	Method      string
	// NoDataLabel is the legend entry of regions without a value (default
	// "Không có số liệu"); it is always drawn.
	NoDataLabel string
}

// Sequential and diverging class colours, picked from as many classes as
// needed. Every one of them, and the white background, contrasts with
// NoDataColor by at least 3:1 (WCAG relative luminance; TestNoDataContrast),
// so a commune without data never reads as the lowest class: the ramps stop
// at mid tones for that reason.
var (
	sequentialColors = []string{"#eff6fc", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6"}
	divergingColors  = []string{"#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf"}
)

// NoDataColor fills regions without a value and their legend entry.
const NoDataColor = "#404040"

const noDataColor = NoDataColor

// ClassColors are the colours of n classes, lowest first.
func ClassColors(n int, diverging bool) []string {
	ramp := sequentialColors
	if diverging {
		ramp = divergingColors
	}
	if n < 1 {
		return []string{}
	}
	if n > len(ramp) {
		n = len(ramp)
	}
	return pick(ramp, n)
}

// RangeLabel is a class's legend label: "12" for one value, "3 – 7".
func RangeLabel(lo, hi float64, decimals int) string {
	a, b := FormatNumber(lo, decimals), FormatNumber(hi, decimals)
	if a == b {
		return a
	}
	return a + " – " + b
}

func numberFormatter(decimals int, unit string) string {
	f := "antq:number:" + strconv.Itoa(max(decimals, 0))
	if unit != "" {
		f += ": " + unit
	}
	return f
}

// seriesValue is what ECharts takes for a value: a number, or "-" for none.
func seriesValue(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "-"
	}
	return v
}

func checkSeries(kind string, categories []string, series []NamedValues) error {
	if len(series) == 0 {
		return analytics.Errorf(analytics.CodeInvalid, "%s chart has no series", kind)
	}
	for _, s := range series {
		if len(s.Values) != len(categories) {
			return analytics.Errorf(analytics.CodeInvalid, "%s chart series %q has %d values for %d categories", kind, s.Name, len(s.Values), len(categories))
		}
	}
	return nil
}

// Bar returns the option of a bar chart.
func Bar(in BarInput) (json.RawMessage, error) {
	if err := checkSeries("bar", in.Categories, in.Series); err != nil {
		return nil, err
	}
	c := charts.NewBar()
	c.SetXAxis(in.Categories)
	for i, s := range in.Series {
		data := make([]opts.BarData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.BarData{Value: seriesValue(v)}
		}
		so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: seriesColor(i, s.Compare)})}
		if in.Labels {
			pos := "top"
			if in.Horizontal {
				pos = "right"
			}
			if in.Stacked {
				pos = "inside"
			}
			so = append(so, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: pos, Formatter: numberFormatter(in.Decimals, "")}))
		}
		if in.Stacked {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		c.AddSeries(s.Name, data, so...)
	}
	o := baseOption(c.MultiSeries, len(in.Series) > 1, in.Decimals, in.Unit)
	cat := &axis{Type: "category", Data: in.Categories, AxisTick: &opts.AxisTick{AlignWithLabel: opts.Bool(true)}}
	val := &axis{Type: "value", Name: in.Unit, AxisLabel: &axisLabel{Formatter: numberFormatter(in.Decimals, "")}}
	if in.Horizontal {
		cat.Inverse = true // first category (rank 1) on top
		// Every label, whole: long names wrap within a fixed width instead
		// of being skipped (interval 0) or cut; the tooltip repeats them.
		every := 0
		cat.AxisLabel = &axisLabel{Interval: &every, Width: HorizontalLabelWidth, Overflow: "break", LineHeight: 14}
		if in.Unit != "" { // under the axis: at its end it would leave the canvas
			val.NameLocation, val.NameGap = "middle", 28
		}
		o.XAxis, o.YAxis = val, cat
	} else {
		o.XAxis, o.YAxis = cat, val
	}
	return marshalOption(o)
}

// HorizontalLabelWidth is the width (CSS px) within which a horizontal bar
// chart wraps its category labels.
const HorizontalLabelWidth = 300

// Line returns the option of a line chart.
func Line(in LineInput) (json.RawMessage, error) {
	if err := checkSeries("line", in.Categories, in.Series); err != nil {
		return nil, err
	}
	c := charts.NewLine()
	c.SetXAxis(in.Categories)
	firstPartial := len(in.Categories)
	for j := len(in.Partial) - 1; j >= 0 && j < len(in.Categories); j-- {
		if !in.Partial[j] {
			break
		}
		firstPartial = j
	}
	for i, s := range in.Series {
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			if j >= firstPartial {
				v = math.NaN()
			}
			data[j] = opts.LineData{Value: seriesValue(v)}
		}
		ls := opts.LineStyle{Width: 3, Color: seriesColor(i, s.Compare)}
		if s.Compare {
			ls.Type, ls.Width = "dashed", 2
		}
		so := []charts.SeriesOpts{
			charts.WithLineStyleOpts(ls),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: seriesColor(i, s.Compare)}),
		}
		if in.Labels {
			so = append(so, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: numberFormatter(in.Decimals, "")}))
		}
		c.AddSeries(s.Name, data, so...)
		if firstPartial < len(in.Categories) {
			// The periods not over, dashed, joined to the last whole one.
			part := make([]opts.LineData, len(s.Values))
			for j, v := range s.Values {
				if j < firstPartial-1 {
					v = math.NaN()
				}
				part[j] = opts.LineData{Value: seriesValue(v)}
			}
			ps := opts.LineStyle{Width: 2, Type: "dashed", Color: seriesColor(i, s.Compare)}
			pso := []charts.SeriesOpts{charts.WithLineStyleOpts(ps), charts.WithItemStyleOpts(opts.ItemStyle{Color: seriesColor(i, s.Compare)})}
			if in.Labels {
				pso = append(pso, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: numberFormatter(in.Decimals, "")}))
			}
			c.AddSeries(s.Name+in.Lang.Pick(" (kỳ chưa kết thúc)", " (period not over)"), part, pso...)
		}
	}
	o := baseOption(c.MultiSeries, len(in.Series) > 1, in.Decimals, in.Unit)
	o.XAxis = &axis{Type: "category", Data: in.Categories, BoundaryGap: opts.Bool(false)}
	o.YAxis = &axis{Type: "value", Name: in.Unit, AxisLabel: &axisLabel{Formatter: numberFormatter(in.Decimals, "")}}
	return marshalOption(o)
}

// Pie returns the option of a pie or donut chart; labels read
// "Name: value (share%)".
func Pie(in PieInput) (json.RawMessage, error) {
	if len(in.Items) == 0 {
		return nil, analytics.Errorf(analytics.CodeInvalid, "pie chart has no items")
	}
	data := make([]opts.PieData, len(in.Items))
	for i, it := range in.Items {
		if math.IsNaN(it.Value) || it.Value < 0 {
			return nil, analytics.Errorf(analytics.CodeInvalid, "pie chart item %q has value %v: shares must be zero or more", it.Name, it.Value)
		}
		data[i] = opts.PieData{Name: it.Name, Value: it.Value}
	}
	radius := []string{"0%", "62%"}
	if in.Donut {
		radius = []string{"38%", "62%"}
	}
	pieFmt := "antq:pie:" + strconv.Itoa(max(in.Decimals, 0))
	if in.Unit != "" {
		pieFmt += ": " + in.Unit
	}
	c := charts.NewPie()
	c.AddSeries(in.Name, data,
		charts.WithPieChartOpts(opts.PieChart{Radius: radius}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: pieFmt}))
	o := baseOption(c.MultiSeries, false, in.Decimals, in.Unit)
	o.Tooltip = &opts.Tooltip{Trigger: "item", Formatter: types.FuncStr(pieFmt)}
	return marshalOption(o)
}

// Map returns the option of a choropleth: a map series joined on the code
// property, a piecewise visualMap from Breaks, names in tooltips.
func Map(in MapInput) (json.RawMessage, error) {
	if in.MapName == "" {
		return nil, analytics.Errorf(analytics.CodeInvalid, "map chart has no map name")
	}
	// No breaks: no region has a value; the map is all no-data, with
	// its legend entry and no classes.
	classes := len(in.Breaks) - 1
	if len(in.Breaks) > 0 && classes < 1 {
		return nil, analytics.Errorf(analytics.CodeInvalid, "map chart needs at least 2 class breaks, got %d", len(in.Breaks))
	}
	for i := 1; i < len(in.Breaks); i++ {
		if !(in.Breaks[i] > in.Breaks[i-1]) {
			return nil, analytics.Errorf(analytics.CodeInvalid, "map chart breaks must increase: %v", in.Breaks)
		}
	}
	colors := in.Colors
	if len(colors) == 0 && classes > 0 {
		ramp := sequentialColors
		if in.Diverging {
			ramp = divergingColors
		}
		if classes > len(ramp) {
			return nil, analytics.Errorf(analytics.CodeInvalid, "map chart has %d classes, at most %d without own colours", classes, len(ramp))
		}
		colors = pick(ramp, classes)
	}
	if classes > 0 && len(colors) != classes {
		return nil, analytics.Errorf(analytics.CodeInvalid, "map chart has %d colours for %d classes", len(colors), classes)
	}
	key := in.KeyProperty
	if key == "" {
		key = "code"
	}

	pieces := make([]piece, max(classes, 0))
	for i := range classes {
		lo, hi := in.Breaks[i], in.Breaks[i+1]
		p := piece{Gte: lo, Color: colors[i], Label: RangeLabel(lo, hi, in.Decimals)}
		if i < len(in.PieceLabels) {
			p.Label = in.PieceLabels[i]
		}
		if i == classes-1 {
			p.Lte = &hi
		} else {
			p.Lt = &hi
		}
		pieces[i] = p
	}
	// Highest class first in the legend, as readers expect.
	slices.Reverse(pieces)

	seen := make(map[string]bool, len(in.Values))
	data := make([]regionDatum, 0, len(in.Values))
	for _, v := range in.Values {
		if v.Code == "" {
			return nil, analytics.Errorf(analytics.CodeInvalid, "map chart region %q has no code", v.Name)
		}
		if seen[v.Code] {
			return nil, analytics.Errorf(analytics.CodeInvalid, "map chart region code %s appears twice", v.Code)
		}
		seen[v.Code] = true
		d := regionDatum{Name: v.Code, RegionName: v.Name, Value: chartNumber(math.NaN())}
		if !in.Labels && slices.Contains(in.LabelCodes, v.Code) {
			d.Label = &opts.Label{Show: opts.Bool(true)}
		}
		if v.Value != nil && !math.IsNaN(*v.Value) && !math.IsInf(*v.Value, 0) {
			d.Value = chartNumber(*v.Value)
		} else {
			d.NoData = v.NoData
		}
		data = append(data, d)
	}

	regionFmt := "antq:region:" + strconv.Itoa(max(in.Decimals, 0))
	if in.Unit != "" {
		regionFmt += ": " + in.Unit
	}
	series := mapSeries{
		SingleSeries: charts.SingleSeries{
			Type: types.ChartMap, MapType: in.MapName,
			Roam: opts.Bool(false), Left: "center",
			ItemStyle: &opts.ItemStyle{AreaColor: noDataColor, BorderColor: "#ffffff", BorderWidth: 0.5},
			Emphasis:  &opts.Emphasis{Label: &opts.Label{Show: opts.Bool(false)}, ItemStyle: &opts.ItemStyle{AreaColor: "#ffd166"}},
			Label:     &opts.Label{Show: opts.Bool(false)},
			Data:      data,
		},
		Name:         in.SeriesName,
		NameProperty: key,
		// GeoJSON degrees are drawn with x scaled by aspectScale; ≈ cos(lat)
		// keeps Vietnam's shapes at 20–23°N (the ECharts default 0.75 squashes them).
		AspectScale: 0.94,
		Select:      &selectState{Disabled: true},
	}
	if in.Labels || len(in.LabelCodes) > 0 {
		series.Label = &opts.Label{Show: opts.Bool(in.Labels), Formatter: "antq:regionname", FontSize: 10, Color: "#1f2937"}
		if !in.Labels { // a few names: none may cover another
			series.LabelLayout = &opts.LabelLayout{HideOverlap: opts.Bool(true)}
		}
	}
	o := &option{
		Tooltip: &opts.Tooltip{Trigger: "item", Formatter: types.FuncStr(regionFmt)},
		// The no-data entry under the classes: ECharts' piecewise legend
		// has no piece for missing values, so it is drawn beside it.
		Graphic: []graphicEl{noDataLegend(in.NoDataLabel)},
		Series:  []mapSeries{series},
	}
	if classes > 0 {
		o.VisualMap = &visualMap{
			Type: "piecewise", Pieces: pieces, ShowLabel: true, Left: "left", Bottom: noDataLegendHeight,
			SeriesIndex: 0, OutOfRange: colorState{Color: noDataColor}, Text: visualMapText(in.Lang, in.Unit, in.Method),
		}
	}
	return marshalOption(o)
}

// noDataLegendHeight is the room kept under the class legend for the
// no-data entry.
const noDataLegendHeight = 30

// noDataLegend is the legend entry "Không có số liệu": a swatch in
// NoDataColor and its label, at the legend's bottom left.
func noDataLegend(label string) graphicEl {
	if label == "" {
		label = "Không có số liệu"
	}
	return graphicEl{
		Type: "group", ID: "antq-nodata", Left: 5, Bottom: 5,
		Children: []graphicEl{
			{Type: "rect", Shape: &graphicShape{Width: 20, Height: 14}, Style: &graphicStyle{Fill: noDataColor}},
			{Type: "text", X: 30, Y: 1, Style: &graphicStyle{Text: label, Fill: "#333333", Font: "12px sans-serif"}},
		},
	}
}

// visualMapText is the legend's text above (the method) and below (the
// unit) the classes, in the legend's language; none when both are empty.
func visualMapText(lang analytics.Lang, unit, method string) []string {
	if unit == "" && method == "" {
		return nil
	}
	top, bottom := "", ""
	if method != "" {
		top = lang.Pick("Chia lớp: ", "Classes: ") + method
	}
	if unit != "" {
		bottom = lang.Pick("Đơn vị: ", "Unit: ") + unit
	}
	return []string{top, bottom}
}

// pick returns n colours spread over ramp, keeping its ends (and its middle
// for an odd n of a diverging ramp).
func pick(ramp []string, n int) []string {
	if n == 1 {
		return []string{ramp[len(ramp)/2]}
	}
	out := make([]string, n)
	for i := range n {
		out[i] = ramp[int(math.Round(float64(i)*float64(len(ramp)-1)/float64(n-1)))]
	}
	return out
}

func seriesColor(i int, compare bool) string {
	if compare {
		return compareColor
	}
	return Palette[i%len(Palette)]
}

// baseOption is the part of a bar, line or pie option they share: our
// palette, a legend when there are several series, an axis tooltip, a grid
// that keeps labels inside.
func baseOption(series charts.MultiSeries, legend bool, decimals int, unit string) *option {
	return &option{
		Color:   Palette,
		Legend:  &opts.Legend{Show: opts.Bool(legend)},
		Tooltip: &opts.Tooltip{Trigger: "axis", ValueFormatter: types.FuncStr(numberFormatter(decimals, unit))},
		Grid:    &grid{Left: 24, Right: 32, Top: 48, Bottom: 24, ContainLabel: true},
		Series:  series,
	}
}

func marshalOption(o *option) (json.RawMessage, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("build chart option: %w", err)
	}
	return b, nil
}
