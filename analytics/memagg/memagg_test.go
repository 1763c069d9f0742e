package memagg_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/memagg"
)

var ctx = context.Background()

func TestMain(m *testing.M) { os.Exit(chstoretest.Main(m)) }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func u32p(v uint32) *uint32 { return &v }

// communes of the test reference: Tuyên Quang (08) with four communes, one
// with its population flagged (NULL), one never given a record; Hà Nội (01)
// with two.
var communes = []chstore.RefCommune{
	{Code: "08001", Province: "08", FullName: "Xã Hùng Lợi", Name: "Hùng Lợi", Kind: "xã", AreaKm2: 50.25, Population: u32p(20000)},
	{Code: "08002", Province: "08", FullName: "Phường Hà Giang 1", Name: "Hà Giang 1", Kind: "phường", AreaKm2: 25, PopulationFlag: "implausible_low"},
	{Code: "08003", Province: "08", FullName: "Xã Trung Sơn", Name: "Trung Sơn", Kind: "xã", AreaKm2: 71.5, Population: u32p(9131)},
	{Code: "08004", Province: "08", FullName: "Xã Không Số Liệu", Name: "Không Số Liệu", Kind: "xã", AreaKm2: 12, Population: u32p(3000)},
	{Code: "01001", Province: "01", FullName: "Phường Ba Đình", Name: "Ba Đình", Kind: "phường", AreaKm2: 9.2, Population: u32p(65000)},
	{Code: "01002", Province: "01", FullName: "Xã Sóc Sơn", Name: "Sóc Sơn", Kind: "xã", AreaKm2: 30, Population: u32p(41000)},
}

func mustStore(t *testing.T) *chstore.Store {
	t.Helper()
	s := chstoretest.Open(t)
	ref := chstore.Reference{
		Fingerprint: "memagg-1",
		Provinces: []chstore.RefProvince{
			{Code: "08", Name: "Tỉnh Tuyên Quang", AreaKm2: 13795.5, Communes: 4},
			{Code: "01", Name: "Thành phố Hà Nội", AreaKm2: 3359.8, Communes: 2},
		},
		Communes: communes,
		Crosswalk: []chstore.RefCrosswalk{
			{OldCode: "O1", OldName: "Xã Trung Minh", NewCode: "08001", NewProvince: "08", Share: 1},
			{OldCode: "O2", OldName: "Xã Cũ", NewCode: "01001", NewProvince: "01", Share: 1},
		},
	}
	if _, err := s.LoadReference(ctx, ref); err != nil {
		t.Fatalf("load reference: %v", err)
	}
	return s
}

