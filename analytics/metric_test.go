package analytics

import (
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestCatalogueIntegrity(t *testing.T) {
	seen := map[MetricID]bool{}
	for _, m := range Metrics {
		if seen[m.ID] {
			t.Errorf("duplicate metric %s", m.ID)
		}
		seen[m.ID] = true
		if m.LabelVI == "" || m.LabelEN == "" || m.UnitVI == "" || m.Formula == "" || m.Scale == 0 {
			t.Errorf("metric %s incomplete: %+v", m.ID, m)
		}
	}
	for id := range DefaultEffectivenessWeights {
		if !seen[id] {
			t.Errorf("weight for unknown metric %s", id)
		}
	}
	for _, m := range Metrics {
		unset := func(e Expr) bool { return !e.One && !e.Former && e.Commune == "" && e.Source == "" }
		if !m.Composite() && (unset(m.Num) || unset(m.Den)) {
			t.Errorf("metric %s lacks a numerator or a denominator", m.ID)
		}
	}
}

// TestMetricSources: the kinds a metric reads follow from its expressions.
func TestMetricSources(t *testing.T) {
	tests := []struct {
		id   MetricID
		want []Kind
	}{
		{"models", []Kind{KindModels}},
		{"sites_per_10k", []Kind{KindSites}},
		{"former_coverage", []Kind{KindSites}},
		{"share_good", []Kind{KindGrades}},
		{"median_days", []Kind{KindIncidents}},
		{"incidents_per_site", []Kind{KindIncidents, KindSites}},
		{"effectiveness", nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.id), func(t *testing.T) {
			m, ok := MetricByID(tt.id)
			if !ok {
				t.Fatal("not in the catalogue")
			}
			if got := m.Sources(); !slices.Equal(got, tt.want) {
				t.Errorf("Sources() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDefaultWeights: the composite's default weights are the catalogue's,
// and add up to 1.
func TestDefaultWeights(t *testing.T) {
	want := EffectivenessWeights{"share_good": 0.30, "resolution_rate": 0.25, "mediation_rate": 0.20, "useful_tip_share": 0.10, "retirement_rate": 0.15}
	if !maps.Equal(DefaultEffectivenessWeights, want) {
		t.Errorf("weights %v, want %v", DefaultEffectivenessWeights, want)
	}
	var sum float64
	for _, w := range DefaultEffectivenessWeights {
		sum += w
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("weights add up to %v", sum)
	}
}

func TestComposite(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name    string
		values  map[MetricID]*float64
		want    float64
		ok      bool
		missing []MetricID
	}{
		{"all 100, no retirement", map[MetricID]*float64{"share_good": f(100), "resolution_rate": f(100), "mediation_rate": f(100), "useful_tip_share": f(100), "retirement_rate": f(0)}, 100, true, nil},
		{"all zero, all retired", map[MetricID]*float64{"share_good": f(0), "resolution_rate": f(0), "mediation_rate": f(0), "useful_tip_share": f(0), "retirement_rate": f(100)}, 0, true, nil},
		// 0.30 + 0.25 + 0.20 = 0.75 of the weight: re-weighted over them.
		{"75 % of the weight re-weighted", map[MetricID]*float64{"share_good": f(80), "resolution_rate": f(60), "mediation_rate": f(50)}, (0.30*80 + 0.25*60 + 0.20*50) / 0.75, true, []MetricID{"retirement_rate", "useful_tip_share"}},
		// exactly 70 %: share_good, resolution_rate, useful_tip_share, and retirement? 0.30+0.25+0.15 = 0.70.
		{"exactly 70 %", map[MetricID]*float64{"share_good": f(100), "resolution_rate": f(100), "retirement_rate": f(0)}, 100, true, []MetricID{"mediation_rate", "useful_tip_share"}},
		{"55 %: no value", map[MetricID]*float64{"share_good": f(80), "resolution_rate": f(60)}, 0, false, []MetricID{"mediation_rate", "retirement_rate", "useful_tip_share"}},
		{"only retirement: no value", map[MetricID]*float64{"retirement_rate": f(3)}, 0, false, []MetricID{"mediation_rate", "resolution_rate", "share_good", "useful_tip_share"}},
		{"nothing", map[MetricID]*float64{}, 0, false, []MetricID{"mediation_rate", "resolution_rate", "retirement_rate", "share_good", "useful_tip_share"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Composite(DefaultEffectivenessWeights, tt.values)
			if r.OK != tt.ok || math.Abs(r.Index-tt.want) > 1e-9 {
				t.Fatalf("got %v,%v want %v,%v", r.Index, r.OK, tt.want, tt.ok)
			}
			if fmt.Sprint(r.Missing) != fmt.Sprint(tt.missing) {
				t.Fatalf("missing %v, want %v", r.Missing, tt.missing)
			}
		})
	}
}

// Every metric read from records names its sources and says when it has
// no value.
func TestCatalogueNoData(t *testing.T) {
	for _, m := range Metrics {
		if m.NoData == "" {
			t.Errorf("metric %s does not say when it has no value", m.ID)
		}
		if !m.Composite() && len(m.Sources()) == 0 {
			t.Errorf("metric %s has no source kind", m.ID)
		}
	}
}

func TestNoDataReason(t *testing.T) {
	now := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	whole, _ := ParsePeriod("2024", now)
	running, _ := ParsePeriod("2025", now)
	running = running.AsOf(now)
	future, _ := ParsePeriod("2026", now)
	inc, _ := MetricByID("incidents")
	rate, _ := MetricByID("resolution_rate")
	good, _ := MetricByID("share_good")
	perSite, _ := MetricByID("incidents_per_site")
	reporting := Reporting{InWindow: map[Kind]uint64{KindIncidents: 10, KindSites: 5, KindGrades: 4}, Before: map[Kind]uint64{KindIncidents: 9, KindSites: 5, KindGrades: 4}}
	silent := Reporting{}
	late := Reporting{InWindow: map[Kind]uint64{KindSites: 5}, Before: map[Kind]uint64{KindIncidents: 9, KindSites: 5, KindGrades: 4}}
	tests := []struct {
		name string
		m    Metric
		w    Window
		rep  Reporting
		den  float64
		want Reason
	}{
		{"reported count, zero is real", inc, whole, reporting, 1, ""},
		{"province silent", inc, whole, silent, 1, ReasonNoReports},
		{"period not started", inc, future, reporting, 1, ReasonPeriodNotStarted},
		{"running period, not reported yet", inc, running, late, 1, ReasonPartialPeriod},
		{"whole period, nothing reported though earlier", inc, whole, late, 1, ReasonNoReports},
		{"rate over nothing", rate, whole, reporting, 0, ReasonNotApplicable},
		{"grades come at the year's end", good, running, late, 0, ReasonPartialPeriod},
		{"two sources, one silent", perSite, whole, Reporting{InWindow: map[Kind]uint64{KindSites: 3}}, 3, ReasonNoReports},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, none := tt.m.NoDataReason(tt.w, now, tt.rep, tt.den)
			if got != tt.want || none != (tt.want != "") {
				t.Fatalf("got %q,%v want %q", got, none, tt.want)
			}
		})
	}
}

func TestClassBreaks(t *testing.T) {
	tests := []struct {
		name     string
		values   []float64
		decimals int
		method   string
		breaks   []float64
		ranges   string
	}{
		{"few values: the values", []float64{0, 0, 0, 1, 1, 3}, 0, BreaksValues, []float64{0, 1, 3}, "[[0 0] [1 1] [3 3]]"},
		// Values that print alike share a class: 0.01 and 0.04 are 0,0.
		{"alike as shown", []float64{0.01, 0.04, 0.04, 12.3}, 1, BreaksValues, []float64{0, 12.3}, "[[0 0] [12.3 12.3]]"},
		{"quantiles", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, BreaksQuantile, []float64{2, 4, 6, 8, 10}, "[[1 2] [3 4] [5 6] [7 8] [9 10]]"},
		// Mostly zeros: never "0 – 0" twice.
		{"mostly zeros", []float64{0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6}, 0, BreaksQuantile, []float64{0, 1, 4, 6}, "[[0 0] [1 1] [2 4] [5 6]]"},
		{"none", nil, 1, BreaksQuantile, []float64{}, "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ClassBreaks(tt.values, 5, tt.decimals)
			if b.Method != tt.method || fmt.Sprint(b.Breaks) != fmt.Sprint(tt.breaks) {
				t.Fatalf("got %s %v, want %s %v", b.Method, b.Breaks, tt.method, tt.breaks)
			}
			sorted := slices.Clone(tt.values)
			slices.Sort(sorted)
			if s := ClassBreaksSorted(sorted, 5, tt.decimals); !reflect.DeepEqual(s, b) {
				t.Fatalf("from the sorted values: %+v, want %+v", s, b)
			}
			if got := fmt.Sprint(b.Ranges()); got != tt.ranges && !(tt.ranges == "[]" && got == "[]") {
				t.Fatalf("ranges %s, want %s", got, tt.ranges)
			}
			// Ties share a class, classes never print the same range, and
			// the bounds colour every value as ClassOf classes it.
			seen := map[[2]float64]bool{}
			for _, r := range b.Ranges() {
				if seen[r] {
					t.Fatalf("repeated class %v", r)
				}
				seen[r] = true
			}
			bounds := b.Bounds()
			for _, v := range tt.values {
				c := b.ClassOf(v)
				if v2 := v; b.ClassOf(v2) != c {
					t.Fatalf("tie split")
				}
				if !(v >= bounds[c] && (v < bounds[c+1] || c == len(bounds)-2)) {
					t.Fatalf("value %v in class %d but bounds %v", v, c, bounds)
				}
			}
		})
	}
}

// TestClassBreaksSorted: the classes of values sorted before they are
// rounded are the classes of the values (rounding keeps their order), for
// random values, decimals and class counts.
func TestClassBreaksSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for i := range 500 {
		vals := make([]float64, rng.IntN(200))
		for j := range vals {
			switch rng.IntN(3) {
			case 0:
				vals[j] = float64(rng.IntN(20))
			case 1:
				vals[j] = rng.NormFloat64() * 100
			default:
				vals[j] = float64(rng.IntN(2000)) / 1000
			}
		}
		k, d := 1+rng.IntN(7), rng.IntN(4)
		want := ClassBreaks(vals, k, d)
		sorted := slices.Clone(vals)
		slices.Sort(sorted)
		if got := ClassBreaksSorted(sorted, k, d); !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d (%d values, k %d, %d decimals): %+v, want %+v", i, len(vals), k, d, got, want)
		}
	}
}

