package dashboard

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"

	"github.com/paulmach/orb"
)

// service holds what the endpoints read from; its methods are plain Go.
type service struct {
	r         analytics.Reader
	geo       *commune.Set
	now       func() time.Time
	synthetic bool
	weights   analytics.EffectivenessWeights
	// sourceIn names a province's source in a language (App.sourceIn) for
	// the English footnotes; nil gives none.
	sourceIn func(analytics.Lang, analytics.ProvinceCode) string

	geomMu sync.Mutex
	geoms  map[geomKey]orb.MultiPolygon // RFC 7946 copies, by commune and level
	gjson  map[geomKey]json.RawMessage  // the same, encoded as GeoJSON geometry
	gzOpen map[geomKey][]byte           // the map feature's opening around it, compressed (opening.z)

	// What the provinces reported and the half-months holding data, kept
	// until the next commit (forget): one small query each per window.
	memoMu sync.Mutex
	reps   map[tableKey]map[analytics.ProvinceCode]analytics.Reporting
	halves map[analytics.ProvinceCode]map[analytics.Kind][]time.Time
}

// memoMax bounds the reporting memo (windows asked since the last commit).
const memoMax = 4096

// forget drops what the memo holds; the app calls it at every commit.
func (s *service) forget() {
	s.memoMu.Lock()
	s.reps, s.halves = map[tableKey]map[analytics.ProvinceCode]analytics.Reporting{}, map[analytics.ProvinceCode]map[analytics.Kind][]time.Time{}
	s.memoMu.Unlock()
}

// dataHalfMonths are the half-months holding records of province p, of
// the kinds given (every kind when none).
func (s *service) dataHalfMonths(ctx context.Context, p analytics.ProvinceCode, kinds ...analytics.Kind) ([]time.Time, error) {
	byKind, err := s.halfMonthsByKind(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(kinds) == 0 {
		kinds = analytics.Kinds
	}
	var out []time.Time
	for _, k := range kinds {
		out = append(out, byKind[k]...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out, nil
}

func (s *service) halfMonthsByKind(ctx context.Context, p analytics.ProvinceCode) (map[analytics.Kind][]time.Time, error) {
	s.memoMu.Lock()
	hs, ok := s.halves[p]
	s.memoMu.Unlock()
	if ok {
		return hs, nil
	}
	hs, err := s.r.DataHalfMonths(ctx, p)
	if err != nil {
		return nil, err
	}
	s.memoMu.Lock()
	if len(s.halves) >= memoMax {
		clear(s.halves)
	}
	s.halves[p] = hs
	s.memoMu.Unlock()
	return hs, nil
}

type geomKey struct {
	code  analytics.CommuneCode
	level commune.Level
}

func newService(r analytics.Reader, geo *commune.Set, now func() time.Time, synthetic bool) *service {
	s := &service{r: r, geo: geo, now: now, synthetic: synthetic, weights: analytics.DefaultEffectivenessWeights, geoms: map[geomKey]orb.MultiPolygon{}, gjson: map[geomKey]json.RawMessage{}, gzOpen: map[geomKey][]byte{}}
	s.forget()
	return s
}

// geometry returns a commune's boundary fit for RFC 7946 output (6
// decimals, counter-clockwise outer rings), prepared once per level.
func (s *service) geometry(ctx context.Context, code analytics.CommuneCode, level commune.Level) (orb.MultiPolygon, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	g, ok := s.geoms[k]
	s.geomMu.Unlock()
	if ok {
		return g, nil
	}
	raw, err := s.geo.Boundary(ctx, code, level)
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "boundary of %s: %w", code, err)
	}
	g = commune.RFC7946(raw)
	s.geomMu.Lock()
	s.geoms[k] = g
	s.geomMu.Unlock()
	return g, nil
}

// geometryJSON is geometry encoded as a GeoJSON MultiPolygon, once per
// commune and level (nil for a commune without a boundary).
func (s *service) geometryJSON(ctx context.Context, code analytics.CommuneCode, level commune.Level) (json.RawMessage, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	b, ok := s.gjson[k]
	s.geomMu.Unlock()
	if ok {
		return b, nil
	}
	g, err := s.geometry(ctx, code, level)
	if err != nil {
		return nil, err
	}
	if len(g) > 0 {
		if b, err = json.Marshal(multiPolygon(g)); err != nil {
			return nil, err
		}
	}
	s.geomMu.Lock()
	s.gjson[k] = b
	s.geomMu.Unlock()
	return b, nil
}

// spliceMinBytes is the size of boundaries from which a map is assembled
// from pieces compressed once (encodeMap) instead of compressed whole:
// then a national map (5.6 MB of boundaries) takes ≈ 3 ms instead of ≈ 50
// and a province map ≈ 0.5 ms instead of ≈ 4, for a body a third larger,
// which the cache recompresses whole in the background. Smaller maps are
// compressed whole at once.
const spliceMinBytes = 64 << 10

// openings returns the map features' openings of communes, in order, and
// whether to splice them: only then are they compressed (once per commune
// and level).
func (s *service) openings(ctx context.Context, cs []*commune.Commune, level commune.Level) ([]opening, bool, error) {
	ops := make([]opening, len(cs))
	size := 0
	for i, c := range cs {
		g, err := s.geometryJSON(ctx, c.Code, level)
		if err != nil {
			return nil, false, err
		}
		ops[i].geom = g
		size += len(g)
	}
	splice := size >= spliceMinBytes
	if !splice {
		return ops, false, nil
	}
	for i, c := range cs {
		if ops[i].geom == nil {
			continue
		}
		z, err := s.openingZ(c.Code, level, ops[i].geom)
		if err != nil {
			return nil, false, err
		}
		ops[i].z = z
	}
	return ops, true, nil
}

// openingZ is a commune's map feature opening compressed, once per commune
// and level: about a third of the geometry's JSON kept in memory besides it
// (2 MB for the country at the low level).
func (s *service) openingZ(code analytics.CommuneCode, level commune.Level, geom json.RawMessage) ([]byte, error) {
	k := geomKey{code, level}
	s.geomMu.Lock()
	z, ok := s.gzOpen[k]
	s.geomMu.Unlock()
	if ok {
		return z, nil
	}
	z, err := deflatePiece(appendOpeningHead(nil, code), geom, openingTail)
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "map feature of %s: %w", code, err)
	}
	s.geomMu.Lock()
	s.gzOpen[k] = z
	s.geomMu.Unlock()
	return z, nil
}

