package dashboard

import (
	"context"
	"net/url"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
)

// Charts as a service: /charts/{name}.{json,svg,png,csv}. Every chart is
// built here from the same service calls the /api/v1 routes answer from, so
// a slide, an embed and the page show the same figures.
//
//	map        choropleth of the 2025 communes (show=compare: the comparison
//	           period, on class breaks shared with the current one)
//	delta      change against the comparison period (compare= default prev),
//	           diverging classes around zero
//	trend      the metric by police year (series, default the last four)
//	breakdown  active sites by model type (by=model_type|sector|grade|…)
//	ranking    the best (side=top) or worst (side=bottom) communes, limit= 10
//
// The .json answer is the ECharts option (formatter strings "antq:…" for
// antq.revive) with one extra top-level member "antq" that ECharts ignores:
// the title, subtitle and footnote, the map's name and GeoJSON URL, and the
// synthetic flag. .svg and .png are rendered by chart.Renderer with the
// slide text drawn in; .csv is the table behind the chart.

// chartNames are the charts offered, in the order of the briefing deck.
var chartNames = []string{"map", "delta", "trend", "breakdown", "ranking"}

func isChartName(n string) bool {
	for _, c := range chartNames {
		if c == n {
			return true
		}
	}
	return false
}

// builtChart is a chart before rendering.
type builtChart struct {
	Name      string
	Spec      chart.Spec // Option, Maps, MapVersion, Slide (canvas set later)
	MapURL    string     // the GeoJSON the map series draws, for the browser
	Table     [][]string // header and rows, for CSV
	CodeCols  []int      // columns of Table holding codes (written as text, figures.CSVStyle.Code)
	Synthetic bool
}

// chartMeta is the option's "antq" member.
type chartMeta struct {
	Name      string      `json:"name"`
	Slide     chart.Slide `json:"slide"`
	Map       *mapRef     `json:"map,omitempty"`
	Synthetic bool        `json:"synthetic"`
}

type mapRef struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// chartText holds the few words charts print, in both languages.
type chartText struct {
	en bool
}

func (t chartText) s(vi, en string) string {
	if t.en {
		return en
	}
	return vi
}

// lang is the catalogue's language of the chart's texts.
func (t chartText) lang() analytics.Lang {
	if t.en {
		return analytics.LangEN
	}
	return analytics.LangVI
}

func (t chartText) label(m analytics.Metric) string { return t.s(m.LabelVI, m.LabelEN) }

func (t chartText) unit(m analytics.Metric) string { return t.s(m.UnitVI, m.UnitEN) }

func (t chartText) window(w analytics.Window) string {
	return t.s(w.LabelVI(), w.LabelEN())
}

// withSynthetic marks a subtitle when the data is the synthetic demo set.
func (t chartText) withSynthetic(sub string, synthetic bool) string {
	if !synthetic {
		return sub
	}
	return sub + t.s(" · Dữ liệu mô phỏng", " · Synthetic demo data")
}

// footnote is "Nguồn: …; Số liệu từ … đến … (kỳ chưa kết thúc); Đơn vị
// tính: …" (analytics.Footnote; Vietnamese on slides, English on request).
func (t chartText) footnote(source string, w analytics.Window, unit string) string {
	return analytics.Footnote(t.lang(), source, w, unit)
}

// buildChart builds chart name from the query (the API's parameters plus
// lang=en, show=, side=, limit=, by=).
func (a *App) buildChart(ctx context.Context, name string, q url.Values) (builtChart, error) {
	t := chartText{en: q.Get("lang") == "en"}
	switch name {
	case "map":
		return a.mapChart(ctx, q, t, false)
	case "delta":
		return a.mapChart(ctx, q, t, true)
	case "trend":
		return a.trendChart(ctx, q, t)
	case "breakdown":
		return a.breakdownChart(ctx, q, t)
	case "ranking":
		return a.rankingChart(ctx, q, t)
	}
	return builtChart{}, analytics.Errorf(analytics.CodeNotFound, "không có biểu đồ %q; có: %s / no chart %q; charts: %s",
		name, strings.Join(chartNames, ", "), name, strings.Join(chartNames, ", "))
}
