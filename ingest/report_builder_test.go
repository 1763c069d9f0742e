package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// This file builds report-shaped workbooks and CSV files for the tests: a
// title block, a header over one or two rows with merged group cells, a
// column-number row, sections, subtotals, notes and a signature block
// around records, with what each row is expected to become.

// The expected outcome of a row.
const (
	expRecord = "record" // loaded, to the commune in expRow.Commune
	expReject = "reject" // a record with a deliberate error
	expDup    = "dup"    // a record repeated exactly
	expSkip   = "skip"   // not a record
	expNone   = ""       // above the header, the header, or blank: not read
)

type expRow struct {
	What    string
	Commune string // expRecord, expDup: the 2025 commune code
}

// rep is one sheet (or one CSV file) of a report as it is built.
type rep struct {
	name   string
	ncol   int
	rows   [][]any
	merges [][2]string
	exp    []expRow
}

func newRep(name string, ncol int) *rep { return &rep{name: name, ncol: ncol} }

func (r *rep) add(vals []any, e expRow) int {
	row := make([]any, r.ncol)
	copy(row, vals)
	r.rows = append(r.rows, row)
	r.exp = append(r.exp, e)
	return len(r.rows)
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

func (r *rep) merge(c1, r1, c2, r2 int) {
	r.merges = append(r.merges, [2]string{cell(c1, r1), cell(c2, r2)})
}

// line is a title-block line merged across the sheet.
func (r *rep) line(text string) {
	n := r.add([]any{text}, expRow{})
	r.merge(0, n, r.ncol-1, n)
}

// pair is the two-column top of an official report: the issuing unit on the
// left, the national motto on the right.
func (r *rep) pair(left, right string) {
	half := r.ncol / 2
	vals := make([]any, r.ncol)
	vals[0], vals[half] = left, right
	n := r.add(vals, expRow{})
	r.merge(0, n, half-1, n)
	r.merge(half, n, r.ncol-1, n)
}

func (r *rep) blank(e string) { r.add(nil, expRow{What: e}) }

// header writes a header over one row (sub nil) or two: top holds each
// column's name or group, "" continuing the group to its left; sub holds
// the sub-column names, "" where the top cell spans both rows.
func (r *rep) header(top, sub []string) {
	tv := make([]any, len(top))
	for i, t := range top {
		if t != "" {
			tv[i] = t
		}
	}
	n := r.add(tv, expRow{})
	if sub == nil {
		return
	}
	sv := make([]any, len(sub))
	for i, s := range sub {
		if s != "" {
			sv[i] = s
		}
	}
	r.add(sv, expRow{})
	for i := 0; i < len(top); i++ {
		if sub[i] == "" {
			r.merge(i, n, i, n+1)
			continue
		}
		j := i
		for j+1 < len(top) && top[j+1] == "" && sub[j+1] != "" {
			j++
		}
		if j > i {
			r.merge(i, n, j, n)
			i = j
		}
	}
}

// numbers writes the column-number row in one of the styles reports use.
func (r *rep) numbers(style int) {
	vals := make([]any, r.ncol)
	for i := range vals {
		switch style % 3 {
		case 0:
			vals[i] = fmt.Sprintf("(%d)", i+1)
		case 1:
			vals[i] = i + 1
		default:
			vals[i] = string(rune('A' + i))
		}
	}
	r.add(vals, expRow{What: expSkip})
}

// section writes a section row: numbering in the STT column and the text
// beside it, or the text merged across the row.
func (r *rep) section(index, text string, merged bool) {
	if merged {
		t := text
		if index != "" {
			t = index + ". " + text
		}
		n := r.add([]any{t}, expRow{What: expSkip})
		r.merge(0, n, r.ncol-1, n)
		return
	}
	r.add([]any{index, text}, expRow{What: expSkip})
}

func (r *rep) record(vals []any, communeCode string) {
	r.add(vals, expRow{What: expRecord, Commune: communeCode})
}

func (r *rep) total(label string, col int, n int) {
	vals := make([]any, r.ncol)
	vals[0] = label
	vals[col] = n
	row := r.add(vals, expRow{What: expSkip})
	r.merge(0, row, 1, row)
}

func (r *rep) note(text string) {
	n := r.add([]any{text}, expRow{What: expSkip})
	r.merge(0, n, r.ncol-1, n)
}

// footer writes the date line and the signature block.
func (r *rep) footer(place string, day time.Time, maker, head string) {
	half := r.ncol / 2
	row := func(l, rt any) {
		vals := make([]any, r.ncol)
		vals[1], vals[half] = l, rt
		r.add(vals, expRow{What: expSkip})
	}
	r.blank(expNone)
	row(nil, fmt.Sprintf("%s, ngày %d tháng %d năm %d", place, day.Day(), day.Month(), day.Year()))
	row("NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ")
	row("(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)")
	r.blank(expNone)
	row(maker, head)
}

// writeXLSX writes the sheets into one workbook.
func writeXLSX(path string, sheets ...*rep) error {
	x := excelize.NewFile()
	defer x.Close()
	for i, s := range sheets {
		if i == 0 {
			x.SetSheetName("Sheet1", s.name)
		} else if _, err := x.NewSheet(s.name); err != nil {
			return err
		}
		dateStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
		for j, row := range s.rows {
			for k, v := range row {
				if v == nil {
					continue
				}
				if err := x.SetCellValue(s.name, cell(k, j+1), v); err != nil {
					return err
				}
				if _, ok := v.(time.Time); ok {
					x.SetCellStyle(s.name, cell(k, j+1), cell(k, j+1), dateStyle)
				}
			}
		}
		for _, m := range s.merges {
			if err := x.MergeCell(s.name, m[0], m[1]); err != nil {
				return err
			}
		}
	}
	return x.SaveAs(path)
}

// writeCSV writes one sheet as Excel exports it: merged cells hold their
// value in the first cell only; dates as dd/mm/yyyy.
func writeCSV(path string, s *rep, comma rune, withBOM bool) error {
	var b bytes.Buffer
	if withBOM {
		b.WriteString(sheet.BOM)
	}
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, true
	for _, row := range s.rows {
		rec := make([]string, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case nil:
			case time.Time:
				rec[i] = x.Format("02/01/2006")
			default:
				rec[i] = fmt.Sprint(x)
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// expectation is what a report fixture must give, kept beside it.
type expectation struct {
	Counts Counts
	Rows   map[string]expRow // "sheet!row" -> expected
}

func (e *expectation) addSheet(sheet string, s *rep) {
	if e.Rows == nil {
		e.Rows = map[string]expRow{}
	}
	for i, x := range s.exp {
		if x.What == expNone {
			continue
		}
		e.Rows[fmt.Sprintf("%s!%d", sheet, i+1)] = x
		e.Counts.Read++
		switch x.What {
		case expRecord:
			e.Counts.Loaded++
		case expReject:
			e.Counts.Rejected++
		case expDup:
			e.Counts.Duplicates++
		case expSkip:
			e.Counts.Skipped++
		}
	}
}

// The reference geography, loaded once for the tests that resolve real
// places.
var (
	refOnce sync.Once
	refSet  *commune.Set
	refErr  error
)

func refData(t testing.TB) *commune.Set {
	t.Helper()
	refOnce.Do(func() {
		// The reference data built into the binary (the sources are for
		// the tests that compare the bundle with them, in communetest).
		refSet, refErr = commune.Load(context.Background(), commune.Config{})
	})
	if refErr != nil {
		t.Fatalf("reference data built into the binary: %v", refErr)
	}
	return refSet
}

// unit is a place a generated record names, and its 2025 commune.
type unit struct {
	commune, district, province string // as written
	code                        analytics.CommuneCode
}

// oldUnits lists the pre-2025 communes of an old district that the full
// place (commune, district, old province) resolves to their main
// successor, unsplit.
func oldUnits(set *commune.Set, res analytics.Resolver, district string) []unit {
	var out []unit
	for i := range set.OldUnits {
		u := &set.OldUnits[i]
		if u.District != district || u.Code == "" || u.Split() {
			continue
		}
		got, err := res.Resolve(analytics.Place{Commune: u.Name, District: u.District, Province: u.Province, Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil || got.Commune != u.Main().Commune {
			continue
		}
		out = append(out, unit{commune: u.Name, district: u.District, province: u.Province, code: u.Main().Commune})
	}
	return out
}

// newUnits lists the 2025 communes of a province whose name resolves
// within it.
func newUnits(set *commune.Set, res analytics.Resolver, p analytics.ProvinceCode) []unit {
	var out []unit
	name := ""
	for _, pr := range set.Provinces {
		if pr.Code == p {
			name = pr.Name
		}
	}
	for _, c := range set.Communes {
		if c.Province != p {
			continue
		}
		got, err := res.Resolve(analytics.Place{Commune: c.FullName, Province: name, Date: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil || got.Commune != c.Code {
			continue
		}
		out = append(out, unit{commune: c.FullName, province: name, code: c.Code})
	}
	return out
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func sample[T any](rng *rand.Rand, xs []T, n int) []T {
	xs = slices.Clone(xs)
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	return xs[:min(n, len(xs))]
}

// dayIn is a random day in [from, to).
func dayIn(rng *rand.Rand, from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, rng.IntN(days))
}

// typedDate writes a date in one of the ways people type them.
func typedDate(rng *rand.Rand, d time.Time, xlsx bool) any {
	forms := 6
	if xlsx {
		forms = 7
	}
	switch rng.IntN(forms) {
	case 0:
		return fmt.Sprintf("%d/%d/%d", d.Day(), d.Month(), d.Year())
	case 1:
		return d.Format("02-01-2006")
	case 2:
		return d.Format("02.01.2006")
	case 3:
		return fmt.Sprintf("ngày %d tháng %d năm %d", d.Day(), d.Month(), d.Year())
	case 4:
		return d.Format("02/01/2006")
	case 5:
		return d.Format("2/1/06")
	}
	return d // a date cell
}

// modelTypes and site names of the generated records.
var (
	modelTypes = []string{"Tổ tự quản về ANTT", "Hai quản, Hai tích cực", "Camera an ninh", "Tổ liên gia an toàn PCCC",
		"Dòng họ không có người vi phạm pháp luật", "Tiếng kẻng an ninh", "Khu dân cư an toàn về ANTT"}
	places     = []string{"thôn Làng Chẵng", "thôn Nà Héc", "tổ dân phố số 5", "khu 3", "xóm Mới", "thôn Đồng Tâm", "bản Khuổi Vài", "khu Phố Chợ"}
	categories = []string{"Mâu thuẫn, tranh chấp", "Tố giác tội phạm", "Tệ nạn xã hội", "Trật tự công cộng", "Giao thông", "Cháy nổ"}
	outcomes   = []string{"Hòa giải thành", "Đã giải quyết xong", "Chuyển cơ quan chức năng", "Hòa giải không thành", "HGT", "Giải quyết tại cơ sở"}
	grades     = []string{"Tốt", "Khá", "Trung bình", "Yếu", "TB", "tốt", "KHÁ"}
	people     = []string{"Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Hoàng Thị Dung", "Đại úy Phạm Văn Hùng", "Thượng tá Vũ Đức Thắng"}
)