// randomBatch makes records over keys drawn from small pools, so later
// batches correct records of earlier ones (a new version of the same key),
// and dates spread over 2023-2025, some missing. Commune "08004" gets none.
func randomBatch(rng *rand.Rand, n int) analytics.Batch {
	places := []analytics.CommuneCode{"08001", "08002", "08003", "01001", "01002"}
	loc := func() analytics.Located {
		c := places[rng.IntN(len(places))]
		return analytics.Located{Province: analytics.ProvinceCode(c[:2]), Commune: c, OldCode: "O1", Rule: analytics.RuleExactCode, Confidence: 1}
	}
	// A quarter of the dates fall on or next to the windows' edges (see
	// windows), where an off-by-one day would show.
	edges := []string{"2023-12-14", "2023-12-15", "2024-12-14", "2024-12-15", "2023-01-01", "2023-12-31", "2024-01-01",
		"2024-12-31", "2025-06-14", "2025-06-15", "2024-06-14", "2024-06-15", "2024-09-14", "2024-09-15",
		"2024-03-14", "2024-03-15", "2024-04-14", "2024-04-15"}
	date := func() time.Time {
		if rng.IntN(4) == 0 {
			return day(edges[rng.IntN(len(edges))])
		}
		return day("2023-01-01").AddDate(0, 0, rng.IntN(3*365))
	}
	maybe := func() time.Time {
		if rng.IntN(3) == 0 {
			return time.Time{}
		}
		return date()
	}
	var b analytics.Batch
	for range n {
		in := analytics.Incident{Key: fmt.Sprintf("i%d", rng.IntN(400)), Hash: rng.Uint64(), Received: date(),
			Outcome: analytics.Outcomes[rng.IntN(len(analytics.Outcomes))], Tip: rng.IntN(4) == 0, Located: loc()}
		in.TipUseful = in.Tip && rng.IntN(2) == 0
		if rng.IntN(3) > 0 {
			in.Closed = in.Received.AddDate(0, 0, rng.IntN(40))
		}
		b.Incidents = append(b.Incidents, in)
	}
	for range n / 3 {
		s := analytics.Site{Key: fmt.Sprintf("s%d", rng.IntN(120)), Hash: rng.Uint64(), ModelType: "5 tự quản", Opened: maybe(), Retired: maybe(), Located: loc()}
		b.Sites = append(b.Sites, s)
	}
	for range n / 6 {
		m := analytics.Model{Key: fmt.Sprintf("m%d", rng.IntN(60)), Hash: rng.Uint64(), Name: "Mô hình", Type: "5 tự quản", Founded: maybe(), Retired: maybe(),
			Advanced: rng.IntN(2) == 0, Located: loc()}
		b.Models = append(b.Models, m)
	}
	for range n / 4 {
		g := analytics.Grade{Key: fmt.Sprintf("g%d", rng.IntN(80)), Hash: rng.Uint64(), SiteKey: "s1", Year: uint16(2023 + rng.IntN(4)),
			Grade: analytics.Grades[rng.IntN(len(analytics.Grades))], Located: loc()}
		b.Grades = append(b.Grades, g)
	}
	// A key once in a batch: the store writes what the ingest hands it, and
	// the ingest never repeats a key within a batch.
	b.Incidents = uniq(b.Incidents, func(x analytics.Incident) string { return x.Key })
	b.Sites = uniq(b.Sites, func(x analytics.Site) string { return x.Key })
	b.Models = uniq(b.Models, func(x analytics.Model) string { return x.Key })
	b.Grades = uniq(b.Grades, func(x analytics.Grade) string { return x.Key })
	return b
}

