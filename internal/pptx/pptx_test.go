package pptx

import (
	"strings"
	"testing"
)

// TestFitColumns: deck tables give every column at least its longest word,
// header included ("Hạng" never wraps to "Hạn/g"), and whole cells when the
// width allows; the columns fill the table exactly.
func TestFitColumns(t *testing.T) {
	half := (SlideW - 3*Margin) / 2
	ranking := [][]string{{"Hạng", "Xã, phường", "Tỷ lệ giải quyết vụ việc"},
		{"1/124", "Phường Minh Xuân", "98,7"},
		{"124/124", "Xã Thượng Lâm", "12,0"}}
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
		{"figures", SlideW - 2*Margin, []int{5, 2, 5}, [][]string{{"Chỉ tiêu", "Giá trị", "So với cùng kỳ"}, {"Số điểm mô hình", "2.025", "tăng 1 (+0,05%) so với cùng kỳ"}}, 1300, true},
		{"findings", SlideW - 2*Margin, []int{1, 3, 24}, long, 1100, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FitColumns(tt.cx, tt.weights, tt.rows, tt.size)
			sum := 0
			for j, w := range got {
				sum += w
				for _, row := range tt.rows {
					need := TextWidth(row[j], tt.size) + CellMarginsEMU
					if !tt.wholeFit && len(row[j]) > 60 {
						need = 0
						for _, word := range strings.Fields(row[j]) {
							need = max(need, TextWidth(word, tt.size)+CellMarginsEMU)
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
