package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	kflate "github.com/klauspost/compress/flate"

	"github.com/antq-atlas/antq/ingest/schema"
)

// A workbook is read straight from its zip parts: excelize's row iterator
// decodes every cell through encoding/xml and reads about 35,000 rows a
// second; this scanner reads the few elements a data sheet uses (row, c, v,
// is/t) several times faster. excelize still writes the templates.

// workbook is an open XLSX file: its sheets in order, their parts and the
// shared strings.
type workbook struct {
	z      *zip.ReadCloser
	files  map[string]*zip.File
	sheets []string          // names in workbook order
	parts  map[string]string // sheet name -> part path
	sst    []string
	lim    Limits
}

func openWorkbook(filePath string, lim Limits) (*workbook, error) {
	z, err := zip.OpenReader(filePath)
	if err != nil {
		return nil, err
	}
	if err := checkZip(z.File, lim); err != nil {
		z.Close()
		return nil, err
	}
	// klauspost's inflate is faster than the standard library's; the parts
	// of a large sheet are most of an XLSX file's bytes.
	z.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	wb := &workbook{z: z, files: make(map[string]*zip.File, len(z.File)), parts: map[string]string{}, lim: lim}
	for _, f := range z.File {
		wb.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	if err := wb.readSheets(); err != nil {
		z.Close()
		return nil, err
	}
	if f := wb.files["xl/sharedStrings.xml"]; f != nil {
		if wb.sst, err = readSharedStrings(f, lim); err != nil {
			z.Close()
			return nil, fmt.Errorf("shared strings: %w", err)
		}
	}
	return wb, nil
}

// checkZip refuses a workbook whose zip directory (zip64 sizes included)
// announces too many parts, too many bytes once unzipped, or a shared
// string part too big to hold, before any part is read. archive/zip then
// stops a part that inflates past the size its directory entry announces.
func checkZip(files []*zip.File, lim Limits) error {
	if len(files) > lim.MaxParts {
		return &LimitError{Limit: "MaxParts", Max: int64(lim.MaxParts),
			Vi: fmt.Sprintf("tệp xlsx có %s phần", vnInt(len(files))), En: fmt.Sprintf("the xlsx holds %d parts", len(files))}
	}
	var total uint64
	for _, f := range files {
		total += f.UncompressedSize64
		if total < f.UncompressedSize64 || total > uint64(lim.MaxUnzipped) { // an overflow is past any limit
			return &LimitError{Limit: "MaxUnzipped", Max: lim.MaxUnzipped,
				Vi: "tệp xlsx giải nén lớn hơn " + vnBytes(lim.MaxUnzipped), En: fmt.Sprintf("the xlsx unzips to more than %d bytes", lim.MaxUnzipped)}
		}
		if strings.TrimPrefix(f.Name, "/") == "xl/sharedStrings.xml" && f.UncompressedSize64 > uint64(lim.MaxSharedStrings) {
			return errShared(lim.MaxSharedStrings)
		}
	}
	return nil
}

func errShared(max int64) *LimitError {
	return &LimitError{Limit: "MaxSharedStrings", Max: max,
		Vi: "bảng chuỗi dùng chung (sharedStrings.xml) lớn hơn " + vnBytes(max), En: fmt.Sprintf("the shared strings (sharedStrings.xml) exceed %d bytes", max)}
}

func (wb *workbook) Close() error { return wb.z.Close() }

func (wb *workbook) readSheets() error {
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := unmarshalZip(wb.files["xl/workbook.xml"], &book); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if err := unmarshalZip(wb.files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return fmt.Errorf("workbook relationships: %w", err)
	}
	for _, s := range book.Sheets {
		for _, rel := range rels.Rels {
			if rel.ID != s.RID {
				continue
			}
			p := rel.Target
			if strings.HasPrefix(p, "/") {
				p = strings.TrimPrefix(p, "/")
			} else {
				p = path.Join("xl", p)
			}
			if wb.files[p] != nil {
				wb.sheets = append(wb.sheets, s.Name)
				wb.parts[s.Name] = p
			}
		}
	}
	return nil
}

func unmarshalZip(f *zip.File, v any) error {
	if f == nil {
		return errors.New("missing")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, maxMetaPart)).Decode(v)
}

// maxMetaPart bounds what is read of workbook.xml and its relationships.
const maxMetaPart = 16 << 20

