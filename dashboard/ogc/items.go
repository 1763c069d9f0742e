package ogc

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/params"
	"github.com/paulmach/orb"
)

// ParseFormat accepts f=json (the only encoding; GeoJSON for features),
// f=geojson or no f=.
func ParseFormat(q url.Values) error {
	if f := q.Get("f"); f != "" && f != "json" && f != "geojson" {
		return params.Invalid("f", f, "json", "json")
	}
	return nil
}

// ParseBBox reads bbox=minLon,minLat,maxLon,maxLat (CRS84; with heights
// x1,y1,z1,x2,y2,z2, whose heights are ignored); false when absent.
func ParseBBox(q url.Values) (orb.Bound, bool, error) {
	v := q.Get("bbox")
	if v == "" {
		return orb.Bound{}, false, nil
	}
	bad := params.Invalid("bbox", v, "minLon,minLat,maxLon,maxLat (WGS84)", "minLon,minLat,maxLon,maxLat (WGS84)")
	parts := strings.Split(v, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return orb.Bound{}, false, bad
	}
	if len(parts) == 6 { // with heights: x1,y1,z1,x2,y2,z2
		parts = []string{parts[0], parts[1], parts[3], parts[4]}
	}
	var f [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return orb.Bound{}, false, bad
		}
		f[i] = x
	}
	if f[0] > f[2] || f[1] > f[3] || f[0] < -180 || f[2] > 180 || f[1] < -90 || f[3] > 90 {
		return orb.Bound{}, false, bad
	}
	return orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, true, nil
}

// ParseMetrics reads metric=: a comma-separated list of catalogue ids
// (DefaultMetrics when absent).
func ParseMetrics(q url.Values) ([]analytics.Metric, error) {
	v := q.Get("metric")
	if v == "" {
		v = DefaultMetrics
	}
	var out []analytics.Metric
	for _, id := range strings.Split(v, ",") {
		m, ok := analytics.MetricByID(analytics.MetricID(strings.TrimSpace(id)))
		if !ok {
			ids := strings.Join(analytics.MetricIDs(), ", ")
			return nil, params.Invalid("metric", v, "danh sách mã chỉ tiêu, cách nhau bởi dấu phẩy: "+ids, "comma-separated metric ids: "+ids)
		}
		out = append(out, m)
	}
	return out, nil
}

// Commune is what a commune feature says of the commune itself.
type Commune struct {
	Code           analytics.CommuneCode
	Name           string // the full name, "Xã Hùng Lợi"
	Kind           string
	Province       analytics.ProvinceCode
	AreaKm2        float64
	Population     *int64 // nil when flagged or missing: no data
	PopulationFlag string
	FormerUnits    string // as written in the reference data
}

// MetricValue is a commune's figure of one metric: Value when OK, else
// Reason says why there is none.
type MetricValue struct {
	Metric analytics.MetricID
	Value  float64
	OK     bool
	Reason analytics.Reason
}

// CommuneProperties are the properties of a commune feature for window w:
// a metric without a value is null, with "<metric>_reason" saying why (no
// data is never shown as zero).
func CommuneProperties(c Commune, w analytics.Window, values []MetricValue) map[string]any {
	props := map[string]any{
		"code": c.Code, "name": c.Name, "kind": c.Kind, "province": c.Province, "area_km2": c.AreaKm2,
		"population": c.Population, "population_flag": c.PopulationFlag, "former_units": c.FormerUnits,
		"period_from": w.From.Format("2006-01-02"), "period_to": w.Last().Format("2006-01-02"),
	}
	for _, v := range values {
		if v.OK {
			props[string(v.Metric)] = v.Value
			continue
		}
		props[string(v.Metric)] = nil
		reason := v.Reason
		if reason == "" {
			reason = analytics.ReasonNoReports
		}
		props[string(v.Metric)+"_reason"] = reason
	}
	return props
}

// SitesIn keeps the sites with a point inside bb (a site without
// coordinates lies in no bbox), reusing sites' array.
func SitesIn(sites []analytics.SitePoint, bb orb.Bound) []analytics.SitePoint {
	kept := sites[:0]
	for _, sp := range sites {
		if sp.HasPoint && bb.Contains(orb.Point{sp.Lon, sp.Lat}) {
			kept = append(kept, sp)
		}
	}
	return kept
}
