package ingest

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
}

func openWorkbook(filePath string) (*workbook, error) {
	z, err := zip.OpenReader(filePath)
	if err != nil {
		return nil, err
	}
	// klauspost's inflate is faster than the standard library's; the parts
	// of a large sheet are most of an XLSX file's bytes.
	z.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	wb := &workbook{z: z, files: make(map[string]*zip.File, len(z.File)), parts: map[string]string{}}
	for _, f := range z.File {
		wb.files[strings.TrimPrefix(f.Name, "/")] = f
	}
	if err := wb.readSheets(); err != nil {
		z.Close()
		return nil, err
	}
	if f := wb.files["xl/sharedStrings.xml"]; f != nil {
		if wb.sst, err = readSharedStrings(f); err != nil {
			z.Close()
			return nil, fmt.Errorf("shared strings: %w", err)
		}
	}
	return wb, nil
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
	return xml.NewDecoder(rc).Decode(v)
}

// readSharedStrings reads the shared string table: each <si> is the text of
// its <t> elements, phonetic runs (<rPh>) left out.
func readSharedStrings(f *zip.File) ([]string, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
	var out []string
	var cur strings.Builder
	inT, inPh := false, 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "t":
				inT = true
			case "rPh":
				inPh++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, cur.String())
			case "t":
				inT = false
			case "rPh":
				inPh--
			}
		case xml.CharData:
			if inT && inPh == 0 {
				cur.Write(t)
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
}

func (wb *workbook) openSheet(name string) (*sheetReader, error) {
	rc, err := wb.files[wb.parts[name]].Open()
	if err != nil {
		return nil, err
	}
	ra := newReadAhead(rc, 256<<10, 4)
	return &sheetReader{rc: ra, br: bufio.NewReaderSize(ra, 256<<10), sst: wb.sst}, nil
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
					return err
				}
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
			b, err = s.br.ReadSlice('<')
			s.buf = append(s.buf, b...)
		}
		b = s.buf
	}
	if err != nil {
		return "", unexpected(err)
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
