package dashboard

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/paulmach/orb"
)

// GeoJSON (RFC 7946) as the API writes it: WGS84 lon/lat, no "crs" member,
// at most 6 decimals, counter-clockwise outer rings. The map's extra facts
// go in one foreign member, "antq".

type featureCollection struct {
	Type     string    `json:"type"` // "FeatureCollection"
	Features []feature `json:"features"`
	Antq     any       `json:"antq,omitempty"`
	// OGC API – Features members.
	NumberMatched  *int   `json:"numberMatched,omitempty"`
	NumberReturned *int   `json:"numberReturned,omitempty"`
	Links          []link `json:"links,omitempty"`
}

type feature struct {
	Type       string         `json:"type"` // "Feature"
	ID         string         `json:"id,omitempty"`
	Geometry   *geometry      `json:"geometry"` // null when unknown
	Properties map[string]any `json:"properties"`
	Links      []link         `json:"links,omitempty"`
}

type geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
	raw         json.RawMessage
}

// MarshalJSON writes a pre-encoded geometry as it is: a commune's boundary
// is encoded once per level (service.geometryJSON), not on every response.
func (g *geometry) MarshalJSON() ([]byte, error) {
	if g.raw != nil {
		return g.raw, nil
	}
	type plain geometry
	return json.Marshal((*plain)(g))
}

func multiPolygon(mp orb.MultiPolygon) *geometry {
	return &geometry{Type: "MultiPolygon", Coordinates: mp}
}

// point rounds to 6 decimals (≈ 0.1 m).
func point(lon, lat float64) *geometry {
	return &geometry{Type: "Point", Coordinates: [2]float64{figures.Round6(lon), figures.Round6(lat)}}
}

// windowJSON states a window: first and last day (inclusive) and the label
// Vietnamese reports print.
type windowJSON struct {
	Spec    string `json:"spec"`
	From    string `json:"from"`
	To      string `json:"to"` // the last day, inclusive
	LabelVI string `json:"label_vi"`
	LabelEN string `json:"label_en"`
	// Partial: the period has not ended; the window runs to today and
	// PeriodTo is the period's last day. SameSpan: a comparison cut to
	// the elapsed span of a partial period.
	Partial  bool   `json:"partial,omitempty"`
	PeriodTo string `json:"period_to,omitempty"`
	SameSpan bool   `json:"same_span,omitempty"`
}

func windowOf(w analytics.Window) windowJSON {
	j := windowJSON{Spec: w.Spec, From: w.From.Format("2006-01-02"), To: w.Last().Format("2006-01-02"), LabelVI: w.LabelVI(), LabelEN: w.LabelEN(),
		Partial: w.Partial, SameSpan: w.Cut}
	if w.Partial {
		j.PeriodTo = w.PeriodTo.AddDate(0, 0, -1).Format("2006-01-02")
	}
	return j
}

func windowPtr(w *analytics.Window) *windowJSON {
	if w == nil {
		return nil
	}
	j := windowOf(*w)
	return &j
}

// metricJSON is a catalogue entry as the API writes it.
type metricJSON struct {
	ID             analytics.MetricID `json:"id"`
	LabelVI        string             `json:"label_vi"`
	LabelEN        string             `json:"label_en"`
	UnitVI         string             `json:"unit_vi"`
	UnitEN         string             `json:"unit_en"`
	Formula        string             `json:"formula"`
	Scale          float64            `json:"scale"`
	Decimals       int                `json:"decimals"`
	HigherIsBetter bool               `json:"higher_is_better"`
	SumTotal       bool               `json:"sum_total"`
	Percent        bool               `json:"percent"`
	Composite      bool               `json:"composite"`
}

func metricOf(m analytics.Metric) metricJSON {
	return metricJSON{ID: m.ID, LabelVI: m.LabelVI, LabelEN: m.LabelEN, UnitVI: m.UnitVI, UnitEN: m.UnitEN, Formula: m.Formula,
		Scale: m.Scale, Decimals: m.Decimals, HigherIsBetter: m.HigherIsBetter, SumTotal: m.SumTotal(), Percent: m.Percent, Composite: m.Composite()}
}

