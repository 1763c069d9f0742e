// Package charts builds the charts of /charts/{name}.{json,svg,png,csv},
// the embeds and the briefing deck, without Fiber: each chart from the same
// figures (dashboard/figures) and maps (dashboard/geo) the /api/v1 routes
// answer from, so a slide, an embed and the page show the same figures. It
// writes typed ECharts options through dashboard/chart, the slide texts and
// the table behind each chart. It reads each chart's parameters from the
// request's query (query.go, through dashboard/params).
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
// synthetic flag. .svg and .png are rendered by render.Renderer with the
// slide text drawn in; .csv is the table behind the chart.
package charts

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/params"
)

// Names are the charts offered, in the order of the briefing deck.
var Names = []string{"map", "delta", "trend", "breakdown", "ranking"}

// IsName reports whether n names a chart.
func IsName(n string) bool {
	for _, c := range Names {
		if c == n {
			return true
		}
	}
	return false
}

// Built is a chart before rendering.
type Built struct {
	Name      string
	Spec      chart.Spec // Option, Maps, MapVersion, Slide (canvas set later)
	MapURL    string     // the GeoJSON the map series draws, for the browser
	Table     [][]string // header and rows, for CSV
	CodeCols  []int      // columns of Table holding codes (written as text, figures.CSVStyle.Code)
	Synthetic bool
}

// meta is the option's "antq" member.
type meta struct {
	Name      string      `json:"name"`
	Slide     chart.Slide `json:"slide"`
	Map       *mapRef     `json:"map,omitempty"`
	Synthetic bool        `json:"synthetic"`
}

type mapRef struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Text holds the few words charts print, in both languages.
type Text struct {
	EN bool
}

// S picks the text of the chart's language.
func (t Text) S(vi, en string) string {
	if t.EN {
		return en
	}
	return vi
}

// Lang is the catalogue's language of the chart's texts.
func (t Text) Lang() analytics.Lang {
	if t.EN {
		return analytics.LangEN
	}
	return analytics.LangVI
}

// Label is a metric's label.
func (t Text) Label(m analytics.Metric) string { return t.S(m.LabelVI, m.LabelEN) }

// Unit is a metric's unit.
func (t Text) Unit(m analytics.Metric) string { return t.S(m.UnitVI, m.UnitEN) }

// Window is a window's label.
func (t Text) Window(w analytics.Window) string {
	return t.S(w.LabelVI(), w.LabelEN())
}

// WithSynthetic marks a subtitle when the data is the synthetic demo set.
func (t Text) WithSynthetic(sub string, synthetic bool) string {
	if !synthetic {
		return sub
	}
	return sub + t.S(" · Dữ liệu mô phỏng", " · Synthetic demo data")
}

// Footnote is "Nguồn: …; Số liệu từ … đến … (kỳ chưa kết thúc); Đơn vị
// tính: …" (analytics.Footnote; Vietnamese on slides, English on request).
func (t Text) Footnote(source string, w analytics.Window, unit string) string {
	return analytics.Footnote(t.Lang(), source, w, unit)
}

// ErrUnknown is the 404 of a chart name not in Names.
func ErrUnknown(name string) error {
	return analytics.Errorf(analytics.CodeNotFound, "không có biểu đồ %q; có: %s / no chart %q; charts: %s",
		name, strings.Join(Names, ", "), name, strings.Join(Names, ", "))
}

// Builder builds the charts from the figures (dashboard/figures) and the
// maps (dashboard/geo).
type Builder struct {
	fig       *figures.Service
	params    params.Parser // the parameters whose defaults read the data
	maps      *geo.Maps
	set       *commune.Set
	now       func() time.Time
	sourceIn  func(analytics.Lang, analytics.ProvinceCode) string
	synthetic bool

	geoMu sync.Mutex
	geoms map[string]json.RawMessage // geometry-only GeoJSON by mapKey
}

// NewBuilder is a Builder; sourceIn names a province's source in a
// language, synthetic marks a demo store's charts.
func NewBuilder(fig *figures.Service, maps *geo.Maps, set *commune.Set, now func() time.Time,
	sourceIn func(analytics.Lang, analytics.ProvinceCode) string, synthetic bool) *Builder {
	return &Builder{fig: fig, params: params.Parser{Geo: set, Now: now, Data: fig}, maps: maps, set: set, now: now, sourceIn: sourceIn, synthetic: synthetic,
		geoms: map[string]json.RawMessage{}}
}

// csvNumber writes a number for CSV with a dot decimal point (machines read
// CSV; the page writes Vietnamese numbers); nil is empty.
func csvNumber(v any) string {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// JSON is the chart's ECharts option with its "antq" member.
func JSON(bc Built) ([]byte, error) {
	var opt map[string]json.RawMessage
	if err := json.Unmarshal(bc.Spec.Option, &opt); err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "chart option: %w", err)
	}
	m := meta{Name: bc.Name, Synthetic: bc.Synthetic}
	if bc.Spec.Slide != nil {
		m.Slide = *bc.Spec.Slide
	}
	for name := range bc.Spec.Maps {
		m.Map = &mapRef{Name: name, URL: bc.MapURL}
	}
	mb, err := json.Marshal(m)
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "chart option: %w", err)
	}
	opt["antq"] = mb
	return geo.EncodeJSON(opt)
}

// Filename is "antq-map-08-2025.png": the chart, province and period.
func Filename(name string, q url.Values, ext string) string {
	parts := []string{"antq", name}
	for _, k := range []string{"province", "commune", "metric", "period", "from", "to", "side", "by"} {
		if v := q.Get(k); v != "" {
			parts = append(parts, v)
		}
	}
	s := strings.Join(parts, "-")
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
	return s + "." + ext
}

// TableCSV writes a chart's table in style st (figures.CSVStyle: separator,
// decimal mark, byte-order mark), the columns codeCols as text codes, then a
// blank line and the footnote. Cells that are machine numbers get the
// style's decimal mark; text cells are neutralised (analytics.SafeCell).
func TableCSV(table [][]string, codeCols []int, slide *chart.Slide, st figures.CSVStyle) ([]byte, error) {
	var buf bytes.Buffer
	w := st.Writer(&buf)
	for i, row := range table {
		out := analytics.SafeRow(slices.Clone(row))
		if i > 0 {
			for j := range out {
				if slices.Contains(codeCols, j) {
					out[j] = st.Code(out[j])
				} else {
					out[j] = st.Number(out[j])
				}
			}
		}
		if err := w.Write(out); err != nil {
			return nil, analytics.Errorf(analytics.CodeInternal, "write csv: %w", err)
		}
	}
	if slide != nil {
		foot := [][]string{{}, {slide.Title}, {slide.Subtitle}, {slide.Footnote}}
		for _, row := range foot {
			analytics.SafeRow(row)
		}
		if err := w.WriteAll(foot); err != nil {
			return nil, analytics.Errorf(analytics.CodeInternal, "write csv: %w", err)
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
