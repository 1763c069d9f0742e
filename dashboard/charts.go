package dashboard

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
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

// mapChart draws the choropleth (or, when delta, the change map) from the
// map GeoJSON the API serves.
func (a *App) mapChart(ctx context.Context, q url.Values, t chartText, delta bool) (builtChart, error) {
	// The GeoJSON URL carries the request's own parameters: those of a
	// signed embed (exp=, sig=) then admit it as they admit the chart.
	mapURL := "/api/v1/map.geojson?" + q.Encode()
	q = cloneValues(q)
	if delta && q.Get("compare") == "" {
		q.Set("compare", "prev")
	}
	show := q.Get("show")
	if show != "" && show != "compare" {
		return builtChart{}, invalidParam("show", show, "compare (bản đồ kỳ so sánh)", "compare (the comparison period's map)")
	}
	if show == "compare" && q.Get("compare") == "" {
		return builtChart{}, analytics.Errorf(analytics.CodeInvalid, "show=compare cần compare= / show=compare needs compare=")
	}
	mp, err := a.svc.parseMapParams(ctx, q)
	if err != nil {
		return builtChart{}, err
	}
	labelMode, err := parseEnum(q, "labels", []string{"none", "top", "all"}, "none")
	if err != nil {
		return builtChart{}, err
	}
	source := a.sourceIn(t.lang(), mp.Province)
	fc, err := a.svc.mapGeoJSON(ctx, mp, source)
	if err != nil {
		return builtChart{}, err
	}
	meta, _ := fc.Antq.(mapMeta)
	m := mp.Metric
	decimals := m.Decimals

	prop := "value"
	switch {
	case delta:
		prop = "delta"
	case show == "compare":
		prop = "value_compare"
	}
	values := make([]chart.RegionValue, 0, len(fc.Features))
	var all []float64 // the values that set the classes
	for _, f := range fc.Features {
		code, _ := f.Properties["code"].(analytics.CommuneCode)
		name, _ := f.Properties["name"].(string)
		v, _ := f.Properties[prop].(*float64)
		rv := chart.RegionValue{Code: string(code), Name: name, Value: v}
		if reason, _ := f.Properties["reason"].(analytics.Reason); reason != "" && prop == "value" {
			rv.NoData = t.s(reason.LabelVI(), reason.LabelEN())
		}
		values = append(values, rv)
		for _, p := range []string{"value", "value_compare"} {
			if delta || (p == "value_compare" && mp.Compare == nil) {
				continue
			}
			if x, _ := f.Properties[p].(*float64); x != nil {
				all = append(all, *x)
			}
		}
		if delta && v != nil {
			all = append(all, *v)
		}
	}

	var breaks []float64
	var labels []string
	method := ""
	if delta {
		if meta.ClassesDelta != nil && len(all) > 0 {
			breaks, decimals = meta.ClassesDelta.Bounds, meta.ClassesDelta.Decimals
		}
	} else {
		cb := meta.Classes
		if mp.Compare != nil && meta.ClassesBoth != nil { // side by side: one scale for both periods
			cb = *meta.ClassesBoth
		}
		breaks, labels, method = sequentialBreaks(cb), cb.Labels, t.s(cb.MethodVI, cb.Method)
	}
	unit := t.unit(m)
	if delta && m.Percent {
		unit = t.s("điểm phần trăm", "percentage points")
	}
	mapName := "antq-" + mapKey(mp)
	opt, err := chart.Map(chart.MapInput{MapName: mapName, Values: values, Breaks: breaks, Diverging: delta,
		Unit: unit, Decimals: decimals, SeriesName: t.label(m),
		Labels:      labelMode == "all" && mp.Province != "" && len(values) <= 200,
		LabelCodes:  map[bool][]string{true: extremeRegions(values, 5)}[labelMode == "top"],
		PieceLabels: labels, Method: method, NoDataLabel: t.s(analytics.NoDataVI, analytics.NoDataEN), Lang: t.lang()})
	if err != nil {
		return builtChart{}, err
	}
	geo, err := a.pages().mapGeometry(mp, fc)
	if err != nil {
		return builtChart{}, err
	}

	w := mp.Window
	if show == "compare" {
		w = *mp.Compare
	}
	place := a.svc.fig.ProvinceNameIn(t.lang(), mp.Province)
	slide := chart.Slide{
		Title:    t.label(m) + " — " + place,
		Subtitle: t.withSynthetic(t.window(w), a.deps.Synthetic),
		Footnote: t.footnote(source, w, t.unit(m)),
	}
	header := []string{t.s("Mã xã", "Commune code"), t.s("Tên", "Name"), t.label(m)}
	if delta {
		c := *mp.Compare
		slide.Title = t.s("Thay đổi ", "Change in ") + lowerFirst(t.label(m), t.en) + " — " + place
		slide.Subtitle = t.withSynthetic(t.s(
			w.LabelVI()+" so với "+c.From.Format("02/01/2006")+"–"+c.Last().Format("02/01/2006"),
			w.LabelEN()+" against "+c.From.Format("02/01/2006")+"–"+c.Last().Format("02/01/2006")), a.deps.Synthetic)
		slide.Footnote = t.footnote(source, w, unit)
		header = append(header, t.s("Kỳ so sánh", "Comparison"), t.s("Thay đổi", "Change"))
	}
	table := [][]string{header}
	for _, f := range fc.Features {
		code, _ := f.Properties["code"].(analytics.CommuneCode)
		name, _ := f.Properties["name"].(string)
		valProp := prop
		if delta {
			valProp = "value"
		}
		row := []string{string(code), name, csvNumber(f.Properties[valProp])}
		if delta {
			row = append(row, csvNumber(f.Properties["value_compare"]), csvNumber(f.Properties["delta"]))
		}
		table = append(table, row)
	}
	return builtChart{Name: map[bool]string{true: "delta", false: "map"}[delta],
		Spec:   chart.Spec{Option: opt, Maps: map[string]json.RawMessage{mapName: geo}, MapVersion: "geometry-" + mapKey(mp), Slide: &slide},
		MapURL: mapURL, Table: table, CodeCols: []int{0}, Synthetic: a.deps.Synthetic}, nil
}

