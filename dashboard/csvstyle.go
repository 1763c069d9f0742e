package dashboard

import (
	"bytes"
	"encoding/csv"
	"net/url"
	"strings"
)

// csvStyle is how a CSV is written for the spreadsheet that opens it. The
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
type csvStyle struct {
	sep     rune
	decimal byte
}

var (
	csvVI = csvStyle{sep: ';', decimal: ','}
	csvEN = csvStyle{sep: ',', decimal: '.'}
)

// parseCSVStyle reads lang (vi, default, or en), sep (";", "," or "tab")
// and decimal ("," or ".").
func parseCSVStyle(q url.Values) (csvStyle, error) {
	lang, err := parseEnum(q, "lang", []string{"vi", "en"}, "vi")
	if err != nil {
		return csvStyle{}, err
	}
	s := csvVI
	if lang == "en" {
		s = csvEN
	}
	if q.Has("sep") {
		v, err := parseEnum(q, "sep", []string{";", ",", "tab"}, ";")
		if err != nil {
			return csvStyle{}, err
		}
		s.sep = map[string]rune{";": ';', ",": ',', "tab": '\t'}[v]
	}
	if q.Has("decimal") {
		v, err := parseEnum(q, "decimal", []string{",", "."}, ",")
		if err != nil {
			return csvStyle{}, err
		}
		s.decimal = v[0]
	}
	return s, nil
}

// writer starts buf with the byte-order mark and returns a csv.Writer with
// the style's separator and CRLF line ends.
func (s csvStyle) writer(buf *bytes.Buffer) *csv.Writer {
	buf.WriteString("\ufeff")
	w := csv.NewWriter(buf)
	w.Comma = s.sep
	w.UseCRLF = true
	return w
}

// number writes a machine number ("-1234.5", as strconv formats it) with
// the style's decimal mark, without thousands separators (a spreadsheet
// reads "1234,5" in either regional setting of its decimal mark).
func (s csvStyle) number(v string) string {
	if s.decimal == '.' || !isMachineNumber(v) {
		return v
	}
	return strings.Replace(v, ".", string(s.decimal), 1)
}

// code writes a code of digits as ="00691" so spreadsheets keep its leading
// zeros; anything else is returned as is (and neutralised by SafeCell later).
func (s csvStyle) code(v string) string {
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
