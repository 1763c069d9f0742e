// Package memagg keeps the per-commune figures of the catalogue metrics in
// memory, as small columnar tables, so that a map's MetricByCommune is
// answered in microseconds instead of an engine round trip (issue 20).
//
// What it holds, per 2025 commune: the incident counters of every day that
// received an incident or a tip (daily counts with a running total every
// blockRows days, so a window of any length is two short searches and a
// few additions; and running totals at each half-month's start, the 1st
// and the 15th, so a window that begins and ends on one, as police years
// and months and calendar months do, is two reads), the sites and models
// counted per start date, retirement date and advanced flag, and the
// grades per police year and grade. Every window the dashboard asks
// (police years, months, custom from/to, comparison windows) sums these
// exactly.
// What it cannot answer exactly (medians, distinct counts, former units,
// counters it does not hold) it leaves to the wrapped reader, the
// store's SQL; so does every other Reader method.
//
// The tables are rebuilt from the store's own FINAL rows (restated to the
// 2025 communes, newest version of each key, undone batches gone) when an
// ingest or an undo commits: cmd/antq calls Refresh from the store's commit
// hook, before the response caches are emptied. A refresh builds a new
// snapshot beside the old one and swaps a pointer: readers see the old
// tables or the new ones, never half. A refresh that fails drops the
// snapshot, and every figure comes from SQL until the next refresh succeeds:
// never a wrong number.
//
// memagg imports only analytics and the standard library; the store feeds
// it through Source.
package memagg

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// Source is what the tables are built from and what they delegate to: the
// store.
type Source interface {
	analytics.Reader
	analytics.ProvinceLister
	// CommuneRefs lists every 2025 commune, ordered by code.
	CommuneRefs(ctx context.Context) ([]analytics.CommuneRef, error)
	// IncidentDays counts a province's incidents per commune and day.
	IncidentDays(ctx context.Context, p analytics.ProvinceCode) ([]analytics.IncidentDay, error)
	// Spans counts a province's sites and models per commune and dates.
	Spans(ctx context.Context, p analytics.ProvinceCode) ([]analytics.SpanCount, error)
	// GradeCounts counts a province's grades per commune, year and grade.
	GradeCounts(ctx context.Context, p analytics.ProvinceCode) ([]analytics.GradeCount, error)
}

// Reader answers MetricByCommune from memory for the metrics it can answer
// exactly, and passes everything else to the Source.
type Reader struct {
	analytics.Reader // every other method: the store

	src   Source
	plans map[analytics.MetricID]plan
	snap  atomic.Pointer[snapshot]
	mu    sync.Mutex // serialises refreshes
	err   atomic.Pointer[error]
}

// New returns a Reader over src with no tables yet: until Refresh
// succeeds, every figure comes from src.
func New(src Source) *Reader {
	r := &Reader{Reader: src, src: src, plans: map[analytics.MetricID]plan{}}
	for _, m := range analytics.Metrics {
		if p, ok := planOf(m); ok {
			r.plans[m.ID] = p
		}
	}
	return r
}

// Answers reports whether the tables answer metric id (when loaded).
func (r *Reader) Answers(id analytics.MetricID) bool {
	_, ok := r.plans[id]
	return ok
}

// Loaded reports whether the tables are in use, and the last refresh's
// error when they are not.
func (r *Reader) Loaded() (bool, error) {
	var err error
	if p := r.err.Load(); p != nil {
		err = *p
	}
	return r.snap.Load() != nil, err
}

// MetricByCommune computes a catalogue metric for every 2025 commune of a
// province ("" = all) over a window, from memory when the tables are loaded
// and hold the metric, else from the store; the figures are the same.
func (r *Reader) MetricByCommune(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) ([]analytics.CommuneFigure, error) {
	s := r.snap.Load()
	pl, ok := r.plans[id]
	win, inRange := windowOf(w)
	if s == nil || !ok || !inRange {
		return r.src.MetricByCommune(ctx, id, p, w)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("metric %s: %w", id, err)
	}
	return s.figures(pl, p, win), nil
}

