package dashboard

import (
	"context"
	"encoding/json"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"

	"github.com/paulmach/orb"
)

// The national view by province (level=province with province=all): one
// feature per 2025 province, its figure rolled up from its communes
// (analytics.RollUp: Σnum/Σden, never averaged), drawn on the province's
// outline dissolved from its communes. Provinces without data are null
// with a reason, like communes.

// Levels of a map: one feature per commune, or per province.
const (
	levelCommune  = "commune"
	levelProvince = "province"
)

// provinceGeometryJSON is a province's outline (its communes dissolved)
// encoded as GeoJSON, once per province and boundary level.
func (s *service) provinceGeometryJSON(ctx context.Context, p analytics.ProvinceCode, level commune.Level) (json.RawMessage, error) {
	k := geomKey{analytics.CommuneCode("p" + p), level}
	s.geomMu.Lock()
	b, ok := s.gjson[k]
	s.geomMu.Unlock()
	if ok {
		return b, nil
	}
	var parts []orb.MultiPolygon
	for _, c := range s.geo.CommunesOf(p) {
		g, err := s.geometry(ctx, c.Code, level)
		if err != nil {
			return nil, err
		}
		parts = append(parts, g)
	}
	if mp := geo.Dissolve(parts); len(mp) > 0 {
		var err error
		if b, err = json.Marshal(multiPolygon(mp)); err != nil {
			return nil, err
		}
	}
	s.geomMu.Lock()
	s.gjson[k] = b
	s.geomMu.Unlock()
	return b, nil
}

// provinceMapData is mapData at the province level.
func (s *service) provinceMapData(ctx context.Context, mp figures.MapQuery, source string) (mapInput, error) {
	ts := s.fig.Tables()
	reqs := []figures.Req{{Metric: mp.Metric, Window: mp.Window}}
	if mp.Compare != nil {
		reqs = append(reqs, figures.Req{Metric: mp.Metric, Window: *mp.Compare})
	}
	got, err := ts.GetAll(ctx, reqs)
	if err != nil {
		return mapInput{}, err
	}
	cur, err := ts.ByProvince(ctx, got[0])
	if err != nil {
		return mapInput{}, err
	}
	var cmp *figures.Table
	if len(got) == 2 {
		if cmp, err = ts.ByProvince(ctx, got[1]); err != nil {
			return mapInput{}, err
		}
	}
	return mapInput{Province: "", ProvinceName: s.fig.ProvinceName(""), Source: source, SourceEN: s.sourceEN(""), Level: mp.Level,
		Communes: s.fig.ProvinceUnits(), Cur: cur, Cmp: cmp, Synthetic: s.synthetic, Unit: levelProvince}, nil
}

// provinceOpenings are the provinces' outlines as map feature openings.
func (s *service) provinceOpenings(ctx context.Context, level commune.Level) ([]opening, error) {
	ops := make([]opening, len(s.geo.Provinces))
	for i, p := range s.geo.Provinces {
		g, err := s.provinceGeometryJSON(ctx, p.Code, level)
		if err != nil {
			return nil, err
		}
		ops[i].geom = g
	}
	return ops, nil
}
