package figures

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// Service computes the figures of the metric catalogue over a store
// (analytics.Reader) and the 2025 communes: metric tables per commune with
// the province figure, rolled up as the catalogue says. It remembers what
// the provinces reported and the half-months holding data per window until
// the next commit (Forget); a Tables memoises the tables of one request.
// Safe for concurrent use.
type Service struct {
	r       analytics.Reader
	geo     *commune.Set
	now     func() time.Time
	weights analytics.EffectivenessWeights
	// synthetic marks the bodies of a demo store (synthetic data).
	synthetic bool

	// What the provinces reported and the half-months holding data, kept
	// until the next commit (Forget): one small query each per window.
	memoMu sync.Mutex
	reps   map[tableKey]map[analytics.ProvinceCode]analytics.Reporting
	halves map[analytics.ProvinceCode]map[analytics.Kind][]time.Time
}

// NewService makes a Service reading from r, with the communes and
// provinces of geo and the clock now (a window not over is cut to now);
// synthetic marks its bodies as demo data. The composite index uses
// analytics.DefaultEffectivenessWeights.
func NewService(r analytics.Reader, geo *commune.Set, now func() time.Time, synthetic bool) *Service {
	s := &Service{r: r, geo: geo, now: now, synthetic: synthetic, weights: analytics.DefaultEffectivenessWeights}
	s.Forget()
	return s
}

// Weights are the composite index's component weights.
func (s *Service) Weights() analytics.EffectivenessWeights { return s.weights }

// PlaceFull is a province's official full name ("Thành phố Hà Nội"), ""
// for the whole country or an unknown code: the catalogue reads the kind
// from it.
func (s *Service) PlaceFull(p analytics.ProvinceCode) string {
	if pr, ok := s.geo.Province(p); ok && p != "" {
		return pr.Name
	}
	return ""
}

// memoMax bounds the reporting memo (windows asked since the last commit).
const memoMax = 4096

// Forget drops what the memo holds; the app calls it at every commit.
func (s *Service) Forget() {
	s.memoMu.Lock()
	s.reps, s.halves = map[tableKey]map[analytics.ProvinceCode]analytics.Reporting{}, map[analytics.ProvinceCode]map[analytics.Kind][]time.Time{}
	s.memoMu.Unlock()
}

