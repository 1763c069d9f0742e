package analytics

// Spreadsheet formula injection. Excel, LibreOffice and Google Sheets treat
// a text cell that begins with =, +, - or @ (and, through DDE, tab or CR)
// as a formula: "=HYPERLINK(...)" in a commune name or a rejected row would
// run when an officer opens an export. Every CSV and XLSX the product
// writes passes its text cells through SafeCell (OWASP's rule: prefix such
// a cell with a single quote, which the spreadsheet shows as text). Numbers
// are left alone: in XLSX they are numeric cells, and in CSV a cell that is
// only a number ("-3", "-1.234,5", "+2e3", "-3,7%") cannot be a formula.

// SafeCell returns s, prefixed with ' when a spreadsheet would read it as
// a formula: it begins with '=', '+', '-', '@', a tab or a carriage return
// and is not a plain number.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if !plainNumber(s) {
			return "'" + s
		}
	}
	return s
}

// SafeRow applies SafeCell to every cell of row, in place, and returns it
// (for csv.Writer.Write).
func SafeRow(row []string) []string {
	for i, c := range row {
		row[i] = SafeCell(c)
	}
	return row
}

// plainNumber reports whether s is a sign, digits with '.' or ',' between
// them (either decimal convention), an optional exponent and an optional
// '%': text a spreadsheet reads as a number, never as a formula.
func plainNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			continue
		case (c == '.' || c == ',') && digits > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			continue
		}
		break
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	if i < len(s) && s[i] == '%' {
		i++
	}
	return i == len(s)
}