// communes lists the 2025 communes of a province ("" = all), by code.
func (s *service) communes(p analytics.ProvinceCode) []*commune.Commune {
	if p != "" {
		return s.geo.CommunesOf(p)
	}
	out := make([]*commune.Commune, len(s.geo.Communes))
	for i := range s.geo.Communes {
		out[i] = &s.geo.Communes[i]
	}
	return out
}

// figure is one commune's figure for a metric.
type figure struct {
	Num, Den float64
	Value    float64
	OK       bool             // false: no data, for Reason
	Reason   analytics.Reason // why there is no value
	Missing  []analytics.MetricID
}

// metricTable is a metric over the communes of a province and a window,
// with the province figure.
type metricTable struct {
	Metric   analytics.Metric
	Province analytics.ProvinceCode
	// PlaceFull is the province's official full name ("Tỉnh Tuyên Quang",
	// "Thành phố Hà Nội"; "" for the whole country): its texts follow its
	// kind (analytics.ProvinceNoData).
	PlaceFull string
	Window    analytics.Window
	ByCode    map[analytics.CommuneCode]figure
	// Total is the province figure, rolled up as the catalogue says
	// (analytics.RollUp): Σnum for counts, else Σnum/Σden×Scale, a distinct
	// count the province's own (MetricGroup); median_days is the mean of the communes' medians
	// (a median does not add up); effectiveness is the index of the
	// province's component figures.
	Total    float64
	TotalOK  bool
	SumNum   float64
	SumDen   float64
	NoData   int // communes of the province with no data
	Communes int
	// TotalReason says why Total has no value; Silent is set when no
	// province of the table reported the metric's sources at all ("Chưa có
	// số liệu của tỉnh này").
	TotalReason analytics.Reason
	Silent      bool
	// Composite: the components with a value at the province level and
	// those without.
	In, Missing []analytics.MetricID
}

func (t *metricTable) value(c analytics.CommuneCode) (float64, bool) {
	f, ok := t.ByCode[c]
	if !ok || !f.OK {
		return 0, false
	}
	return f.Value, true
}

// tables memoises metric tables within one request (the composite index,
// the summary and the commune detail ask for the same components).
type tables struct {
	s  *service
	mu sync.Mutex
	m  map[tableKey]*metricTable
}

type tableKey struct {
	id       analytics.MetricID
	p        analytics.ProvinceCode
	from, to time.Time
}

func (s *service) tables() *tables {
	return &tables{s: s, m: map[tableKey]*metricTable{}}
}

