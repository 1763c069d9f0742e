package charts

import (
	"context"
	"encoding/json"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
)

// The map charts: the choropleth of a metric (map) and of its change
// against the comparison period (delta), with their legends and labels.

// MapOptions are a map chart's own parameters, read by the shell.
type MapOptions struct {
	Delta  bool   // the change map
	Show   string // "compare": the comparison period's map
	Labels string // none, top or all: commune names on the map
	MapURL string // the GeoJSON the map series draws, for the browser
}

// Map draws the choropleth (or, with o.Delta, the change map) from the
// map GeoJSON the API serves.
func (b *Builder) Map(ctx context.Context, t Text, mp figures.MapQuery, o MapOptions) (Built, error) {
	delta, show, labelMode, mapURL := o.Delta, o.Show, o.Labels, o.MapURL
	source := b.sourceIn(t.Lang(), mp.Province)
	fc, err := b.maps.GeoJSON(ctx, mp, source)
	if err != nil {
		return Built{}, err
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
			rv.NoData = t.S(reason.LabelVI(), reason.LabelEN())
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
		breaks, labels, method = sequentialBreaks(cb), cb.Labels, t.S(cb.MethodVI, cb.Method)
	}
	unit := t.Unit(m)
	if delta && m.Percent {
		unit = t.S("điểm phần trăm", "percentage points")
	}
	mapName := "antq-" + mapKey(mp)
	opt, err := chart.Map(chart.MapInput{MapName: mapName, Values: values, Breaks: breaks, Diverging: delta,
		Unit: unit, Decimals: decimals, SeriesName: t.Label(m),
		Labels:      labelMode == "all" && mp.Province != "" && len(values) <= 200,
		LabelCodes:  map[bool][]string{true: chart.ExtremeRegions(values, 5)}[labelMode == "top"],
		PieceLabels: labels, Method: method, NoDataLabel: t.S(analytics.NoDataVI, analytics.NoDataEN), Lang: t.Lang()})
	if err != nil {
		return Built{}, err
	}
	g, err := b.mapGeometry(mp, fc)
	if err != nil {
		return Built{}, err
	}

	w := mp.Window
	if show == "compare" {
		w = *mp.Compare
	}
	place := b.fig.ProvinceNameIn(t.Lang(), mp.Province)
	slide := chart.Slide{
		Title:    t.Label(m) + " — " + place,
		Subtitle: t.WithSynthetic(t.Window(w), b.synthetic),
		Footnote: t.Footnote(source, w, t.Unit(m)),
	}
	header := []string{t.S("Mã xã", "Commune code"), t.S("Tên", "Name"), t.Label(m)}
	if delta {
		c := *mp.Compare
		slide.Title = t.S("Thay đổi ", "Change in ") + analytics.LowerFirst(t.Label(m), t.EN) + " — " + place
		slide.Subtitle = t.WithSynthetic(t.S(
			w.LabelVI()+" so với "+c.From.Format("02/01/2006")+"–"+c.Last().Format("02/01/2006"),
			w.LabelEN()+" against "+c.From.Format("02/01/2006")+"–"+c.Last().Format("02/01/2006")), b.synthetic)
		slide.Footnote = t.Footnote(source, w, unit)
		header = append(header, t.S("Kỳ so sánh", "Comparison"), t.S("Thay đổi", "Change"))
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
	return Built{Name: map[bool]string{true: "delta", false: "map"}[delta],
		Spec:   chart.Spec{Option: opt, Maps: map[string]json.RawMessage{mapName: g}, MapVersion: "geometry-" + mapKey(mp), Slide: &slide},
		MapURL: mapURL, Table: table, CodeCols: []int{0}, Synthetic: b.synthetic}, nil
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

// mapGeometry returns the map's GeoJSON with only code and name per
// feature, made once per province and boundary level: the renderer draws
// it, the values go in the option.
func (b *Builder) mapGeometry(mp figures.MapQuery, fc geo.FeatureCollection) (json.RawMessage, error) {
	k := mapKey(mp)
	b.geoMu.Lock()
	defer b.geoMu.Unlock()
	if g, ok := b.geoms[k]; ok {
		return g, nil
	}
	out := geo.FeatureCollection{Type: "FeatureCollection", Features: make([]geo.Feature, 0, len(fc.Features))}
	for _, f := range fc.Features {
		if f.Geometry == nil {
			continue
		}
		out.Features = append(out.Features, geo.Feature{Type: "Feature", ID: f.ID, Geometry: f.Geometry,
			Properties: map[string]any{"code": f.Properties["code"], "name": f.Properties["name"]}})
	}
	g, err := json.Marshal(out)
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "map geometry: %w", err)
	}
	if len(b.geoms) >= 64 {
		clear(b.geoms)
	}
	b.geoms[k] = g
	return g, nil
}
