package analytics

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The catalogue of user-visible sentences that carry a rule: who the source
// is (tỉnh or thành phố), ranks, changes, capitals and English plurals. The
// summary, charts, deck, exports and the page's server-side texts build
// their sentences here so one rule holds everywhere (issue #21). "No data"
// texts live in nodata.go, periods in period.go, findings in analytics/finding.

// Lang is the language of a text: LangVI (the default) or LangEN.
type Lang string

// Languages.
const (
	LangVI Lang = "vi"
	LangEN Lang = "en"
)

// ParseLang reads a lang= parameter: "en" is English, anything else Vietnamese.
func ParseLang(s string) Lang {
	if strings.EqualFold(strings.TrimSpace(s), "en") {
		return LangEN
	}
	return LangVI
}

// Pick returns vi or en by the language.
func (l Lang) Pick(vi, en string) string {
	if l == LangEN {
		return en
	}
	return vi
}

// ProvinceKind is the kind of a 2025 province-level unit.
type ProvinceKind string

// Kinds of province-level units.
const (
	KindProvince ProvinceKind = "tỉnh"
	KindCity     ProvinceKind = "thành phố" // the six centrally-run cities
)

// ProvinceKindOf reads the kind from the unit's official full name as the
// reference data writes it ("Tỉnh Tuyên Quang", "Thành phố Hà Nội"); a name
// without a kind word is a province.
func ProvinceKindOf(fullName string) ProvinceKind {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(fullName)), "thành phố ") {
		return KindCity
	}
	return KindProvince
}

// PoliceVI is the default source prefix, the province's police.
const PoliceVI = "Công an tỉnh"

// Attribution names the police of a province-level unit, the data's owner
// (the reference data names seven cities in 2026: the six of July 2025 and
// Đồng Nai):
// "Công an tỉnh Tuyên Quang", "Công an thành phố Hà Nội"; in English
// "Tuyên Quang Provincial Police", "Hà Nội City Police". fullName gives the
// kind, shortName the name; with both empty it names every province's
// police ("Công an các tỉnh, thành phố").
func Attribution(lang Lang, fullName, shortName string) string {
	if fullName == "" && shortName == "" {
		return lang.Pick("Công an các tỉnh, thành phố", "Provincial and city police")
	}
	if shortName == "" {
		shortName = fullName
	}
	shortName = stripKind(shortName) // vnad names the cities "Thành phố Hà Nội"
	if ProvinceKindOf(fullName) == KindCity {
		return lang.Pick("Công an thành phố "+shortName, shortName+" City Police")
	}
	return lang.Pick("Công an tỉnh "+shortName, shortName+" Provincial Police")
}

// PlaceName names a province-level unit in a title: Vietnamese its full
// name ("Tỉnh Tuyên Quang", "Thành phố Hà Nội"), English "Tuyên Quang
// Province", "Hà Nội City"; with both names empty, the whole country.
func PlaceName(lang Lang, fullName, shortName string) string {
	if fullName == "" && shortName == "" {
		return lang.Pick("Toàn quốc", "Viet Nam")
	}
	if shortName == "" {
		shortName = fullName
	}
	shortName = stripKind(shortName)
	if lang == LangVI {
		if fullName == "" {
			return shortName
		}
		return fullName
	}
	if ProvinceKindOf(fullName) == KindCity {
		return shortName + " City"
	}
	return shortName + " Province"
}

// ShortName is a province-level unit's name without its kind, as lists
// write it: "Hà Nội" for vnad's "Thành phố Hà Nội", "Tuyên Quang".
func ShortName(name string) string { return stripKind(name) }

func stripKind(full string) string {
	for _, p := range []string{"Thành phố ", "thành phố ", "Tỉnh ", "tỉnh "} {
		if strings.HasPrefix(full, p) {
			return strings.TrimPrefix(full, p)
		}
	}
	return full
}

