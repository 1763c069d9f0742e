package dashboard

import (
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

// TestFitColumns: deck tables give every column at least its longest word,
// header included ("Hạng" never wraps to "Hạn/g"), and whole cells when the
// width allows; the columns fill the table exactly.
func TestFitColumns(t *testing.T) {
	half := (emuW - 3*emuM) / 2
	ranking := [][]string{{analytics.RankHeader(analytics.LangVI), "Xã, phường", "Tỷ lệ giải quyết vụ việc"},
		{analytics.Rank(1, 124), "Phường Minh Xuân", "98,7"},
		{analytics.Rank(124, 124), "Xã Thượng Lâm", "12,0"}}
	long := [][]string{{"Hạng", "Mức độ", "Điểm cần chú ý"},
		{"1", "cao", strings.Repeat("Tỷ lệ giải quyết vụ việc của xã giảm mạnh ", 6)}}
	tests := []struct {
		name     string
		cx       int
		weights  []int
		rows     [][]string
		size     int
		wholeFit bool // every cell fits on one line
	}{
		{"ranking", half, []int{1, 5, 3}, ranking, 1200, true},
		{"figures", emuW - 2*emuM, []int{5, 2, 5}, [][]string{{"Chỉ tiêu", "Giá trị", "So với cùng kỳ"}, {"Số điểm mô hình", "2.025", "tăng 1 (+0,05%) so với cùng kỳ"}}, 1300, true},
		{"findings", emuW - 2*emuM, []int{1, 3, 24}, long, 1100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fitColumns(tt.cx, tt.weights, tt.rows, tt.size)
			sum := 0
			for j, w := range got {
				sum += w
				for _, row := range tt.rows {
					need := textWidth(row[j], tt.size) + cellMarginsEMU
					if !tt.wholeFit && len(row[j]) > 60 {
						need = 0
						for _, word := range strings.Fields(row[j]) {
							need = max(need, textWidth(word, tt.size)+cellMarginsEMU)
						}
					}
					if w < need {
						t.Errorf("column %d is %d EMU, %q needs %d", j, w, row[j], need)
					}
				}
			}
			if sum != tt.cx {
				t.Errorf("columns sum to %d, want %d", sum, tt.cx)
			}
		})
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
