package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/schema"
)

// headerScan is the rows looked at to find the header below titles.
const headerScan = 30

// GuideSheet is the name of the templates' documentation sheet; reading
// every sheet of a workbook skips it.
const GuideSheet = "Hướng dẫn"

// ReadXLSX reads the rows of every sheet of an XLSX workbook, or of the one
// sheet opt.Sheet names. In each sheet the header is the row, among the
// first 30, that names the most known columns; title rows above it are
// skipped. A header over two rows (a merged group cell such as "Tọa độ" over
// "Kinh độ" and "Vĩ độ") is read as "Tọa độ - Kinh độ", "Tọa độ - Vĩ độ".
// Merged cells lend their value to every cell they cover. Values are raw:
// dates are Excel serial numbers unless they were typed as text. Sheets
// without a header are skipped; a workbook with none is an error. Rows are
// streamed, so big sheets are not held in memory.
func ReadXLSX(ctx context.Context, filePath string, opt ReadOptions, fn func(*Row) error) error {
	name := filepath.Base(filePath)
	wb, err := openWorkbook(filePath, opt.Limits.withDefaults())
	if IsLimit(err) {
		return located(err, name, "", 0)
	}
	if err != nil {
		return analytics.NewError(analytics.CodeInvalid, fmt.Sprintf("read %s: not a readable xlsx workbook", name), err)
	}
	defer wb.Close()
	sheets := wb.sheets
	if opt.Sheet != "" {
		i := slices.IndexFunc(sheets, func(s string) bool { return placename.Fold(s) == placename.Fold(opt.Sheet) })
		if i < 0 {
			return analytics.Errorf(analytics.CodeInvalid, "read %s: no sheet %q (sheets: %s)", name, opt.Sheet, strings.Join(sheets, ", "))
		}
		sheets = sheets[i : i+1]
	}
	read := 0
	var skipped []string
	for _, sheet := range sheets {
		if opt.Sheet == "" && placename.Fold(sheet) == placename.Fold(GuideSheet) {
			continue
		}
		ok, err := readSheet(ctx, wb, name, sheet, opt.Kind, fn)
		if err != nil {
			return err
		}
		if ok {
			read++
		} else {
			skipped = append(skipped, sheet)
		}
	}
	if read == 0 {
		return analytics.Errorf(analytics.CodeInvalid, "read %s: no header row with known columns in the first %d rows of sheet %s", name, headerScan, strings.Join(skipped, ", "))
	}
	return nil
}

// readSheet reads one sheet; ok is false when it has no header.
func readSheet(ctx context.Context, wb *workbook, file, sheet string, kind analytics.Kind, fn func(*Row) error) (ok bool, err error) {
	merges, err := scanMerges(wb.files[wb.parts[sheet]])
	if err != nil {
		return false, fmt.Errorf("read %s sheet %s: %w", file, sheet, err)
	}
	sr, err := wb.openSheet(sheet)
	if err != nil {
		return false, fmt.Errorf("read %s sheet %s: %w", file, sheet, err)
	}
	defer sr.Close()
	fill := merger{pending: merges}
	maxRows := wb.lim.MaxRows
	rows := 0 // row elements read, blank ones included
	fail := func(err error) error {
		if IsLimit(err) {
			return located(err, file, sheet, 0)
		}
		return fmt.Errorf("read %s sheet %s: %w", file, sheet, err)
	}
	// Buffer the first rows to find the header; rows absent from the XML
	// are blank rows.
	var head [][]string
	var nums []int
	num := 0
	for len(head) < headerScan {
		n, cols, err := sr.next(num)
		if err == io.EOF {
			break
		}
		if err != nil {
			return false, fail(err)
		}
		rows++
		for num+1 < n && len(head) < headerScan { // blank rows between
			num++
			head, nums = append(head, fill.row(num, nil)), append(nums, num)
		}
		num = n
		head, nums = append(head, fill.row(num, slices.Clone(cols))), append(nums, num)
	}
	header, first, lay := layout.Find(head, nums, kind)
	if header == nil {
		return false, nil
	}
	row := Row{File: file, Sheet: sheet, Header: header, Layout: lay}
	emit := func(n int, cols []string) error {
		if blank(cols) {
			return nil
		}
		row.Num, row.Err = n, nil
		if len(cols) > len(header) {
			for i, v := range cols[len(header):] {
				if v != "" {
					row.Err = fmt.Errorf("value %q in column %s, which has no header", v, schema.ColumnLetter(len(header)+i))
					break
				}
			}
			cols = cols[:len(header)]
		}
		for len(cols) < len(header) {
			cols = append(cols, "")
		}
		row.Values = cols
		return fn(&row)
	}
	for i := first; i < len(head); i++ {
		if err := emit(nums[i], head[i]); err != nil {
			return true, err
		}
	}
	for k := 0; ; k++ {
		if k&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return true, err
			}
		}
		n, cols, err := sr.next(num)
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, fail(err)
		}
		if rows++; rows > maxRows {
			return true, located(errRows(maxRows), file, sheet, 0)
		}
		num = n
		if err := emit(num, fill.row(num, cols)); err != nil {
			return true, err
		}
	}
}