func TestRollUp(t *testing.T) {
	sites, _ := MetricByID("sites")
	rate, _ := MetricByID("resolution_rate")
	types, _ := MetricByID("model_types")
	tests := []struct {
		name     string
		m        Metric
		figs     []CommuneFigure
		distinct float64
		want     float64
		ok       bool
	}{
		{"counts add up", sites, []CommuneFigure{{Num: 3, Den: 1}, {Num: 0, Den: 1}, {Num: 5, Den: 1}}, 0, 8, true},
		// 1/4 and 3/4 roll up to 4/8 = 50 %, not the mean of 25 % and 75 %.
		{"ratios are never averaged", rate, []CommuneFigure{{Num: 1, Den: 4}, {Num: 3, Den: 4}}, 0, 50, true},
		{"ratio over no denominator", rate, []CommuneFigure{{Num: 0, Den: 0}}, 0, 0, false},
		// Two communes with 2 types each may share them: the group's own count.
		{"distinct counts come from the group", types, []CommuneFigure{{Num: 2, Den: 1}, {Num: 2, Den: 1}}, 3, 3, true},
		{"no commune with a value", sites, nil, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, _, _, ok := RollUp(tt.m, tt.figs, tt.distinct)
			if ok != tt.ok || v != tt.want {
				t.Errorf("RollUp = %v, %v; want %v, %v", v, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCompositeFigure(t *testing.T) {
	w := DefaultEffectivenessWeights
	all := func(c Component) map[MetricID]Component {
		out := map[MetricID]Component{}
		for id := range w {
			out[id] = c
		}
		return out
	}
	some := all(Component{Value: 80, OK: true})
	some["share_good"] = Component{Reason: ReasonNotApplicable}
	few := all(Component{Reason: ReasonNotApplicable})
	few["mediation_rate"] = Component{Value: 50, OK: true}
	mixed := all(Component{Reason: ReasonNoReports})
	mixed["share_good"] = Component{Reason: ReasonPartialPeriod}
	tests := []struct {
		name   string
		comps  map[MetricID]Component
		ok     bool
		reason Reason
	}{
		{"every component", all(Component{Value: 60, OK: true}), true, ""},
		{"one missing, 70 % of the weight left", some, true, ""},
		{"too few components", few, false, ReasonInsufficientComponents},
		{"none reported: the components' reason", all(Component{Reason: ReasonNoReports}), false, ReasonNoReports},
		{"not applicable everywhere: insufficient", all(Component{Reason: ReasonNotApplicable}), false, ReasonInsufficientComponents},
		{"different reasons: insufficient", mixed, false, ReasonInsufficientComponents},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, reason := CompositeFigure(w, tt.comps)
			if r.OK != tt.ok || reason != tt.reason {
				t.Errorf("ok %v reason %q, want %v %q", r.OK, reason, tt.ok, tt.reason)
			}
		})
	}
}
