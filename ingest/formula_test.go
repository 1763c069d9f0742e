package ingest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// formulaCell: a cell a spreadsheet would run as a formula (its own rule,
// not analytics.SafeCell, so the test checks the writers).
func formulaCell(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) &&
		!regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)*([eE][+-]?[0-9]+)?%?$`).MatchString(s)
}

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
			if formulaCell(c) {
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

// TestTemplatesHoldNoFormulas: every text cell of every template (CSV and
// XLSX, each kind) is safe to open.
func TestTemplatesHoldNoFormulas(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"models", "sites", "grades", "incidents"} {
		for _, ext := range []string{".csv", ".xlsx"} {
			t.Run(name+ext, func(t *testing.T) {
				p := filepath.Join(dir, name+ext)
				if err := WriteTemplate(p); err != nil {
					t.Fatal(err)
				}
				var cells []string
				if ext == ".csv" {
					b, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					for _, rec := range csvReader(strings.TrimPrefix(string(b), sheet.BOM)) {
						cells = append(cells, rec...)
					}
				} else {
					x, err := excelize.OpenFile(p)
					if err != nil {
						t.Fatal(err)
					}
					defer x.Close()
					for _, sh := range x.GetSheetList() {
						rows, _ := x.GetRows(sh)
						for _, r := range rows {
							cells = append(cells, r...)
						}
					}
				}
				if len(cells) == 0 {
					t.Fatal("empty template")
				}
				for _, c := range cells {
					if formulaCell(c) {
						t.Errorf("template cell %q would run as a formula", c)
					}
				}
			})
		}
	}
}