// totalsJSON is the province figure of a metric table.
type totalsJSON struct {
	Value    *float64 `json:"value"`
	Text     string   `json:"text_vi"` // "2.025", "75,6%"; "Không có số liệu (…)" without a value
	Num      float64  `json:"num"`
	Den      float64  `json:"den"`
	Communes int      `json:"communes"`
	NoData   int      `json:"communes_no_data"`
	// Reason says why Value is null; Message replaces the figure when the
	// province reported nothing of the kind ("Chưa có số liệu của tỉnh
	// này"). The composite lists its components with and without a value.
	Reason            analytics.Reason     `json:"reason,omitempty"`
	Message           string               `json:"message_vi,omitempty"`
	MessageEN         string               `json:"message_en,omitempty"`
	ComponentsIn      []analytics.MetricID `json:"components_in,omitempty"`
	ComponentsMissing []analytics.MetricID `json:"components_missing,omitempty"`
}

func totalsOf(t *figures.Table) totalsJSON {
	j := totalsJSON{Num: figures.Round6(t.SumNum), Den: figures.Round6(t.SumDen), Communes: t.Communes, NoData: t.NoData,
		ComponentsIn: t.In, ComponentsMissing: t.Missing}
	if t.TotalOK {
		v := figures.Round6(t.Total)
		j.Value = &v
		j.Text = formatValue(t.Metric, t.Total)
		return j
	}
	j.Reason = t.TotalReason
	j.Text = noDataText(t.TotalReason)
	if t.Silent {
		j.Message = analytics.ProvinceNoData(analytics.LangVI, t.PlaceFull)
		j.MessageEN = analytics.ProvinceNoData(analytics.LangEN, t.PlaceFull)
	}
	return j
}

// noDataText is what a figure without a value says: "Không có số liệu
// (không có báo cáo)".
func noDataText(r analytics.Reason) string {
	if r == "" {
		return analytics.NoDataVI
	}
	return analytics.NoDataVI + " (" + r.LabelVI() + ")"
}

// formatValue writes a value the Vietnamese way with the metric's decimals.
func formatValue(m analytics.Metric, v float64) string {
	if m.Percent {
		return chart.FormatPercent(v, m.Decimals)
	}
	return chart.FormatNumber(v, m.Decimals)
}

// mapMeta is the map's foreign member "antq".
type mapMeta struct {
	Province      string         `json:"province"` // "08", or "all"
	ProvinceName  string         `json:"province_name"`
	Level         string         `json:"level,omitempty"` // "province": a feature per province
	Simplify      string         `json:"simplify"`
	Window        windowJSON     `json:"window"`
	WindowCompare *windowJSON    `json:"window_compare,omitempty"`
	Metric        metricJSON     `json:"metric"`
	Classes       figures.Breaks `json:"classes"`
	// ClassesBoth are the classes of both periods' values together, for
	// two maps side by side on one scale (with compare= only).
	ClassesBoth *figures.Breaks `json:"classes_both,omitempty"`
	// ClassesDelta are the diverging classes of the changes (with compare=
	// only), for the change map: the page draws these.
	ClassesDelta  *figures.Breaks `json:"classes_delta,omitempty"`
	Totals        totalsJSON      `json:"totals"`
	TotalsCompare *totalsJSON     `json:"totals_compare,omitempty"`
	Delta         *float64        `json:"delta,omitempty"`
	DeltaPct      *float64        `json:"delta_pct,omitempty"`
	Footnote      string          `json:"footnote_vi"`
	FootnoteEN    string          `json:"footnote_en"`
	Synthetic     bool            `json:"synthetic"`
}

