package chstore_test

import (
	"math"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

func u32p(v uint32) *uint32 { return &v }

// fixture: two Tuyên Quang communes, A with population and B flagged; an
// old unit split between them.
func metricFixture(t *testing.T) *chstore.Store {
	t.Helper()
	s := chstoretest.Open(t)
	ref := chstore.Reference{
		Fingerprint: "test-1",
		Provinces:   []chstore.RefProvince{{Code: "08", Name: "Tỉnh Tuyên Quang", AreaKm2: 13795.5, Communes: 2}},
		Communes: []chstore.RefCommune{
			{Code: "A0001", Province: "08", FullName: "Xã Hùng Lợi", Name: "Hùng Lợi", Kind: "xã", AreaKm2: 50, Population: u32p(20000)},
			{Code: "B0002", Province: "08", FullName: "Phường Hà Giang 1", Name: "Hà Giang 1", Kind: "phường", AreaKm2: 25, PopulationFlag: "implausible_low"},
		},
		Crosswalk: []chstore.RefCrosswalk{
			{OldCode: "O1", OldName: "Xã Trung Minh", NewCode: "A0001", NewProvince: "08", Share: 1},
			{OldCode: "O2", OldName: "Xã Hùng Lợi", NewCode: "A0001", NewProvince: "08", Share: 1},
			{OldCode: "O3", OldName: "Phường Nguyễn Trãi", NewCode: "B0002", NewProvince: "08", Share: 1},
		},
	}
	loaded, err := s.LoadReference(ctx, ref)
	if err != nil || !loaded {
		t.Fatalf("load reference: %v %v", loaded, err)
	}
	if loaded, err := s.LoadReference(ctx, ref); err != nil || loaded {
		t.Fatalf("second load with the same fingerprint: loaded=%v err=%v", loaded, err)
	}
	loc := func(c, old string) analytics.Located {
		return analytics.Located{Province: "08", Commune: analytics.CommuneCode(c), OldCode: old, Rule: analytics.RuleExactCode, Confidence: 1}
	}
	sites := []analytics.Site{
		{Key: "s1", ModelType: "5 tự quản", Opened: day("2020-01-01"), Located: loc("A0001", "O1")},
		{Key: "s2", ModelType: "Camera an ninh", Opened: day("2024-03-01"), Located: loc("A0001", "O1")},
		{Key: "s3", ModelType: "5 tự quản", Opened: day("2020-01-01"), Retired: day("2024-06-01"), Located: loc("A0001", "O2")},
		{Key: "s4", ModelType: "5 tự quản", Opened: day("2025-01-01"), Located: loc("B0002", "")},
	}
	grades := []analytics.Grade{
		{Key: "g1", SiteKey: "s1", Year: 2024, Grade: analytics.GradeGood, Located: loc("A0001", "")},
		{Key: "g2", SiteKey: "s2", Year: 2024, Grade: analytics.GradeAverage, Located: loc("A0001", "")},
	}
	inc := func(key, c, rec, closed, outcome string, tip, useful bool) analytics.Incident {
		in := analytics.Incident{Key: key, Received: day(rec), Outcome: outcome, Tip: tip, TipUseful: useful, Located: loc(c, "")}
		if closed != "" {
			in.Closed = day(closed)
		}
		return in
	}
	incidents := []analytics.Incident{
		inc("i1", "A0001", "2024-01-10", "2024-01-14", analytics.OutcomeMediated, false, false),
		inc("i2", "A0001", "2024-02-20", "2024-03-01", analytics.OutcomeNotMediated, false, false),
		inc("i3", "A0001", "2024-03-15", "", analytics.OutcomePending, false, false),
		inc("i4", "A0001", "2024-05-01", "2024-05-03", analytics.OutcomeResolvedLocal, false, false),
		inc("t1", "A0001", "2024-04-01", "", "", true, true),
		inc("t2", "A0001", "2024-04-02", "", "", true, false),
		inc("i5", "B0002", "2023-12-20", "2023-12-21", analytics.OutcomeTransferred, false, false),
		inc("i6", "A0001", "2025-01-05", "2025-01-06", analytics.OutcomeMediated, false, false), // next police year
	}
	if err := s.Write(ctx, analytics.Batch{Token: "m", Sites: sites, Grades: grades, Incidents: incidents}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMetrics runs every catalogue metric over police year 2024 and checks
// the values per commune (NaN = no data).
func TestMetrics(t *testing.T) {
	s := metricFixture(t)
	w, err := analytics.ParsePeriod("2024", day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := map[analytics.MetricID][2]float64{ // A0001, B0002
		"models":             {0, 0},
		"model_types":        {2, 0},
		"sites":              {2, 0},
		"sites_per_commune":  {2, 0},
		"sites_per_10k":      {1, nan},
		"sites_per_100km2":   {4, 0},
		"commune_coverage":   {100, 0},
		"former_coverage":    {50, 0},
		"new_sites":          {1, 0},
		"retired_sites":      {1, 0},
		"retirement_rate":    {50, nan},
		"share_good":         {50, nan},
		"advanced":           {0, 0},
		"incidents":          {4, 1},
		"resolved_local":     {2, 0},
		"resolution_rate":    {50, 0},
		"mediation_rate":     {50, nan},
		"tips":               {2, 0},
		"useful_tip_share":   {50, nan},
		"median_days":        {4, 1},
		"incidents_per_site": {2, nan},
	}
	for _, m := range analytics.Metrics {
		if m.Composite() {
			continue
		}
		t.Run(string(m.ID), func(t *testing.T) {
			exp, ok := want[m.ID]
			if !ok {
				t.Fatalf("no expected values for %s: add them", m.ID)
			}
			figs, err := s.MetricByCommune(ctx, m.ID, "08", w)
			if err != nil {
				t.Fatal(err)
			}
			if len(figs) != 2 {
				t.Fatalf("%d communes, want 2 (every commune, with or without data)", len(figs))
			}
			for i, f := range figs {
				v, ok := f.Value(m)
				if !ok {
					v = nan
				}
				if !(math.IsNaN(exp[i]) && math.IsNaN(v)) && math.Abs(v-exp[i]) > 0.01 {
					t.Errorf("%s = %v (num %v, den %v), want %v", f.Commune, v, f.Num, f.Den, exp[i])
				}
			}
		})
	}
}

// TestIncidentMetricsAlignedEqualsRaw: a half-month window read from the
// aggregates equals the same figures computed from the rows.
func TestIncidentMetricsAlignedEqualsRaw(t *testing.T) {
	s := metricFixture(t)
	aligned, _ := analytics.ParsePeriod("2024", day("2026-01-01"))
	// The same days, but ending on the 14th inclusive as an explicit range is
	// also aligned; shift by one day to force the raw path with equal data.
	raw, _ := analytics.ParseRange("2023-12-15", "2024-12-13")
	if raw.HalfMonthAligned() {
		t.Fatal("range unexpectedly aligned")
	}
	for _, id := range []analytics.MetricID{"incidents", "resolved_local", "resolution_rate", "mediation_rate", "tips", "useful_tip_share", "median_days", "incidents_per_site"} {
		a, err := s.MetricByCommune(ctx, id, "08", aligned)
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.MetricByCommune(ctx, id, "08", raw)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if a[i] != r[i] {
				t.Errorf("%s %s: aggregates %+v, rows %+v", id, a[i].Commune, a[i], r[i])
			}
		}
	}
}

func TestReads(t *testing.T) {
	s := metricFixture(t)
	w, _ := analytics.ParsePeriod("2024", day("2026-01-01"))
	got, err := s.Breakdown(ctx, analytics.ByModelType, "08", "", w)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].N+got[1].N != 2 {
		t.Errorf("by model type: %+v", got)
	}
	grades, err := s.Breakdown(ctx, analytics.ByGrade, "08", "", w)
	if err != nil || len(grades) != 2 {
		t.Errorf("by grade: %+v %v", grades, err)
	}
	for _, c := range []analytics.CommuneCode{"", "A0001"} { // aggregates and rows
		out, err := s.Breakdown(ctx, analytics.ByOutcome, "08", c, w)
		if err != nil {
			t.Fatal(err)
		}
		var n uint64
		for _, sh := range out {
			n += sh.N
		}
		want := uint64(5)
		if c != "" {
			want = 4
		}
		if n != want {
			t.Errorf("commune %q: outcomes sum to %d, want %d (%+v)", c, n, want, out)
		}
	}
	if _, err := s.Breakdown(ctx, "grade; DROP TABLE x", "08", "", w); analytics.ErrorCode(err) != analytics.CodeInvalid {
		t.Errorf("bad dimension: %v", err)
	}
	sites, err := s.Sites(ctx, analytics.SiteFilter{Province: "08", Window: w})
	if err != nil || len(sites) != 2 {
		t.Errorf("sites: %d %v", len(sites), err)
	}
	rs, err := s.Restated(ctx, "A0001")
	if err != nil || len(rs) == 0 {
		t.Errorf("restated: %+v %v", rs, err)
	}
	f, err := s.ProvinceFacts(ctx, "08", w)
	if err != nil || f.ModelTypes != 2 {
		t.Errorf("facts: %+v %v", f, err)
	}
	if _, err := s.Models(ctx, "08", "", w, 10); err != nil {
		t.Error(err)
	}
}

// TestMetricGroup: a distinct count's group figure is the group's own
// (two communes with two and one types, three in all, share one: 2), and
// the same as the province facts.
func TestMetricGroup(t *testing.T) {
	s := metricFixture(t)
	w, _ := analytics.ParsePeriod("2024", day("2026-01-01"))
	for _, p := range []analytics.ProvinceCode{"08", ""} {
		v, err := s.MetricGroup(ctx, "model_types", p, w)
		if err != nil {
			t.Fatal(err)
		}
		f, err := s.ProvinceFacts(ctx, p, w)
		if err != nil {
			t.Fatal(err)
		}
		if v != 2 || v != float64(f.ModelTypes) {
			t.Errorf("province %q: model types %v, facts %d, want 2", p, v, f.ModelTypes)
		}
	}
	if _, err := s.MetricGroup(ctx, "sites", "08", w); analytics.ErrorCode(err) != analytics.CodeInvalid {
		t.Errorf("group figure of a count: %v", err)
	}
}
