package briefing

import (
	"strconv"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/finding"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/findings"
)

func TestComponentsText(t *testing.T) {
	tests := []struct {
		name        string
		in, missing []analytics.MetricID
		want        string
	}{
		{"none", nil, nil, ""},
		{"all in", []analytics.MetricID{"resolution_rate"}, nil, " (gồm: Tỷ lệ giải quyết tại cơ sở)"},
		{"one missing", []analytics.MetricID{"resolution_rate"}, []analytics.MetricID{"share_good"}, " (gồm: Tỷ lệ giải quyết tại cơ sở; thiếu: Tỷ lệ xếp loại Tốt, Khá)"},
		{"unknown ids are left out", []analytics.MetricID{"no_such_metric"}, []analytics.MetricID{"share_good"}, " (thiếu: Tỷ lệ xếp loại Tốt, Khá)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := componentsText(tt.in, tt.missing)
			if got != tt.want {
				t.Errorf("componentsText = %q, want %q", got, tt.want)
			}
		})
	}
}

// slideText is the text of a slide's shapes, markup left in.
func slideText(shapes []string) string { return strings.Join(shapes, "\n") }

func TestFindingsSlide(t *testing.T) {
	w := figures.Window{Spec: "2025", From: "2024-12-15", To: "2025-12-14", LabelVI: "Năm công an 2025"}
	many := make([]findings.Finding, 9)
	for i := range many {
		many[i] = findings.Finding{Rank: i + 1, Severity: "high", TextVI: "phát hiện số " + strconv.Itoa(i+1)}
	}
	tests := []struct {
		name    string
		body    findings.Body
		want    []string
		wantNot []string
	}{
		{"none says so", findings.Body{ProvinceName: "Tuyên Quang", Window: w},
			[]string{"Điểm cần chú ý — Tuyên Quang", "Không có điểm nào vượt ngưỡng", "Năm công an 2025", "chỉ xét xã có từ " + strconv.Itoa(finding.MinCases) + " trường hợp"},
			[]string{"so với", "Dữ liệu mô phỏng"}},
		{"at most seven rows", findings.Body{ProvinceName: "Tuyên Quang", Window: w, Findings: many},
			[]string{"phát hiện số 1<", "phát hiện số 7<", "Cao"},
			[]string{"phát hiện số 8", "Không có điểm nào"}},
		{"compared window and demo mark", findings.Body{ProvinceName: "Phú Thọ", Window: w, Synthetic: true,
			WindowCompare: &figures.Window{From: "2023-12-15", To: "2024-12-14"}},
			[]string{"so với 15/12/2023–14/12/2024", "Dữ liệu mô phỏng"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := slideText(FindingsSlide(tt.body).Shapes)
			for _, w := range tt.want {
				if !strings.Contains(s, w) {
					t.Errorf("slide lacks %q", w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(s, w) {
					t.Errorf("slide has %q", w)
				}
			}
		})
	}
}