// mergeRange is a merged cell range, 1-based and inclusive.
type mergeRange struct {
	c1, r1, c2, r2 int
	val            string
}

// merger lends a merged range's top-left value to the other cells of the
// range as rows stream by.
type merger struct {
	pending []mergeRange // sorted by r1, not yet reached
	active  []mergeRange
}

func (m *merger) row(r int, cols []string) []string {
	if len(m.pending) == 0 && len(m.active) == 0 {
		return cols
	}
	for len(m.pending) > 0 && m.pending[0].r1 <= r {
		g := m.pending[0]
		m.pending = m.pending[1:]
		if g.r1 == r && g.c1-1 < len(cols) {
			g.val = cols[g.c1-1]
		}
		m.active = append(m.active, g)
	}
	keep := m.active[:0]
	for _, g := range m.active {
		if r > g.r2 {
			continue
		}
		keep = append(keep, g)
		if g.val == "" {
			continue
		}
		for len(cols) < g.c2 {
			cols = append(cols, "")
		}
		for c := g.c1; c <= g.c2; c++ {
			if cols[c-1] == "" {
				cols[c-1] = g.val
			}
		}
	}
	m.active = keep
	return cols
}

// scanMerges finds <mergeCell ref="A1:B2"/> elements in a sheet's XML.
func scanMerges(f *zip.File) ([]mergeRange, error) {
	if f == nil {
		return nil, errors.New("sheet part missing")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var out []mergeRange
	for {
		_, err := br.ReadSlice('<')
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		peek, _ := br.Peek(24)
		if i := bytes.IndexByte(peek, ':'); i >= 0 && i < 12 && bytes.IndexByte(peek[:i], ' ') < 0 {
			peek = peek[i+1:] // a namespace prefix
		}
		if !bytes.HasPrefix(peek, []byte("mergeCell ")) {
			continue
		}
		tag, err := br.ReadSlice('>')
		if err != nil {
			return nil, err
		}
		i := bytes.Index(tag, []byte(`ref="`))
		if i < 0 {
			continue
		}
		ref := tag[i+5:]
		if j := bytes.IndexByte(ref, '"'); j >= 0 {
			ref = ref[:j]
		}
		a, b, ok := strings.Cut(string(ref), ":")
		if !ok {
			continue
		}
		c1, r1, err1 := excelize.CellNameToCoordinates(a)
		c2, r2, err2 := excelize.CellNameToCoordinates(b)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, mergeRange{c1: min(c1, c2), r1: min(r1, r2), c2: max(c1, c2), r2: max(r1, r2)})
	}
	slices.SortFunc(out, func(a, b mergeRange) int { return a.r1 - b.r1 })
	return out, nil
}
