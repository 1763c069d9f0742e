package dashboard

import (
	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/paulmach/orb"
)

// provinceJSON is one 2025 province of /api/v1/provinces.
type provinceJSON struct {
	Code       analytics.ProvinceCode `json:"code"`
	Name       string                 `json:"name"`
	ShortName  string                 `json:"short_name"`
	AreaKm2    float64                `json:"area_km2"`
	Population *int64                 `json:"population"` // official (Resolution 202); null when unknown
	Communes   int                    `json:"communes"`
	Formed     string                 `json:"formed_from"`
	BBox       []float64              `json:"bbox"`
}

// bboxOf writes a bound as a GeoJSON bbox [minLon, minLat, maxLon, maxLat].
func bboxOf(b orb.Bound) []float64 {
	if b.IsEmpty() {
		return nil
	}
	return []float64{figures.Round6(b.Min[0]), figures.Round6(b.Min[1]), figures.Round6(b.Max[0]), figures.Round6(b.Max[1])}
}

func provinceOf(p *commune.Province, communes int) provinceJSON {
	j := provinceJSON{Code: p.Code, Name: p.Name, ShortName: p.ShortName, AreaKm2: figures.Round6(p.AreaKm2), Communes: communes, Formed: p.Formed,
		BBox: bboxOf(p.Bound)}
	if p.Population > 0 {
		v := p.Population
		j.Population = &v
	}
	return j
}

type provincesBody struct {
	Provinces []provinceJSON `json:"provinces"`
}

func (s *service) provinces() provincesBody {
	out := provincesBody{Provinces: make([]provinceJSON, 0, len(s.geo.Provinces))}
	for i := range s.geo.Provinces {
		p := &s.geo.Provinces[i]
		out.Provinces = append(out.Provinces, provinceOf(p, len(s.geo.CommunesOf(p.Code))))
	}
	return out
}

type communesBody struct {
	Province string                `json:"province"`
	Communes []figures.CommuneInfo `json:"communes"`
}

func (s *service) communeList(p analytics.ProvinceCode) communesBody {
	cs := s.fig.Communes(p)
	out := communesBody{Province: string(p), Communes: make([]figures.CommuneInfo, len(cs))}
	if p == "" {
		out.Province = analytics.ProvinceAll
	}
	for i, c := range cs {
		out.Communes[i] = figures.CommuneOf(c)
	}
	return out
}

type metricsBody struct {
	Metrics []figures.MetricInfo           `json:"metrics"`
	Weights map[analytics.MetricID]float64 `json:"effectiveness_weights"`
	Periods string                         `json:"period_forms"`
	Dims    []string                       `json:"breakdown_dimensions"`
	Buckets []string                       `json:"series_buckets"`
	Levels  []commune.Level                `json:"simplify_levels"`
}

func (s *service) metrics() metricsBody {
	out := metricsBody{Weights: s.fig.Weights(), Periods: analytics.PeriodForms, Dims: analytics.BreakdownDims, Buckets: analytics.Buckets, Levels: commune.Levels}
	for _, m := range analytics.Metrics {
		out.Metrics = append(out.Metrics, figures.MetricOf(m))
	}
	return out
}
