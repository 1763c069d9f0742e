package ingest

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest/value"
)

// Reports typed in Excel by commune, district and provincial police are laid
// out for printing: a title block (issuing unit, title, window line) above a
// header over one to three rows, a column-number row under it, section rows
// naming districts or groups, subtotals and totals, notes and a signature
// block below. This file finds the header in such a layout and tells the
// rows that are records from the rows that are not.

const maxHeaderDepth = 3 // rows a header may span

// Layout is what a table's header search found: the header rows and the
// title block above them. Readers set it on every row of the table.
type Layout struct {
	HeaderRows []int    // 1-based rows of the header
	Title      []string // distinct texts of the rows above the header, in order
	Index      int      // 0-based column of the row numbers (STT), -1 when none
}

// findLayout picks the header among the first rows of a table: the row, or
// the two or three rows read as group over sub-column, that name the most
// distinct known fields. A deeper header wins a tie (its extra row names
// sub-columns, and a data row under a header lowers the score). It returns
// the header, the index in head of the first row under it and the layout
// (nums are the rows' numbers); a nil header when no row names at least
// minHeaderScore known fields.
func findLayout(head [][]string, nums []int, kind analytics.Kind) ([]string, int, *Layout) {
	var best []string
	bestScore, start, depth := minHeaderScore-1, -1, 0
	for r := range head {
		h := cleanAll(head[r])
		// A row of one text (a title merged across) is not a group row.
		grouped := len(distinctTexts(head[r])) >= 2
		for d := 1; d <= maxHeaderDepth && r+d <= len(head); d++ {
			if d > 1 {
				// A row under a header is part of it only when it names
				// sub-columns: two texts or more that differ from the cells
				// above them (a section row or a data row does not).
				if !grouped || !underHeader(h, head[r+d-1]) {
					break
				}
				h = combineHeader(h, head[r+d-1])
			}
			if s := fieldScore(h, kind); s > bestScore || s == bestScore && r == start && d > depth {
				best, bestScore, start, depth = h, s, r, d
			}
		}
	}
	if best == nil {
		return nil, 0, nil
	}
	// Trailing columns without a name are not columns.
	for len(best) > 0 && best[len(best)-1] == "" {
		best = best[:len(best)-1]
	}
	lay := &Layout{Index: -1}
	for i := start; i < start+depth; i++ {
		lay.HeaderRows = append(lay.HeaderRows, nums[i])
	}
	for i := 0; i < start; i++ {
		for _, v := range distinctTexts(head[i]) {
			lay.Title = append(lay.Title, v)
		}
	}
	for i, h := range best {
		if isIndexHeader(h) {
			lay.Index = i
			break
		}
	}
	return best, start + depth, lay
}

// underHeader reports whether sub reads as the lower row of a header whose
// upper rows are header: it names two sub-columns or more (cells that are
// not numbers and differ from the cell above), and at least one column
// spans both rows (the same text, or nothing, below its name). A title
// merged across the sheet has no such column; a section or data row names
// no sub-columns.
func underHeader(header, sub []string) bool {
	subs, spans := 0, 0
	for i := 0; i < max(len(header), len(sub)); i++ {
		var a, v string
		if i < len(header) {
			a = header[i]
		}
		if i < len(sub) {
			v = value.Clean(sub[i])
		}
		switch {
		case a != "" && (v == "" || v == a || strings.HasSuffix(a, groupSep+v)):
			spans++
		case v != "" && !value.Numeric(v):
			subs++
		}
	}
	return subs >= 2 && spans >= 1
}

