package sheet

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"

	"github.com/antq-atlas/antq/analytics"
)

// Limits bound what one input file may cost, whatever it holds: the readers
// stream, and the few buffers they keep (a line, a cell, the shared strings
// of a workbook) stop growing at these sizes. A file that goes past one is
// refused with the limit named. A zero field takes its default.
type Limits struct {
	MaxCell          int   // bytes of one cell, field or JSON value (Excel's own limit is 32,767 characters)
	MaxLine          int   // bytes of one CSV record (quoted line breaks included) or one JSON line
	MaxRows          int   // rows of a file or XLSX sheet (CSV records, JSON lines, XLSX row elements; blank ones included)
	MaxUnzipped      int64 // XLSX: bytes of every part together once unzipped, from the zip directory
	MaxParts         int   // XLSX: parts (files) in the zip
	MaxSharedStrings int64 // XLSX: bytes of the shared-string part once unzipped (it is held in memory)
}

// The default limits.
const (
	DefaultMaxCell          = 32 << 10
	DefaultMaxLine          = 1 << 20
	DefaultMaxRows          = 20_000_000
	DefaultMaxUnzipped      = 2 << 30
	DefaultMaxParts         = 10_000
	DefaultMaxSharedStrings = 64 << 20
)

// withDefaults returns l with its zero fields set to the defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxCell <= 0 {
		l.MaxCell = DefaultMaxCell
	}
	if l.MaxLine <= 0 {
		l.MaxLine = DefaultMaxLine
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = DefaultMaxUnzipped
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxSharedStrings <= 0 {
		l.MaxSharedStrings = DefaultMaxSharedStrings
	}
	return l
}

// LimitError is a file refused because it breaks a limit. Its message is
// Vietnamese first, then English, names the file, sheet, row and column
// where they are known, and the limit (the Limits field).
type LimitError struct {
	File, Sheet string
	Row         int    // 1-based; 0 when the limit is about the whole file
	Column      string // column letter (CSV, XLSX) or JSON key; empty when unknown
	Limit       string // the Limits field: "MaxCell", "MaxLine", …
	Max         int64
	Vi, En      string // what went past it, in Vietnamese and in English
}

func (e *LimitError) Error() string {
	var vi, en []string
	if e.File != "" {
		vi, en = append(vi, "tệp "+e.File), append(en, "file "+e.File)
	}
	if e.Sheet != "" {
		vi, en = append(vi, "trang "+e.Sheet), append(en, "sheet "+e.Sheet)
	}
	if e.Row > 0 {
		vi, en = append(vi, fmt.Sprintf("dòng %d", e.Row)), append(en, fmt.Sprintf("row %d", e.Row))
	}
	if e.Column != "" {
		vi, en = append(vi, "cột "+e.Column), append(en, "column "+e.Column)
	}
	pre := func(parts []string) string {
		if len(parts) == 0 {
			return ""
		}
		return strings.Join(parts, ", ") + ": "
	}
	return fmt.Sprintf("%svượt giới hạn %s: %s (%slimit %s = %d exceeded: %s)",
		pre(vi), e.Limit, e.Vi, pre(en), e.Limit, e.Max, e.En)
}

// at fills the location fields that are still empty and returns e.
func (e *LimitError) at(file, sheet string, row int) *LimitError {
	if e.File == "" {
		e.File = file
	}
	if e.Sheet == "" {
		e.Sheet = sheet
	}
	if e.Row == 0 {
		e.Row = row
	}
	return e
}

// IsLimit reports whether err is, or wraps, a LimitError.
func IsLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le)
}

// located fills the location of a LimitError inside err and returns it as
// a bad-input error carrying only the limit's message; other errors are
// returned as they are.
func located(err error, file, sheet string, row int) error {
	var le *LimitError
	if !errors.As(err, &le) {
		return err
	}
	le.at(file, sheet, row)
	return analytics.NewError(analytics.CodeInvalid, le.Error(), le)
}

func errCell(max int) *LimitError {
	return &LimitError{Limit: "MaxCell", Max: int64(max), Vi: "ô dài quá " + vnBytes(int64(max)), En: fmt.Sprintf("a cell longer than %d bytes", max)}
}

func errLine(max int) *LimitError {
	return &LimitError{Limit: "MaxLine", Max: int64(max), Vi: "dòng dài quá " + vnBytes(int64(max)), En: fmt.Sprintf("a line longer than %d bytes", max)}
}

func errRows(max int) *LimitError {
	return &LimitError{Limit: "MaxRows", Max: int64(max), Vi: "tệp có hơn " + vnInt(max) + " dòng", En: fmt.Sprintf("more than %d rows", max)}
}

// unicodeBOM looks at the first bytes of r: after a UTF-16 or UTF-32 byte
// order mark it returns a reader of the text as UTF-8 (the mark dropped) and
// true; otherwise a reader of the same bytes and false.
func unicodeBOM(r io.Reader) (io.Reader, bool) {
	br := bufio.NewReaderSize(r, 64)
	b, _ := br.Peek(4)
	var dec *encoding.Decoder
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0, 0}):
		dec = utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(b, []byte{0, 0, 0xFE, 0xFF}):
		dec = utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		dec = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		dec = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	default:
		return br, false
	}
	return transform.NewReader(br, dec), true
}

// vnBytes writes a byte count in the largest binary unit that divides it
// ("64 MiB"), else in bytes.
func vnBytes(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return vnInt(int(n/u.size)) + " " + u.name
		}
	}
	return vnInt(int(n)) + " byte"
}

// vnInt writes n with dots between thousands: 2.025 (analytics.Number).
func vnInt(n int) string { return analytics.Number(analytics.LangVI, float64(n), 0) }
