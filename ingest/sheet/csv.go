package sheet

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/value"
)

// BOM is the UTF-8 byte order mark: dropped at the start of a CSV or JSON
// Lines file, and written at the start of the CSV files made for Excel
// (templates, rejects), which then shows Vietnamese.
const BOM = "\xEF\xBB\xBF"

const sniffBytes = 1 << 20 // bytes looked at to tell the encoding when the caller did not

// DetectEncoding tells the encoding of CSV bytes: UTF-8 when they are valid
// UTF-8 (with or without a byte order mark), else Windows-1258. b may end in
// the middle of a character.
func DetectEncoding(b []byte) Encoding {
	if bytes.HasPrefix(b, []byte(BOM)) {
		return EncodingUTF8
	}
	if utf8.Valid(b[:fullRunes(b)]) {
		return EncodingUTF8
	}
	return EncodingWindows1258
}

// decoder wraps r to yield UTF-8 in NFC from enc.
func decoder(r io.Reader, enc Encoding) io.Reader {
	switch enc {
	case EncodingWindows1258:
		// Windows-1258 writes tone marks as combining characters after the
		// letter; NFC composes them into the letters every other source has.
		return transform.NewReader(r, transform.Chain(charmap.Windows1258.NewDecoder(), norm.NFC))
	case EncodingWindows1252:
		return transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	return r
}

// ReadCSV reads a CSV file: UTF-8 (with or without BOM), Windows-1258 or
// Windows-1252 (enc; EncodingAuto tells UTF-8 from Windows-1258 by looking
// at the first megabyte), delimited by commas, semicolons or tabs (sniffed
// from the header line), with quoted fields that may hold delimiters,
// quotes ("") and line breaks. The header is the first non-blank line. A row
// with another number of fields than the header is passed with Row.Err set;
// blank rows are skipped. name is the file name rows carry. A byte order
// mark of UTF-16 or UTF-32 wins over enc. The default Limits apply.
func ReadCSV(ctx context.Context, r io.Reader, name string, enc Encoding, fn func(*Row) error) error {
	return readCSV(ctx, r, name, enc, Limits{}.withDefaults(), fn)
}

func readCSV(ctx context.Context, r io.Reader, name string, enc Encoding, lim Limits, fn func(*Row) error) error {
	r, wide := unicodeBOM(r)
	if wide {
		enc = EncodingUTF8
	}
	br := bufio.NewReaderSize(r, 256<<10)
	if enc == EncodingAuto {
		big := bufio.NewReaderSize(r, sniffBytes)
		sample, err := big.Peek(sniffBytes)
		enc = DetectEncoding(sample)
		// The sample is the whole file: a character cut at its end is not
		// cut by the sample but broken, so the file is not UTF-8.
		if err != nil && enc == EncodingUTF8 && !bytes.HasPrefix(sample, []byte(BOM)) && !utf8.Valid(sample) {
			enc = EncodingWindows1258
		}
		br = bufio.NewReaderSize(big, 256<<10)
	}
	if enc == EncodingUTF8 || enc == EncodingAuto {
		if b, _ := br.Peek(3); string(b) == BOM {
			br.Discard(3)
		}
	} else {
		br = bufio.NewReaderSize(decoder(br, enc), 256<<10)
	}
	p := csvParser{r: br, maxLine: lim.MaxLine, maxCell: lim.MaxCell}
	// Buffer the first rows to find the header below a title block.
	var head [][]string
	var nums []int
	n := 0
	for len(head) < headerScan {
		fields, err := p.record()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			if IsLimit(err) {
				return located(err, name, "", n+1)
			}
			return fmt.Errorf("read %s row %d: %w", name, n+1, err)
		}
		if n++; n > lim.MaxRows {
			return located(errRows(lim.MaxRows), name, "", 0)
		}
		head, nums = append(head, slices.Clone(fields)), append(nums, n)
	}
	header, first, lay := layout.Find(head, nums, "")
	if header == nil {
		// No row names known columns: the first row that is not blank is
		// the header, and the kind detection says what is wrong with it.
		first = slices.IndexFunc(head, func(f []string) bool { return !blank(f) })
		if first < 0 {
			return nil
		}
		header = make([]string, len(head[first]))
		for i, v := range head[first] {
			header[i] = value.Clean(v)
		}
		first++
	}
	row := Row{File: name, Header: header, Layout: lay}
	emit := func(n int, fields []string) error {
		if blank(fields) {
			return nil
		}
		row.Num, row.Values, row.Err = n, fields, nil
		if len(fields) != len(row.Header) {
			// Excel writes trailing delimiters after the last column of
			// some rows; empty trailing fields are not a ragged row.
			for len(fields) > len(row.Header) && fields[len(fields)-1] == "" {
				fields = fields[:len(fields)-1]
			}
			row.Values = fields
			if len(fields) != len(row.Header) {
				row.Err = fmt.Errorf("row has %d fields, the header %d", len(fields), len(row.Header))
			}
		}
		return fn(&row)
	}
	for i := first; i < len(head); i++ {
		if err := emit(nums[i], head[i]); err != nil {
			return err
		}
	}
	for {
		n++
		if n&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		fields, err := p.record()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			if IsLimit(err) {
				return located(err, name, "", n)
			}
			return fmt.Errorf("read %s row %d: %w", name, n, err)
		}
		if n > lim.MaxRows {
			return located(errRows(lim.MaxRows), name, "", 0)
		}
		if err := emit(n, fields); err != nil {
			return err
		}
	}
}