func uniq[T any](xs []T, key func(T) string) []T {
	seen := map[string]bool{}
	return slices.DeleteFunc(xs, func(x T) bool {
		k := key(x)
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

func provincesOf(b analytics.Batch) []analytics.ProvinceCode {
	var ps []analytics.ProvinceCode
	add := func(p analytics.ProvinceCode) {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	for _, x := range b.Incidents {
		add(x.Province)
	}
	for _, x := range b.Sites {
		add(x.Province)
	}
	for _, x := range b.Models {
		add(x.Province)
	}
	for _, x := range b.Grades {
		add(x.Province)
	}
	slices.Sort(ps)
	return ps
}

// windows the comparison asks: police and calendar periods (half-month
// aligned: the SQL reads the aggregates), a month, custom ranges that are
// not aligned (the SQL reads the incidents), a comparison window and an
// empty one before any data.
func windows(t *testing.T, rng *rand.Rand) []analytics.Window {
	t.Helper()
	now := day("2026-01-10")
	var out []analytics.Window
	for _, spec := range []string{"2024", "cal2023", "2025H1", "2024Q3"} {
		w, err := analytics.ParsePeriod(spec, now)
		if err != nil {
			t.Fatalf("period %s: %v", spec, err)
		}
		out = append(out, w)
	}
	out = append(out,
		analytics.Window{Spec: "custom", From: day("2024-03-15"), To: day("2024-04-15")},
		analytics.Window{Spec: "custom", From: day("2019-01-01"), To: day("2020-01-01")},
		analytics.Window{Spec: "custom", From: day("2022-12-31"), To: day("2026-01-01")},
	)
	for range 3 {
		from := day("2023-01-01").AddDate(0, 0, rng.IntN(3*365))
		out = append(out, analytics.Window{Spec: "custom", From: from, To: from.AddDate(0, 0, 1+rng.IntN(200))})
	}
	return out
}

// answered are the metrics memory must answer itself; the test fails if a
// change sends one back to SQL unnoticed.
var answered = []analytics.MetricID{
	"models", "sites", "sites_per_commune", "sites_per_10k", "sites_per_100km2", "commune_coverage",
	"new_sites", "retired_sites", "retirement_rate", "share_good", "advanced", "incidents", "resolved_local",
	"resolution_rate", "mediation_rate", "tips", "useful_tip_share", "incidents_per_site",
}

// compare asks every catalogue metric of every province and window of both
// and wants the same figures, value for value and in the same order.
func compare(t *testing.T, stage string, s *chstore.Store, r *memagg.Reader, ws []analytics.Window) {
	t.Helper()
	if ok, err := r.Loaded(); !ok {
		t.Fatalf("%s: tables not loaded: %v", stage, err)
	}
	asked := 0
	for _, m := range analytics.Metrics {
		if m.Composite() {
			continue
		}
		for _, p := range []analytics.ProvinceCode{"08", "01", "", "99"} {
			for _, w := range ws {
				want, err := s.MetricByCommune(ctx, m.ID, p, w)
				if err != nil {
					t.Fatalf("%s: SQL %s %q %s: %v", stage, m.ID, p, w.Spec, err)
				}
				got, err := r.MetricByCommune(ctx, m.ID, p, w)
				if err != nil {
					t.Fatalf("%s: memory %s %q %s: %v", stage, m.ID, p, w.Spec, err)
				}
				if !sameFigures(got, want) {
					t.Errorf("%s: %s province %q window %s %s..%s:\nmemory %v\nSQL    %v", stage, m.ID, p, w.Spec,
						w.From.Format(time.DateOnly), w.To.Format(time.DateOnly), got, want)
				}
				asked++
			}
		}
	}
	t.Logf("%s: %d figures lists compared", stage, asked)
}

// sameFigures compares figure for figure, bit for bit: a median over no
// rows is NaN in the SQL, and NaN is then the same figure as NaN.
func sameFigures(a, b []analytics.CommuneFigure) bool {
	return slices.EqualFunc(a, b, func(x, y analytics.CommuneFigure) bool {
		return x.Commune == y.Commune && math.Float64bits(x.Num) == math.Float64bits(y.Num) &&
			math.Float64bits(x.Den) == math.Float64bits(y.Den)
	})
}

// TestConsistency loads random batches through the real store, undoes some,
// and after each stage compares every metric memory answers with the SQL
// answer, for every province and several windows. The seeds are fixed: the
// test fails the same way every run.
func TestConsistency(t *testing.T) {
	for _, seed := range []uint64{1, 2} {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 20))
			s := mustStore(t)
			r := memagg.New(s)
			for _, id := range answered {
				if !r.Answers(id) {
					t.Errorf("memory does not answer %s", id)
				}
			}
			var refreshErr error
			s.OnCommit(func(ps []analytics.ProvinceCode) {
				if err := r.Refresh(ctx, ps); err != nil {
					refreshErr = errors.Join(refreshErr, err)
				}
			})
			if err := r.Refresh(ctx, nil); err != nil { // empty store
				t.Fatal(err)
			}
			ws := windows(t, rng)
			compare(t, "empty", s, r, ws[:3])
			var ids []string
			for i := range 6 {
				b := randomBatch(rng, 60)
				b.Token = fmt.Sprintf("seed%d-b%d", seed, i)
				b.BatchID = fmt.Sprintf("B%d", i)
				ps := provincesOf(b)
				if err := s.RecordBatch(ctx, analytics.IngestBatch{ID: b.BatchID, At: time.Now(), Actor: "test", Provinces: ps,
					Kinds: []analytics.Kind{analytics.KindIncidents, analytics.KindSites, analytics.KindModels, analytics.KindGrades}}); err != nil {
					t.Fatal(err)
				}
				if err := s.Write(ctx, b); err != nil {
					t.Fatal(err)
				}
				if err := s.Commit(ctx, ps); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, b.BatchID)
				if i == 2 {
					compare(t, "after 3 loads", s, r, ws)
				}
			}
			compare(t, "after 6 loads", s, r, ws)
			// Undo a middle batch (its corrections give way to the versions
			// before them) and the last one.
			for _, id := range []string{ids[3], ids[5]} {
				if _, err := s.UndoBatch(ctx, id, "test"); err != nil {
					t.Fatal(err)
				}
				compare(t, "after undo of "+id, s, r, ws)
			}
			if refreshErr != nil {
				t.Fatalf("refresh: %v", refreshErr)
			}
			st := r.Stats()
			if st.IncidentDay == 0 || st.Spans == 0 || st.Grades == 0 || st.Communes != len(communes) {
				t.Errorf("stats %+v: the tables hold nothing", st)
			}
			t.Logf("tables: %+v", st)
		})
	}
}

