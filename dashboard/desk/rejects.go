package desk

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
)

// RejectRow is one rejected row, as the page's table shows it.
type RejectRow struct {
	File    string `json:"file"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Value   string `json:"value"`
	Reason  string `json:"reason"`
	Nearest string `json:"nearest,omitempty"` // the nearest communes' names, when the commune was not found
}

// rejectGroup is the rejected rows of one table: its original header and
// the rows with their original values.
type rejectGroup struct {
	header []string
	rows   []RejectRow
	values [][]string
}

// The rejects file's first columns (ingest: file, sheet, row, field,
// reason), in either language.
var rejectsHeads = [][]string{{"tệp", "trang", "dòng", "cột", "lý do"}, {"file", "sheet", "row", "field", "reason"}}

// readRejects parses the rejects files the ingest wrote beside the batch's
// files (UTF-8 with BOM; a header line before each table's rows).
func readRejects(paths []string) ([]rejectGroup, error) {
	var out []rejectGroup
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("desk: rejects: %w", err)
		}
		raw = bytes.TrimPrefix(raw, []byte("\xEF\xBB\xBF"))
		r := csv.NewReader(bufio.NewReader(bytes.NewReader(raw)))
		r.FieldsPerRecord = -1
		var cur *rejectGroup
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("desk: rejects %s: %w", p, err)
			}
			if len(rec) >= 5 && (slices.Equal(rec[:5], rejectsHeads[0]) || slices.Equal(rec[:5], rejectsHeads[1])) {
				out = append(out, rejectGroup{header: slices.Clone(rec[5:])})
				cur = &out[len(out)-1]
				continue
			}
			if cur == nil || len(rec) < 5 {
				continue
			}
			n, _ := strconv.Atoi(rec[2])
			vals := unsafeCells(rec[5:])
			row := RejectRow{File: rec[0], Sheet: rec[1], Row: n, Field: rec[3], Reason: rec[4]}
			if i := strings.Index(row.Reason, "; gần nhất: "); i >= 0 {
				row.Nearest = row.Reason[i+len("; gần nhất: "):]
			} else if i := strings.Index(row.Reason, "; nearest: "); i >= 0 {
				row.Nearest = row.Reason[i+len("; nearest: "):]
			}
			row.Value = valueOf(row, cur.header, vals)
			cur.rows = append(cur.rows, row)
			cur.values = append(cur.values, vals)
		}
	}
	return out, nil
}

// unsafeCells undoes analytics.SafeRow's leading apostrophe on text that
// read as a formula: the page shows the value as typed.
func unsafeCells(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v
		if strings.HasPrefix(v, "'") && len(v) > 1 && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
			out[i] = v[1:]
		}
	}
	return out
}

var quoted = regexp.MustCompile(`"([^"]*)"`)

// valueOf is the value the reason is about: the column named like the
// field, else the first quoted value in the reason.
func valueOf(r RejectRow, header, vals []string) string {
	for _, f := range strings.Split(r.Field, "; ") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		for i, h := range header {
			if i < len(vals) && strings.EqualFold(strings.TrimSpace(h), f) {
				return vals[i]
			}
		}
	}
	if m := quoted.FindStringSubmatch(r.Reason); m != nil {
		return m[1]
	}
	return ""
}

// rejectPaths are the rejects files of a batch's summary.
func (d *Desk) rejectPaths(b Batch) []string {
	var out []string
	if b.Summary == nil {
		return nil
	}
	for _, f := range b.Summary.Files {
		if f.Name == "" {
			continue
		}
		p := d.filesDir(b.ID) + "/" + f.Name + ".rejects.csv"
		if _, err := os.Stat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// maxRejectRows bounds the rows the rejects table answers (all are in the XLSX).
const maxRejectRows = 5000

// Rejects returns the rejected rows of batch id (at most 5,000; the XLSX
// has all) and their total.
func (d *Desk) Rejects(id string, s Scope) ([]RejectRow, int, error) {
	b, err := d.Get(id, s)
	if err != nil {
		return nil, 0, err
	}
	groups, err := readRejects(d.rejectPaths(b))
	if err != nil {
		return nil, 0, err
	}
	out := []RejectRow{}
	total := 0
	for _, g := range groups {
		total += len(g.rows)
		for _, r := range g.rows {
			if len(out) < maxRejectRows {
				out = append(out, r)
			}
		}
	}
	return out, total, nil
}

// RejectsXLSX returns the rejected rows of batch id as a workbook: a sheet
// per table with its original columns, then the reason ("Lý do loại"), the
// column at fault, the nearest communes and where the row was, so staff can
// fix the rows in Excel and upload the sheet again.
func (d *Desk) RejectsXLSX(id string, s Scope) (name string, body []byte, err error) {
	b, err := d.Get(id, s)
	if err != nil {
		return "", nil, err
	}
	groups, err := readRejects(d.rejectPaths(b))
	if err != nil {
		return "", nil, err
	}
	if len(groups) == 0 {
		return "", nil, analytics.Errorf(analytics.CodeNotFound, "lô %s không có dòng bị loại / batch %s has no rejected rows", id, id)
	}
	f := excelize.NewFile()
	defer f.Close()
	for gi, g := range groups {
		sheet := "Dòng bị loại"
		if gi > 0 {
			sheet = fmt.Sprintf("Dòng bị loại %d", gi+1)
		}
		if gi == 0 {
			if err := f.SetSheetName("Sheet1", sheet); err != nil {
				return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
		}
		sw, err := f.NewStreamWriter(sheet)
		if err != nil {
			return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
		}
		head := append(slices.Clone(g.header), "Lý do loại", "Cột lỗi", "Xã gần nhất", "Dòng gốc", "Trang gốc", "Tệp gốc")
		if err := sw.SetRow("A1", cells(head)); err != nil {
			return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
		}
		for i, r := range g.rows {
			vals := slices.Clone(g.values[i])
			for len(vals) < len(g.header) {
				vals = append(vals, "")
			}
			row := cells(append(vals[:len(g.header)], r.Reason, r.Field, r.Nearest))
			row = append(row, r.Row, r.Sheet, r.File)
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row); err != nil {
				return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
			}
		}
		if err := sw.Flush(); err != nil {
			return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return "", nil, fmt.Errorf("desk: rejects xlsx: %w", err)
	}
	return "dong-bi-loai-" + id + ".xlsx", buf.Bytes(), nil
}

// cells are text cells: values as typed (a text that reads as a formula
// stays text in a stream writer's string cells).
func cells(vals []string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}