// DataHalfMonths are the half-months holding records of province p, of
// the kinds given (every kind when none).
func (s *Service) DataHalfMonths(ctx context.Context, p analytics.ProvinceCode, kinds ...analytics.Kind) ([]time.Time, error) {
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

func (s *Service) halfMonthsByKind(ctx context.Context, p analytics.ProvinceCode) (map[analytics.Kind][]time.Time, error) {
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

// Communes lists the 2025 communes of a province ("" = all), by code.
func (s *Service) Communes(p analytics.ProvinceCode) []*commune.Commune {
	if p != "" {
		return s.geo.CommunesOf(p)
	}
	out := make([]*commune.Commune, len(s.geo.Communes))
	for i := range s.geo.Communes {
		out[i] = &s.geo.Communes[i]
	}
	return out
}

// Figure is one commune's figure for a metric.
type Figure struct {
	Num, Den float64
	Value    float64
	OK       bool             // false: no data, for Reason
	Reason   analytics.Reason // why there is no value
	Missing  []analytics.MetricID
}

// Table is a metric over the communes of a province and a window,
// with the province figure.
type Table struct {
	Metric   analytics.Metric
	Province analytics.ProvinceCode
	// PlaceFull is the province's official full name ("Tỉnh Tuyên Quang",
	// "Thành phố Hà Nội"; "" for the whole country): its texts follow its
	// kind (analytics.ProvinceNoData).
	PlaceFull string
	Window    analytics.Window
	// ByCode is the figures by code of a table made by hand (ByProvince,
	// tests). A table the Service computes keeps its figures by position
	// (At) and makes this map only when Lookup first needs it: a national
	// map reads by position and so never pays 3,321 map inserts a table
	// (with the reasons' map, 20 % of its CPU). Read it through Lookup.
	ByCode map[analytics.CommuneCode]Figure
	// Total is the province Figure, rolled up as the catalogue says
	// (analytics.RollUp): Σnum for counts, else Σnum/Σden×Scale, a distinct
	// count the province's own (MetricGroup); median_days is the mean of the communes' medians
	// (a median does not add up); effectiveness is the index of the
	// province's component
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

	// order is the communes the table was made over and inOrder their
	// figures in that order (the same as ByCode's), so that a caller going
	// over the same communes reads them by position (At) instead of
	// looking up 3,321 codes per national map.
	order   []*commune.Commune
	inOrder []Figure
	index   sync.Once // makes ByCode from order (Lookup)
}

// Lookup is commune (or, in a ByProvince table, province) c's figure.
func (t *Table) Lookup(c analytics.CommuneCode) (Figure, bool) {
	if t.order != nil {
		t.index.Do(func() {
			t.ByCode = make(map[analytics.CommuneCode]Figure, len(t.order))
			for i, cm := range t.order {
				t.ByCode[cm.Code] = t.inOrder[i]
			}
		})
	}
	f, ok := t.ByCode[c]
	return f, ok
}

// At is commune c's figure, c being the i-th commune the caller goes over:
// read by position when c is also the table's i-th, else from ByCode.
func (t *Table) At(i int, c *commune.Commune) (Figure, bool) {
	if i >= 0 && i < len(t.order) && t.order[i] == c {
		return t.inOrder[i], true
	}
	return t.Lookup(c.Code)
}

// ValueAt is At's value, false when it has none (as Value).
func (t *Table) ValueAt(i int, c *commune.Commune) (float64, bool) {
	f, ok := t.At(i, c)
	if !ok || !f.OK {
		return 0, false
	}
	return f.Value, true
}

// setAt keeps f as the figure of the table's i-th commune.
func (t *Table) setAt(i int, f Figure) {
	t.inOrder[i] = f
}

// newTable is a table of m over the communes cs of p in w, their figures
// to be set (setAt).
func (ts *Tables) newTable(m analytics.Metric, p analytics.ProvinceCode, w analytics.Window, cs []*commune.Commune) *Table {
	return &Table{Metric: m, Province: p, PlaceFull: ts.s.PlaceFull(p), Window: w,
		Communes: len(cs), order: cs, inOrder: make([]Figure, len(cs))}
}

// Value is commune c's value, false when it has none.
func (t *Table) Value(c analytics.CommuneCode) (float64, bool) {
	f, ok := t.Lookup(c)
	if !ok || !f.OK {
		return 0, false
	}
	return f.Value, true
}

// Tables memoises metric tables within one request (the composite index,
// the summary and the commune detail ask for the same components).
type Tables struct {
	s  *Service
	mu sync.Mutex
	m  map[tableKey]*Table
}

type tableKey struct {
	id       analytics.MetricID
	p        analytics.ProvinceCode
	from, to time.Time
}

// Tables starts the memo of one request's tables.
func (s *Service) Tables() *Tables {
	return &Tables{s: s, m: map[tableKey]*Table{}}
}

// Get computes metric m for province p ("" = all) over w.
func (ts *Tables) Get(ctx context.Context, m analytics.Metric, p analytics.ProvinceCode, w analytics.Window) (*Table, error) {
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

// Req is one table GetAll computes: a metric for a province ("" = all)
// over a window.
type Req struct {
	Metric   analytics.Metric
	Province analytics.ProvinceCode
	Window   analytics.Window
}

// GetAll computes several tables at once: the engine answers each on a
// connection of its own, so a comparison or a composite index takes about
// as long as its slowest query instead of the sum.
func (ts *Tables) GetAll(ctx context.Context, reqs []Req) ([]*Table, error) {
	out := make([]*Table, len(reqs))
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxParallelQueries)
	for i, r := range reqs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = ts.Get(ctx, r.Metric, r.Province, r.Window)
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

func (ts *Tables) plain(ctx context.Context, m analytics.Metric, p analytics.ProvinceCode, w analytics.Window) (*Table, error) {
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
	cs := ts.s.Communes(p)
	t := ts.newTable(m, p, w, cs)
	// The figures from memory come one per commune in the communes' order
	// (both by code): then they are read by position, without a map of
	// 3,321 entries per national request; else (SQL: only the communes
	// with data) by code.
	aligned := len(figs) == len(cs)
	for i := 0; aligned && i < len(cs); i++ {
		aligned = figs[i].Commune == cs[i].Code
	}
	var got map[analytics.CommuneCode]analytics.CommuneFigure
	if !aligned {
		got = make(map[analytics.CommuneCode]analytics.CommuneFigure, len(figs))
		for _, f := range figs {
			got[f.Commune] = f
		}
	}
	with := make([]analytics.CommuneFigure, 0, len(cs))
	// A commune's reason depends only on its province's reporting and on
	// whether its denominator is 0: worked out once per province and case,
	// and counted there. The communes come province by province, so the
	// last verdict is kept beside the map (a map look-up a commune was 4 %
	// of a national map's CPU).
	type noDataKey struct {
		p       analytics.ProvinceCode
		zeroDen bool
	}
	type verdict struct {
		reason analytics.Reason
		none   bool
		n      int // communes with no data given it
	}
	verdicts := map[noDataKey]*verdict{}
	var (
		lastKey noDataKey
		last    *verdict
	)
	for i, c := range cs {
		var f analytics.CommuneFigure
		if aligned {
			f = figs[i]
		} else {
			f = got[c.Code]
		}
		if k := (noDataKey{c.Province, f.Den == 0}); last == nil || k != lastKey {
			if last = verdicts[k]; last == nil {
				last = &verdict{}
				last.reason, last.none = m.NoDataReason(w, now, reps[c.Province], f.Den)
				verdicts[k] = last
			}
			lastKey = k
		}
		if last.none {
			t.setAt(i, Figure{Num: f.Num, Den: f.Den, Reason: last.reason})
			t.NoData++
			last.n++
			continue
		}
		v, _ := f.Value(m)
		t.setAt(i, Figure{Num: f.Num, Den: f.Den, Value: v, OK: true})
		with = append(with, f)
	}
	reasons := map[analytics.Reason]int{}
	for _, vd := range verdicts {
		reasons[vd.reason] += vd.n
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
func (ts *Tables) reporting(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) (map[analytics.ProvinceCode]analytics.Reporting, error) {
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
func (ts *Tables) composite(ctx context.Context, m analytics.Metric, p analytics.ProvinceCode, w analytics.Window) (*Table, error) {
	ids := make([]analytics.MetricID, 0, len(ts.s.weights))
	for id := range ts.s.weights {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var reqs []Req
	for _, id := range ids {
		if cm, ok := analytics.MetricByID(id); ok {
			reqs = append(reqs, Req{cm, p, w})
		}
	}
	got, err := ts.GetAll(ctx, reqs)
	if err != nil {
		return nil, err
	}
	comps := make(map[analytics.MetricID]*Table, len(reqs))
	for i, r := range reqs {
		comps[r.Metric.ID] = got[i]
	}
	cs := ts.s.Communes(p)
	t := ts.newTable(m, p, w, cs)
	reasons := map[analytics.Reason]int{}
	for i, c := range cs {
		f, reason := compositeOf(ts.s.weights, comps, func(ct *Table) Figure { f, _ := ct.At(i, c); return f })
		t.setAt(i, f)
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
// component tables (analytics.CompositeFigure); fig reads its figure from
// a component table.
func compositeOf(w analytics.EffectivenessWeights, comps map[analytics.MetricID]*Table, fig func(*Table) Figure) (Figure, analytics.Reason) {
	in := make(map[analytics.MetricID]analytics.Component, len(comps))
	for id, ct := range comps {
		f := fig(ct)
		in[id] = analytics.Component{Value: f.Value, OK: f.OK, Reason: f.Reason}
	}
	r, reason := analytics.CompositeFigure(w, in)
	if r.OK {
		return Figure{Num: r.Index, Den: 1, Value: r.Index, OK: true}, ""
	}
	return Figure{Reason: reason, Missing: r.Missing}, reason
}