// failing is a store whose incident days fail while fail is set.
type failing struct {
	*chstore.Store
	fail bool
}

func (f *failing) IncidentDays(ctx context.Context, p analytics.ProvinceCode) ([]analytics.IncidentDay, error) {
	if f.fail {
		return nil, errors.New("engine gone")
	}
	return f.Store.IncidentDays(ctx, p)
}

// TestRefreshFailure: a refresh that fails drops the tables, and the figures
// come from SQL (the new ones), not from the stale tables; the next refresh
// that succeeds brings them back.
func TestRefreshFailure(t *testing.T) {
	s := mustStore(t)
	f := &failing{Store: s}
	r := memagg.New(f)
	rng := rand.New(rand.NewPCG(7, 20))
	load := func(token string) []analytics.ProvinceCode {
		b := randomBatch(rng, 40)
		b.Token = token
		if err := s.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		ps := provincesOf(b)
		if err := s.Commit(ctx, ps); err != nil {
			t.Fatal(err)
		}
		return ps
	}
	load("a")
	if err := r.Refresh(ctx, nil); err != nil {
		t.Fatal(err)
	}
	w, _ := analytics.ParsePeriod("2024", day("2026-01-10"))
	ids := []analytics.MetricID{"incidents", "sites"}
	var stale [][]analytics.CommuneFigure
	ps := load("b")
	for _, id := range ids {
		got, err := r.MetricByCommune(ctx, id, "08", w) // not refreshed: the tables before load b
		if err != nil {
			t.Fatal(err)
		}
		stale = append(stale, got)
	}
	f.fail = true
	if err := r.Refresh(ctx, ps); err == nil {
		t.Fatal("refresh with a failing engine: no error")
	}
	if ok, err := r.Loaded(); ok || err == nil {
		t.Fatalf("after a failed refresh: loaded=%v err=%v; want the tables dropped and the error kept", ok, err)
	}
	changed := false
	for i, id := range ids {
		want, err := s.MetricByCommune(ctx, id, "08", w)
		if err != nil {
			t.Fatal(err)
		}
		changed = changed || !sameFigures(stale[i], want)
		got, err := r.MetricByCommune(ctx, id, "08", w)
		if err != nil || !sameFigures(got, want) {
			t.Errorf("%s after a failed refresh = %v, %v; want the SQL's %v", id, got, err, want)
		}
	}
	if !changed {
		t.Fatal("load b changed no figure: the test would not see stale tables")
	}
	f.fail = false
	if err := r.Refresh(ctx, ps); err != nil {
		t.Fatal(err)
	}
	compare(t, "after recovery", s, r, []analytics.Window{w})
}