// SourceLine is a footnote's source part: "Nguồn: Công an tỉnh Tuyên Quang",
// "Source: Tuyên Quang Provincial Police".
func SourceLine(lang Lang, source string) string {
	if source == "" {
		return ""
	}
	return lang.Pick("Nguồn: ", "Source: ") + source
}

// Rank writes a rank with its denominator: "124/124".
func Rank(k, n int) string {
	if n <= 0 {
		return strconv.Itoa(k)
	}
	return strconv.Itoa(k) + "/" + strconv.Itoa(n)
}

// RankHeader is the rank column's header: "Hạng", "Rank".
func RankHeader(lang Lang) string { return lang.Pick("Hạng", "Rank") }

// Capitalize puts the first letter of a sentence in upper case: "xã · 02455"
// → "Xã · 02455".
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// LowerFirst lower-cases the first letter of a label inside a sentence
// ("Số điểm mô hình" -> "số điểm mô hình").
func LowerFirst(s string, en bool) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if en && len(r) > 1 && strings.ToUpper(string(r[1])) == string(r[1]) {
		return s // an acronym
	}
	return strings.ToLower(string(r[:1])) + string(r[1:])
}

// Plural writes a count with an English noun in the right number: "1 site",
// "2,025 sites"; in Vietnamese the noun does not change ("2.025 điểm").
func Plural(lang Lang, n float64, one, many string) string {
	if lang == LangEN {
		if n == 1 {
			return Number(lang, n, 0) + " " + one
		}
		return Number(lang, n, 0) + " " + many
	}
	return Number(lang, n, 0) + " " + one
}

// Number writes v with d decimals, rounded half away from zero exactly
// (math/big, so 0,125 → 0,13): Vietnamese "2.025,5", English "2,025.5".
// NaN and infinities give "".
func Number(lang Lang, v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	if d < 0 {
		d = 0
	}
	group, point := byte('.'), byte(',')
	if lang == LangEN {
		group, point = ',', '.'
	}
	r := new(big.Rat).SetFloat64(math.Abs(v))
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)
	r.Mul(r, new(big.Rat).SetInt(pow))
	r.Add(r, big.NewRat(1, 2))
	n := new(big.Int).Quo(r.Num(), r.Denom())
	digits := n.String()
	if len(digits) <= d {
		digits = strings.Repeat("0", d-len(digits)+1) + digits
	}
	ip, frac := digits[:len(digits)-d], digits[len(digits)-d:]
	var b strings.Builder
	if v < 0 && n.Sign() != 0 {
		b.WriteByte('-')
	}
	for i := 0; i < len(ip); i++ {
		if i > 0 && (len(ip)-i)%3 == 0 {
			b.WriteByte(group)
		}
		b.WriteByte(ip[i])
	}
	if d > 0 {
		b.WriteByte(point)
		b.WriteString(frac)
	}
	return b.String()
}

// maxPctDecimals bounds the precision a change reaches for.
const maxPctDecimals = 6

// visibleDecimals is the fewest decimals, at least min, with which a
// non-zero value does not print as zero: 0,05 % for 1 on 2.025.
func visibleDecimals(v float64, min int) int {
	d := min
	for d < maxPctDecimals && v != 0 && strings.Trim(Number(LangEN, math.Abs(v), d), "0.") == "" {
		d++
	}
	return d
}

// Change is a change between two periods, in the units of its metric.
type Change struct {
	Delta float64
	// Pct is the relative change in percent; nil when the comparison is 0
	// or the metric is itself a percentage (then Delta is in points).
	Pct *float64
	// Percent: the metric is a rate, the change is in percentage points.
	Percent  bool
	Decimals int
}