// mapKey names a map's geometry: province and boundary level.
func mapKey(mp figures.MapQuery) string {
	p := string(mp.Province)
	if p == "" {
		p = figures.ProvinceAll
	}
	if mp.Unit == levelProvince {
		p += "-provinces"
	}
	return p + "-" + string(mp.Level)
}

// sequentialBreaks turns the API's classes into chart.Map's bounds (lower
// bounds inclusive, analytics.Breaks.Bounds): half a shown unit above each
// break, so every value keeps the API's class and colour. No classes (no
// value anywhere): none, and the map draws only the no-data entry.
func sequentialBreaks(cb figures.Breaks) []float64 {
	return cb.Domain().Bounds()
}

func (a *App) trendChart(ctx context.Context, q url.Values, t chartText) (builtChart, error) {
	sp, err := a.svc.parseSeriesParams(ctx, q)
	if err != nil {
		return builtChart{}, err
	}
	body, err := a.svc.fig.Series(ctx, sp)
	if err != nil {
		return builtChart{}, err
	}
	m := sp.Metric
	cats := make([]string, len(body.Points))
	vals := make([]float64, len(body.Points))
	table := [][]string{{t.s("Kỳ", "Period"), t.s("Từ ngày", "From"), t.s("Đến ngày", "To"), t.label(m)}}
	partial := make([]bool, len(body.Points))
	for i, p := range body.Points {
		cats[i] = p.Period
		partial[i] = p.Partial && p.Window.PeriodTo != ""
		vals[i] = math.NaN()
		if p.Value != nil {
			vals[i] = *p.Value
		}
		table = append(table, []string{p.Period, p.Window.From, p.Window.To, csvNumber(p.Value)})
	}
	opt, err := chart.Line(chart.LineInput{Categories: cats, Series: []chart.NamedValues{{Name: t.label(m), Values: vals}},
		Unit: t.unit(m), Decimals: m.Decimals, Labels: true, Partial: partial, Lang: t.lang()})
	if err != nil {
		return builtChart{}, err
	}
	place := a.svc.fig.ProvinceNameIn(t.lang(), sp.Province)
	if sp.Commune != "" {
		if c, ok := a.deps.Geo.Commune(sp.Commune); ok {
			place = c.FullName + ", " + place
		}
	}
	w := analytics.Window{From: sp.From, To: sp.To}.AsOf(a.cfg.Now())
	source := a.sourceIn(t.lang(), sp.Province)
	span := ""
	if len(cats) > 0 {
		span = " " + cats[0] + "–" + cats[len(cats)-1]
	}
	byVI := map[string]string{"year": "năm công an", "half": "6 tháng (kỳ công an)", "quarter": "quý (kỳ công an)", "month": "tháng công an (15 đến 14)"}[sp.By]
	slide := chart.Slide{
		Title:    t.label(m) + t.s(" theo "+byVI, " by police "+sp.By) + span + " — " + place,
		Subtitle: t.withSynthetic(t.window(w), a.deps.Synthetic),
		Footnote: t.footnote(source, w, t.unit(m)),
	}
	return builtChart{Name: "trend", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, Synthetic: a.deps.Synthetic}, nil
}

