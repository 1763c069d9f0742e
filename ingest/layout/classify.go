package layout

import (
	"regexp"
	"strings"

	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/schema"
	"github.com/antq-atlas/antq/ingest/value"
)

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

// Class is what a row of a report is.
type Class struct {
	Skip    string // why the row is not a record (SkipSection, …); "" for a record
	Section string // a section row's text, without its numbering
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

// Classifier tells records from the other rows of one table, in order: it
// keeps whether the signature block has begun.
type Classifier struct {
	m      *schema.Mapping
	lay    *Layout
	footer bool
}

// NewClassifier returns the classifier of a table of layout lay whose
// header is mapped by m.
func NewClassifier(m *schema.Mapping, lay *Layout) *Classifier {
	return &Classifier{m: m, lay: lay}
}

// SetMapping maps the rows to come with m: the table's header was mapped
// again.
func (c *Classifier) SetMapping(m *schema.Mapping) { c.m = m }

// Classify tells what the next row of the table is; a row that starts the
// signature block makes the short rows after it part of the block.
func (c *Classifier) Classify(vals []string) Class {
	rc := c.classify(vals)
	if rc.footer {
		c.footer = true
	}
	return rc
}

// classify tells what row is. It only skips on positive evidence: a row
// that looks like nothing in particular is a record (which may then be
// rejected with a reason).
func (c *Classifier) classify(vals []string) Class {
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
				return Class{} // three different texts: a record
			}
			nt++
			break
		}
		texts[nt], textCol[nt], span[nt] = v, i, 1
		nt++
	}
	if nonEmpty == 0 {
		return Class{Skip: SkipNote}
	}
	if c.colNumbers(vals) {
		return Class{Skip: SkipColumnNumbers}
	}
	if c.headerAgain(vals) {
		return Class{Skip: SkipHeaderAgain}
	}
	first := ""
	if nt > 0 {
		first = placename.Fold(texts[0])
	}
	if nt == 0 {
		if index != "" && isIndexValue(index) && numbers == 0 {
			return Class{Skip: SkipSection}
		}
		return Class{}
	}
	if nt <= 2 && (anyPrefix(first, footerWords) || anyPrefix(first, rankWords) || isDateLine(first)) {
		return Class{Skip: SkipFooter, footer: true}
	}
	if nt <= 2 && c.footer && numbers == 0 && index == "" {
		return Class{Skip: SkipFooter}
	}
	if nt > 3 {
		return Class{}
	}
	if nt == 1 && anyPrefix(first, noteWords) {
		return Class{Skip: SkipNote}
	}
	if nt == 1 && isTotal(placename.Fold(stripNumbering(texts[0]))) {
		return Class{Skip: SkipTotal}
	}
	if nt != 1 {
		return Class{}
	}
	// One text: a section row when it is numbered, names a place or a
	// group, or is merged across the row — and does not sit alone in a
	// place column, where it is a record's commune.
	text := texts[0]
	body := stripNumbering(text)
	numbered := body != text || index != "" && isIndexValue(index)
	bf := placename.Fold(body)
	place := anyPrefix(bf, placeWords)
	group := anyPrefix(bf, groupWords)
	merged := span[0] >= 3
	if !(numbered || place || group || merged) {
		return Class{}
	}
	if span[0] == 1 && c.placeColumn(textCol[0]) && !numbered {
		return Class{}
	}
	return Class{Skip: SkipSection, Section: body}
}

// mayBeFurniture tells, from a row's first text, whether a row of several
// texts may still be a column-number row or the header again.
func (c *Classifier) mayBeFurniture(first string, col int) bool {
	if len(first) <= 4 && colNumberRe.MatchString(first) {
		return true
	}
	if col < len(c.m.Header) {
		h := c.m.Header[col]
		return h == first || strings.HasPrefix(h, first+schema.GroupSep) || strings.HasSuffix(h, schema.GroupSep+first)
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

func (c *Classifier) placeColumn(i int) bool {
	for _, f := range []schema.Field{schema.Commune, schema.District, schema.Province, schema.CommuneCode} {
		if c.m.Col(f) == i {
			return true
		}
	}
	return false
}

// colNumbers reports whether vals is the row that numbers the columns
// under a header: "(1) (2) (3)", "1 2 3", "A B C".
func (c *Classifier) colNumbers(vals []string) bool {
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
func (c *Classifier) headerAgain(vals []string) bool {
	same, n := 0, 0
	for i, v := range vals {
		v = value.Clean(v)
		if v == "" || i >= len(c.m.Header) {
			continue
		}
		n++
		h := c.m.Header[i]
		if v == h || strings.HasSuffix(h, schema.GroupSep+v) || strings.HasPrefix(h, v+schema.GroupSep) {
			same++
		}
	}
	return n >= 2 && same*2 > n
}
