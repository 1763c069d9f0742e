package chart

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

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
	m, err := baseOption(c.JSON(), len(in.Series) > 1, in.Decimals, in.Unit)
	if err != nil {
		return nil, err
	}
	cat := map[string]any{"type": "category", "data": in.Categories, "axisTick": map[string]any{"alignWithLabel": true}}
	val := map[string]any{"type": "value", "axisLabel": map[string]any{"formatter": numberFormatter(in.Decimals, "")}}
	if in.Unit != "" {
		val["name"] = in.Unit
	}
	if in.Horizontal {
		cat["inverse"] = true // first category (rank 1) on top
		// Every label, whole: long names wrap within a fixed width instead
		// of being skipped (interval 0) or cut; the tooltip repeats them.
		cat["axisLabel"] = map[string]any{"interval": 0, "width": HorizontalLabelWidth, "overflow": "break", "lineHeight": 14}
		if in.Unit != "" { // under the axis: at its end it would leave the canvas
			val["nameLocation"], val["nameGap"] = "middle", 28
		}
		m["xAxis"], m["yAxis"] = val, cat
	} else {
		m["xAxis"], m["yAxis"] = cat, val
	}
	return marshalOption(m)
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
	m, err := baseOption(c.JSON(), len(in.Series) > 1, in.Decimals, in.Unit)
	if err != nil {
		return nil, err
	}
	m["xAxis"] = map[string]any{"type": "category", "data": in.Categories, "boundaryGap": false}
	val := map[string]any{"type": "value", "axisLabel": map[string]any{"formatter": numberFormatter(in.Decimals, "")}}
	if in.Unit != "" {
		val["name"] = in.Unit
	}
	m["yAxis"] = val
	return marshalOption(m)
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
	m, err := baseOption(c.JSON(), false, in.Decimals, in.Unit)
	if err != nil {
		return nil, err
	}
	m["tooltip"] = map[string]any{"trigger": "item", "formatter": pieFmt}
	return marshalOption(m)
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

	pieces := make([]map[string]any, max(classes, 0))
	for i := range classes {
		lo, hi := in.Breaks[i], in.Breaks[i+1]
		p := map[string]any{
			"gte":   lo,
			"color": colors[i],
			"label": RangeLabel(lo, hi, in.Decimals),
		}
		if i < len(in.PieceLabels) {
			p["label"] = in.PieceLabels[i]
		}
		if i == classes-1 {
			p["lte"] = hi
		} else {
			p["lt"] = hi
		}
		pieces[i] = p
	}
	// Highest class first in the legend, as readers expect.
	for i, j := 0, len(pieces)-1; i < j; i, j = i+1, j-1 {
		pieces[i], pieces[j] = pieces[j], pieces[i]
	}

	seen := make(map[string]bool, len(in.Values))
	data := make([]map[string]any, 0, len(in.Values))
	for _, v := range in.Values {
		if v.Code == "" {
			return nil, analytics.Errorf(analytics.CodeInvalid, "map chart region %q has no code", v.Name)
		}
		if seen[v.Code] {
			return nil, analytics.Errorf(analytics.CodeInvalid, "map chart region code %s appears twice", v.Code)
		}
		seen[v.Code] = true
		d := map[string]any{"name": v.Code, "regionName": v.Name}
		if !in.Labels && slices.Contains(in.LabelCodes, v.Code) {
			d["label"] = map[string]any{"show": true}
		}
		if v.Value != nil && !math.IsNaN(*v.Value) && !math.IsInf(*v.Value, 0) {
			d["value"] = *v.Value
		} else {
			d["value"] = "-"
			if v.NoData != "" {
				d["noData"] = v.NoData
			}
		}
		data = append(data, d)
	}

	regionFmt := "antq:region:" + strconv.Itoa(max(in.Decimals, 0))
	if in.Unit != "" {
		regionFmt += ": " + in.Unit
	}
	series := map[string]any{
		"type":         "map",
		"name":         in.SeriesName,
		"map":          in.MapName,
		"nameProperty": key,
		// GeoJSON degrees are drawn with x scaled by aspectScale; ≈ cos(lat)
		// keeps Vietnam's shapes at 20–23°N (the ECharts default 0.75 squashes them).
		"aspectScale": 0.94,
		"roam":        false,
		"left":        "center",
		"itemStyle":   map[string]any{"areaColor": noDataColor, "borderColor": "#ffffff", "borderWidth": 0.5},
		"emphasis":    map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#ffd166"}},
		"select":      map[string]any{"disabled": true},
		"label":       map[string]any{"show": false},
		"data":        data,
	}
	if in.Labels || len(in.LabelCodes) > 0 {
		series["label"] = map[string]any{"show": in.Labels, "formatter": "antq:regionname", "fontSize": 10, "color": "#1f2937"}
		if !in.Labels { // a few names: none may cover another
			series["labelLayout"] = map[string]any{"hideOverlap": true}
		}
	}
	m := map[string]any{
		"tooltip": map[string]any{"trigger": "item", "formatter": regionFmt},
		"visualMap": map[string]any{
			"type":        "piecewise",
			"pieces":      pieces,
			"showLabel":   true,
			"left":        "left",
			"bottom":      noDataLegendHeight,
			"seriesIndex": 0,
			"outOfRange":  map[string]any{"color": noDataColor},
			"text":        visualMapText(in.Lang, in.Unit, in.Method),
		},
		// The no-data entry under the classes: ECharts' piecewise legend
		// has no piece for missing values, so it is drawn beside it.
		"graphic": []any{noDataLegend(in.NoDataLabel)},
		"series":  []any{series},
	}
	if classes < 1 {
		delete(m, "visualMap")
	}
	return marshalOption(m)
}

// noDataLegendHeight is the room kept under the class legend for the
// no-data entry.
const noDataLegendHeight = 30

// noDataLegend is the legend entry "Không có số liệu": a swatch in
// NoDataColor and its label, at the legend's bottom left.
func noDataLegend(label string) map[string]any {
	if label == "" {
		label = "Không có số liệu"
	}
	return map[string]any{
		"type": "group", "id": "antq-nodata", "left": 5, "bottom": 5,
		"children": []any{
			map[string]any{"type": "rect", "shape": map[string]any{"x": 0, "y": 0, "width": 20, "height": 14}, "style": map[string]any{"fill": noDataColor}},
			map[string]any{"type": "text", "x": 30, "y": 1, "style": map[string]any{"text": label, "fill": "#333333", "font": "12px sans-serif"}},
		},
	}
}

func visualMapText(lang analytics.Lang, unit, method string) any {
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

// baseOption turns go-echarts' option into plain JSON values and replaces
// what it fills by default (an empty toolbox, its own palette) with ours.
func baseOption(obj map[string]any, legend bool, decimals int, unit string) (map[string]any, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("build chart option: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("build chart option: %w", err)
	}
	delete(m, "toolbox")
	delete(m, "title")
	m["color"] = Palette
	m["legend"] = map[string]any{"show": legend}
	m["tooltip"] = map[string]any{"trigger": "axis", "valueFormatter": numberFormatter(decimals, unit)}
	m["grid"] = map[string]any{"left": 24, "right": 32, "top": 48, "bottom": 24, "containLabel": true}
	return m, nil
}

func marshalOption(m map[string]any) (json.RawMessage, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("build chart option: %w", err)
	}
	return b, nil
}
