package dashboard

import (
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

// TestChangeTextEnglish: the English mode has its own change sentences.
func TestChangeTextEnglish(t *testing.T) {
	count, _ := analytics.MetricByID("sites")
	rate, _ := analytics.MetricByID("resolution_rate")
	pct := 100.0 / 2025
	for _, tt := range []struct {
		m           analytics.Metric
		delta       float64
		pct         *float64
		full, short string
	}{
		{count, 1, &pct, "up 1 (+0.05%) on the same period last year", "up 0.05% on the same period last year"},
		{count, 0, nil, "unchanged on the same period last year", "unchanged on the same period last year"},
		{rate, -2.14, &pct, "down 2.1 percentage points on the same period last year", ""},
	} {
		full, short := changeTextIn(analytics.LangEN, tt.m, tt.delta, tt.pct, " on the same period last year")
		if full != tt.full || short != tt.short {
			t.Errorf("got %q, %q; want %q, %q", full, short, tt.full, tt.short)
		}
	}
	vi, _ := changeTextIn(analytics.LangVI, count, 1, &pct, " so với cùng kỳ")
	if vi != "tăng 1 (+0,05%) so với cùng kỳ" {
		t.Errorf("1 on 2.025 = %q", vi)
	}
}
