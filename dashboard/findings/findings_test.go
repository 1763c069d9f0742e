package findings

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics/finding"
)

func ptr(v float64) *float64 { return &v }

func TestFindingOf(t *testing.T) {
	w := analytics.Window{Spec: "2025", From: time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)}
	f := finding.Finding{Kind: "outlier", Severity: "high", Metric: "resolution_rate", TextVI: "câu", TextEN: "sentence",
		MethodVI: "cách", MethodEN: "method", Window: w, Link: "province=08",
		Communes: []finding.Place{{Code: "02263", Name: "Xã A"}},
		Models: []finding.ModelStatus{{Key: "m1", Name: "Mô hình 1", Exemplary: true},
			{Key: "m2", Name: "Mô hình 2", Advanced: true, WeakSites: 0, WeakKnown: true}},
		Figures: finding.Figures{Value: ptr(0.5), Z: ptr(-3.1)}}
	tests := []struct {
		lang, text, method string
	}{
		{"vi", "câu", "cách"},
		{"en", "sentence", "method"},
	}
	for _, tt := range tests {
		j := findingOf(3, f, tt.lang)
		if j.Rank != 3 || j.Text != tt.text || j.Method != tt.method || j.TextVI != "câu" || j.TextEN != "sentence" {
			t.Errorf("lang %s: %+v", tt.lang, j)
		}
		if len(j.Communes) != 1 || j.Communes[0].Code != "02263" || j.Window.From != "2024-12-15" || j.Window.To != "2025-12-14" {
			t.Errorf("lang %s: communes %v, window %+v", tt.lang, j.Communes, j.Window)
		}
		// Not known is null, known zero is 0: never a zero for "no data".
		if j.Models[0].WeakSites != nil || j.Models[1].WeakSites == nil || *j.Models[1].WeakSites != 0 {
			t.Errorf("weak sites: %v, %v", j.Models[0].WeakSites, j.Models[1].WeakSites)
		}
		if j.Figures.Value == nil || *j.Figures.Value != 0.5 || j.Figures.Count != nil {
			t.Errorf("figures %+v", j.Figures)
		}
	}
}

func TestWithSheet(t *testing.T) {
	base := excelize.NewFile()
	var buf bytes.Buffer
	if _, err := base.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	w := figures.Window{Spec: "2025", From: "2024-12-15", To: "2025-12-14", LabelVI: "Năm công an 2025"}
	tests := []struct {
		name string
		body Body
		want []string // texts of column E, after the header
	}{
		{"none says so", Body{ProvinceName: "Tuyên Quang", Window: w, Footnote: "Nguồn: Công an tỉnh Tuyên Quang"},
			[]string{"Không có điểm nào vượt ngưỡng", "", "Nguồn: Công an tỉnh Tuyên Quang"}},
		{"one row per finding", Body{ProvinceName: "Tuyên Quang", Window: w, Footnote: "Nguồn",
			Findings: []Finding{{Rank: 1, Severity: "high", TextVI: "một"}, {Rank: 2, Severity: "low", TextVI: "hai"}}},
			[]string{"một", "hai", "", "Nguồn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := WithSheet(buf.Bytes(), tt.body)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(SheetName)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows[0][0]; got != analytics.RankHeader(analytics.LangVI) {
				t.Errorf("header %q", got)
			}
			if !strings.HasPrefix(rows[0][8], "Toàn tỉnh") {
				t.Errorf("province column %q", rows[0][8])
			}
			for i, want := range tt.want {
				got := ""
				if r := rows[i+1]; len(r) > 4 {
					got = r[4]
				}
				if got != want {
					t.Errorf("row %d: %q, want %q", i+2, got, want)
				}
			}
			if last := rows[len(rows)-1]; len(last) < 5 || !strings.HasPrefix(last[4], "Ngưỡng: từ ") {
				t.Errorf("last row %q, want the thresholds", last)
			}
		})
	}
}
