package memagg

import (
	"context"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// TestSumDays checks the blocked running totals against a plain sum over
// every window of communes with 0 to 50 days (full blocks included), and
// that the rows are incidents + tips.
func TestSumDays(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	halves := 0 // windows summed by half-months
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := range 51 {
		var xs []analytics.IncidentDay
		d := 0
		for range n {
			d += 1 + rng.IntN(3)
			x := analytics.IncidentDay{Province: "08", Commune: "08001", Day: base.AddDate(0, 0, d),
				Incidents: uint64(rng.IntN(5)), Tips: uint64(rng.IntN(3)), TipsUseful: uint64(rng.IntN(2))}
			if x.Incidents+x.Tips == 0 { // a day of the store holds a row
				x.Tips = 1
			}
			x.Rows = x.Incidents + x.Tips
			xs = append(xs, x)
		}
		c := loadCommune(t, xs)
		if n == 0 {
			if c != nil {
				t.Fatal("data for a commune without days")
			}
			continue
		}
		first, _ := dayOf(base)
		// From three weeks before the first day to three weeks after the
		// last: windows that begin or end outside the days, and on either
		// side of half-month starts.
		for from := first - 21; from <= first+int32(d)+21; from++ {
			for to := from; to <= first+int32(d)+21; to++ {
				var inc, tips, rows, days uint64
				for _, x := range xs {
					if day, _ := dayOf(x.Day); day >= from && day < to {
						inc, tips, rows, days = inc+x.Incidents, tips+x.Tips, rows+x.Rows, days+1
					}
				}
				// As a request's window: by the running totals at
				// half-month starts when it begins and ends on one.
				w := windowOfDays(from, to, 0)
				if w.halves {
					halves++
				}
				r := c.rangeOfWindow(w)
				if r.halves != w.halves {
					t.Fatalf("[%d, %d): by half-months %v, the window's ends start half-months %v", from-first, to-first, r.halves, w.halves)
				}
				for k, want := range map[int]uint64{ctrIncidents: inc, ctrTips: tips, ctrRows: rows} {
					if got := c.sumRange(k, r); got != want {
						t.Fatalf("%d days, [%d, %d) (halves %v): counter %d is %d, want %d", n, from-first, to-first, r.halves, k, got, want)
					}
				}
				if got := c.dayCount(r); got != days {
					t.Fatalf("%d days, [%d, %d) (halves %v): %d days, want %d", n, from-first, to-first, r.halves, got, days)
				}
				if got := c.sumDays(ctrIncidents, from, to); got != inc {
					t.Fatalf("%d days, [%d, %d): incidents %d, want %d", n, from-first, to-first, got, inc)
				}
				if got := c.sumDays(ctrTips, from, to); got != tips {
					t.Fatalf("%d days, [%d, %d): tips %d, want %d", n, from-first, to-first, got, tips)
				}
				if got := c.sumDays(ctrRows, from, to); got != rows {
					t.Fatalf("%d days, [%d, %d): rows %d, want %d", n, from-first, to-first, got, rows)
				}
				// AnyOf rows counts the days instead: above 0 exactly when
				// the rows are.
				rs := []dayRange{c.rangeOf(from, to)}
				for _, anyOf := range []bool{true, false} {
					x := expr{kind: exprIncidents, counter: ctrRows, any: anyOf}
					want := float64(rows)
					if anyOf {
						want = min(want, 1)
					}
					if got := x.eval(nil, []*communeData{c}, rs, window{from: from, to: to}); got != want {
						t.Fatalf("%d days, [%d, %d): rows (any %v) %v, want %v", n, from-first, to-first, anyOf, got, want)
					}
				}
			}
		}
	}
	if halves == 0 {
		t.Fatal("no window summed by half-months")
	}
}

// TestZeroRowDay: a day without a row (the store's query never gives one)
// is refused, since AnyOf rows counts days: the figures then come from SQL.
func TestZeroRowDay(t *testing.T) {
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r := &Reader{src: fakeSource{days: []analytics.IncidentDay{{Province: "08", Commune: "08001", Day: day}}}}
	if _, err := r.loadProvince(t.Context(), "08"); err == nil {
		t.Fatal("a day of no rows loaded")
	}
}

// loadCommune loads the days xs of commune 08001 (nil: it has none).
func loadCommune(tb testing.TB, xs []analytics.IncidentDay) *communeData {
	tb.Helper()
	r := &Reader{src: fakeSource{days: xs}}
	cd, err := r.loadProvince(tb.Context(), "08")
	if err != nil {
		tb.Fatal(err)
	}
	return cd["08001"]
}

type fakeSource struct {
	Source
	days []analytics.IncidentDay
}

func (f fakeSource) IncidentDays(context.Context, analytics.ProvinceCode) ([]analytics.IncidentDay, error) {
	return f.days, nil
}

func (f fakeSource) Spans(context.Context, analytics.ProvinceCode) ([]analytics.SpanCount, error) {
	return nil, nil
}

func (f fakeSource) GradeCounts(context.Context, analytics.ProvinceCode) ([]analytics.GradeCount, error) {
	return nil, nil
}

// BenchmarkWindowSums: one national map's incident sums over a police
// year, 3,321 communes of ≈ 1,300 days each (the national demo dataset's
// 4.3 M commune-days: 60 MB, more than the caches hold), as a rate map
// asks them (two counters) and as a count map with AnyOf rows does: the
// window's days found once through the blocks' first days (rangeOf)
// against a binary search over all days per counter (what it replaced)
// and once, side by side.
func BenchmarkWindowSums(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	cds := make([]*communeData, 3321)
	for i := range cds {
		var xs []analytics.IncidentDay
		for d := range 1461 {
			if rng.IntN(10) == 0 {
				continue
			}
			x := analytics.IncidentDay{Province: "08", Commune: "08001", Day: base.AddDate(0, 0, d),
				Incidents: uint64(1 + rng.IntN(3)), ResolvedLocal: uint64(rng.IntN(2)), Tips: uint64(rng.IntN(2))}
			x.Rows = x.Incidents + x.Tips
			xs = append(xs, x)
		}
		cds[i] = loadCommune(b, xs)
	}
	from, _ := dayOf(time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC))
	to, _ := dayOf(time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC))
	// binary is the search this replaced: binary, over all days; allDays
	// searched per counter.
	binary := func(d *communeData) dayRange {
		lo := sort.Search(len(d.days), func(i int) bool { return int32(d.days[i]) >= from })
		hi := lo + sort.Search(len(d.days)-lo, func(i int) bool { return int32(d.days[lo+i]) >= to })
		return dayRange{lo: lo, hi: max(hi, lo)}
	}
	allDays := func(d *communeData, k int) uint64 { return d.sumRange(k, binary(d)) }
	year := windowOfDays(from, to, 2025) // police year 2025: begins and ends on half-months
	var sink uint64
	for _, c := range []struct {
		name string
		sum  func(d *communeData) uint64
	}{
		{"rate/all_days", func(d *communeData) uint64 { return allDays(d, ctrResolvedLocal) + allDays(d, ctrIncidents) }},
		{"rate/binary_once", func(d *communeData) uint64 {
			r := binary(d)
			return d.sumRange(ctrResolvedLocal, r) + d.sumRange(ctrIncidents, r)
		}},
		{"rate/range_once", func(d *communeData) uint64 {
			r := d.rangeOf(from, to)
			return d.sumRange(ctrResolvedLocal, r) + d.sumRange(ctrIncidents, r)
		}},
		{"rate/halves", func(d *communeData) uint64 {
			r := d.rangeOfWindow(year)
			return d.sumRange(ctrResolvedLocal, r) + d.sumRange(ctrIncidents, r)
		}},
		{"count/all_days", func(d *communeData) uint64 { return allDays(d, ctrIncidents) + allDays(d, ctrRows) }},
		{"count/range_once", func(d *communeData) uint64 {
			r := d.rangeOf(from, to)
			return d.sumRange(ctrIncidents, r) + uint64(r.hi-r.lo)
		}},
		{"count/halves", func(d *communeData) uint64 {
			r := d.rangeOfWindow(year)
			return d.sumRange(ctrIncidents, r) + d.dayCount(r)
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, d := range cds {
					sink += c.sum(d)
				}
			}
		})
	}
	_ = sink
}
