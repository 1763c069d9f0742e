package geo

import (
	"encoding/json"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/paulmach/orb"
)

// GeoJSON (RFC 7946) as the API writes it: WGS84 lon/lat, no "crs" member,
// at most 6 decimals, counter-clockwise outer rings. The map's extra facts
// go in one foreign member, "antq".

// FeatureCollection is a GeoJSON feature collection, with the members of
// OGC API – Features.
type FeatureCollection struct {
	Type     string    `json:"type"` // "FeatureCollection"
	Features []Feature `json:"features"`
	Antq     any       `json:"antq,omitempty"`
	// OGC API – Features members.
	NumberMatched  *int   `json:"numberMatched,omitempty"`
	NumberReturned *int   `json:"numberReturned,omitempty"`
	Links          []Link `json:"links,omitempty"`
}

// Link is a link of a feature or a collection (OGC API – Features).
type Link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

// Feature is a GeoJSON feature.
type Feature struct {
	Type       string         `json:"type"` // "Feature"
	ID         string         `json:"id,omitempty"`
	Geometry   *Geometry      `json:"geometry"` // null when unknown
	Properties map[string]any `json:"properties"`
	Links      []Link         `json:"links,omitempty"`
}

// Geometry is a GeoJSON geometry, or one encoded before (raw).
type Geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
	raw         json.RawMessage
}

// MarshalJSON writes a pre-encoded geometry as it is: a commune's boundary
// is encoded once per level (Maps.GeometryJSON), not on every response.
func (g *Geometry) MarshalJSON() ([]byte, error) {
	if g.raw != nil {
		return g.raw, nil
	}
	type plain Geometry
	return json.Marshal((*plain)(g))
}

func NewMultiPolygon(mp orb.MultiPolygon) *Geometry {
	return &Geometry{Type: "MultiPolygon", Coordinates: mp}
}

// NewPoint rounds to 6 decimals (≈ 0.1 m).
func NewPoint(lon, lat float64) *Geometry {
	return &Geometry{Type: "Point", Coordinates: [2]float64{figures.Round6(lon), figures.Round6(lat)}}
}

// MapMeta is the map's foreign member "antq".
type MapMeta struct {
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

// MapInput is what BuildMap joins: the communes in order, their
// geometries, the metric table and an optional comparison.
type MapInput struct {
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
	Unit         string // LevelProvince: Communes are the provinces
}

// BuildMap makes the map FeatureCollection: one feature per commune, every
// commune of the province whether it has data or not (value null). The API
// writes the same bytes with EncodeMap; the charts read this form.
func BuildMap(in MapInput) FeatureCollection {
	rows, meta := MapContent(in)
	fc := FeatureCollection{Type: "FeatureCollection", Features: make([]Feature, len(rows))}
	for i, r := range rows {
		var g *Geometry
		if raw, ok := in.Encoded[r.Code]; ok {
			g = &Geometry{raw: raw}
		} else if mp, ok := in.Geometry[r.Code]; ok && len(mp) > 0 {
			g = NewMultiPolygon(mp)
		}
		fc.Features[i] = Feature{Type: "Feature", ID: string(r.Code), Geometry: g, Properties: mapProps(r, in.Cmp != nil)}
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

// MapContent is what a map says: a row per commune, in order, and the
// foreign member.
func MapContent(in MapInput) ([]figures.Row, MapMeta) {
	rows, breaks := figures.BuildRows(in.Communes, in.Cur, in.Cmp)
	meta := MapMeta{
		Province: string(in.Province), ProvinceName: in.ProvinceName, Simplify: string(in.Level),
		Window: figures.WindowOf(in.Cur.Window), Metric: figures.MetricOf(in.Cur.Metric), Classes: breaks,
		Totals: figures.TotalsOf(in.Cur), Synthetic: in.Synthetic,
		Footnote:   analytics.Footnote(analytics.LangVI, in.Source, in.Cur.Window, in.Cur.Metric.UnitVI),
		FootnoteEN: analytics.Footnote(analytics.LangEN, in.SourceEN, in.Cur.Window, in.Cur.Metric.UnitEN),
	}
	if meta.Province == "" {
		meta.Province = analytics.ProvinceAll
	}
	if in.Unit == LevelProvince {
		meta.Level = LevelProvince
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

// SitesMeta is the sites map's foreign member.
type SitesMeta struct {
	Province     string         `json:"province"`
	Window       figures.Window `json:"window"`
	Sites        int            `json:"sites"`
	WithoutPoint int            `json:"sites_without_point"` // active sites with no coordinates: counted, not drawn
	Synthetic    bool           `json:"synthetic"`
}

// BuildSites makes the FeatureCollection of active sites with a point.
func BuildSites(p analytics.ProvinceCode, w analytics.Window, sites []analytics.SitePoint, synthetic bool) FeatureCollection {
	fc := FeatureCollection{Type: "FeatureCollection", Features: []Feature{}}
	meta := SitesMeta{Province: string(p), Window: figures.WindowOf(w), Sites: len(sites), Synthetic: synthetic}
	if meta.Province == "" {
		meta.Province = analytics.ProvinceAll
	}
	for _, sp := range sites {
		if !sp.HasPoint {
			meta.WithoutPoint++
			continue
		}
		fc.Features = append(fc.Features, Feature{Type: "Feature", ID: SiteID(sp), Geometry: NewPoint(sp.Lon, sp.Lat), Properties: SiteProps(sp)})
	}
	fc.Antq = meta
	return fc
}

// SiteID is a site's feature id: its commune and record key.
func SiteID(sp analytics.SitePoint) string { return string(sp.Commune) + "_" + sp.Key }

func SiteProps(sp analytics.SitePoint) map[string]any {
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
