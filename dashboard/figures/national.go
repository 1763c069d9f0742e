package figures

import (
	"context"
	"sync"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// The national view by province (level=province with province=all): one
// row per 2025 province, its figure rolled up from its communes
// (analytics.RollUp: Σnum/Σden, never averaged). Provinces without data
// are null with a reason, like communes.

// ProvinceUnits are the provinces as map rows: a commune.Commune whose
// code is the province code, so rows, ranks, classes and the encoder serve
// both levels.
func (s *Service) ProvinceUnits() []*commune.Commune {
	out := make([]*commune.Commune, len(s.geo.Provinces))
	for i, p := range s.geo.Provinces {
		out[i] = &commune.Commune{Code: analytics.CommuneCode(p.Code), Province: p.Code, FullName: p.Name, Name: analytics.ShortName(p.ShortName), Kind: placename.Kind(analytics.ProvinceKindOf(p.Name))}
	}
	return out
}

// ByProvince rolls a national table up to its provinces (ByCode keyed by
// province code).
func (ts *Tables) ByProvince(ctx context.Context, t *Table) (*Table, error) {
	s := ts.s
	out := &Table{Metric: t.Metric, Province: t.Province, PlaceFull: t.PlaceFull, Window: t.Window, ByCode: map[analytics.CommuneCode]Figure{},
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
			f, _ := t.Lookup(c.Code)
			if f.OK {
				with = append(with, analytics.CommuneFigure{Commune: c.Code, Num: f.Num, Den: f.Den})
			} else {
				reasons[f.Reason]++
			}
		}
		v, num, den, ok := analytics.RollUp(t.Metric, with, groups[p.Code])
		code := analytics.CommuneCode(p.Code)
		if !ok {
			out.ByCode[code] = Figure{Num: num, Den: den, Reason: mainReason(reasons)}
			out.NoData++
			continue
		}
		out.ByCode[code] = Figure{Num: num, Den: den, Value: v, OK: true}
	}
	return out, nil
}

// groupFigures reads every province's own figure of a metric whose
// figures do not add up over communes (analytics.RollDistinct).
func (ts *Tables) groupFigures(ctx context.Context, id analytics.MetricID, w analytics.Window) (map[analytics.ProvinceCode]float64, error) {
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
// province
func (ts *Tables) compositeByProvince(ctx context.Context, out *Table) (*Table, error) {
	comps := map[analytics.MetricID]*Table{}
	for id := range ts.s.weights {
		m, ok := analytics.MetricByID(id)
		if !ok {
			continue
		}
		t, err := ts.Get(ctx, m, out.Province, out.Window)
		if err != nil {
			return nil, err
		}
		if comps[id], err = ts.ByProvince(ctx, t); err != nil {
			return nil, err
		}
	}
	for _, p := range ts.s.geo.Provinces {
		code := analytics.CommuneCode(p.Code)
		f, _ := compositeOf(ts.s.weights, comps, func(ct *Table) Figure { f, _ := ct.Lookup(code); return f })
		out.ByCode[code] = f
		if !f.OK {
			out.NoData++
		}
	}
	return out, nil
}