// readSharedStrings reads the shared string table: each <si> is the text of
// its <t> elements, phonetic runs (<rPh>) left out. A string longer than
// lim.MaxCell, or a table past lim.MaxSharedStrings (32 bytes counted per
// string besides its text: its header, twice while the slice grows), is
// refused.
func readSharedStrings(f *zip.File, lim Limits) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := &sheetReader{br: bufio.NewReaderSize(rc, 64<<10), maxCell: lim.MaxCell}
	var out []string
	var cur []byte
	var size int64
	for {
		name, tag, err := s.tag()
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		closed := bytes.HasSuffix(tag, []byte("/"))
		switch name {
		case "si":
			cur = cur[:0]
			if !closed {
				continue
			}
			fallthrough
		case "/si":
			size += int64(len(cur)) + 32 // a string header, twice while the slice grows
			if size > lim.MaxSharedStrings {
				return nil, errShared(lim.MaxSharedStrings)
			}
			out = append(out, string(cur))
		case "t":
			if closed {
				continue
			}
			t, err := s.text()
			if err == nil && len(cur)+len(t) > lim.MaxCell {
				err = errCell(lim.MaxCell)
			}
			if err != nil {
				if le := (*LimitError)(nil); errors.As(err, &le) {
					le.Vi, le.En = "chuỗi dùng chung số "+vnInt(len(out)+1)+" dài quá "+vnInt(lim.MaxCell)+" byte", fmt.Sprintf("shared string %d is longer than %d bytes", len(out)+1, lim.MaxCell)
				}
				return nil, err
			}
			cur = append(cur, t...)
		case "rPh":
			if closed {
				continue
			}
			if err := s.skipTo("/rPh"); err != nil {
				return nil, err
			}
		}
	}
}

// sheetReader streams the rows of a sheet's XML.
type sheetReader struct {
	rc   io.ReadCloser
	br   *bufio.Reader
	sst  []string
	cols []string
	buf  []byte
	done bool

	maxCell int // longest text or tag read; 0 is no limit
}

func (wb *workbook) openSheet(name string) (*sheetReader, error) {
	rc, err := wb.files[wb.parts[name]].Open()
	if err != nil {
		return nil, err
	}
	ra := newReadAhead(rc, 256<<10, 4)
	return &sheetReader{rc: ra, br: bufio.NewReaderSize(ra, 256<<10), sst: wb.sst, maxCell: wb.lim.MaxCell}, nil
}

func (s *sheetReader) Close() error { return s.rc.Close() }

// next returns the next row that has cells: its 1-based number and its
// values by column (raw: numbers and dates as stored). io.EOF ends the sheet.
func (s *sheetReader) next(prev int) (int, []string, error) {
	if s.done {
		return 0, nil, io.EOF
	}
	for {
		name, tag, err := s.tag()
		if err != nil {
			return 0, nil, err
		}
		switch name {
		case "row":
			num := prev + 1
			if v, ok := attr(tag, "r"); ok {
				if n, err := strconv.Atoi(v); err == nil {
					num = n
				}
			}
			s.cols = s.cols[:0]
			if bytes.HasSuffix(tag, []byte("/")) {
				return num, s.cols, nil
			}
			if err := s.row(); err != nil {
				if le := (*LimitError)(nil); errors.As(err, &le) {
					le.Row = num
					return 0, nil, le
				}
				return 0, nil, fmt.Errorf("row %d: %w", num, err)
			}
			return num, s.cols, nil
		case "/sheetData":
			s.done = true
			return 0, nil, io.EOF
		case "sheetData":
			if bytes.HasSuffix(tag, []byte("/")) { // an empty sheet
				s.done = true
				return 0, nil, io.EOF
			}
		}
	}
}

// row reads the cells up to </row>.
func (s *sheetReader) row() error {
	for {
		name, tag, err := s.tag()
		if err != nil {
			return err
		}
		switch name {
		case "/row":
			return nil
		case "c":
			col := len(s.cols)
			if ref, ok := attr(tag, "r"); ok {
				if c := refColumn(ref); c >= 0 && c < 16384 { // Excel's last column is XFD; a ref past it is ignored, not allocated
					col = c
				}
			}
			typ, _ := attr(tag, "t")
			v := ""
			if !bytes.HasSuffix(tag, []byte("/")) {
				if v, err = s.cell(typ); err != nil {
					if le := (*LimitError)(nil); errors.As(err, &le) {
						le.Column = schema.ColumnLetter(col)
					}
					return err
				}
			}
			if col >= 16384 { // cells past Excel's last column are not kept
				continue
			}
			for len(s.cols) < col {
				s.cols = append(s.cols, "")
			}
			if col < len(s.cols) {
				s.cols[col] = v
			} else {
				s.cols = append(s.cols, v)
			}
		}
	}
}

// cell reads a cell's value up to </c>.
func (s *sheetReader) cell(typ string) (string, error) {
	var v, inline string
	for {
		name, _, err := s.tag()
		if err != nil {
			return "", err
		}
		switch name {
		case "/c":
			if typ == "inlineStr" {
				return inline, nil
			}
			if typ == "s" {
				i, err := strconv.Atoi(v)
				if err != nil || i < 0 || i >= len(s.sst) {
					return "", fmt.Errorf("bad shared string index %q", v)
				}
				return s.sst[i], nil
			}
			return v, nil
		case "v":
			if v, err = s.text(); err != nil {
				return "", err
			}
		case "t":
			t, err := s.text()
			if err != nil {
				return "", err
			}
			if len(inline)+len(t) > s.maxCell && s.maxCell > 0 {
				return "", errCell(s.maxCell)
			}
			inline += t
		case "rPh":
			if err := s.skipTo("/rPh"); err != nil {
				return "", err
			}
		}
	}
}

