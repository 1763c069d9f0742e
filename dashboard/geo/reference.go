package geo

import (
	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/paulmach/orb"
)

// The reference lists of the API: /api/v1/provinces and /api/v1/communes.

// Province is one 2025 province of /api/v1/provinces.
type Province struct {
	Code       analytics.ProvinceCode `json:"code"`
	Name       string                 `json:"name"`
	ShortName  string                 `json:"short_name"`
	AreaKm2    float64                `json:"area_km2"`
	Population *int64                 `json:"population"` // official (Resolution 202); null when unknown
	Communes   int                    `json:"communes"`
	Formed     string                 `json:"formed_from"`
	BBox       []float64              `json:"bbox"`
}

// BBox writes a bound as a GeoJSON bbox [minLon, minLat, maxLon, maxLat]
// (WGS84, rounded to 6 decimals, ≈ 0.1 m); nil for an empty bound.
func BBox(b orb.Bound) []float64 {
	if b.IsEmpty() {
		return nil
	}
	return []float64{figures.Round6(b.Min[0]), figures.Round6(b.Min[1]), figures.Round6(b.Max[0]), figures.Round6(b.Max[1])}
}

// ProvinceOf is province p, of so many communes, as the API writes it.
func ProvinceOf(p *commune.Province, communes int) Province {
	j := Province{Code: p.Code, Name: p.Name, ShortName: p.ShortName, AreaKm2: figures.Round6(p.AreaKm2), Communes: communes, Formed: p.Formed,
		BBox: BBox(p.Bound)}
	if p.Population > 0 {
		v := p.Population
		j.Population = &v
	}
	return j
}

// Provinces is the body of /api/v1/provinces.
type Provinces struct {
	Provinces []Province `json:"provinces"`
}

// ProvinceList lists the provinces of set with their communes counted.
func ProvinceList(set *commune.Set) Provinces {
	out := Provinces{Provinces: make([]Province, 0, len(set.Provinces))}
	for i := range set.Provinces {
		p := &set.Provinces[i]
		out.Provinces = append(out.Provinces, ProvinceOf(p, len(set.CommunesOf(p.Code))))
	}
	return out
}

// Extent is the bbox of every province together (the OGC collections'
// extent).
func Extent(set *commune.Set) []float64 {
	var all orb.Bound
	for i, p := range set.Provinces {
		if i == 0 {
			all = p.Bound
		} else {
			all = all.Union(p.Bound)
		}
	}
	return BBox(all)
}

// Communes is the body of /api/v1/communes.
type Communes struct {
	Province string                `json:"province"` // the code, or "all"
	Communes []figures.CommuneInfo `json:"communes"`
}

// CommuneList writes the communes cs of province p ("" = all).
func CommuneList(p analytics.ProvinceCode, cs []*commune.Commune) Communes {
	out := Communes{Province: string(p), Communes: make([]figures.CommuneInfo, len(cs))}
	if p == "" {
		out.Province = analytics.ProvinceAll
	}
	for i, c := range cs {
		out.Communes[i] = figures.CommuneOf(c)
	}
	return out
}
