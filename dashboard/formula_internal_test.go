package dashboard

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/xuri/excelize/v2"
)

// hostile are text cells a spreadsheet would run as formulas.
var hostile = []string{`=HYPERLINK("http://evil.example","bấm")`, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1", "\r=1"}

// formulaStart reports whether a written cell would be read as a formula:
// it starts with a formula character and is neither a plain number nor a
// code written as the constant ="00691" (figures.CSVStyle.code). (Its own rule,
// not analytics.SafeCell, so the test checks the writers.)
func formulaStart(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !plainNumberRE.MatchString(s) && !textCodeRE.MatchString(s)
}

var textCodeRE = regexp.MustCompile(`^="[0-9]+"$`)

var plainNumberRE = regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)*([eE][+-]?[0-9]+)?%?$`)

func readCSV(tb testing.TB, b []byte) [][]string {
	tb.Helper()
	return readCSVSep(tb, b, ',')
}

func readCSVSep(tb testing.TB, b []byte, sep rune) [][]string {
	tb.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	r.Comma = sep
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("read csv: %v\n%s", err, b)
	}
	return rows
}

func hostileTable() figures.Export {
	m, _ := analytics.MetricByID("sites")
	neg, pos := -3.5, 2.0
	var rows []figures.Row
	for i, h := range hostile {
		rows = append(rows, figures.Row{Code: analytics.CommuneCode(h), Name: h, Kind: h, Province: "08", Value: &pos, Delta: &neg, Compare: &pos, DeltaPct: &neg, Num: -1, Den: 1, Rank: &i})
	}
	rows = append(rows, figures.Row{Code: "00691", Name: "Xã A", Kind: "xã", Province: "08", Value: &pos, Delta: &neg, Compare: &pos, DeltaPct: &neg, Num: -1, Den: 1})
	return figures.Export{Query: figures.MapQuery{Metric: m}, Cur: &figures.Table{}, Cmp: &figures.Table{}, Rows: rows, Province: hostile[0], Source: hostile[3]}
}

func TestExportCSVNeutralisesFormulas(t *testing.T) {
	for _, tt := range []struct {
		name string
		st   figures.CSVStyle
		neg  string
	}{{"vi", figures.CSVVI, "-3,5"}, {"en", figures.CSVEN, "-3.5"}} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := hostileTable().CSV(tt.st)
			if err != nil {
				t.Fatal(err)
			}
			rows := readCSVSep(t, b, tt.st.Sep)
			sawNegative, sawCode := false, false
			for i, row := range rows {
				for j, c := range row {
					if formulaStart(c) {
						t.Errorf("row %d column %d: %q would run as a formula", i, j, c)
					}
					if c == tt.neg {
						sawNegative = true
					}
				}
				if row[0] == `="00691"` && row[3] == `="08"` {
					sawCode = true
				}
			}
			if !sawNegative {
				t.Errorf("the negative numbers were not written as plain numbers (%s)", tt.neg)
			}
			if !sawCode {
				t.Errorf(`the codes were not written as ="00691" and ="08": %s`, b)
			}
			if !strings.Contains(string(b), `'=HYPERLINK(`) {
				t.Errorf("the hostile name is not kept as text: %s", b)
			}
		})
	}
}

func TestExportXLSXNeutralisesFormulas(t *testing.T) {
	b, err := hostileTable().XLSX(false)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	numbers := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			for j, c := range row {
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				typ, err := f.GetCellType(sheet, cell)
				if err != nil {
					t.Fatal(err)
				}
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s!%s holds a formula %q", sheet, cell, formula)
				}
				switch typ {
				case excelize.CellTypeNumber, excelize.CellTypeUnset:
					if strings.HasPrefix(c, "-") {
						numbers++ // a negative number stays a numeric cell
					}
				default:
					if formulaStart(c) {
						t.Errorf("%s!%s: text %q would run as a formula", sheet, cell, c)
					}
				}
			}
		}
	}
	if numbers == 0 {
		t.Error("no negative number was written as a numeric cell")
	}
}

func TestChartCSVNeutralisesFormulas(t *testing.T) {
	table := [][]string{{"Loại mô hình", "Số điểm", "Chênh lệch"}}
	for _, h := range hostile {
		table = append(table, []string{h, "12", "-3"})
	}
	slide := &chart.Slide{Title: hostile[0], Subtitle: hostile[1], Footnote: hostile[3]}
	b, err := charts.TableCSV(table, nil, slide, figures.CSVEN)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range readCSV(t, b) {
		for j, c := range row {
			if formulaStart(c) {
				t.Errorf("row %d column %d: %q would run as a formula", i, j, c)
			}
		}
	}
	if !strings.Contains(string(b), ",-3\r\n") && !strings.Contains(string(b), ",-3\n") {
		t.Errorf("the number -3 was not kept as a number: %s", b)
	}
	if table[1][0] != hostile[0] {
		t.Error("tableCSV changed its caller's table")
	}
}