func (s *sheetReader) skipTo(end string) error {
	for {
		name, _, err := s.tag()
		if err != nil {
			return err
		}
		if name == end {
			return nil
		}
	}
}

// text reads character data up to the next tag, unescaped.
func (s *sheetReader) text() (string, error) {
	b, err := s.br.ReadSlice('<')
	if err == bufio.ErrBufferFull {
		s.buf = append(s.buf[:0], b...)
		for err == bufio.ErrBufferFull {
			if s.maxCell > 0 && len(s.buf) > s.maxCell {
				return "", errCell(s.maxCell)
			}
			b, err = s.br.ReadSlice('<')
			s.buf = append(s.buf, b...)
		}
		b = s.buf
	}
	if err != nil {
		return "", unexpected(err)
	}
	if s.maxCell > 0 && len(b)-1 > s.maxCell {
		return "", errCell(s.maxCell)
	}
	s.br.UnreadByte()
	return unescapeXML(b[:len(b)-1]), nil
}

// tag skips to the next tag and returns its name (with "/" for an end tag,
// without namespace prefix) and its bytes after the name, up to '>'.
func (s *sheetReader) tag() (string, []byte, error) {
	for {
		_, err := s.br.ReadSlice('<')
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return "", nil, unexpected(err)
		}
		b, err := s.br.ReadSlice('>')
		if err == bufio.ErrBufferFull {
			s.buf = append(s.buf[:0], b...)
			for err == bufio.ErrBufferFull {
				if s.maxCell > 0 && len(s.buf) > 2*s.maxCell { // a tag is its attributes: a few cells' worth at most
					return "", nil, errCell(s.maxCell)
				}
				b, err = s.br.ReadSlice('>')
				s.buf = append(s.buf, b...)
			}
			b = s.buf
		}
		if err != nil {
			return "", nil, unexpected(err)
		}
		b = b[:len(b)-1]
		if len(b) > 0 && (b[0] == '?' || b[0] == '!') {
			continue
		}
		end := bytes.IndexAny(b, " \t\r\n/")
		if end == 0 && b[0] == '/' { // an end tag
			n := b[1:]
			if i := bytes.IndexByte(n, ':'); i >= 0 {
				n = n[i+1:]
			}
			return "/" + string(bytes.TrimSpace(n)), nil, nil
		}
		if end < 0 {
			end = len(b)
		}
		n := b[:end]
		if i := bytes.IndexByte(n, ':'); i >= 0 {
			n = n[i+1:]
		}
		return tagName(n), b[end:], nil
	}
}

// tagName returns the few names the reader acts on without allocating.
func tagName(n []byte) string {
	switch string(n) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "t":
		return "t"
	case "row":
		return "row"
	case "is":
		return "is"
	case "rPh":
		return "rPh"
	}
	return string(n)
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// attr finds attribute name's value in a tag's bytes.
func attr(tag []byte, name string) (string, bool) {
	for i := 0; i < len(tag); {
		j := bytes.IndexByte(tag[i:], '=')
		if j < 0 {
			return "", false
		}
		key := bytes.TrimSpace(tag[i : i+j])
		if k := bytes.LastIndexAny(key, " \t\r\n"); k >= 0 {
			key = key[k+1:]
		}
		rest := tag[i+j+1:]
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 {
			return "", false
		}
		q := rest[0]
		e := bytes.IndexByte(rest[1:], q)
		if e < 0 {
			return "", false
		}
		if string(key) == name {
			return unescapeXML(rest[1 : 1+e]), true
		}
		i = len(tag) - len(rest) + e + 2
	}
	return "", false
}

// refColumn returns the 0-based column of a cell reference such as "AB12".
func refColumn(ref string) int {
	c := 0
	for i := 0; i < len(ref); i++ {
		ch := ref[i]
		if ch >= 'A' && ch <= 'Z' {
			c = c*26 + int(ch-'A'+1)
		} else if ch >= 'a' && ch <= 'z' {
			c = c*26 + int(ch-'a'+1)
		} else {
			break
		}
	}
	return c - 1
}

var xmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&")

func unescapeXML(b []byte) string {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	s := string(b)
	if strings.Contains(s, "&#") {
		var out strings.Builder
		for {
			i := strings.Index(s, "&#")
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				break
			}
			out.WriteString(xmlEntities.Replace(s[:i]))
			num := s[i+2 : i+j]
			var r int64
			var err error
			if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
				r, err = strconv.ParseInt(num[1:], 16, 32)
			} else {
				r, err = strconv.ParseInt(num, 10, 32)
			}
			if err != nil {
				out.WriteString(s[i : i+j+1])
			} else {
				out.WriteRune(rune(r))
			}
			s = s[i+j+1:]
		}
		out.WriteString(xmlEntities.Replace(s))
		return out.String()
	}
	return xmlEntities.Replace(s)
}