// breakdownTitles say what a breakdown shows.
var breakdownTitles = map[string][2]string{
	analytics.ByModelType: {"Điểm mô hình theo loại mô hình", "Sites by model type"},
	analytics.BySector:    {"Điểm mô hình theo lĩnh vực", "Sites by sector"},
	analytics.ByGrade:     {"Điểm mô hình theo xếp loại", "Sites by grade"},
	analytics.ByCategory:  {"Vụ việc theo loại", "Incidents by category"},
	analytics.ByOutcome:   {"Vụ việc theo kết quả", "Incidents by outcome"},
}

func (a *App) breakdownChart(ctx context.Context, q url.Values, t chartText) (builtChart, error) {
	p, err := parseProvince(a.deps.Geo, q, true)
	if err != nil {
		return builtChart{}, err
	}
	by, err := parseEnum(q, "by", analytics.BreakdownDims, analytics.ByModelType)
	if err != nil {
		return builtChart{}, err
	}
	w, err := a.svc.window(ctx, q, p)
	if err != nil {
		return builtChart{}, err
	}
	c, err := parseCommune(a.deps.Geo, q, p)
	if err != nil {
		return builtChart{}, err
	}
	body, err := a.svc.fig.Breakdown(ctx, by, p, c, w)
	if err != nil {
		return builtChart{}, err
	}
	top, err := parseInt(q, "top", defaultTop, 1, 500)
	if err != nil {
		return builtChart{}, err
	}
	shares := topShares(body.Shares, top, t)
	unit := t.s("điểm", "sites")
	if by == analytics.ByCategory || by == analytics.ByOutcome {
		unit = t.s("vụ việc", "incidents")
	}
	cats := make([]string, len(shares))
	vals := make([]float64, len(shares))
	table := [][]string{{t.s("Nhóm", "Group"), t.s("Số lượng", "Count"), t.s("Tỷ lệ (%)", "Share (%)")}}
	for i, sh := range shares {
		label := analytics.ValueLabel(t.lang(), sh.Label) // grades, outcomes, sectors in English too
		cats[i], vals[i] = label, float64(sh.N)
		table = append(table, []string{label, strconv.FormatUint(sh.N, 10), strconv.FormatFloat(sh.SharePct, 'f', 1, 64)})
	}
	if len(cats) == 0 { // an empty chart still says what it is
		cats, vals = []string{t.s("Không có số liệu", "No data")}, []float64{math.NaN()}
	}
	opt, err := chart.Bar(chart.BarInput{Categories: cats, Series: []chart.NamedValues{{Name: t.s(body.Counted, body.CountedEN), Values: vals}},
		Unit: unit, Horizontal: true, Labels: true})
	if err != nil {
		return builtChart{}, err
	}
	place := a.svc.fig.ProvinceNameIn(t.lang(), p)
	if c != "" {
		if cc, ok := a.deps.Geo.Commune(c); ok {
			place = analytics.CommuneName(t.lang(), cc.FullName) + ", " + place
		}
	}
	source := a.sourceIn(t.lang(), p)
	bt := breakdownTitles[by]
	slide := chart.Slide{
		Title:    t.s(bt[0], bt[1]) + " — " + place,
		Subtitle: t.withSynthetic(t.window(w)+t.s("; tổng "+body.TotalText+" "+unit, "; total "+analytics.Plural(analytics.LangEN, float64(body.Total), strings.TrimSuffix(unit, "s"), unit)), a.deps.Synthetic),
		Footnote: t.footnote(source, w, unit),
	}
	return builtChart{Name: "breakdown", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, Synthetic: a.deps.Synthetic}, nil
}