// Refresh rebuilds the tables of provinces (nil or the first time: all)
// and the commune frame, and swaps them in. On failure the tables are
// dropped and the store answers until a later Refresh succeeds.
func (r *Reader) Refresh(ctx context.Context, provinces []analytics.ProvinceCode) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snap.Load()
	s, err := r.build(ctx, old, provinces)
	if err != nil {
		r.snap.Store(nil)
		err = fmt.Errorf("in-memory aggregates: %w", err)
		r.err.Store(&err)
		return err
	}
	r.snap.Store(s)
	r.err.Store(nil)
	return nil
}

// Stats describe the tables in use.
type Stats struct {
	Communes    int // in the frame
	Provinces   int // holding records
	IncidentDay int // (province, commune, day) rows
	Spans       int // (province, commune, kind, start, end, flag) rows
	Grades      int // (province, commune, year, grade) rows
	Bytes       int64
}

// Stats returns the size of the tables in use (zero when none).
func (r *Reader) Stats() Stats {
	s := r.snap.Load()
	if s == nil {
		return Stats{}
	}
	st := Stats{Communes: len(s.communes), Provinces: len(s.provs)}
	st.Bytes = int64(len(s.communes)) * (16 + 16 + 16 + 24) // ref, index, national list header
	for _, pd := range s.provs {
		for _, c := range pd {
			st.IncidentDay += len(c.days)
			st.Spans += len(c.sites) + len(c.models)
			st.Grades += len(c.grades)
			st.Bytes += int64(len(c.days))*(2+2*nCounters) + int64(len(c.days)/blockRows+1)*(2+4*nCounters) + int64(len(c.hmCum))*4 +
				int64(len(c.sites)+len(c.models))*16 + int64(len(c.grades))*24 + (3+2*nCounters)*24 + 64 // slice headers, map entry
		}
	}
	return st
}

// counters held per commune and day. The rows (incidents and tips) are
// incidents + tips, checked when the tables are built.
const (
	ctrIncidents = iota
	ctrResolvedLocal
	ctrMediated
	ctrMediationConcluded
	ctrTips
	ctrTipsUseful
	nCounters
	ctrRows = -1
)

// counterIndex maps the catalogue's counter names (Expr.Counter) to the
// counters held. The half-month aggregates also hold closed, pending and
// the days to close; no catalogue figure that memory answers reads them
// (the median's does, and it stays with SQL).
var counterIndex = map[string]int{
	analytics.CounterRows: ctrRows, "incidents": ctrIncidents,
	"resolved_local": ctrResolvedLocal, "mediated": ctrMediated, "mediation_concluded": ctrMediationConcluded,
	"tips": ctrTips, "tips_useful": ctrTipsUseful,
}

// blockRows is how many days share one stored running total: a window's
// edge adds at most blockRows-1 daily counts to it. Daily counts take 2
// bytes, running totals 4 and a block's first day 2, so a (commune, day)
// costs about 2 + 2×nCounters + (2 + 4×nCounters)/blockRows bytes.
const blockRows = 16

// Missing dates: a record without a start counts as started before any
// window, one without a retirement as never retired; the SQL's NULL tests
// give the same.
const (
	noStart = math.MinInt32
	noEnd   = math.MaxInt32
)

// span is a count of records sharing start, end and flag.
type span struct {
	start, end int32 // days since 1970-01-01
	advanced   bool
	n          uint32
}

// communeData is one province's records of one commune.
type communeData struct {
	days   []uint16 // days (since 1970-01-01) with incidents or tips, ascending
	firsts []uint16 // firsts[b] = days[b×blockRows]: rangeOf searches these first
	// Running totals at half-month starts (the 1st and the 15th), for a
	// window that begins and ends on one (police years and months,
	// calendar months and years): hmCum[j×hmStride+k] is counter k (k =
	// nCounters: the number of days) over the days before half-month
	// hmFirst+j, for j from 0 to one past the last day's.
	hmFirst int32
	hmCum   []uint32
	count   [nCounters][]uint16 // count[k][i]: counter k on days[i]
	blocks  [nCounters][]uint32 // blocks[k][b] = Σ count[k][:b×blockRows]
	sites   []span
	models  []span
	grades  []gradeCount
}