// mapInput is what buildMap joins: the communes in order, their
// geometries, the metric table and an optional comparison.
type mapInput struct {
	Province     analytics.ProvinceCode // "" = all
	ProvinceName string
	Source       string
	SourceEN     string
	Level        commune.Level
	Communes     []*commune.Commune
	Geometry     map[analytics.CommuneCode]orb.MultiPolygon
	Encoded      map[analytics.CommuneCode]json.RawMessage // pre-encoded geometry; wins over Geometry
	Cur, Cmp     *figures.Table
	Synthetic    bool
	Unit         string // levelProvince: Communes are the provinces
}

// buildMap makes the map FeatureCollection: one feature per commune, every
// commune of the province whether it has data or not (value null). The API
// writes the same bytes with encodeMap; the charts read this form.
func buildMap(in mapInput) featureCollection {
	rows, meta := mapContent(in)
	fc := featureCollection{Type: "FeatureCollection", Features: make([]feature, len(rows))}
	for i, r := range rows {
		var g *geometry
		if raw, ok := in.Encoded[r.Code]; ok {
			g = &geometry{raw: raw}
		} else if mp, ok := in.Geometry[r.Code]; ok && len(mp) > 0 {
			g = multiPolygon(mp)
		}
		fc.Features[i] = feature{Type: "Feature", ID: string(r.Code), Geometry: g, Properties: mapProps(r, in.Cmp != nil)}
	}
	fc.Antq = meta
	return fc
}

// mapProps are a map feature's properties (appendMapProps writes the same).
func mapProps(r figures.Row, compare bool) map[string]any {
	props := map[string]any{
		"code":  r.Code,
		"name":  r.Name,
		"kind":  r.Kind,
		"value": r.Value,
		"rank":  r.Rank,
		"class": r.Class,
	}
	if compare {
		props["value_compare"] = r.Compare
		props["delta"] = r.Delta
		props["delta_pct"] = r.DeltaPct
	}
	if r.Value == nil {
		props["reason"] = r.Reason
		if len(r.Missing) > 0 {
			props["components_missing"] = r.Missing
		}
	}
	return props
}

// mapContent is what a map says: a row per commune, in order, and the
// foreign member.
func mapContent(in mapInput) ([]figures.Row, mapMeta) {
	rows, breaks := figures.BuildRows(in.Communes, in.Cur, in.Cmp)
	meta := mapMeta{
		Province: string(in.Province), ProvinceName: in.ProvinceName, Simplify: string(in.Level),
		Window: windowOf(in.Cur.Window), Metric: metricOf(in.Cur.Metric), Classes: breaks,
		Totals: totalsOf(in.Cur), Synthetic: in.Synthetic,
		Footnote:   analytics.Footnote(analytics.LangVI, in.Source, in.Cur.Window, in.Cur.Metric.UnitVI),
		FootnoteEN: analytics.Footnote(analytics.LangEN, in.SourceEN, in.Cur.Window, in.Cur.Metric.UnitEN),
	}
	if meta.Province == "" {
		meta.Province = provinceAll
	}
	if in.Unit == levelProvince {
		meta.Level = levelProvince
	}
	if in.Cmp != nil {
		meta.WindowCompare = windowPtr(&in.Cmp.Window)
		tc := totalsOf(in.Cmp)
		meta.TotalsCompare = &tc
		meta.Delta, meta.DeltaPct = figures.Change(in.Cur, in.Cmp)
		var both []float64
		for _, r := range rows {
			for _, v := range []*float64{r.Value, r.Compare} {
				if v != nil {
					both = append(both, *v)
				}
			}
		}
		cb := figures.BreaksOf(both, in.Cur.Metric.Decimals)
		meta.ClassesBoth = &cb
		var deltas []float64
		for _, r := range rows {
			if r.Delta != nil {
				deltas = append(deltas, *r.Delta)
			}
		}
		cd := figures.DivergingOf(deltas, in.Cur.Metric.Decimals)
		meta.ClassesDelta = &cd
	}
	return rows, meta
}

