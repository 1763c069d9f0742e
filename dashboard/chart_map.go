package dashboard

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
)

// The map charts: the choropleth of a metric (map) and of its change
// against the comparison period (delta), with their legends and labels.

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
	fc, err := a.svc.maps.GeoJSON(ctx, mp, source)
	if err != nil {
		return builtChart{}, err
	}
	meta, _ := fc.Antq.(geo.MapMeta)
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
		LabelCodes:  map[bool][]string{true: chart.ExtremeRegions(values, 5)}[labelMode == "top"],
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
		slide.Title = t.s("Thay đổi ", "Change in ") + analytics.LowerFirst(t.label(m), t.en) + " — " + place
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
		p = analytics.ProvinceAll
	}
	if mp.Unit == geo.LevelProvince {
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
