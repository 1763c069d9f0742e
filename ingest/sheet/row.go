package sheet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/layout"
)

// Row is one data row of a table (a CSV file, an XLSX sheet, a JSON Lines
// file): where it is and its values under the table's header.
//
// Readers reuse a Row and its Values between calls to the callback; a
// callback that keeps them must copy them. The strings themselves are not
// reused.
type Row struct {
	File   string         // base name of the file
	Sheet  string         // XLSX sheet; empty for CSV and JSON Lines
	Num    int            // 1-based row in the file or sheet as a spreadsheet shows it (CSV header = 1; JSON Lines: line)
	Header []string       // the table's header, shared by its rows; do not modify
	Values []string       // aligned with Header
	Err    error          // the row could not be read whole (a ragged CSV row, a bad JSON line); Values has what was read
	Layout *layout.Layout // the table's layout (header rows, title block); nil for JSON Lines
}

// Get returns the value under header h, compared folded.
func (r *Row) Get(h string) (string, bool) {
	fh := placename.Fold(h)
	for i, x := range r.Header {
		if placename.Fold(x) == fh && i < len(r.Values) {
			return r.Values[i], true
		}
	}
	return "", false
}

// Encoding of a CSV file.
type Encoding string

// The encodings a CSV file may be in. EncodingAuto reads valid UTF-8 as
// UTF-8 and anything else as Windows-1258, the Vietnamese code page of old
// Excel exports.
const (
	EncodingAuto        Encoding = ""
	EncodingUTF8        Encoding = "utf-8"
	EncodingWindows1258 Encoding = "windows-1258"
	EncodingWindows1252 Encoding = "windows-1252"
)

// ParseEncoding reads an encoding name as a user writes it ("cp1258",
// "Windows-1252", "utf8").
func ParseEncoding(s string) (Encoding, error) {
	switch strings.NewReplacer("-", "", "_", "", " ", "").Replace(strings.ToLower(s)) {
	case "", "auto":
		return EncodingAuto, nil
	case "utf8":
		return EncodingUTF8, nil
	case "windows1258", "cp1258", "win1258":
		return EncodingWindows1258, nil
	case "windows1252", "cp1252", "win1252", "latin1", "iso88591":
		return EncodingWindows1252, nil
	}
	return "", analytics.Errorf(analytics.CodeInvalid, "unknown encoding %q (utf-8, windows-1258 or windows-1252)", s)
}

// ReadOptions say how to read a file.
type ReadOptions struct {
	Sheet    string         // XLSX: read only this sheet; empty reads every sheet
	Encoding Encoding       // CSV: EncodingAuto by default
	Kind     analytics.Kind // when set, helps find an XLSX header row below titles
	Limits   Limits         // bounds on the file (zero fields: the defaults)
}

// Format of an input file, from its extension.
type Format string

// The formats.
const (
	FormatCSV   Format = "csv"
	FormatXLSX  Format = "xlsx"
	FormatJSONL Format = "jsonl"
)

// FormatOf returns the format of a file from its name.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt":
		return FormatCSV, nil
	case ".xlsx", ".xlsm":
		return FormatXLSX, nil
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL, nil
	case ".xls":
		return "", analytics.Errorf(analytics.CodeInvalid, "%s: old .xls workbooks are not read; save it as .xlsx", filepath.Base(path))
	}
	return "", analytics.Errorf(analytics.CodeInvalid, "%s: unknown file type (csv, xlsx or jsonl)", filepath.Base(path))
}

// ReadFile reads every data row of the file at path, calling fn for each.
// An error from fn stops the reading and is returned.
func ReadFile(ctx context.Context, path string, opt ReadOptions, fn func(*Row) error) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	name := filepath.Base(path)
	switch format {
	case FormatXLSX:
		return ReadXLSX(ctx, path, opt, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	if format == FormatJSONL {
		return readJSONL(ctx, f, name, opt.Limits.withDefaults(), fn)
	}
	return readCSV(ctx, f, name, opt.Encoding, opt.Limits.withDefaults(), fn)
}