// gradeCount counts grades of one police year with the same grade.
type gradeCount struct {
	grade string // shared with every other row of the grade
	year  uint16
	n     uint32
}

// snapshot is one immutable generation of the tables.
type snapshot struct {
	communes []analytics.CommuneRef // the frame, ordered by code
	byProv   map[analytics.ProvinceCode][]int
	// national: each commune's data from every province's records.
	national [][]*communeData
	provs    map[analytics.ProvinceCode]map[analytics.CommuneCode]*communeData
}

func (r *Reader) build(ctx context.Context, old *snapshot, provinces []analytics.ProvinceCode) (*snapshot, error) {
	refs, err := r.src.CommuneRefs(ctx)
	if err != nil {
		return nil, err
	}
	s := &snapshot{communes: refs, byProv: map[analytics.ProvinceCode][]int{},
		provs: map[analytics.ProvinceCode]map[analytics.CommuneCode]*communeData{}}
	if !slices.IsSortedFunc(refs, func(a, b analytics.CommuneRef) int { return cmp.Compare(a.Code, b.Code) }) {
		return nil, errors.New("communes are not ordered by code")
	}
	for i, c := range refs {
		s.byProv[c.Province] = append(s.byProv[c.Province], i)
	}
	load := provinces
	if old == nil || provinces == nil {
		held := map[analytics.ProvinceCode]bool{}
		for _, k := range []analytics.Kind{analytics.KindIncidents, analytics.KindSites, analytics.KindModels, analytics.KindGrades} {
			ps, err := r.src.Provinces(ctx, k)
			if err != nil {
				return nil, err
			}
			for p := range ps {
				held[p] = true
			}
		}
		load = nil
		for p := range held {
			load = append(load, p)
		}
	} else {
		for p, d := range old.provs {
			if !slices.Contains(provinces, p) {
				s.provs[p] = d // unchanged: shared, never written
			}
		}
	}
	for _, p := range load {
		d, err := r.loadProvince(ctx, p)
		if err != nil {
			return nil, err
		}
		if len(d) > 0 {
			s.provs[p] = d
		}
	}
	idx := make(map[analytics.CommuneCode][]int, len(refs))
	for i, c := range refs {
		idx[c.Code] = append(idx[c.Code], i)
	}
	s.national = make([][]*communeData, len(refs))
	ps := make([]analytics.ProvinceCode, 0, len(s.provs))
	for p := range s.provs {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	for _, p := range ps {
		for code, d := range s.provs[p] {
			for _, i := range idx[code] {
				s.national[i] = append(s.national[i], d)
			}
		}
	}
	return s, nil
}

// loadProvince builds one province's tables.
func (r *Reader) loadProvince(ctx context.Context, p analytics.ProvinceCode) (map[analytics.CommuneCode]*communeData, error) {
	out := map[analytics.CommuneCode]*communeData{}
	get := func(c analytics.CommuneCode) *communeData {
		d := out[c]
		if d == nil {
			d = &communeData{}
			out[c] = d
		}
		return d
	}
	days, err := r.src.IncidentDays(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, x := range days {
		if x.Province != p {
			return nil, fmt.Errorf("incident days of province %s: a row of province %s", p, x.Province)
		}
		d := get(x.Commune)
		day, ok := dayOf(x.Day)
		if !ok {
			return nil, fmt.Errorf("incident day %s out of range", x.Day.Format(time.DateOnly))
		}
		if n := len(d.days); n > 0 && int32(d.days[n-1]) >= day {
			return nil, fmt.Errorf("incident days of commune %s are not in order", x.Commune)
		}
		// Every day holds a row, so a window holds rows when it holds a day
		// (expr.eval of AnyOf rows).
		if x.Rows == 0 {
			return nil, fmt.Errorf("commune %s on %s: a day of no incident or tip", x.Commune, x.Day.Format(time.DateOnly))
		}
		if x.Rows != x.Incidents+x.Tips {
			return nil, fmt.Errorf("commune %s on %s: %d rows but %d incidents and %d tips", x.Commune, x.Day.Format(time.DateOnly), x.Rows, x.Incidents, x.Tips)
		}
		if len(d.days)%blockRows == 0 {
			d.firsts = append(d.firsts, uint16(day))
			for k := range d.blocks {
				var sum uint64
				if n := len(d.blocks[k]); n > 0 {
					sum = uint64(d.blocks[k][n-1])
					for _, v := range d.count[k][len(d.days)-blockRows:] {
						sum += uint64(v)
					}
				}
				if sum > math.MaxUint32 {
					return nil, fmt.Errorf("commune %s: more than %d incidents", x.Commune, uint32(math.MaxUint32))
				}
				d.blocks[k] = append(d.blocks[k], uint32(sum))
			}
		}
		d.days = append(d.days, uint16(day))
		for k, v := range [nCounters]uint64{x.Incidents, x.ResolvedLocal, x.Mediated, x.MediationConcluded, x.Tips, x.TipsUseful} {
			if v > math.MaxUint16 {
				return nil, fmt.Errorf("commune %s on %s: %d incidents in a day", x.Commune, x.Day.Format(time.DateOnly), v)
			}
			d.count[k] = append(d.count[k], uint16(v))
		}
	}
	spans, err := r.src.Spans(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, x := range spans {
		if x.Province != p {
			return nil, fmt.Errorf("spans of province %s: a row of province %s", p, x.Province)
		}
		sp := span{start: noStart, end: noEnd, advanced: x.Advanced}
		var ok bool
		if !x.Start.IsZero() {
			if sp.start, ok = dayOf(x.Start); !ok {
				return nil, fmt.Errorf("start %s out of range", x.Start.Format(time.DateOnly))
			}
		}
		if !x.End.IsZero() {
			if sp.end, ok = dayOf(x.End); !ok {
				return nil, fmt.Errorf("end %s out of range", x.End.Format(time.DateOnly))
			}
		}
		if x.N > math.MaxUint32 {
			return nil, fmt.Errorf("commune %s: %d records", x.Commune, x.N)
		}
		sp.n = uint32(x.N)
		d := get(x.Commune)
		switch x.Kind {
		case analytics.KindSites:
			d.sites = append(d.sites, sp)
		case analytics.KindModels:
			d.models = append(d.models, sp)
		default:
			return nil, fmt.Errorf("spans: unknown kind %q", x.Kind)
		}
	}
	grades, err := r.src.GradeCounts(ctx, p)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, x := range grades {
		if x.Province != p {
			return nil, fmt.Errorf("grade counts of province %s: a row of province %s", p, x.Province)
		}
		if x.N > math.MaxUint32 {
			return nil, fmt.Errorf("commune %s: %d grades", x.Commune, x.N)
		}
		g, ok := names[x.Grade]
		if !ok {
			g, names[x.Grade] = x.Grade, x.Grade
		}
		d := get(x.Commune)
		d.grades = append(d.grades, gradeCount{grade: g, year: x.Year, n: uint32(x.N)})
	}
	// Shrink what append over-allocated: these live until the next commit.
	for code, d := range out {
		if err := d.buildHalves(); err != nil {
			return nil, fmt.Errorf("commune %s: %w", code, err)
		}
		d.days, d.firsts = slices.Clip(d.days), slices.Clip(d.firsts)
		for k := range d.count {
			d.count[k], d.blocks[k] = slices.Clip(d.count[k]), slices.Clip(d.blocks[k])
		}
		d.sites, d.models, d.grades = slices.Clip(d.sites), slices.Clip(d.models), slices.Clip(d.grades)
	}
	return out, nil
}

// figures evaluates plan pl for the communes of province p ("" = all),
// in the frame's order (by code), as the SQL returns them.
func (s *snapshot) figures(pl plan, p analytics.ProvinceCode, w window) []analytics.CommuneFigure {
	var idx []int
	if p != "" {
		idx = s.byProv[p]
		if len(idx) == 0 {
			return nil
		}
	}
	n := len(s.communes)
	if p != "" {
		n = len(idx)
	}
	if n == 0 {
		return nil
	}
	out := make([]analytics.CommuneFigure, n)
	var one [1]*communeData
	var rs []dayRange // the window's days in each of ds, for both sides
	days := pl.num.kind == exprIncidents || pl.den.kind == exprIncidents
	prov := s.provs[p]
	for j := range n {
		i := j
		var ds []*communeData
		if p != "" {
			i = idx[j]
			one[0] = prov[s.communes[i].Code]
			ds = one[:]
			if one[0] == nil {
				ds = nil
			}
		} else {
			ds = s.national[i]
		}
		rs = rs[:0]
		if days {
			for _, d := range ds {
				rs = append(rs, d.rangeOfWindow(w))
			}
		}
		c := &s.communes[i]
		out[j] = analytics.CommuneFigure{Commune: c.Code, Num: pl.num.eval(c, ds, rs, w), Den: pl.den.eval(c, ds, rs, w)}
	}
	return out
}

// window is a request's window as the metric SQL's parameters have it:
// from and to as days since 1970-01-01 (the calendar days of its Date
// parameters), and the police year grades are read for (grade_year);
// when both ends start a half-month (halves), their half-months.
type window struct {
	from, to     int32
	gradeYear    int
	halves       bool
	hmFrom, hmTo int32
}

// windowOf returns w as a window, and false when the store's Date type
// could not hold it (then the SQL answers, or fails).
func windowOf(w analytics.Window) (window, bool) {
	from, ok1 := dayOf(w.From)
	to, ok2 := dayOf(w.To)
	return windowOfDays(from, to, analytics.PoliceYearOf(w.Last())), ok1 && ok2
}

// windowOfDays is the window [from, to) of days.
func windowOfDays(from, to int32, gradeYear int) window {
	hf, af := halfMonth(from)
	ht, at := halfMonth(to)
	return window{from: from, to: to, gradeYear: gradeYear, halves: af && at, hmFrom: hf, hmTo: ht}
}

// hmStride is a half-month's running totals: the counters and the days.
const hmStride = nCounters + 1

// halfMonth is the half-month of day (days since 1970-01-01), counted
// from year 0 (year×24 + month×2, + 1 from the 15th), and whether day
// starts it.
func halfMonth(day int32) (int32, bool) {
	y, m, dd := time.Unix(int64(day)*86400, 0).UTC().Date()
	h := int32(y)*24 + int32(m-1)*2
	if dd >= 15 {
		h++
	}
	return h, dd == 1 || dd == 15
}

// buildHalves makes d's running totals at half-month starts (hmCum) from
// its days.
func (d *communeData) buildHalves() error {
	if len(d.days) == 0 {
		return nil
	}
	first, _ := halfMonth(int32(d.days[0]))
	last, _ := halfMonth(int32(d.days[len(d.days)-1]))
	n := int(last-first) + 2
	cum := make([]uint32, n*hmStride)
	var run [hmStride]uint64
	put := func(j int) error {
		for k, v := range run {
			if v > math.MaxUint32 {
				return fmt.Errorf("more than %d incidents", uint32(math.MaxUint32))
			}
			cum[j*hmStride+k] = uint32(v)
		}
		return nil
	}
	j := 0 // groups before j are filled
	for i, day := range d.days {
		h, _ := halfMonth(int32(day))
		for ; j <= int(h-first); j++ { // the totals before half-month first+j: the days so far
			if err := put(j); err != nil {
				return err
			}
		}
		for k := range nCounters {
			run[k] += uint64(d.count[k][i])
		}
		run[nCounters]++
	}
	for ; j < n; j++ {
		if err := put(j); err != nil {
			return err
		}
	}
	d.hmFirst, d.hmCum = first, cum
	return nil
}

func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dayOf is t's calendar day as days since 1970-01-01, within the range of
// ClickHouse's Date (1970-01-01 to 2149-06-06).
func dayOf(t time.Time) (int32, bool) {
	d := dayStart(t).Unix() / 86400
	return int32(d), d >= 0 && d <= math.MaxUint16
}

// sumDays is counter k of d over the days in [from, to); ctrRows is
// incidents + tips.
func (d *communeData) sumDays(k int, from, to int32) uint64 {
	return d.sumRange(k, d.rangeOf(from, to))
}

// dayRange is the days of a window as indexes into a commune's days,
// days[lo:hi]; or, halves, as indexes of its running totals at
// half-month starts (hmCum).
type dayRange struct {
	lo, hi int
	halves bool
}

// rangeOfWindow is rangeOf w: for a window that begins and ends on a
// half-month's start, two running totals at known places (no search, one
// cache line each: the figures of a national map read 4.3 M commune-days
// on the national dataset, and a search missed the cache at most steps);
// else the days.
func (d *communeData) rangeOfWindow(w window) dayRange {
	if !w.halves || d.hmCum == nil {
		return d.rangeOf(w.from, w.to)
	}
	last := int32(len(d.hmCum)/hmStride - 1)
	lo := min(max(w.hmFrom-d.hmFirst, 0), last)
	hi := min(max(w.hmTo-d.hmFirst, 0), last)
	return dayRange{lo: int(lo), hi: int(max(hi, lo)), halves: true}
}

// dayCount is the number of days of r, each with a row.
func (d *communeData) dayCount(r dayRange) uint64 {
	if r.halves {
		return uint64(d.hmCum[r.hi*hmStride+nCounters] - d.hmCum[r.lo*hmStride+nCounters])
	}
	return uint64(r.hi - r.lo)
}

// rangeOf finds the days in [from, to), once per commune and window for
// both sides of a metric (figures). On the national dataset (4.3 M
// commune-days, 70 MB) the searches and the sums after them are
// memory-bound: a national incidents map against another year searched
// twelve times a commune and summed ten, ≈ 5 ms of CPU a request (profile
// of `antq serve --cache-mb 0`).
func (d *communeData) rangeOf(from, to int32) dayRange {
	lo := d.search(from)
	return dayRange{lo: lo, hi: max(d.search(to), lo)}
}

// search is the index of the first day at or after day (len(days) if
// none): a binary search over the blocks' first days (a commune's ≈ 80
// blocks of a national dataset: a few cache lines), then a scan of one
// block, instead of a binary search over all days, which missed the cache
// at nearly every step.
func (d *communeData) search(day int32) int {
	b := sort.Search(len(d.firsts), func(i int) bool { return int32(d.firsts[i]) >= day })
	if b == 0 {
		return 0 // days[0] ≥ day, or no days
	}
	i, end := (b-1)*blockRows+1, min(b*blockRows, len(d.days)) // days[i-1] < day
	for i < end && int32(d.days[i]) < day {
		i++
	}
	return i
}

// sumRange is counter k of d over the days of r; ctrRows is incidents +
// tips.
func (d *communeData) sumRange(k int, r dayRange) uint64 {
	if r.hi <= r.lo {
		return 0
	}
	if k == ctrRows {
		return d.sumRange(ctrIncidents, r) + d.sumRange(ctrTips, r)
	}
	if r.halves {
		return uint64(d.hmCum[r.hi*hmStride+k] - d.hmCum[r.lo*hmStride+k])
	}
	return d.prefix(k, r.hi) - d.prefix(k, r.lo)
}

// prefix is Σ counter k over days[:i].
func (d *communeData) prefix(k, i int) uint64 {
	b := min(i/blockRows, len(d.blocks[k])-1) // i = len(days) may end a full block
	sum := uint64(d.blocks[k][b])
	for _, v := range d.count[k][b*blockRows : i] {
		sum += uint64(v)
	}
	return sum
}
