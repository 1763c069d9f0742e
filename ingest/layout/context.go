package layout

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/value"
)

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

// Over returns c with the places o sets put over c's: a province resets
// district and commune, a district resets the commune.
func (c Context) Over(o Context) Context {
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

// TitleContext reads the title block: the issuing units (province, then
// district or commune), the title and the window line.
func TitleContext(lines []string) Context {
	var c Context
	for _, line := range lines {
		f := placename.Fold(line)
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
	if m := titleYearRe.FindStringSubmatch(placename.Fold(c.Title)); m != nil {
		c.Year = value.Digits(m[1])
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
			d, mo, y := value.Digits(s[m[2]:m[3]]), value.Digits(s[m[4]:m[5]]), value.Digits(s[m[6]:m[7]])
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

// SectionContext reads the place a section row names: "HUYỆN THANH SƠN"
// is a district, "Xã Hùng Lợi" a commune, "TỈNH PHÚ THỌ" a province. A
// group ("Khối cơ quan, doanh nghiệp") names none.
func SectionContext(text string) (Context, bool) {
	f := placename.Fold(text)
	if hasWordPrefix(f, "dia ban") {
		words := strings.Fields(text)
		if len(words) > 2 {
			text = strings.Join(words[2:], " ")
			f = placename.Fold(text)
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
