package dashboard

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
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

// mapMeta is the map's foreign member "antq".
type mapMeta struct {
	Province      string             `json:"province"` // "08", or "all"
	ProvinceName  string             `json:"province_name"`
	Level         string             `json:"level,omitempty"` // "province": a feature per province
	Simplify      string             `json:"simplify"`
	Window        figures.Window     `json:"window"`
	WindowCompare *figures.Window    `json:"window_compare,omitempty"`
	Metric        figures.MetricInfo `json:"metric"`
	Classes       figures.Breaks     `json:"classes"`
	// ClassesBoth are the classes of both periods' values together, for
	// two maps side by side on one scale (with compare= only).
	ClassesBoth *figures.Breaks `json:"classes_both,omitempty"`
	// ClassesDelta are the diverging classes of the changes (with compare=
	// only), for the change map: the page draws these.
	ClassesDelta  *figures.Breaks `json:"classes_delta,omitempty"`
	Totals        figures.Totals  `json:"totals"`
	TotalsCompare *figures.Totals `json:"totals_compare,omitempty"`
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
		Window: figures.WindowOf(in.Cur.Window), Metric: figures.MetricOf(in.Cur.Metric), Classes: breaks,
		Totals: figures.TotalsOf(in.Cur), Synthetic: in.Synthetic,
		Footnote:   analytics.Footnote(analytics.LangVI, in.Source, in.Cur.Window, in.Cur.Metric.UnitVI),
		FootnoteEN: analytics.Footnote(analytics.LangEN, in.SourceEN, in.Cur.Window, in.Cur.Metric.UnitEN),
	}
	if meta.Province == "" {
		meta.Province = figures.ProvinceAll
	}
	if in.Unit == levelProvince {
		meta.Level = levelProvince
	}
	if in.Cmp != nil {
		meta.WindowCompare = figures.WindowPtr(&in.Cmp.Window)
		tc := figures.TotalsOf(in.Cmp)
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

func (s *service) parseMapParams(ctx context.Context, q map[string][]string) (figures.MapQuery, error) {
	var mp figures.MapQuery
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

// sourceEN is the English source of a province's figures ("Tuyên Quang
// Provincial Police"), "" when the service was made without one.
func (s *service) sourceEN(p analytics.ProvinceCode) string {
	if s.sourceIn == nil {
		return ""
	}
	return s.sourceIn(analytics.LangEN, p)
}

// mapData gathers a map's communes and metric tables, without geometry.
func (s *service) mapData(ctx context.Context, mp figures.MapQuery, source string) (mapInput, error) {
	if mp.Unit == levelProvince {
		return s.provinceMapData(ctx, mp, source)
	}
	cur, cmp, err := s.fig.MapTables(ctx, mp)
	if err != nil {
		return mapInput{}, err
	}
	return mapInput{Province: mp.Province, ProvinceName: s.fig.ProvinceName(mp.Province), Source: source, SourceEN: s.sourceEN(mp.Province), Level: mp.Level,
		Communes: s.fig.Communes(mp.Province), Cur: cur, Cmp: cmp, Synthetic: s.synthetic}, nil
}

// mapGeoJSON is the map as a FeatureCollection value (for the charts).
func (s *service) mapGeoJSON(ctx context.Context, mp figures.MapQuery, source string) (featureCollection, error) {
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
func (s *service) mapResponse(ctx context.Context, mp figures.MapQuery, source string, keepPlain bool) (*cached, []byte, error) {
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
	Province     string         `json:"province"`
	Window       figures.Window `json:"window"`
	Sites        int            `json:"sites"`
	WithoutPoint int            `json:"sites_without_point"` // active sites with no coordinates: counted, not drawn
	Synthetic    bool           `json:"synthetic"`
}

// buildSites makes the FeatureCollection of active sites with a point.
func buildSites(p analytics.ProvinceCode, w analytics.Window, sites []analytics.SitePoint, synthetic bool) featureCollection {
	fc := featureCollection{Type: "FeatureCollection", Features: []feature{}}
	meta := sitesMeta{Province: string(p), Window: figures.WindowOf(w), Sites: len(sites), Synthetic: synthetic}
	if meta.Province == "" {
		meta.Province = figures.ProvinceAll
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