// get computes metric m for province p ("" = all) over w.
func (ts *tables) get(ctx context.Context, m analytics.Metric, p analytics.ProvinceCode, w analytics.Window) (*metricTable, error) {
	k := tableKey{m.ID, p, w.From, w.To}
	ts.mu.Lock()
	t, ok := ts.m[k]
	ts.mu.Unlock()
	if ok {
		return t, nil
	}
	var err error
	if m.Composite() {
		t, err = ts.composite(ctx, m, p, w)
	} else {
		t, err = ts.plain(ctx, m, p, w)
	}
	if err != nil {
		return nil, err
	}
	ts.mu.Lock()
	ts.m[k] = t
	ts.mu.Unlock()
	return t, nil
}

// maxParallelQueries bounds the queries one request runs at once.
const maxParallelQueries = 4

// tableReq is one table getAll computes.
type tableReq struct {
	m analytics.Metric
	p analytics.ProvinceCode
	w analytics.Window
}

// getAll computes several tables at once: the engine answers each on a
// connection of its own, so a comparison or a composite index takes about
// as long as its slowest query instead of the sum.
func (ts *tables) getAll(ctx context.Context, reqs []tableReq) ([]*metricTable, error) {
	out := make([]*metricTable, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallelQueries)
	for i, r := range reqs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = ts.get(ctx, r.m, r.p, r.w)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (ts *tables) plain(ctx context.Context, m analytics.Metric, p analytics.ProvinceCode, w analytics.Window) (*metricTable, error) {
	var reps map[analytics.ProvinceCode]analytics.Reporting
	var repErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		reps, repErr = ts.reporting(ctx, p, w)
	}()
	figs, err := ts.s.r.MetricByCommune(ctx, m.ID, p, w)
	<-done
	if err != nil {
		return nil, err
	}
	if repErr != nil {
		return nil, repErr
	}
	now := ts.s.now()
	cs := ts.s.communes(p)
	t := &metricTable{Metric: m, Province: p, PlaceFull: ts.s.placeFull(p), Window: w, ByCode: make(map[analytics.CommuneCode]figure, len(cs)), Communes: len(cs)}
	got := make(map[analytics.CommuneCode]analytics.CommuneFigure, len(figs))
	for _, f := range figs {
		got[f.Commune] = f
	}
	reasons := map[analytics.Reason]int{}
	with := make([]analytics.CommuneFigure, 0, len(cs))
	for _, c := range cs {
		f := got[c.Code]
		if reason, none := m.NoDataReason(w, now, reps[c.Province], f.Den); none {
			t.ByCode[c.Code] = figure{Num: f.Num, Den: f.Den, Reason: reason}
			t.NoData++
			reasons[reason]++
			continue
		}
		v, _ := f.Value(m)
		t.ByCode[c.Code] = figure{Num: f.Num, Den: f.Den, Value: v, OK: true}
		with = append(with, f)
	}
	if t.NoData == len(cs) {
		t.TotalReason = mainReason(reasons)
		t.Silent = t.TotalReason == analytics.ReasonNoReports || t.TotalReason == analytics.ReasonPartialPeriod
		return t, nil
	}
	var distinct float64
	if m.Roll == analytics.RollDistinct {
		if distinct, err = ts.s.r.MetricGroup(ctx, m.ID, p, w); err != nil {
			return nil, err
		}
	}
	t.Total, t.SumNum, t.SumDen, t.TotalOK = analytics.RollUp(m, with, distinct)
	if !t.TotalOK {
		t.TotalReason = analytics.ReasonNotApplicable
	}
	return t, nil
}

// mainReason is the reason most communes have (the more telling one on a
// tie: not started, no reports, partial, not applicable).
func mainReason(n map[analytics.Reason]int) analytics.Reason {
	best := analytics.Reason("")
	for _, r := range []analytics.Reason{analytics.ReasonPeriodNotStarted, analytics.ReasonNoReports, analytics.ReasonPartialPeriod,
		analytics.ReasonInsufficientComponents, analytics.ReasonNotApplicable} {
		if n[r] > n[best] {
			best = r
		}
	}
	return best
}

// reporting reads which provinces reported what bearing on w, once per
// window until the next commit.
func (ts *tables) reporting(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) (map[analytics.ProvinceCode]analytics.Reporting, error) {
	s := ts.s
	k := tableKey{"", p, w.From, w.To}
	s.memoMu.Lock()
	r, ok := s.reps[k]
	s.memoMu.Unlock()
	if ok {
		return r, nil
	}
	list, err := s.r.Reporting(ctx, p, w)
	if err != nil {
		return nil, err
	}
	r = make(map[analytics.ProvinceCode]analytics.Reporting, len(list))
	for _, x := range list {
		r[x.Province] = x
	}
	s.memoMu.Lock()
	if len(s.reps) >= memoMax {
		clear(s.reps)
	}
	s.reps[k] = r
	s.memoMu.Unlock()
	return r, nil
}

