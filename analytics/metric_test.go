package analytics

import (
	"math"
	"testing"
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
}

func TestEffectiveness(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		values map[MetricID]*float64
		want   float64
		ok     bool
	}{
		{"all 100, no retirement", map[MetricID]*float64{"share_good": f(100), "resolution_rate": f(100), "mediation_rate": f(100), "useful_tip_share": f(100), "retirement_rate": f(0)}, 100, true},
		{"all zero, all retired", map[MetricID]*float64{"share_good": f(0), "resolution_rate": f(0), "mediation_rate": f(0), "useful_tip_share": f(0), "retirement_rate": f(100)}, 0, true},
		{"missing components re-weighted", map[MetricID]*float64{"share_good": f(80), "resolution_rate": f(60)}, (0.30*80 + 0.25*60) / 0.55, true},
		{"nothing", map[MetricID]*float64{}, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Effectiveness(DefaultEffectivenessWeights, tt.values)
			if ok != tt.ok || math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("got %v,%v want %v,%v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
