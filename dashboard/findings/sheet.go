package findings

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics/finding"
)

// SeverityVI names a finding's severity in Vietnamese.
var SeverityVI = map[string]string{"high": "Cao", "medium": "Trung bình", "low": "Thấp"}

// SheetName is the name of the XLSX export's findings sheet.
const SheetName = "Điểm cần chú ý"

// WithSheet adds the findings sheet to an XLSX export (written by
// figures.Export.XLSX): one row per finding with the figures behind it, so
// each finding can be checked against the exported table.
func WithSheet(xlsx []byte, fb Body) ([]byte, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "reopen xlsx: %w", err)
	}
	defer f.Close()
	if _, err := f.NewSheet(SheetName); err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "findings sheet: %w", err)
	}
	wide := analytics.Capitalize(analytics.ProvinceWide(analytics.LangVI, fb.ProvinceName)) // "Toàn tỉnh", "Toàn thành phố"
	head := []string{analytics.RankHeader(analytics.LangVI), "Mức độ", "Loại", "Chỉ tiêu", "Điểm cần chú ý", "Xã, phường (mã)", "Giá trị", "Giá trị kỳ so sánh", wide,
		wide + " kỳ so sánh", "Thay đổi", "Tử số", "Mẫu số", "Tử số kỳ so sánh", "Mẫu số kỳ so sánh", "z", "Số lượng", "Trên tổng", "Kỳ số liệu", "Phương pháp", "Liên kết"}
	var rows [][]any
	hr := make([]any, len(head))
	for i, h := range head {
		hr[i] = h
	}
	rows = append(rows, hr)
	for _, fd := range fb.Findings {
		var cs []string
		for _, c := range fd.Communes {
			cs = append(cs, c.Name+" ("+string(c.Code)+")")
		}
		fg := fd.Figures
		rows = append(rows, []any{fd.Rank, SeverityVI[fd.Severity], fd.Kind, string(fd.Metric), fd.TextVI, strings.Join(cs, "; "),
			figures.CellValue(fg.Value), figures.CellValue(fg.Compare), figures.CellValue(fg.Province), figures.CellValue(fg.ProvCmp), figures.CellValue(fg.Change), figures.CellValue(fg.Num), figures.CellValue(fg.Den), figures.CellValue(fg.CmpNum), figures.CellValue(fg.CmpDen),
			figures.CellValue(fg.Z), figures.CellValue(fg.Count), figures.CellValue(fg.Of), fd.Window.LabelVI, fd.Method, fd.Link})
	}
	if len(fb.Findings) == 0 {
		rows = append(rows, []any{nil, nil, nil, nil, "Không có điểm nào vượt ngưỡng"})
	}
	rows = append(rows, []any{}, []any{nil, nil, nil, nil, fb.Footnote}, []any{nil, nil, nil, nil,
		fmt.Sprintf("Ngưỡng: từ %d trường hợp mỗi kỳ; thay đổi từ %s điểm phần trăm (tỷ lệ) hoặc %s%% (số lượng) với |z| ≥ %s; bất thường |z| ≥ %s (%s)",
			finding.MinCases, chart.FormatNumber(finding.ChangeMinPoints, 0), chart.FormatNumber(finding.ChangeMinRelative*100, 0),
			chart.FormatNumber(finding.ChangeMinZ, 2), chart.FormatNumber(finding.OutlierZ, 1), finding.OutlierMethodVI)})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(SheetName, cell, &r); err != nil {
			return nil, analytics.Errorf(analytics.CodeInternal, "findings sheet: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), 1)
	_ = f.SetCellStyle(SheetName, "A1", last, bold)
	_ = f.SetColWidth(SheetName, "E", "E", 90)
	_ = f.SetColWidth(SheetName, "F", "F", 40)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
