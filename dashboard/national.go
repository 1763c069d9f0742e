package dashboard

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
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

// provinceUnits are the provinces as map rows: a commune.Commune whose
// code is the province code, so rows, ranks, classes and the encoder serve
// both levels.
func (s *service) provinceUnits() []*commune.Commune {
	out := make([]*commune.Commune, len(s.geo.Provinces))
	for i, p := range s.geo.Provinces {
		out[i] = &commune.Commune{Code: analytics.CommuneCode(p.Code), Province: p.Code, FullName: p.Name, Name: analytics.ShortName(p.ShortName), Kind: commune.Kind(analytics.ProvinceKindOf(p.Name))}
	}
	return out
}

// byProvince rolls a national table up to its provinces (ByCode keyed by
// province code).
func (ts *tables) byProvince(ctx context.Context, t *metricTable) (*metricTable, error) {
	s := ts.s
	out := &metricTable{Metric: t.Metric, Province: t.Province, PlaceFull: t.PlaceFull, Window: t.Window, ByCode: map[analytics.CommuneCode]figure{},
		Total: t.Total, TotalOK: t.TotalOK, SumNum: t.SumNum, SumDen: t.SumDen, Communes: len(s.geo.Provinces),
		TotalReason: t.TotalReason, Silent: t.Silent, In: t.In, Missing: t.Missing}
	if t.Metric.Composite() {
		return ts.compositeByProvince(ctx, out)
	}
	var groups map[analytics.ProvinceCode]float64
	if t.Metric.Roll == analytics.RollDistinct {
		var err error
		if groups, err = ts.groupFigures(ctx, t.Metric.ID, t.Window); err != nil {
			return nil, err
		}
	}
	for _, p := range s.geo.Provinces {
		var with []analytics.CommuneFigure
		reasons := map[analytics.Reason]int{}
		for _, c := range s.geo.CommunesOf(p.Code) {
			f := t.ByCode[c.Code]
			if f.OK {
				with = append(with, analytics.CommuneFigure{Commune: c.Code, Num: f.Num, Den: f.Den})
			} else {
				reasons[f.Reason]++
			}
		}
		v, num, den, ok := analytics.RollUp(t.Metric, with, groups[p.Code])
		code := analytics.CommuneCode(p.Code)
		if !ok {
			out.ByCode[code] = figure{Num: num, Den: den, Reason: mainReason(reasons)}
			out.NoData++
			continue
		}
		out.ByCode[code] = figure{Num: num, Den: den, Value: v, OK: true}
	}
	return out, nil
}

// groupFigures reads every province's own figure of a metric whose
// figures do not add up over communes (analytics.RollDistinct).
func (ts *tables) groupFigures(ctx context.Context, id analytics.MetricID, w analytics.Window) (map[analytics.ProvinceCode]float64, error) {
	ps := ts.s.geo.Provinces
	got := make([]float64, len(ps))
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallelQueries)
	for i, p := range ps {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			got[i], errs[i] = ts.s.r.MetricGroup(ctx, id, p.Code, w)
		})
	}
	wg.Wait()
	out := make(map[analytics.ProvinceCode]float64, len(ps))
	for i, p := range ps {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[p.Code] = got[i]
	}
	return out, nil
}

// compositeByProvince computes each province's index from its components'
// province figures.
func (ts *tables) compositeByProvince(ctx context.Context, out *metricTable) (*metricTable, error) {
	comps := map[analytics.MetricID]*metricTable{}
	for id := range ts.s.weights {
		m, ok := analytics.MetricByID(id)
		if !ok {
			continue
		}
		t, err := ts.get(ctx, m, out.Province, out.Window)
		if err != nil {
			return nil, err
		}
		if comps[id], err = ts.byProvince(ctx, t); err != nil {
			return nil, err
		}
	}
	for _, p := range ts.s.geo.Provinces {
		code := analytics.CommuneCode(p.Code)
		f, _ := compositeOf(ts.s.weights, comps, code)
		out.ByCode[code] = f
		if !f.OK {
			out.NoData++
		}
	}
	return out, nil
}

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
func (s *service) provinceMapData(ctx context.Context, mp mapParams, source string) (mapInput, error) {
	ts := s.tables()
	reqs := []tableReq{{mp.Metric, "", mp.Window}}
	if mp.Compare != nil {
		reqs = append(reqs, tableReq{mp.Metric, "", *mp.Compare})
	}
	got, err := ts.getAll(ctx, reqs)
	if err != nil {
		return mapInput{}, err
	}
	cur, err := ts.byProvince(ctx, got[0])
	if err != nil {
		return mapInput{}, err
	}
	var cmp *metricTable
	if len(got) == 2 {
		if cmp, err = ts.byProvince(ctx, got[1]); err != nil {
			return mapInput{}, err
		}
	}
	return mapInput{Province: "", ProvinceName: s.provinceName(""), Source: source, SourceEN: s.sourceEN(""), Level: mp.Level,
		Communes: s.provinceUnits(), Cur: cur, Cmp: cmp, Synthetic: s.synthetic, Unit: levelProvince}, nil
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