// extremeRegions returns the codes of the n highest and n lowest regions
// with a value (labels=top on a map: the communes a slide talks about).
func extremeRegions(values []chart.RegionValue, n int) []string {
	var with []chart.RegionValue
	for _, v := range values {
		if v.Value != nil && !math.IsNaN(*v.Value) {
			with = append(with, v)
		}
	}
	slices.SortStableFunc(with, func(a, b chart.RegionValue) int {
		if c := cmp.Compare(*b.Value, *a.Value); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
	var out []string
	for i, v := range with {
		if i < n || i >= len(with)-n {
			out = append(out, v.Code)
		}
	}
	return out
}

// defaultTop is how many groups a breakdown chart shows by name before the
// rest are summed into "Khác" (top=): with more than defaultTop+1 groups
// the bars would be too thin to label on a slide.
const defaultTop = 11

// topShares keeps shares as they are when there are at most top+1 of them;
// otherwise it keeps the top largest (ties by label) and sums the rest into
// one last group "Khác (n nhóm)" / "Other (n groups)", so the counts and
// shares still add up to the total. shares is not changed.
func topShares(shares []figures.Share, top int, t chartText) []figures.Share {
	if len(shares) <= top+1 {
		return shares
	}
	sorted := slices.Clone(shares)
	slices.SortStableFunc(sorted, func(a, b figures.Share) int {
		if a.N != b.N {
			return cmp.Compare(b.N, a.N)
		}
		return strings.Compare(a.Label, b.Label)
	})
	rest := sorted[top:]
	other := figures.Share{Label: t.s(fmt.Sprintf("Khác (%d nhóm)", len(rest)), fmt.Sprintf("Other (%d groups)", len(rest)))}
	for _, sh := range rest {
		other.N += sh.N
		other.SharePct += sh.SharePct
	}
	other.SharePct = math.Round(other.SharePct*1e6) / 1e6
	other.Text = chart.FormatNumber(float64(other.N), 0) + " (" + chart.FormatPercent(other.SharePct, 1) + ")"
	return append(sorted[:top:top], other)
}

// rankingSide picks the top or the bottom of a ranking: the best first, or
// the worst first.
func rankingSide(body figures.Ranking, side string, n int) []figures.Ranked {
	cs := body.Communes
	if n > len(cs) {
		n = len(cs)
	}
	if side == "bottom" {
		out := make([]figures.Ranked, 0, n)
		for i := len(cs) - 1; i >= len(cs)-n; i-- {
			out = append(out, cs[i])
		}
		return out
	}
	return cs[:n]
}

func (a *App) rankingChart(ctx context.Context, q url.Values, t chartText) (builtChart, error) {
	mp, err := a.svc.parseMapParams(ctx, q)
	if err != nil {
		return builtChart{}, err
	}
	n, err := parseInt(q, "limit", 10, 1, 50)
	if err != nil {
		return builtChart{}, err
	}
	side, err := parseEnum(q, "side", []string{"top", "bottom"}, "top")
	if err != nil {
		return builtChart{}, err
	}
	body, err := a.svc.fig.Ranking(ctx, mp, 0)
	if err != nil {
		return builtChart{}, err
	}
	m := mp.Metric
	rows := rankingSide(body, side, n)
	cats := make([]string, len(rows))
	vals := make([]float64, len(rows))
	table := [][]string{{analytics.RankColumn(t.lang(), body.Ranked), t.s("Mã xã", "Commune code"), t.s("Tên", "Name"), t.label(m)}}
	for i, r := range rows {
		cats[i], vals[i] = r.Name, r.Value
		table = append(table, []string{strconv.Itoa(r.Rank), string(r.Code), r.Name, csvNumber(r.Value)})
	}
	if len(cats) == 0 {
		cats, vals = []string{t.s("Không có số liệu", "No data")}, []float64{math.NaN()}
	}
	opt, err := chart.Bar(chart.BarInput{Categories: cats, Series: []chart.NamedValues{{Name: t.label(m), Values: vals}},
		Unit: t.unit(m), Decimals: m.Decimals, Horizontal: true, Labels: true})
	if err != nil {
		return builtChart{}, err
	}
	head := t.s(strconv.Itoa(len(rows))+" xã, phường dẫn đầu", "Top "+analytics.Plural(analytics.LangEN, float64(len(rows)), "commune", "communes"))
	if side == "bottom" {
		head = t.s(strconv.Itoa(len(rows))+" xã, phường cuối bảng", "Bottom "+analytics.Plural(analytics.LangEN, float64(len(rows)), "commune", "communes"))
	}
	if len(rows) == 0 { // no "0 xã, phường dẫn đầu"
		head = t.s("Xã, phường dẫn đầu", "Top communes")
		if side == "bottom" {
			head = t.s("Xã, phường cuối bảng", "Bottom communes")
		}
	}
	source := a.sourceIn(t.lang(), mp.Province)
	slide := chart.Slide{
		Title: head + t.s(" về ", " by ") + lowerFirst(t.label(m), t.en) + " — " + a.svc.fig.ProvinceNameIn(t.lang(), mp.Province),
		Subtitle: t.withSynthetic(t.window(mp.Window)+t.s("; xếp hạng trong "+strconv.Itoa(body.Ranked)+" xã, phường có số liệu",
			"; ranked among "+analytics.Plural(analytics.LangEN, float64(body.Ranked), "commune", "communes")+" with data"), a.deps.Synthetic),
		Footnote: t.footnote(source, mp.Window, t.unit(m)),
	}
	return builtChart{Name: "ranking", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, CodeCols: []int{1}, Synthetic: a.deps.Synthetic}, nil
}

// lowerFirst lower-cases the first letter of a label inside a sentence
// ("Số điểm mô hình" -> "số điểm mô hình").
func lowerFirst(s string, en bool) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if en && len(r) > 1 && strings.ToUpper(string(r[1])) == string(r[1]) {
		return s // an acronym
	}
	return strings.ToLower(string(r[:1])) + string(r[1:])
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

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// canvas reads the render parameters: preset= (16:9, 16:9-small, hd, 4:3),
// then width=, height=, scale= over it. Default 1280×720 at scale 1.
func canvas(q url.Values) (w, h int, scale float64, err error) {
	w, h, scale = chart.DefaultW, chart.DefaultH, 1
	if name := q.Get("preset"); name != "" {
		p, err := chart.PresetByName(name)
		if err != nil {
			return 0, 0, 0, err
		}
		w, h, scale = p.Width, p.Height, p.Scale
	}
	if w, err = parseInt(q, "width", w, chart.MinSide, chart.MaxSide); err != nil {
		return 0, 0, 0, err
	}
	if h, err = parseInt(q, "height", h, chart.MinSide, chart.MaxSide); err != nil {
		return 0, 0, 0, err
	}
	if v := q.Get("scale"); v != "" {
		s, perr := strconv.ParseFloat(v, 64)
		if perr != nil || s < chart.MinScale || s > chart.MaxScale {
			return 0, 0, 0, invalidParam("scale", v, "số từ 0,5 đến 4", "a number from 0.5 to 4")
		}
		scale = s
	}
	// Served sizes are snapped (chart.Snap), so sizes a pixel apart share
	// one drawing in the renderer's cache.
	w, h, scale = chart.Snap(w, h, scale)
	return w, h, scale, nil
}

// chartEndpoint answers /charts/{name}.{ext}; the response cache adds the
// ETag, gzip and 304s, and the renderer caches the drawing itself.
func (a *App) chartEndpoint(ctx context.Context, r request) (response, error) {
	name, ext := r.params["name"], r.params["ext"]
	if !isChartName(name) {
		return response{}, analytics.Errorf(analytics.CodeNotFound, "không có biểu đồ %q; có: %s / no chart %q; charts: %s",
			name, strings.Join(chartNames, ", "), name, strings.Join(chartNames, ", "))
	}
	switch ext {
	case "json", "svg", "png", "csv":
	default:
		return response{}, analytics.Errorf(analytics.CodeNotFound, "định dạng %q không có; dùng json, svg, png, csv / no format %q: use json, svg, png, csv", ext, ext)
	}
	w, h, scale, err := canvas(r.query)
	if err != nil {
		return response{}, err
	}
	if ext == "png" && float64(w)*scale*float64(h)*scale > chart.MaxPixels {
		return response{}, analytics.Errorf(analytics.CodeInvalid, "ảnh %d×%d ở tỉ lệ %g vượt quá 16 triệu điểm ảnh / chart %d×%d at scale %g exceeds %d pixels (16 Mpx)",
			w, h, scale, w, h, scale, chart.MaxPixels)
	}
	bc, err := a.buildChart(ctx, name, r.query)
	if err != nil {
		return response{}, err
	}
	file := chartFilename(name, r.query, ext)
	switch ext {
	case "json":
		return chartJSON(bc)
	case "csv":
		st, err := parseCSVStyle(r.query)
		if err != nil {
			return response{}, err
		}
		b, err := tableCSV(bc.Table, bc.CodeCols, bc.Spec.Slide, st)
		if err != nil {
			return response{}, err
		}
		return response{body: b, contentType: ctCSV, disposition: `attachment; filename="` + file + `"`}, nil
	}
	spec := bc.Spec
	spec.Width, spec.Height, spec.Scale = w, h, scale
	rd, err := a.pages().renderer()
	if err != nil {
		return response{}, err
	}
	// A national map (3,321 communes) takes seconds in the renderer: it is
	// drawn in the background and cached, and the request is answered 503
	// with Retry-After meanwhile, so no request waits on it.
	format := chart.SVG
	if ext == "png" {
		format = chart.PNG
	}
	cached := rd.Cached(spec, format)
	if (name == "map" || name == "delta") && isNational(r.query) && !cached {
		// Drawn in the background under an admission slot taken now (no
		// queue: the answer is 503 either way).
		release, err := a.admit.tryEnter(r.client, 1)
		if err != nil {
			return response{}, err
		}
		go func() {
			defer release()
			if format == chart.PNG {
				_, _ = rd.PNG(context.WithoutCancel(ctx), spec)
			} else {
				_, _ = rd.SVG(context.WithoutCancel(ctx), spec)
			}
		}()
		return response{}, analytics.NewError(analytics.CodeUnavailable,
			"bản đồ toàn quốc đang được dựng, thử lại sau ít giây / the national map is being drawn in the background: retry in a few seconds", nil)
	}
	if !cached { // drawing costs: wait for an admission slot (admission.go)
		release, err := a.admit.enter(ctx, r.client, 1)
		if err != nil {
			return response{}, err
		}
		defer release()
	}
	if ext == "svg" {
		b, err := rd.SVG(ctx, spec)
		if err != nil {
			return response{}, err
		}
		return response{body: b, contentType: "image/svg+xml; charset=utf-8", disposition: `inline; filename="` + file + `"`}, nil
	}
	b, err := rd.PNG(ctx, spec)
	if err != nil {
		return response{}, err
	}
	return response{body: b, contentType: "image/png", disposition: `inline; filename="` + file + `"`}, nil
}

// chartJSON writes the option with its "antq" member.
func chartJSON(bc builtChart) (response, error) {
	var opt map[string]json.RawMessage
	if err := json.Unmarshal(bc.Spec.Option, &opt); err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "chart option: %w", err)
	}
	meta := chartMeta{Name: bc.Name, Synthetic: bc.Synthetic}
	if bc.Spec.Slide != nil {
		meta.Slide = *bc.Spec.Slide
	}
	for name := range bc.Spec.Maps {
		meta.Map = &mapRef{Name: name, URL: bc.MapURL}
	}
	mb, err := json.Marshal(meta)
	if err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "chart option: %w", err)
	}
	opt["antq"] = mb
	return jsonResponse(opt, ctJSON)
}

// chartFilename is "antq-map-08-2025.png": the chart, province and period.
func chartFilename(name string, q url.Values, ext string) string {
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

// tableCSV writes a chart's table in style st (figures.CSVStyle: separator,
// decimal mark, byte-order mark), the columns codeCols as text codes, then a
// blank line and the footnote. Cells that are machine numbers get the
// style's decimal mark; text cells are neutralised (analytics.SafeCell).
func tableCSV(table [][]string, codeCols []int, slide *chart.Slide, st figures.CSVStyle) ([]byte, error) {
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

// isNational reports whether the request asks for the whole country.
func isNational(q url.Values) bool { return q.Get("province") == figures.ProvinceAll }