// ChangeTexts writes a change the way the reports do, against what tail
// names (CompareTail): full "tăng 145 (+7,7%) so với cùng kỳ", short
// "tăng 7,7% so với cùng kỳ" ("" for rates and when there is no percent);
// "không đổi" only when the two are equal; rates change by "điểm phần
// trăm". English: "up 145 (+7.7%) on the same period last year".
func ChangeTexts(lang Lang, c Change, tail string) (full, short string) {
	if c.Delta == 0 {
		s := lang.Pick("không đổi", "unchanged") + tail
		return s, s
	}
	verb := lang.Pick("tăng ", "up ")
	if c.Delta < 0 {
		verb = lang.Pick("giảm ", "down ")
	}
	abs := math.Abs(c.Delta)
	if c.Percent {
		d := visibleDecimals(abs, max(c.Decimals, 1))
		unit := lang.Pick(" điểm phần trăm", " percentage points")
		if lang == LangEN && Number(lang, abs, d) == Number(lang, 1, d) {
			unit = " percentage point"
		}
		return verb + Number(lang, abs, d) + unit + tail, ""
	}
	full = verb + Number(lang, abs, visibleDecimals(abs, c.Decimals))
	if c.Pct != nil {
		sign := "+"
		if *c.Pct < 0 {
			sign = "-"
		}
		p := Number(lang, math.Abs(*c.Pct), visibleDecimals(*c.Pct, 1)) + "%"
		full += " (" + sign + p + ")"
		short = verb + p + tail
	}
	return full + tail, short
}

// CompareTail says what a change is against: " so với cùng kỳ" (the same
// period a year earlier), " so với cùng kỳ 15/12–04/12" (cut to the elapsed
// span of a partial period), " so với năm 2022" (another police year,
// year non-empty), or the comparison's dates. English: " on the same period
// last year", " on 15/12–04/12 last year", " on 2022", " on 15/12/2023–14/12/2024".
func CompareTail(lang Lang, w, c Window, year string) string {
	dates := c.From.Format("02/01/2006") + "–" + c.Last().Format("02/01/2006")
	if c.From.AddDate(1, 0, 0).Equal(w.From) && (c.Cut || c.Days() == w.Days() || c.To.AddDate(1, 0, 0).Equal(w.To)) {
		if c.Cut {
			return lang.Pick(" so với cùng kỳ "+c.SpanVI(), " on "+c.SpanVI()+" last year")
		}
		return lang.Pick(" so với cùng kỳ", " on the same period last year")
	}
	name := lang.Pick("kỳ "+dates, dates)
	if year != "" {
		name = lang.Pick("năm "+year, year)
	}
	if c.Cut {
		return lang.Pick(" so với cùng kỳ "+c.SpanVI()+" "+strings.TrimPrefix(name, "kỳ "), " on "+c.SpanVI()+" of "+name)
	}
	return lang.Pick(" so với ", " on ") + name
}

// Footnote is the footnote every figure carries: its source, its window
// (a partial window says so: "(kỳ chưa kết thúc)", "(period not over)")
// and its unit; empty parts are left out. "Nguồn: Công an tỉnh Tuyên
// Quang; Số liệu từ 15/12/2024 đến 14/12/2025; Đơn vị tính: điểm",
// "Source: Tuyên Quang Provincial Police; Data from 15/12/2024 to
// 14/12/2025; Unit: sites".
func Footnote(lang Lang, source string, w Window, unit string) string {
	var parts []string
	if s := SourceLine(lang, source); s != "" {
		parts = append(parts, s)
	}
	if !w.From.IsZero() && !w.To.IsZero() {
		parts = append(parts, lang.Pick(w.LabelVI(), w.LabelEN()))
	}
	if unit != "" {
		parts = append(parts, lang.Pick("Đơn vị tính: ", "Unit: ")+unit)
	}
	return strings.Join(parts, "; ")
}

// ProvinceNoData replaces a map, a headline or a slide of a province-level
// unit that reported nothing for the window, by its kind (fullName as in
// Attribution): "Chưa có số liệu của tỉnh này", "Chưa có số liệu của thành
// phố này"; English "No data for this province yet", "… this city yet".
// With fullName empty (the whole country) it says "Chưa có số liệu".
func ProvinceNoData(lang Lang, fullName string) string {
	switch {
	case fullName == "":
		return lang.Pick("Chưa có số liệu", "No data yet")
	case ProvinceKindOf(fullName) == KindCity:
		return lang.Pick("Chưa có số liệu của thành phố này", "No data for this city yet")
	}
	return lang.Pick(ProvinceNoDataVI, ProvinceNoDataEN)
}

