package schema

import (
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

func TestDetectKind(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   analytics.Kind
		err    string
	}{
		{"models vietnamese", []string{"Mã", "Tên mô hình", "Loại mô hình", "Lĩnh vực", "Xã/Phường", "Ngày thành lập"}, analytics.KindModels, ""},
		{"models no diacritics upper", []string{"MA", "TEN MO HINH", "LOAI MO HINH", "XA/PHUONG"}, analytics.KindModels, ""},
		{"sites", []string{"Mã điểm", "Tên điểm", "Mã mô hình", "Tên mô hình", "Loại mô hình", "Xã", "Ngày thành lập", "Số tổ"}, analytics.KindSites, ""},
		{"sites english shuffled", []string{"members", "site name", "commune", "site id", "teams"}, analytics.KindSites, ""},
		{"grades", []string{"Mã điểm", "Tên điểm", "Xã", "Năm", "Xếp loại"}, analytics.KindGrades, ""},
		{"incidents", []string{"Mã vụ việc", "Mã điểm", "Loại vụ việc", "Ngày tiếp nhận", "Ngày giải quyết", "Kết quả", "Xã/Phường"}, analytics.KindIncidents, ""},
		{"incidents english", []string{"received", "closed", "outcome", "commune", "lat", "lon"}, analytics.KindIncidents, ""},
		{"ambiguous", []string{"Tên", "Loại", "Xã"}, "", "fits models and sites equally"},
		{"nothing known", []string{"STT", "Ghi chú"}, "", "no known column"},
		{"missing commune", []string{"Tên điểm", "Số tổ", "Số thành viên"}, "", `looks most like sites but sites file has no column "Xã/Phường" or "Mã xã"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectKind(tt.header)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
