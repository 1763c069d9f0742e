package figures

import (
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

func TestChangeText(t *testing.T) {
	pct := func(v float64) *float64 { return &v }
	count, _ := analytics.MetricByID("sites")
	rate, _ := analytics.MetricByID("resolution_rate")
	tests := []struct {
		m           analytics.Metric
		delta       float64
		pct         *float64
		full, short string
	}{
		{count, 223, pct(12.44), "tăng 223 (+12,4%) so với cùng kỳ", "tăng 12,4% so với cùng kỳ"},
		{count, -1500, pct(-7.06), "giảm 1.500 (-7,1%) so với cùng kỳ", "giảm 7,1% so với cùng kỳ"},
		{count, 5, nil, "tăng 5 so với cùng kỳ", ""},
		{count, 0, pct(0), "không đổi so với cùng kỳ", "không đổi so với cùng kỳ"},
		{rate, 2.14, pct(3), "tăng 2,1 điểm phần trăm so với cùng kỳ", ""},
	}
	for _, tt := range tests {
		full, short := ChangeText(tt.m, tt.delta, tt.pct)
		if full != tt.full || short != tt.short {
			t.Errorf("changeText(%s, %v) = %q, %q; want %q, %q", tt.m.ID, tt.delta, full, short, tt.full, tt.short)
		}
	}
}

func TestCompareTail(t *testing.T) {
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	p := func(spec string) analytics.Window {
		w, err := analytics.ParsePeriod(spec, now)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	running := p("2026").AsOf(now)
	tests := []struct {
		name string
		w, c analytics.Window
		want string
	}{
		{"a year earlier", p("2025"), p("2025").SamePeriodLastYear(), " so với cùng kỳ"},
		{"a year earlier, same span", running, running.SamePeriodLastYear(), " so với cùng kỳ 15/12–04/12"},
		{"another year", p("2025"), p("2022"), " so với năm 2022"},
		{"another year, same span", running, running.SameSpan(p("2022")), " so với cùng kỳ 15/12–04/12 năm 2022"},
		{"another kind of period", p("2025"), p("2024H1"), " so với kỳ 15/12/2023–14/06/2024"},
	}
	for _, tt := range tests {
		if got := CompareTail(tt.w, tt.c); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

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
		full, short := ChangeTextIn(analytics.LangEN, tt.m, tt.delta, tt.pct, " on the same period last year")
		if full != tt.full || short != tt.short {
			t.Errorf("got %q, %q; want %q, %q", full, short, tt.full, tt.short)
		}
	}
	vi, _ := ChangeTextIn(analytics.LangVI, count, 1, &pct, " so với cùng kỳ")
	if vi != "tăng 1 (+0,05%) so với cùng kỳ" {
		t.Errorf("1 on 2.025 = %q", vi)
	}
}