// ProvinceWide is the word for "the whole province" by the unit's kind:
// "toàn tỉnh", "toàn thành phố"; English "province", "city".
func ProvinceWide(lang Lang, fullName string) string {
	if ProvinceKindOf(fullName) == KindCity {
		return lang.Pick("toàn thành phố", "city")
	}
	return lang.Pick("toàn tỉnh", "province")
}

// CommuneName names a 2025 commune in a sentence: Vietnamese its full name
// ("Xã Hùng Lợi", "Phường Minh Xuân", "Đặc khu Cô Tô"); English the name
// with the kind after it ("Hùng Lợi Commune", "Minh Xuân Ward", "Cô Tô
// Special Zone"), as the provinces are named.
func CommuneName(lang Lang, fullName string) string {
	if lang != LangEN {
		return fullName
	}
	for _, k := range []struct{ vi, en string }{{"Xã ", " Commune"}, {"Phường ", " Ward"}, {"Đặc khu ", " Special Zone"},
		{"Thành phố ", " City"}, {"Tỉnh ", " Province"}} {
		if strings.HasPrefix(fullName, k.vi) {
			return strings.TrimPrefix(fullName, k.vi) + k.en
		}
	}
	return fullName
}

// RankColumn is the header of a table's rank column whose cells hold the
// bare rank (so a spreadsheet sorts them): the denominator goes in the
// header, "Hạng (trên 124)", "Rank (of 124)".
func RankColumn(lang Lang, n int) string {
	return RankHeader(lang) + " (" + lang.Pick("trên ", "of ") + strconv.Itoa(n) + ")"
}

// RankText writes a rank for a reader, with its denominator: "Hạng
// 12/124", "Rank 12/124"; n is how many units were ranked.
func RankText(lang Lang, k, n int) string {
	return RankHeader(lang) + " " + Rank(k, n)
}

// KindLabel names a kind of record for a reader: "mô hình", "điểm mô
// hình", "xếp loại", "vụ việc"; English "models", "sites", "grades",
// "incidents".
func KindLabel(lang Lang, k Kind) string {
	vi, en := map[Kind]string{KindModels: "mô hình", KindSites: "điểm mô hình", KindGrades: "xếp loại", KindIncidents: "vụ việc"}[k],
		map[Kind]string{KindModels: "models", KindSites: "sites", KindGrades: "grades", KindIncidents: "incidents"}[k]
	if vi == "" {
		return string(k)
	}
	return lang.Pick(vi, en)
}

// valuesEN are the English names of the fixed vocabulary records use:
// grades, outcomes, sectors. Model types and incident categories are
// written by the provinces and stay as written.
var valuesEN = map[string]string{
	GradeGood: "Good", GradeFair: "Fair", GradeAverage: "Average", GradeWeak: "Weak",
	OutcomeMediated: "mediated", OutcomeNotMediated: "mediation failed", OutcomeResolvedLocal: "resolved locally",
	OutcomeTransferred: "transferred to the authorities", OutcomePending: "pending",
	SectorResidential: "residential areas", SectorCommune: "communes and wards", SectorAgency: "agencies and businesses",
	SectorEducation: "schools", SectorReligion: "religious and ethnic communities",
}

// ValueLabel names a value of the fixed vocabulary (a grade, an outcome,
// a sector) in a language, capitalised as a label: "Hòa giải thành",
// "Mediated". Any other value (a model type, a category) is given as
// written.
func ValueLabel(lang Lang, v string) string {
	en, ok := valuesEN[v]
	switch {
	case !ok:
		return v
	case lang == LangEN:
		return Capitalize(en)
	}
	return Capitalize(v)
}