// composite computes the effectiveness index per commune from its
// component metrics, and for the province from the components' province
// figures.
func (ts *tables) composite(ctx context.Context, m analytics.Metric, p analytics.ProvinceCode, w analytics.Window) (*metricTable, error) {
	ids := make([]analytics.MetricID, 0, len(ts.s.weights))
	for id := range ts.s.weights {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var reqs []tableReq
	for _, id := range ids {
		if cm, ok := analytics.MetricByID(id); ok {
			reqs = append(reqs, tableReq{cm, p, w})
		}
	}
	got, err := ts.getAll(ctx, reqs)
	if err != nil {
		return nil, err
	}
	comps := make(map[analytics.MetricID]*metricTable, len(reqs))
	for i, r := range reqs {
		comps[r.m.ID] = got[i]
	}
	cs := ts.s.communes(p)
	t := &metricTable{Metric: m, Province: p, PlaceFull: ts.s.placeFull(p), Window: w, ByCode: make(map[analytics.CommuneCode]figure, len(cs)), Communes: len(cs)}
	reasons := map[analytics.Reason]int{}
	for _, c := range cs {
		f, reason := compositeOf(ts.s.weights, comps, c.Code)
		t.ByCode[c.Code] = f
		if !f.OK {
			t.NoData++
			reasons[reason]++
		}
	}
	totals := make(map[analytics.MetricID]analytics.Component, len(comps))
	for id, ct := range comps {
		totals[id] = analytics.Component{Value: ct.Total, OK: ct.TotalOK, Reason: ct.TotalReason}
	}
	r, reason := analytics.CompositeFigure(ts.s.weights, totals)
	t.Total, t.TotalOK, t.In, t.Missing = r.Index, r.OK, r.In, r.Missing
	if !r.OK {
		t.TotalReason = reason
		t.Silent = t.TotalReason == analytics.ReasonNoReports
	}
	return t, nil
}

// compositeOf is the composite index of one commune (or province) of the
// component tables (analytics.CompositeFigure).
func compositeOf(w analytics.EffectivenessWeights, comps map[analytics.MetricID]*metricTable, code analytics.CommuneCode) (figure, analytics.Reason) {
	in := make(map[analytics.MetricID]analytics.Component, len(comps))
	for id, ct := range comps {
		f := ct.ByCode[code]
		in[id] = analytics.Component{Value: f.Value, OK: f.OK, Reason: f.Reason}
	}
	r, reason := analytics.CompositeFigure(w, in)
	if r.OK {
		return figure{Num: r.Index, Den: 1, Value: r.Index, OK: true}, ""
	}
	return figure{Reason: reason, Missing: r.Missing}, reason
}

// communeRow is one commune of a map, a ranking or an export.
type communeRow struct {
	Code     analytics.CommuneCode
	Name     string // full name: "Xã Hùng Lợi"
	Kind     string
	Province analytics.ProvinceCode
	Num, Den float64
	Value    *float64
	Rank     *int
	Class    *int
	Compare  *float64
	Delta    *float64
	DeltaPct *float64
	// Reason says why Value is null; Missing lists the composite's
	// components without a value (insufficient_components).
	Reason  analytics.Reason
	Missing []analytics.MetricID
}

// classBreaks are the choropleth's classes as the API sends them
// (analytics.ClassBreaks): the page and the charts draw these, they do not
// compute their own. Breaks[i] is the upper bound of class i (inclusive, as
// shown with the metric's decimals); class 0 starts at Min.
type classBreaks struct {
	Method   string    `json:"method"`
	MethodVI string    `json:"method_vi"`
	Decimals int       `json:"decimals"`
	Min      *float64  `json:"min"`
	Breaks   []float64 `json:"breaks"`
	// Labels and Colors per class, lowest first; NoData is the legend
	// entry of the communes without a value.
	Labels []string `json:"labels"`
	Colors []string `json:"colors"`
	// Bounds are the classes as ranges of raw values for ECharts'
	// piecewise legend (analytics.Breaks.Bounds): n+1 for n classes.
	Bounds []float64   `json:"bounds"`
	NoData noDataEntry `json:"no_data"`
}

type noDataEntry struct {
	LabelVI string `json:"label_vi"`
	LabelEN string `json:"label_en"`
	Color   string `json:"color"`
}

const classCount = 5

// breaksOf computes the classes of values shown with decimals.
func breaksOf(values []float64, decimals int) classBreaks {
	b := analytics.ClassBreaks(values, classCount, decimals)
	out := classBreaks{Method: b.Method, MethodVI: analytics.MethodVI(b.Method), Decimals: decimals, Min: b.Min, Breaks: b.Breaks,
		Labels: []string{}, Colors: chart.ClassColors(len(b.Breaks), false),
		NoData: noDataEntry{LabelVI: analytics.NoDataVI, LabelEN: analytics.NoDataEN, Color: chart.NoDataColor}}
	for _, r := range b.Ranges() {
		out.Labels = append(out.Labels, chart.RangeLabel(r[0], r[1], decimals))
	}
	out.Bounds = b.Bounds()
	if out.Bounds == nil {
		out.Bounds = []float64{}
	}
	for i := range out.Bounds {
		out.Bounds[i] = round6(out.Bounds[i])
	}
	return out
}

// divergingOf computes the classes of changes (analytics.DivergingBreaks)
// as the API sends them: Bounds are the round class edges themselves.
func divergingOf(values []float64, decimals int) classBreaks {
	b := analytics.DivergingBreaks(values, decimals)
	out := classBreaks{Method: b.Method, MethodVI: analytics.MethodVI(b.Method), Decimals: b.Decimals, Min: b.Min, Breaks: b.Breaks,
		Labels: []string{}, Colors: chart.ClassColors(len(b.Breaks), true), Bounds: b.Edges(),
		NoData: noDataEntry{LabelVI: analytics.NoDataVI, LabelEN: analytics.NoDataEN, Color: chart.NoDataColor}}
	if out.Bounds == nil {
		out.Bounds = []float64{}
	}
	for i := 1; i < len(out.Bounds); i++ {
		lo, hi := out.Bounds[i-1], out.Bounds[i]
		if len(out.Bounds) == 2 && lo == -hi {
			out.Labels = append(out.Labels, chart.FormatNumber(0, b.Decimals)) // no change anywhere
			continue
		}
		out.Labels = append(out.Labels, chart.RangeLabel(lo, hi, b.Decimals))
	}
	return out
}

// domain turns the API's classes back into analytics.Breaks.
func (b classBreaks) domain() analytics.Breaks {
	return analytics.Breaks{Method: b.Method, Decimals: b.Decimals, Min: b.Min, Breaks: b.Breaks}
}

// classOf is the class of v.
func (b classBreaks) classOf(v float64) int { return b.domain().ClassOf(v) }

// buildRows joins the communes with the metric (and the comparison) and
// ranks them: rank 1 is the best by the metric's direction, ties share a
// rank ("1, 2, 2, 4"), communes without data have no rank and no class.
func buildRows(cs []*commune.Commune, cur, cmp *metricTable) ([]communeRow, classBreaks) {
	rows := make([]communeRow, len(cs))
	var vals []float64
	for i, c := range cs {
		r := communeRow{Code: c.Code, Name: c.FullName, Kind: string(c.Kind), Province: c.Province, Reason: analytics.ReasonNoReports}
		if f, ok := cur.ByCode[c.Code]; ok {
			r.Num, r.Den, r.Reason, r.Missing = f.Num, f.Den, f.Reason, f.Missing
			if f.OK {
				v := round6(f.Value)
				r.Value = &v
				vals = append(vals, v)
			}
		}
		if cmp != nil {
			if v, ok := cmp.value(c.Code); ok {
				v = round6(v)
				r.Compare = &v
				if r.Value != nil {
					d := round6(*r.Value - v)
					r.Delta = &d
					if v != 0 {
						p := round6(d / math.Abs(v) * 100)
						r.DeltaPct = &p
					}
				}
			}
		}
		rows[i] = r
	}
	breaks := breaksOf(vals, cur.Metric.Decimals)
	sorted := append([]float64(nil), vals...)
	sort.Float64s(sorted)
	for i := range rows {
		if rows[i].Value == nil {
			continue
		}
		v := *rows[i].Value
		var better int
		if cur.Metric.HigherIsBetter {
			better = len(sorted) - sort.Search(len(sorted), func(j int) bool { return sorted[j] > v })
		} else {
			better = sort.Search(len(sorted), func(j int) bool { return sorted[j] >= v })
		}
		rank := better + 1
		class := breaks.classOf(v)
		rows[i].Rank, rows[i].Class = &rank, &class
	}
	return rows, breaks
}

// round6 keeps 6 decimals: enough for every figure, stable in golden files.
func round6(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	return math.Round(v*1e6) / 1e6
}