// fieldScore counts the distinct fields a header names, for kind or for the
// kind it fits best.
func fieldScore(header []string, kind analytics.Kind) int {
	best := 0
	for _, k := range analytics.Kinds {
		if kind != "" && k != kind {
			continue
		}
		var seen [numFields]bool
		n := 0
		for _, h := range header {
			if h == "" {
				continue
			}
			f := lookupHeader(k, h)
			if f == fNone && k == analytics.KindIncidents {
				if j := strings.LastIndex(h, groupSep); j >= 0 {
					if _, err := value.ParseOutcome(h[j+len(groupSep):]); err == nil {
						f = fOutcome // one of the columns marking the outcome
					}
				}
			}
			if f != fNone && !seen[f] {
				seen[f] = true
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

func distinctTexts(row []string) []string {
	var out []string
	for _, v := range row {
		v = value.Clean(v)
		if v != "" && (len(out) == 0 || out[len(out)-1] != v) && !containsStr(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func isIndexHeader(h string) bool {
	switch commune.Fold(h) {
	case "stt", "tt", "so tt", "so thu tu", "thu tu", "no", "#":
		return true
	}
	return false
}

// Why a row is not a record. The reasons are shown in the summary, by
// row number.
const (
	SkipColumnNumbers = "dòng đánh số cột"
	SkipHeaderAgain   = "dòng tiêu đề lặp lại"
	SkipSection       = "dòng mục"
	SkipTotal         = "dòng cộng, tổng"
	SkipFooter        = "khối ký tên, cuối biểu"
	SkipNote          = "ghi chú"
)

// rowClass is what a row of a report is.
type rowClass struct {
	skip    string // reason; "" for a record
	section string // a section row's text, without its numbering
	footer  bool   // the row starts the signature block
}

var (
	colNumberRe = regexp.MustCompile(`^[(\[]?([0-9]{1,2}|[A-Za-z])[)\].]?$`)
	romanRe     = regexp.MustCompile(`^(?i)(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII|XVIII|XIX|XX)[.)]?$`)
	letterRe    = regexp.MustCompile(`^[A-Za-z][.)]?$`)
	numberingRe = regexp.MustCompile(`^(?i)((I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII|XVIII|XIX|XX|[A-Z]|[0-9]{1,2})(\.[0-9]{1,2})*[.)/:-]|[-–•+*])\s*`)
)

// isIndexValue tells a section's numbering written in a cell of its own:
// "I", "II.", "A", "b)".
func isIndexValue(s string) bool { return romanRe.MatchString(s) || letterRe.MatchString(s) }

var (
	totalWords  = []string{"tong cong", "tong so", "cong", "tong", "cong so", "luy ke", "cong don", "total", "subtotal", "sum", "grand total"}
	footerWords = []string{"noi nhan", "nguoi lap bieu", "nguoi lap", "nguoi tong hop", "thu truong don vi", "thu truong", "ky ten",
		"ky ghi ro ho ten", "ky va ghi ro ho ten", "ky ho ten", "xac nhan cua", "truong cong an", "pho truong cong an", "giam doc",
		"pho giam doc", "truong phong", "pho truong phong", "chi huy truong", "luu vt", "luu hs", "tm ", "kt ", "tl ", "tuq ",
		"chu tich", "can bo lap bieu", "prepared by", "approved by"}
	rankWords = []string{"dai ta", "thuong ta", "trung ta", "thieu ta", "dai uy", "thuong uy", "trung uy", "thieu uy", "thuong si", "trung si", "ha si"}
	noteWords = []string{"ghi chu", "chu thich", "luu y", "chu y", "note"}
	// groupWords start a section row that names a group, not a place.
	groupWords = []string{"khoi", "linh vuc", "nhom", "cum", "khu vuc", "dia ban", "loai", "mo hinh", "thang", "quy"}
	placeWords = []string{"huyen", "quan", "thi xa", "thanh pho", "tp", "tinh", "xa", "phuong", "thi tran", "dac khu"}
)

// hasWordPrefix reports whether folded text f is w or starts with w and a
// space.
func hasWordPrefix(f, w string) bool {
	if strings.HasSuffix(w, " ") {
		return strings.HasPrefix(f, w)
	}
	return f == w || strings.HasPrefix(f, w) && len(f) > len(w) && f[len(w)] == ' '
}

func anyPrefix(f string, words []string) bool {
	for _, w := range words {
		if hasWordPrefix(f, w) {
			return true
		}
	}
	return false
}

// isTotal reports whether folded text f labels a subtotal or a total:
// "Cộng", "Tổng cộng", "Tổng số: 12", "Cộng huyện Yên Sơn", but not
// "Cộng đồng dân cư" (a record's name).
func isTotal(f string) bool {
	for _, w := range totalWords {
		if f == w {
			return true
		}
		if !strings.HasPrefix(f, w+" ") {
			continue
		}
		rest := f[len(w)+1:]
		if rest[0] >= '0' && rest[0] <= '9' || anyPrefix(rest, placeWords) ||
			anyPrefix(rest, []string{"toan", "so", "cong", "chung", "cac", "diem", "mo hinh", "vu viec", "khoi", "linh vuc", "nam", "ky", "thang", "quy", "tuan"}) {
			return true
		}
	}
	return false
}

// classifier tells records from the other rows of one table, in order: it
// keeps whether the signature block has begun.
type classifier struct {
	m      *mapping
	lay    *Layout
	footer bool
}

// classify tells what row is. It only skips on positive evidence: a row
// that looks like nothing in particular is a record (which may then be
// rejected with a reason).
func (c *classifier) classify(vals []string) rowClass {
	// Gather the distinct text cells (not numbers, not the STT column) and
	// where they are; stop as soon as the row is plainly a record.
	var texts [3]string
	var textCol [3]int
	var span [3]int
	nt, nonEmpty, numbers := 0, 0, 0
	index := ""
	for i, v := range vals {
		if v == "" {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		nonEmpty++
		if i == c.lay.Index && (value.Numeric(v) || isIndexValue(v)) {
			index = v
			continue
		}
		if value.Numeric(v) {
			numbers++
			continue
		}
		dup := false
		for k := 0; k < nt; k++ {
			if texts[k] == v {
				span[k]++
				dup = true
				break
			}
		}
		if dup {
			continue
		}
		if nt == len(texts) {
			if !c.footer && !c.mayBeFurniture(texts[0], textCol[0]) {
				return rowClass{} // three different texts: a record
			}
			nt++
			break
		}
		texts[nt], textCol[nt], span[nt] = v, i, 1
		nt++
	}
	if nonEmpty == 0 {
		return rowClass{skip: SkipNote}
	}
	if c.colNumbers(vals) {
		return rowClass{skip: SkipColumnNumbers}
	}
	if c.headerAgain(vals) {
		return rowClass{skip: SkipHeaderAgain}
	}
	first := ""
	if nt > 0 {
		first = commune.Fold(texts[0])
	}
	if nt == 0 {
		if index != "" && isIndexValue(index) && numbers == 0 {
			return rowClass{skip: SkipSection}
		}
		return rowClass{}
	}
	if nt <= 2 && (anyPrefix(first, footerWords) || anyPrefix(first, rankWords) || isDateLine(first)) {
		return rowClass{skip: SkipFooter, footer: true}
	}
	if nt <= 2 && c.footer && numbers == 0 && index == "" {
		return rowClass{skip: SkipFooter}
	}
	if nt > 3 {
		return rowClass{}
	}
	if nt == 1 && anyPrefix(first, noteWords) {
		return rowClass{skip: SkipNote}
	}
	if nt == 1 && isTotal(commune.Fold(stripNumbering(texts[0]))) {
		return rowClass{skip: SkipTotal}
	}
	if nt != 1 {
		return rowClass{}
	}
	// One text: a section row when it is numbered, names a place or a
	// group, or is merged across the row — and does not sit alone in a
	// place column, where it is a record's commune.
	text := texts[0]
	body := stripNumbering(text)
	numbered := body != text || index != "" && isIndexValue(index)
	bf := commune.Fold(body)
	place := anyPrefix(bf, placeWords)
	group := anyPrefix(bf, groupWords)
	merged := span[0] >= 3
	if !(numbered || place || group || merged) {
		return rowClass{}
	}
	if span[0] == 1 && c.placeColumn(textCol[0]) && !numbered {
		return rowClass{}
	}
	return rowClass{skip: SkipSection, section: body}
}

// mayBeFurniture tells, from a row's first text, whether a row of several
// texts may still be a column-number row or the header again.
func (c *classifier) mayBeFurniture(first string, col int) bool {
	if len(first) <= 4 && colNumberRe.MatchString(first) {
		return true
	}
	if col < len(c.m.Header) {
		h := c.m.Header[col]
		return h == first || strings.HasPrefix(h, first+groupSep) || strings.HasSuffix(h, groupSep+first)
	}
	return false
}

// stripNumbering removes a section's numbering: "I. HUYỆN YÊN SƠN",
// "1.2- Xã Hùng Lợi", "- Khối cơ quan".
func stripNumbering(s string) string {
	if loc := numberingRe.FindStringIndex(s); loc != nil && loc[1] < len(s) {
		return strings.TrimSpace(s[loc[1]:])
	}
	return s
}

func isDateLine(f string) bool {
	i := strings.Index(f, " ngay ")
	return i > 0 && strings.Contains(f[i:], " thang ") && strings.Contains(f[i:], " nam ")
}

func (c *classifier) placeColumn(i int) bool {
	for _, f := range []field{fCommune, fDistrict, fProvince, fCommuneCode} {
		if c.m.col[f] == i {
			return true
		}
	}
	return false
}

// colNumbers reports whether vals is the row that numbers the columns
// under a header: "(1) (2) (3)", "1 2 3", "A B C".
func (c *classifier) colNumbers(vals []string) bool {
	n := 0
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if !colNumberRe.MatchString(v) {
			return false
		}
		n++
	}
	return n >= 3 || n >= 2 && n*2 >= len(c.m.Header)
}

// headerAgain reports whether vals repeats the header (a report pasted
// from several pages).
func (c *classifier) headerAgain(vals []string) bool {
	same, n := 0, 0
	for i, v := range vals {
		v = value.Clean(v)
		if v == "" || i >= len(c.m.Header) {
			continue
		}
		n++
		h := c.m.Header[i]
		if v == h || strings.HasSuffix(h, groupSep+v) || strings.HasPrefix(h, v+groupSep) {
			same++
		}
	}
	return n >= 2 && same*2 > n
}

// Context is where a report's records are and what window it covers, as
// its title block, its section rows or the user said. Places are as
// written; the resolver reads them.
type Context struct {
	Province string    `json:"province,omitempty"`
	District string    `json:"district,omitempty"`
	Commune  string    `json:"commune,omitempty"`
	Issuer   string    `json:"issuer,omitempty"` // the issuing unit's line
	Title    string    `json:"title,omitempty"`  // the report's title line
	From     time.Time `json:"from,omitzero"`    // window line: "Số liệu tính từ ngày …"
	To       time.Time `json:"to,omitzero"`
	AsOf     time.Time `json:"as_of,omitzero"` // "Tính đến ngày …", else To
	Year     int       `json:"year,omitempty"` // the police year the title names ("NĂM 2024"), else the window's
}

// IsZero reports whether c says nothing.
func (c Context) IsZero() bool { return c == Context{} }

// String is the context in a line, Vietnamese.
func (c Context) String() string {
	var parts []string
	for _, p := range []struct{ k, v string }{{"tỉnh", c.Province}, {"huyện", c.District}, {"xã", c.Commune}, {"đơn vị", c.Issuer}} {
		if p.v != "" {
			parts = append(parts, p.k+" "+p.v)
		}
	}
	switch {
	case !c.From.IsZero() && !c.To.IsZero():
		parts = append(parts, "số liệu từ "+c.From.Format("02/01/2006")+" đến "+c.To.Format("02/01/2006"))
	case !c.AsOf.IsZero():
		parts = append(parts, "tính đến "+c.AsOf.Format("02/01/2006"))
	}
	if c.Year > 0 {
		parts = append(parts, fmt.Sprintf("năm %d", c.Year))
	}
	if len(parts) == 0 {
		return "(không có)"
	}
	return strings.Join(parts, "; ")
}

// over returns c with the places o sets put over c's: a province resets
// district and commune, a district resets the commune.
func (c Context) over(o Context) Context {
	switch {
	case o.Province != "":
		c.Province, c.District, c.Commune = o.Province, o.District, o.Commune
	case o.District != "":
		c.District, c.Commune = o.District, o.Commune
	case o.Commune != "":
		c.Commune = o.Commune
	}
	return c
}

// unitPrefixes are the issuing units of a title block, folded, with the
// level of the place that follows and the words to keep with it.
var unitPrefixes = []struct {
	prefix string
	level  string // "province", "district", "commune", "city" (province or district)
	keep   int    // words of the prefix kept with the name ("huyện")
}{
	{"cong an tinh", "province", 1},
	{"cong an thanh pho", "city", 2},
	{"cong an tp", "city", 1},
	{"cong an huyen", "district", 1},
	{"cong an quan", "district", 1},
	{"cong an thi xa", "district", 2},
	{"cong an xa", "commune", 1},
	{"cong an phuong", "commune", 1},
	{"cong an thi tran", "commune", 2},
	{"cong an dac khu", "commune", 2},
	{"ubnd tinh", "province", 1},
	{"ubnd thanh pho", "city", 2},
	{"ubnd huyen", "district", 1},
	{"ubnd quan", "district", 1},
	{"ubnd thi xa", "district", 2},
	{"ubnd xa", "commune", 1},
	{"ubnd phuong", "commune", 1},
	{"ubnd thi tran", "commune", 2},
	{"ubnd dac khu", "commune", 2},
	{"uy ban nhan dan tinh", "province", 1},
	{"uy ban nhan dan huyen", "district", 1},
	{"uy ban nhan dan xa", "commune", 1},
	{"uy ban nhan dan phuong", "commune", 1},
}

var (
	dmyRe    = regexp.MustCompile(`(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})`)
	wordDate = regexp.MustCompile(`(?i)ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})`)
)

// titleContext reads the title block: the issuing units (province, then
// district or commune), the title and the window line.
func titleContext(lines []string) Context {
	var c Context
	for _, line := range lines {
		f := commune.Fold(line)
		matched := false
		for _, u := range unitPrefixes {
			if !hasWordPrefix(f, u.prefix) || len(f) == len(u.prefix) {
				continue
			}
			words := strings.Fields(line)
			drop := len(strings.Fields(u.prefix)) - u.keep
			if drop >= len(words) {
				continue
			}
			name := strings.Join(words[drop:], " ")
			switch u.level {
			case "province":
				c.Province = name
			case "city":
				if c.Province == "" {
					c.Province = name
				} else {
					c.District = name
				}
			case "district":
				c.District = name
			case "commune":
				c.Commune = name
			}
			if c.Issuer == "" || u.level != "province" {
				c.Issuer = line
			}
			matched = true
			break
		}
		if matched {
			continue
		}
		dates := lineDates(line)
		switch {
		case strings.Contains(f, "tu ngay") && strings.Contains(f, "den ngay") && len(dates) >= 2:
			c.From, c.To = dates[0], dates[1]
			if c.AsOf.IsZero() {
				c.AsOf = dates[1]
			}
		case (strings.Contains(f, "tinh den ngay") || strings.Contains(f, "tinh den") || strings.HasPrefix(f, "den ngay")) && len(dates) >= 1:
			c.AsOf = dates[len(dates)-1]
		case c.Title == "" && (strings.HasPrefix(f, "bao cao") || strings.HasPrefix(f, "danh sach") || strings.HasPrefix(f, "thong ke") ||
			strings.HasPrefix(f, "tong hop") || strings.HasPrefix(f, "ket qua") || strings.HasPrefix(f, "bang")):
			c.Title = line
		}
	}
	if m := titleYearRe.FindStringSubmatch(commune.Fold(c.Title)); m != nil {
		c.Year = atoi(m[1])
	} else if !c.To.IsZero() {
		c.Year = analytics.PoliceYearOf(c.To)
	}
	return c
}

var titleYearRe = regexp.MustCompile(`\bnam ((?:19|20)[0-9]{2})\b`)

// lineDates finds the dates written in a line, "15/12/2023" or "ngày 15
// tháng 12 năm 2023", in order.
func lineDates(s string) []time.Time {
	type at struct {
		i int
		t time.Time
	}
	var found []at
	for _, re := range []*regexp.Regexp{dmyRe, wordDate} {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			d, mo, y := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])
			if t, err := value.Date(y, mo, d, s); err == nil {
				found = append(found, at{m[0], t})
			}
		}
	}
	for i := 1; i < len(found); i++ {
		for j := i; j > 0 && found[j].i < found[j-1].i; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	out := make([]time.Time, len(found))
	for i, f := range found {
		out[i] = f.t
	}
	return out
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// sectionContext reads the place a section row names: "HUYỆN THANH SƠN"
// is a district, "Xã Hùng Lợi" a commune, "TỈNH PHÚ THỌ" a province. A
// group ("Khối cơ quan, doanh nghiệp") names none.
func sectionContext(text string) (Context, bool) {
	f := commune.Fold(text)
	if hasWordPrefix(f, "dia ban") {
		words := strings.Fields(text)
		if len(words) > 2 {
			text = strings.Join(words[2:], " ")
			f = commune.Fold(text)
		}
	}
	switch {
	case anyPrefix(f, []string{"tinh"}):
		return Context{Province: text}, true
	case anyPrefix(f, []string{"huyen", "quan", "thi xa", "thanh pho", "tp"}):
		return Context{District: text}, true
	case anyPrefix(f, []string{"xa", "phuong", "thi tran", "dac khu"}):
		return Context{Commune: text}, true
	}
	return Context{}, false
}
