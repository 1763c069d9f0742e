package ingest

import (
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/layout"
)

func TestSummaryLang(t *testing.T) {
	s := Summary{Counts: Counts{Read: 2025, Loaded: 2, Rejected: 1, Duplicates: 1, Skipped: 1}, BatchID: "20251120-100000-3fa9",
		Kinds:         map[analytics.Kind]Counts{analytics.KindSites: {Read: 3}},
		Provinces:     map[analytics.ProvinceCode]Counts{"01": {Read: 1}, "08": {Read: 1}},
		ProvinceNames: map[analytics.ProvinceCode]string{"01": "Thành phố Hà Nội", "08": "Tỉnh Tuyên Quang"},
		Files:         []FileSummary{{Path: "a.xlsx", Skips: []Skip{{Sheet: "S", Row: 7, Reason: layout.SkipTotal}}}}}
	vi := s.String()
	s.Lang = LangEN
	en := s.String()
	for _, want := range []string{"tổng", "đọc 2.025, nạp 2, loại 1, trùng 1, bỏ qua 1", "a.xlsx bỏ qua: dòng cộng, tổng (dòng S!7)",
		"điểm mô hình đọc 3", "Thành phố Hà Nội (01) đọc 1", "Tỉnh Tuyên Quang (08) đọc 1", "antq batches undo 20251120-100000-3fa9"} {
		if !strings.Contains(vi, want) {
			t.Errorf("Vietnamese summary lacks %q:\n%s", want, vi)
		}
	}
	for _, want := range []string{"total", "read 2,025, loaded 2, rejected 1, duplicates 1, skipped 1", "batch 20251120-100000-3fa9",
		"sites        read 3", "Hà Nội City (01) read 1", "Tuyên Quang Province (08) read 1", "a.xlsx skipped: total or subtotal row (row S!7)"} {
		if !strings.Contains(en, want) {
			t.Errorf("English summary lacks %q:\n%s", want, en)
		}
	}
}