// mapParams are the map's (and the exports') parameters.
type mapParams struct {
	Province analytics.ProvinceCode // "" = all
	Metric   analytics.Metric
	Window   analytics.Window
	Compare  *analytics.Window
	Level    commune.Level
	// Unit is levelCommune (a feature per commune) or levelProvince (a
	// feature per province; the whole country only).
	Unit string
}

func (s *service) parseMapParams(ctx context.Context, q map[string][]string) (mapParams, error) {
	var mp mapParams
	var err error
	if mp.Province, err = parseProvince(s.geo, q, true); err != nil {
		return mp, err
	}
	if mp.Metric, err = parseMetric(q, "metric", "sites"); err != nil {
		return mp, err
	}
	now := s.now()
	if mp.Window, err = s.window(ctx, q, mp.Province); err != nil {
		return mp, err
	}
	if mp.Compare, err = parseCompare(q, mp.Window, now); err != nil {
		return mp, err
	}
	if mp.Level, err = parseLevel(q, mp.Province == ""); err != nil {
		return mp, err
	}
	if mp.Unit, err = parseEnum(q, "level", []string{levelCommune, levelProvince}, levelCommune); err != nil {
		return mp, err
	}
	if mp.Unit == levelProvince && mp.Province != "" {
		return mp, invalidParam("level", levelProvince, "province chỉ dùng với province=all (toàn quốc)", "province goes with province=all (the whole country)")
	}
	return mp, nil
}

// window reads the window of a request for province p ("" = all): without
// period= or from=&to=, the latest complete period with data
// (analytics.DefaultPeriod).
func (s *service) window(ctx context.Context, q url.Values, p analytics.ProvinceCode) (analytics.Window, error) {
	now := s.now()
	if q.Get("period") != "" || q.Get("from") != "" || q.Get("to") != "" {
		return parseWindow(q, now)
	}
	hs, err := s.fig.DataHalfMonths(ctx, p)
	if err != nil {
		return analytics.Window{}, err
	}
	def := analytics.DefaultPeriod(now, hs)
	return parseWindowOr(q, now, &def)
}

// provinceName is the province's name, or "Toàn quốc" for all.
func (s *service) provinceName(p analytics.ProvinceCode) string {
	return s.provinceNameIn(analytics.LangVI, p)
}

// sourceEN is the English source of a province's figures ("Tuyên Quang
// Provincial Police"), "" when the service was made without one.
func (s *service) sourceEN(p analytics.ProvinceCode) string {
	if s.sourceIn == nil {
		return ""
	}
	return s.sourceIn(analytics.LangEN, p)
}

// provinceNameIn names a province in a title (analytics.PlaceName).
func (s *service) provinceNameIn(lang analytics.Lang, p analytics.ProvinceCode) string {
	if p == "" {
		return analytics.PlaceName(lang, "", "")
	}
	if pr, ok := s.geo.Province(p); ok {
		return analytics.PlaceName(lang, pr.Name, pr.ShortName)
	}
	return string(p)
}

// mapTables computes the metric tables a map or an export needs (the
// comparison's at the same time).
func (s *service) mapTables(ctx context.Context, mp mapParams) (cur, cmp *figures.Table, err error) {
	reqs := []figures.Req{{Metric: mp.Metric, Province: mp.Province, Window: mp.Window}}
	if mp.Compare != nil {
		reqs = append(reqs, figures.Req{Metric: mp.Metric, Province: mp.Province, Window: *mp.Compare})
	}
	got, err := s.fig.Tables().GetAll(ctx, reqs)
	if err != nil {
		return nil, nil, err
	}
	if len(got) == 2 {
		cmp = got[1]
	}
	return got[0], cmp, nil
}

