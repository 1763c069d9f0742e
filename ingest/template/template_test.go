package template

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// TestTemplatesHoldNoFormulas: every text cell of every template (CSV and
// XLSX, each kind) is safe to open.
func TestTemplatesHoldNoFormulas(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"models", "sites", "grades", "incidents"} {
		for _, ext := range []string{".csv", ".xlsx"} {
			t.Run(name+ext, func(t *testing.T) {
				p := filepath.Join(dir, name+ext)
				if err := Write(p); err != nil {
					t.Fatal(err)
				}
				var cells []string
				if ext == ".csv" {
					b, err := os.ReadFile(p)
					if err != nil {
						t.Fatal(err)
					}
					r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), sheet.BOM)))
					r.FieldsPerRecord = -1
					recs, err := r.ReadAll()
					if err != nil {
						t.Fatal(err)
					}
					for _, rec := range recs {
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
					if ingesttest.FormulaCell(c) {
						t.Errorf("template cell %q would run as a formula", c)
					}
				}
			})
		}
	}
}
