package figures

import (
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// TestCatalogue: /api/v1/metrics lists every metric of the catalogue in
// its order, with the composite's weights and what the other parameters
// take.
func TestCatalogue(t *testing.T) {
	c := NewService(nil, &commune.Set{}, time.Now, false).Catalogue()
	if len(c.Metrics) != len(analytics.Metrics) {
		t.Fatalf("%d metrics, want %d", len(c.Metrics), len(analytics.Metrics))
	}
	for i, m := range analytics.Metrics {
		if c.Metrics[i].ID != m.ID {
			t.Errorf("metric %d is %s, want %s", i, c.Metrics[i].ID, m.ID)
		}
	}
	if len(c.Weights) == 0 || c.Periods != analytics.PeriodForms || len(c.Dims) != len(analytics.BreakdownDims) ||
		len(c.Buckets) != len(analytics.Buckets) || len(c.Levels) != len(commune.Levels) {
		t.Errorf("catalogue %+v", c)
	}
}
