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

	"github.com/paulmach/orb"
)

// service holds what the endpoints read from; its methods are plain Go.
type service struct {
	r         analytics.Reader
	geo       *commune.Set
	now       func() time.Time
	synthetic bool
	weights   analytics.EffectivenessWeights

	geomMu sync.Mutex
	geoms  map[geomKey]orb.MultiPolygon // RFC 7946 copies, by commune and level
	gjson  map[geomKey]json.RawMessage  // the same, encoded as GeoJSON geometry
	gzOpen map[geomKey][]byte           // the map feature's opening around it, compressed (opening.z)
}

type geomKey struct {
	code  analytics.CommuneCode
	level commune.Level
}

func newService(r analytics.Reader, geo *commune.Set, now func() time.Time, synthetic bool) *service {
	return &service{r: r, geo: geo, now: now, synthetic: synthetic, weights: analytics.DefaultEffectivenessWeights, geoms: map[geomKey]orb.MultiPolygon{}, gjson: map[geomKey]json.RawMessage{}, gzOpen: map[geomKey][]byte{}}
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
	OK       bool // false: no data
}

// metricTable is a metric over the communes of a province and a window,
// with the province figure.
type metricTable struct {
	Metric   analytics.Metric
	Province analytics.ProvinceCode
	Window   analytics.Window
	ByCode   map[analytics.CommuneCode]figure
	// Total is the province figure: Σnum for counts (SumTotal), else
	// Σnum/Σden×Scale; model_types is the province's distinct count
	// (ProvinceFacts); median_days is the mean of the communes' medians
	// (a median does not add up); effectiveness is the index of the
	// province's component figures.
	Total    float64
	TotalOK  bool
	SumNum   float64
	SumDen   float64
	NoData   int // communes of the province with no data
	Communes int
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

func (s *service) tables() *tables { return &tables{s: s, m: map[tableKey]*metricTable{}} }

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
	if m.Composite {
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
	figs, err := ts.s.r.MetricByCommune(ctx, m.ID, p, w)
	if err != nil {
		return nil, err
	}
	cs := ts.s.communes(p)
	t := &metricTable{Metric: m, Province: p, Window: w, ByCode: make(map[analytics.CommuneCode]figure, len(cs)), Communes: len(cs)}
	in := make(map[analytics.CommuneCode]bool, len(cs))
	for _, c := range cs {
		in[c.Code] = true
	}
	for _, f := range figs {
		if !in[f.Commune] { // a commune the reference geography does not know
			continue
		}
		v, ok := f.Value(m)
		t.ByCode[f.Commune] = figure{Num: f.Num, Den: f.Den, Value: v, OK: ok}
		if ok {
			t.SumNum += f.Num
			t.SumDen += f.Den
		}
	}
	for _, c := range cs {
		if f, ok := t.ByCode[c.Code]; !ok || !f.OK {
			t.NoData++
		}
	}
	switch {
	case m.ID == "model_types":
		facts, err := ts.s.r.ProvinceFacts(ctx, p, w)
		if err != nil {
			return nil, err
		}
		t.Total, t.TotalOK = float64(facts.ModelTypes), true
	case m.SumTotal:
		t.Total, t.TotalOK = t.SumNum*m.Scale, true
	case t.SumDen > 0:
		t.Total, t.TotalOK = t.SumNum/t.SumDen*m.Scale, true
	}
	return t, nil
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
	t := &metricTable{Metric: m, Province: p, Window: w, ByCode: make(map[analytics.CommuneCode]figure, len(cs)), Communes: len(cs)}
	for _, c := range cs {
		vals := map[analytics.MetricID]*float64{}
		for id, ct := range comps {
			if v, ok := ct.value(c.Code); ok {
				vals[id] = &v
			}
		}
		idx, ok := analytics.Effectiveness(ts.s.weights, vals)
		t.ByCode[c.Code] = figure{Num: idx, Den: 1, Value: idx, OK: ok}
		if !ok {
			t.NoData++
		}
	}
	totals := map[analytics.MetricID]*float64{}
	for id, ct := range comps {
		if ct.TotalOK {
			v := ct.Total
			totals[id] = &v
		}
	}
	t.Total, t.TotalOK = analytics.Effectiveness(ts.s.weights, totals)
	return t, nil
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
}

// classBreaks are the choropleth's classes: quantiles of the values with
// data (k = 5, fewer when there are fewer distinct values). Breaks[i] is
// the upper bound of class i (inclusive); class 0 starts at Min. Quantiles
// (not Jenks) because they are stable, cheap and give every colour about as
// many communes, which suits skewed counts.
type classBreaks struct {
	Method string    `json:"method"`
	Min    *float64  `json:"min"`
	Breaks []float64 `json:"breaks"`
}

const classCount = 5

// quantileBreaks computes the class breaks of values (nearest-rank
// quantiles i/k, deduplicated; the last break is the maximum).
func quantileBreaks(values []float64, k int) classBreaks {
	out := classBreaks{Method: "quantile", Breaks: []float64{}}
	if len(values) == 0 {
		return out
	}
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	lo := round6(v[0])
	out.Min = &lo
	for i := 1; i <= k; i++ {
		idx := int(math.Ceil(float64(i)*float64(len(v))/float64(k))) - 1
		b := round6(v[max(idx, 0)])
		if n := len(out.Breaks); n > 0 && out.Breaks[n-1] >= b {
			continue
		}
		out.Breaks = append(out.Breaks, b)
	}
	return out
}

// classOf is the class of v: the first break not below it.
func (b classBreaks) classOf(v float64) int {
	v = round6(v)
	for i, x := range b.Breaks {
		if v <= x {
			return i
		}
	}
	return len(b.Breaks) - 1
}

// buildRows joins the communes with the metric (and the comparison) and
// ranks them: rank 1 is the best by the metric's direction, ties share a
// rank ("1, 2, 2, 4"), communes without data have no rank and no class.
func buildRows(cs []*commune.Commune, cur, cmp *metricTable) ([]communeRow, classBreaks) {
	rows := make([]communeRow, len(cs))
	var vals []float64
	for i, c := range cs {
		r := communeRow{Code: c.Code, Name: c.FullName, Kind: string(c.Kind), Province: c.Province}
		if f, ok := cur.ByCode[c.Code]; ok {
			r.Num, r.Den = f.Num, f.Den
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
	breaks := quantileBreaks(vals, classCount)
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
