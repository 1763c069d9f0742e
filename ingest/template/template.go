package template

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// sheetNames are the data sheets of the templates.
var sheetNames = map[analytics.Kind]string{
	analytics.KindModels:    "Mô hình",
	analytics.KindSites:     "Điểm mô hình",
	analytics.KindGrades:    "Xếp loại",
	analytics.KindIncidents: "Vụ việc",
}

// KindOfName tells the kind of a template from its file name: "sites.xlsx",
// "diem-mo-hinh.csv", "vu_viec_2025.xlsx".
func KindOfName(path string) (analytics.Kind, error) {
	n := placename.Fold(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	n = " " + n + " "
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) || strings.Contains(strings.ReplaceAll(n, " ", ""), strings.ReplaceAll(w, " ", "")) {
				return true
			}
		}
		return false
	}
	switch {
	case has("site", "diem"):
		return analytics.KindSites, nil
	case has("grade", "xep loai"):
		return analytics.KindGrades, nil
	case has("incident", "vu viec"):
		return analytics.KindIncidents, nil
	case has("model", "mo hinh"):
		return analytics.KindModels, nil
	}
	return "", analytics.Errorf(analytics.CodeInvalid, "cannot tell the kind from the name %q: name it models, sites, grades or incidents", filepath.Base(path))
}

// Write writes a template to fill for the kind the file's name
// tells (see KindOfName): an XLSX workbook with the Vietnamese headers, one
// example row and a "Hướng dẫn" sheet documenting every column, or, for a
// .csv name, the header and the example row in UTF-8 with a byte order mark.
func Write(path string) error {
	kind, err := KindOfName(path)
	if err != nil {
		return err
	}
	format, err := sheet.FormatOf(path)
	if err != nil {
		return err
	}
	cols := schema.Columns(kind)
	header := make([]string, len(cols))
	example := make([]string, len(cols))
	for i, c := range cols {
		header[i], example[i] = c.Label, c.Example
	}
	switch format {
	case sheet.FormatCSV:
		return writeCSVTemplate(path, header, example)
	case sheet.FormatXLSX:
		return writeXLSXTemplate(path, kind, header, example)
	}
	return analytics.Errorf(analytics.CodeInvalid, "templates are .xlsx or .csv, not %s", filepath.Ext(path))
}

func writeCSVTemplate(path string, header, example []string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	bw := bufio.NewWriter(f)
	bw.WriteString(sheet.BOM)
	w := csv.NewWriter(bw)
	w.Write(analytics.SafeRow(header))
	w.Write(analytics.SafeRow(example))
	w.Flush()
	if err := errors.Join(w.Error(), bw.Flush(), f.Close()); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

func writeXLSXTemplate(path string, kind analytics.Kind, header, example []string) error {
	x := excelize.NewFile()
	defer x.Close()
	data := sheetNames[kind]
	if err := x.SetSheetName("Sheet1", data); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	bold, _ := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	// Text cells keep dates as typed (dd/mm/yyyy in any Excel locale) and
	// the leading zeros of codes.
	text, _ := x.NewStyle(&excelize.Style{NumFmt: 49})
	cols := schema.Columns(kind)
	for i, c := range cols {
		col := schema.ColumnLetter(i)
		x.SetColWidth(data, col, col, float64(max(12, min(40, len([]rune(c.Label))+4))))
		if c.Format == "dd/mm/yyyy" || c.Format == "văn bản" || c.Format == "5 chữ số" {
			x.SetCellStyle(data, col+"2", col+"1000", text)
		}
	}
	header, example = analytics.SafeRow(header), analytics.SafeRow(example)
	x.SetSheetRow(data, "A1", &header)
	x.SetSheetRow(data, "A2", &example)
	x.SetCellStyle(data, "A1", schema.ColumnLetter(len(header)-1)+"1", bold)
	x.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	if _, err := x.NewSheet(sheet.GuideSheet); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	x.SetSheetRow(sheet.GuideSheet, "A1", &[]string{"Cột", "Ý nghĩa", "Định dạng", "Bắt buộc", "Ví dụ"})
	x.SetCellStyle(sheet.GuideSheet, "A1", "E1", bold)
	for i, c := range cols {
		row := analytics.SafeRow([]string{c.Label, c.Meaning, c.Format, requiredText(kind, c.Field), c.Example})
		x.SetSheetRow(sheet.GuideSheet, fmt.Sprintf("A%d", i+2), &row)
	}
	notes := []string{
		"Mỗi dòng là một " + map[analytics.Kind]string{analytics.KindModels: "mô hình", analytics.KindSites: "điểm mô hình", analytics.KindGrades: "kết quả xếp loại của một điểm trong một năm", analytics.KindIncidents: "vụ việc hoặc tin báo"}[kind] + ". Xóa dòng ví dụ trước khi nạp.",
		"Ngày ghi dd/mm/yyyy (ví dụ 15/03/2023), từ 01/01/2015 đến hôm nay.",
		"Xã/phường ghi như trong hồ sơ, trước hoặc sau sáp nhập 01/7/2025; có Mã xã thì mã được ưu tiên.",
		"Có thể thêm cột khác: cột lạ được giữ lại nguyên văn, không bị bỏ.",
		"Dòng sai được ghi vào tệp <tên tệp>.rejects.csv cùng lý do; sửa rồi nạp lại tệp, dòng đã nạp không bị nạp trùng.",
	}
	for i, n := range notes {
		x.SetCellValue(sheet.GuideSheet, fmt.Sprintf("A%d", len(cols)+3+i), analytics.SafeCell(n))
	}
	x.SetColWidth(sheet.GuideSheet, "A", "A", 24)
	x.SetColWidth(sheet.GuideSheet, "B", "B", 70)
	x.SetColWidth(sheet.GuideSheet, "C", "E", 24)
	if err := x.SaveAs(path); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	return nil
}

// requiredText says in Vietnamese whether a column must be filled.
func requiredText(kind analytics.Kind, f schema.Field) string {
	switch {
	case kind == analytics.KindIncidents && f == schema.Category:
		return "có (trừ tin báo)"
	case kind == analytics.KindIncidents && f == schema.Outcome:
		return "khi đã kết thúc"
	}
	for _, g := range schema.Required(kind) {
		if !slices.Contains(g, f) {
			continue
		}
		if len(g) == 1 {
			return "có"
		}
		var others []string
		for _, o := range g {
			if o != f {
				others = append(others, strconv.Quote(schema.Label(kind, o)))
			}
		}
		return "có (hoặc " + strings.Join(others, ", ") + ")"
	}
	return "không"
}
