package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// TestRejectsNeutraliseFormulas: a rejected row's original values, and an
// unknown column's header, reach the rejects file as text, never formulas;
// a negative number stays a number.
func TestRejectsNeutraliseFormulas(t *testing.T) {
	const evil = `=HYPERLINK("http://evil.example","bấm")`
	p := filepath.Join(t.TempDir(), "vu_viec.csv")
	rows := [][]string{
		{"Mã vụ việc", "Lĩnh vực vụ việc", "Ngày tiếp nhận", "Kết quả", "Xã/Phường", "Tỉnh", "@Ghi chú", "Số"},
		{"VV-1", evil, "03/02/2024", "Hòa giải thành", "", "Tuyên Quang", "+1+cmd|' /C calc'!A0", "-12"},
		{"VV-2", "mâu thuẫn", "03/02/2024", "Hòa giải thành", "-2+3+cmd|' /C calc'!A0", "Tuyên Quang", "@SUM(A1)", "-3,5"},
	}
	if err := os.WriteFile(p, ingesttest.CSVBytes(rows, ',', false), 0o600); err != nil {
		t.Fatal(err)
	}
	got := parseFile(t, p, "")
	if got.Rejects == "" {
		t.Fatalf("no rejects file: %+v", got)
	}
	recs := csvReader(strings.TrimPrefix(got.Rejects, sheet.BOM))
	var numbers, kept int
	for i, rec := range recs {
		for j, c := range rec {
			if ingesttest.FormulaCell(c) {
				t.Errorf("rejects row %d column %d: %q would run as a formula", i, j, c)
			}
			if c == "-12" || c == "-3,5" {
				numbers++
			}
			if c == "'"+evil {
				kept++
			}
		}
	}
	if numbers != 2 || kept != 1 {
		t.Errorf("want the numbers -12 and -3,5 as written and the hostile value kept as text; got %d, %d:\n%s", numbers, kept, got.Rejects)
	}
}
