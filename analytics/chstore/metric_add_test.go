package chstore_test

import (
	"math"
	"slices"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

// TestAddMetric proves the README's recipe: a metric is one catalogue entry
// (and its expected values): nothing else in the store, no .sql file. Two
// entries are added at test time, one over incidents with no aggregate
// counter (read from the rows whatever the window) and one over sites with
// a value list, and queried through the real engine, commune by commune
// and rolled up to the province.
func TestAddMetric(t *testing.T) {
	transferred := analytics.Metric{ID: "transferred_share", LabelVI: "Tỷ lệ chuyển cơ quan chức năng", LabelEN: "Share transferred",
		UnitVI: "%", UnitEN: "%", Formula: "incidents transferred to the competent body ÷ incidents received", Scale: 100, Decimals: 1,
		Percent: true, NoData: "as incidents; a commune with no incident received: not_applicable",
		Num: analytics.Count(analytics.KindIncidents, analytics.Not(analytics.ColTip), analytics.In(analytics.ColOutcome, analytics.OutcomeTransferred)),
		Den: analytics.IncidentsReceived, Roll: analytics.RollRatio}
	camera := analytics.Metric{ID: "camera_share", LabelVI: "Tỷ lệ điểm camera an ninh", LabelEN: "Share of camera sites",
		UnitVI: "%", UnitEN: "%", Formula: "active camera sites ÷ active sites", Scale: 100, Decimals: 1, HigherIsBetter: true,
		Percent: true, NoData: "as sites; a commune with no active site: not_applicable",
		Num: analytics.Count(analytics.KindSites, analytics.ActiveAtEnd(), analytics.In(analytics.ColModelType, "Camera an ninh")),
		Den: analytics.Count(analytics.KindSites, analytics.ActiveAtEnd()), Roll: analytics.RollRatio}
	saved := analytics.Metrics
	analytics.Metrics = append(slices.Clone(saved), transferred, camera)
	t.Cleanup(func() { analytics.Metrics = saved })

	s := metricFixture(t)
	aligned, _ := analytics.ParsePeriod("2024", day("2026-01-01"))
	raw, _ := analytics.ParseRange("2023-12-15", "2024-12-13")
	nan := math.NaN()
	tests := []struct {
		name  string
		id    analytics.MetricID
		w     analytics.Window
		want  [2]float64 // A0001, B0002
		total float64
	}{
		// A0001: 4 incidents, none transferred; B0002: its one incident.
		{"incidents, half-month window", "transferred_share", aligned, [2]float64{0, 100}, 20},
		{"incidents, any window", "transferred_share", raw, [2]float64{0, 100}, 20},
		// A0001: s1, s2 active (s2 a camera); B0002: s4 opens in 2025.
		{"sites", "camera_share", aligned, [2]float64{50, nan}, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, ok := analytics.MetricByID(tt.id)
			if !ok {
				t.Fatalf("%s not in the catalogue", tt.id)
			}
			figs, err := s.MetricByCommune(ctx, tt.id, "08", tt.w)
			if err != nil {
				t.Fatal(err)
			}
			if len(figs) != 2 {
				t.Fatalf("%d communes, want 2", len(figs))
			}
			var with []analytics.CommuneFigure
			for i, f := range figs {
				v, ok := f.Value(m)
				if !ok {
					v = nan
				} else {
					with = append(with, f)
				}
				if !(math.IsNaN(tt.want[i]) && math.IsNaN(v)) && math.Abs(v-tt.want[i]) > 0.01 {
					t.Errorf("%s = %v (num %v, den %v), want %v", f.Commune, v, f.Num, f.Den, tt.want[i])
				}
			}
			if v, _, _, ok := analytics.RollUp(m, with, 0); !ok || math.Abs(v-tt.total) > 0.01 {
				t.Errorf("province = %v, %v; want %v", v, ok, tt.total)
			}
		})
	}
}
