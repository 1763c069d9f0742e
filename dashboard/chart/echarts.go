package chart

import (
	"encoding/json"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// The option builders write typed values: go-echarts' own types where
// they carry what we set (series, labels, item and line styles, emphasis,
// label layout, legend, tooltip, axis ticks), and the small structs below
// where go-echarts lacks a member or types it otherwise than ECharts reads
// it (go-echarts writes grid and legend offsets, label intervals and line
// heights as strings, visualMap pieces as float32 with a zero bound
// omitted, and has no map series members nameProperty, aspectScale or
// select, no per-region data with a name and a reason, and no graphic
// component).

// option is the top level of an ECharts option.
type option struct {
	Color     []string      `json:"color,omitempty"`
	Legend    *opts.Legend  `json:"legend,omitempty"`
	Tooltip   *opts.Tooltip `json:"tooltip,omitempty"`
	Grid      *grid         `json:"grid,omitempty"`
	XAxis     *axis         `json:"xAxis,omitempty"`
	YAxis     *axis         `json:"yAxis,omitempty"`
	VisualMap *visualMap    `json:"visualMap,omitempty"`
	Graphic   []graphicEl   `json:"graphic,omitempty"`
	// Series is charts.MultiSeries (bar, line, pie) or []mapSeries.
	Series any `json:"series"`
}

// grid places the plot area of a cartesian chart, in px.
type grid struct {
	Left         int  `json:"left"`
	Right        int  `json:"right"`
	Top          int  `json:"top"`
	Bottom       int  `json:"bottom"`
	ContainLabel bool `json:"containLabel"`
}

// axis is a category or value axis.
type axis struct {
	Type         string         `json:"type"`
	Data         []string       `json:"data,omitempty"`
	Name         string         `json:"name,omitempty"`
	NameLocation string         `json:"nameLocation,omitempty"`
	NameGap      int            `json:"nameGap,omitempty"`
	Inverse      bool           `json:"inverse,omitempty"`
	BoundaryGap  *bool          `json:"boundaryGap,omitempty"`
	AxisTick     *opts.AxisTick `json:"axisTick,omitempty"`
	AxisLabel    *axisLabel     `json:"axisLabel,omitempty"`
}

// axisLabel: Interval is a pointer because 0 (every label) must be
// written.
type axisLabel struct {
	Formatter  string `json:"formatter,omitempty"`
	Interval   *int   `json:"interval,omitempty"`
	Width      int    `json:"width,omitempty"`
	Overflow   string `json:"overflow,omitempty"`
	LineHeight int    `json:"lineHeight,omitempty"`
}

// visualMap is the piecewise class legend of a choropleth.
type visualMap struct {
	Type        string     `json:"type"`
	Pieces      []piece    `json:"pieces"`
	ShowLabel   bool       `json:"showLabel"`
	Left        string     `json:"left"`
	Bottom      int        `json:"bottom"`
	SeriesIndex int        `json:"seriesIndex"`
	OutOfRange  colorState `json:"outOfRange"`
	Text        []string   `json:"text,omitempty"`
}

// piece is one class: from Gte (included) to Lt, or to Lte for the last.
type piece struct {
	Gte   float64  `json:"gte"`
	Lt    *float64 `json:"lt,omitempty"`
	Lte   *float64 `json:"lte,omitempty"`
	Color string   `json:"color"`
	Label string   `json:"label"`
}

type colorState struct {
	Color string `json:"color"`
}

// mapSeries is a map series: go-echarts' series with the members it lacks.
type mapSeries struct {
	charts.SingleSeries
	// Name shadows go-echarts' (omitted when empty): the series name is
	// written even when empty, as it always was.
	Name         string       `json:"name"`
	NameProperty string       `json:"nameProperty"`
	AspectScale  float64      `json:"aspectScale"`
	Select       *selectState `json:"select,omitempty"`
}

type selectState struct {
	Disabled bool `json:"disabled"`
}

// regionDatum is one commune of a map series, joined on Name (the code).
type regionDatum struct {
	Name       string      `json:"name"`
	RegionName string      `json:"regionName"`
	Value      chartNumber `json:"value"`
	NoData     string      `json:"noData,omitempty"`
	Label      *opts.Label `json:"label,omitempty"`
}

// chartNumber is a value as ECharts takes it: a number, or "-" for none
// (NaN or infinite).
type chartNumber float64

func (v chartNumber) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte(`"-"`), nil
	}
	return json.Marshal(f)
}

// graphicEl is an element of the graphic component: a group of a rect
// and a text (the map's no-data legend entry).
type graphicEl struct {
	Type     string        `json:"type"`
	ID       string        `json:"id,omitempty"`
	Left     int           `json:"left,omitempty"`
	Bottom   int           `json:"bottom,omitempty"`
	X        int           `json:"x,omitempty"`
	Y        int           `json:"y,omitempty"`
	Shape    *graphicShape `json:"shape,omitempty"`
	Style    *graphicStyle `json:"style,omitempty"`
	Children []graphicEl   `json:"children,omitempty"`
}

type graphicShape struct {
	X      int `json:"x"`
	Y      int `json:"y"`
	Width  int `json:"width"`
	Height int `json:"height"`
}

type graphicStyle struct {
	Fill string `json:"fill,omitempty"`
	Text string `json:"text,omitempty"`
	Font string `json:"font,omitempty"`
}