// mapData gathers a map's communes and metric tables, without geometry.
func (s *service) mapData(ctx context.Context, mp mapParams, source string) (mapInput, error) {
	if mp.Unit == levelProvince {
		return s.provinceMapData(ctx, mp, source)
	}
	cur, cmp, err := s.mapTables(ctx, mp)
	if err != nil {
		return mapInput{}, err
	}
	return mapInput{Province: mp.Province, ProvinceName: s.provinceName(mp.Province), Source: source, SourceEN: s.sourceEN(mp.Province), Level: mp.Level,
		Communes: s.fig.Communes(mp.Province), Cur: cur, Cmp: cmp, Synthetic: s.synthetic}, nil
}

// mapGeoJSON is the map as a FeatureCollection value (for the charts).
func (s *service) mapGeoJSON(ctx context.Context, mp mapParams, source string) (featureCollection, error) {
	in, err := s.mapData(ctx, mp, source)
	if err != nil {
		return featureCollection{}, err
	}
	in.Encoded = make(map[analytics.CommuneCode]json.RawMessage, len(in.Communes))
	for _, c := range in.Communes {
		var g json.RawMessage
		var err error
		if mp.Unit == levelProvince {
			g, err = s.provinceGeometryJSON(ctx, c.Province, mp.Level)
		} else {
			g, err = s.geometryJSON(ctx, c.Code, mp.Level)
		}
		if err != nil {
			return featureCollection{}, err
		}
		if g != nil {
			in.Encoded[c.Code] = g
		}
	}
	return buildMap(in), nil
}

// mapResponse answers /api/v1/map.geojson: the same bytes as mapGeoJSON
// encoded, gzip-compressed, from the communes' openings compressed once;
// with keepPlain, also the uncompressed body (for a client that does not
// accept gzip), else nil.
func (s *service) mapResponse(ctx context.Context, mp mapParams, source string, keepPlain bool) (*cached, []byte, error) {
	in, err := s.mapData(ctx, mp, source)
	if err != nil {
		return nil, nil, err
	}
	if mp.Unit == levelProvince {
		ops, err := s.provinceOpenings(ctx, mp.Level)
		if err != nil {
			return nil, nil, err
		}
		return encodeMapPlain(in, ops, false, keepPlain)
	}
	ops, splice, err := s.openings(ctx, in.Communes, mp.Level)
	if err != nil {
		return nil, nil, err
	}
	return encodeMapPlain(in, ops, splice, keepPlain)
}

// sitesMeta is the sites map's foreign member.
type sitesMeta struct {
	Province     string     `json:"province"`
	Window       windowJSON `json:"window"`
	Sites        int        `json:"sites"`
	WithoutPoint int        `json:"sites_without_point"` // active sites with no coordinates: counted, not drawn
	Synthetic    bool       `json:"synthetic"`
}

// buildSites makes the FeatureCollection of active sites with a point.
func buildSites(p analytics.ProvinceCode, w analytics.Window, sites []analytics.SitePoint, synthetic bool) featureCollection {
	fc := featureCollection{Type: "FeatureCollection", Features: []feature{}}
	meta := sitesMeta{Province: string(p), Window: windowOf(w), Sites: len(sites), Synthetic: synthetic}
	if meta.Province == "" {
		meta.Province = provinceAll
	}
	for _, sp := range sites {
		if !sp.HasPoint {
			meta.WithoutPoint++
			continue
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", ID: siteID(sp), Geometry: point(sp.Lon, sp.Lat), Properties: siteProps(sp)})
	}
	fc.Antq = meta
	return fc
}

// siteID is a site's feature id: its commune and record key.
func siteID(sp analytics.SitePoint) string { return string(sp.Commune) + "_" + sp.Key }

func siteProps(sp analytics.SitePoint) map[string]any {
	opened := ""
	if !sp.Opened.IsZero() {
		opened = sp.Opened.Format("2006-01-02")
	}
	return map[string]any{
		"key": sp.Key, "name": sp.Name, "model_name": sp.ModelName, "model_type": sp.ModelType, "sector": sp.Sector,
		"commune": sp.Commune, "province": sp.Province, "opened": opened,
		"source_place": sp.SourcePlace, "resolve_rule": sp.Rule, "split": sp.Split,
	}
}