func blank(fields []string) bool {
	for _, f := range fields {
		if f != "" {
			return false
		}
	}
	return true
}

// csvParser splits records. Most rows have no quote: they cost one string
// and no other allocation.
type csvParser struct {
	r      *bufio.Reader
	delim  byte
	fields []string
	buf    []byte // an unquoted record, or a quoted one being built
	ends   []int
	line   []byte

	maxLine, maxCell int // limits; 0 is none
}

// readLine returns the next physical line with its line break, valid until
// the next call.
func (p *csvParser) readLine() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		p.line = append(p.line[:0], line...)
		for err == bufio.ErrBufferFull {
			if p.maxLine > 0 && len(p.line) > p.maxLine {
				return nil, errLine(p.maxLine)
			}
			line, err = p.r.ReadSlice('\n')
			p.line = append(p.line, line...)
		}
		line = p.line
	}
	if p.maxLine > 0 && len(line) > p.maxLine && len(trimEOL(line)) > p.maxLine { // the line break is not counted
		return nil, errLine(p.maxLine)
	}
	if len(line) > 0 && err == io.EOF {
		err = nil
	}
	return line, err
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

// sniff picks the delimiter of the header line: the one of comma,
// semicolon and tab that occurs most outside quotes (comma on a tie).
func sniff(line []byte) byte {
	var n [3]int
	quoted := false
	for _, c := range line {
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				n[0]++
			}
		case ';':
			if !quoted {
				n[1]++
			}
		case '\t':
			if !quoted {
				n[2]++
			}
		}
	}
	switch {
	case n[1] > n[0] && n[1] >= n[2]:
		return ';'
	case n[2] > n[0] && n[2] > n[1]:
		return '\t'
	}
	return ','
}

// record returns the fields of the next record, valid until the next call.
func (p *csvParser) record() ([]string, error) {
	line, err := p.readLine()
	if err != nil {
		return nil, err
	}
	if p.delim == 0 && bytes.ContainsAny(line, ",;\t") {
		// The first line with a delimiter tells which: a title line
		// above the header may have none.
		p.delim = sniff(line)
	}
	line = trimEOL(line)
	if p.delim == 0 {
		p.fields = append(p.fields[:0], string(line))
		return p.fields, p.checkCells()
	}
	p.fields = p.fields[:0]
	if bytes.IndexByte(line, '"') < 0 {
		s := string(line)
		for {
			i := strings.IndexByte(s, p.delim)
			if i < 0 {
				p.fields = append(p.fields, s)
				return p.fields, p.checkCells()
			}
			p.fields = append(p.fields, s[:i])
			s = s[i+1:]
		}
	}
	if _, err := p.quoted(line); err != nil {
		return nil, err
	}
	return p.fields, p.checkCells()
}

// checkCells refuses a record with a field longer than the cell limit.
func (p *csvParser) checkCells() error {
	if p.maxCell <= 0 {
		return nil
	}
	for i, f := range p.fields {
		if len(f) > p.maxCell {
			e := errCell(p.maxCell)
			e.Column = schema.ColumnLetter(i)
			return e
		}
	}
	return nil
}

// quoted parses a record with quotes, reading further lines while a quoted
// field goes on.
func (p *csvParser) quoted(line []byte) ([]string, error) {
	p.buf, p.ends = p.buf[:0], p.ends[:0]
	const (
		start  = iota // at the start of a field
		plain         // in an unquoted field
		inq           // in a quoted field
		afterq        // after the closing quote of a field
	)
	state := start
	for {
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch state {
			case start, plain, afterq:
				switch {
				case c == p.delim:
					p.ends = append(p.ends, len(p.buf))
					state = start
				case c == '"' && state == start:
					state = inq
				default:
					// A quote inside an unquoted field, or text after a
					// closing quote, is kept as written.
					p.buf = append(p.buf, c)
					state = plain
				}
			case inq:
				if c == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						p.buf = append(p.buf, '"')
						i++
					} else {
						state = afterq
					}
				} else {
					p.buf = append(p.buf, c)
				}
			}
		}
		if state != inq {
			break
		}
		// The quoted field goes on to the next line.
		if p.maxLine > 0 && len(p.buf) > p.maxLine {
			return nil, errLine(p.maxLine)
		}
		p.buf = append(p.buf, '\n')
		next, err := p.readLine()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("quoted schema.Field not closed before the end of the file")
			}
			return nil, err
		}
		line = trimEOL(next)
	}
	p.ends = append(p.ends, len(p.buf))
	s := string(p.buf)
	from := 0
	for _, e := range p.ends {
		p.fields = append(p.fields, s[from:e])
		from = e
	}
	return p.fields, nil
}

// fullRunes returns the length of b without a character cut at its end.
func fullRunes(b []byte) int {
	for k := 1; k <= 3 && k <= len(b); k++ {
		if utf8.RuneStart(b[len(b)-k]) {
			if !utf8.FullRune(b[len(b)-k:]) {
				return len(b) - k
			}
			break
		}
	}
	return len(b)
}
