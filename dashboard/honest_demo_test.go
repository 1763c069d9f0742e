package dashboard_test

import (
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

// TestEveryMetricOnTheDemoData: on the demo dataset (Tuyên Quang and Phú
// Thọ ingested through the ordinary path), every metric of the catalogue
// is non-zero for some commune of Tuyên Quang in police year 2024 (the
// coverage of former communes among them: its numerator was always 0), and
// null with the reason the data give where it must be: every commune of Hà
// Nội (no records: no_reports) and of a period not yet begun
// (period_not_started).
func TestEveryMetricOnTheDemoData(t *testing.T) {
	base := demoServer(t)
	type feature struct {
		Properties struct {
			Code   string   `json:"code"`
			Value  *float64 `json:"value"`
			Reason string   `json:"reason"`
		} `json:"properties"`
	}
	get := func(t *testing.T, q string) []feature {
		var fc struct {
			Features []feature `json:"features"`
		}
		getJSON(t, base+"/api/v1/map.geojson?simplify=low&"+q, &fc)
		if len(fc.Features) == 0 {
			t.Fatalf("%s: no features", q)
		}
		return fc.Features
	}
	for _, m := range analytics.Metrics {
		t.Run(string(m.ID), func(t *testing.T) {
			nonZero := 0
			for _, f := range get(t, "province=08&period=2024&metric="+string(m.ID)) {
				if v := f.Properties.Value; v != nil && *v > 0 {
					nonZero++
				}
				if f.Properties.Value == nil && f.Properties.Reason == "" {
					t.Fatalf("commune %s: null without a reason", f.Properties.Code)
				}
			}
			if nonZero == 0 {
				t.Errorf("%s is zero or null in every commune of Tuyên Quang in 2024", m.ID)
			}
			for _, c := range []struct{ q, reason string }{
				{"province=01&period=2024", string(analytics.ReasonNoReports)},
				{"province=08&period=2027", string(analytics.ReasonPeriodNotStarted)},
			} {
				for _, f := range get(t, c.q+"&metric="+string(m.ID)) {
					if f.Properties.Value != nil || f.Properties.Reason != c.reason {
						t.Fatalf("%s: commune %s has %v (%q), want null with %s", c.q, f.Properties.Code, f.Properties.Value, f.Properties.Reason, c.reason)
					}
				}
			}
		})
	}
}
