package value

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// excelEpoch is day 0 of Excel's 1900 date system as it counts after its
// fictitious 29 February 1900.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// ParseDate reads a date as the police write it: dd/mm/yyyy, d/m/yy,
// dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd (day first unless the year is), each
// optionally followed by a time (hh:mm or hh:mm:ss, after a space or a T),
// or an Excel serial number (45366 is 15/03/2024). Empty is the zero time.
// Dates are in UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if isNumber(s) {
		if len(s) == 8 && (s[:2] == "19" || s[:2] == "20") { // yyyymmdd
			y, _ := strconv.Atoi(s[:4])
			m, _ := strconv.Atoi(s[4:6])
			d, _ := strconv.Atoi(s[6:])
			return Date(y, m, d, s)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 1 || f > 2958465 {
			return time.Time{}, fmt.Errorf("not a date: %q", s)
		}
		days := math.Floor(f)
		secs := math.Round((f - days) * 86400)
		return excelEpoch.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second), nil
	}
	// Split the date from the time.
	datePart, timePart := s, ""
	if i := strings.IndexAny(s, " T"); i > 0 {
		datePart, timePart = s[:i], strings.TrimSpace(s[i+1:])
	}
	var parts [3]int
	var lens [3]int
	n, v, l := 0, 0, 0
	for i := 0; i <= len(datePart); i++ {
		if i < len(datePart) && datePart[i] >= '0' && datePart[i] <= '9' {
			v = v*10 + int(datePart[i]-'0')
			l++
			if l > 4 {
				return time.Time{}, fmt.Errorf("not a date: %q", s)
			}
			continue
		}
		if i < len(datePart) && datePart[i] != '/' && datePart[i] != '-' && datePart[i] != '.' {
			return time.Time{}, fmt.Errorf("not a date: %q (dd/mm/yyyy)", s)
		}
		if l == 0 || n == 3 {
			return time.Time{}, fmt.Errorf("not a date: %q (dd/mm/yyyy)", s)
		}
		parts[n], lens[n] = v, l
		n, v, l = n+1, 0, 0
	}
	if n != 3 {
		return time.Time{}, fmt.Errorf("not a date: %q (dd/mm/yyyy)", s)
	}
	var y, m, d int
	switch {
	case lens[0] == 4:
		y, m, d = parts[0], parts[1], parts[2]
	case lens[2] == 4:
		d, m, y = parts[0], parts[1], parts[2]
	case lens[2] == 2:
		d, m, y = parts[0], parts[1], 2000+parts[2]
	default:
		return time.Time{}, fmt.Errorf("not a date: %q (dd/mm/yyyy)", s)
	}
	t, err := Date(y, m, d, s)
	if err != nil || timePart == "" {
		return t, err
	}
	hh, mm, ss, err := parseClock(timePart)
	if err != nil {
		return time.Time{}, fmt.Errorf("not a date and time: %q", s)
	}
	return t.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second), nil
}

// Precision of a date as written.
type Precision uint8

// Day is a whole date; Month a month written without its day ("3/2023",
// "tháng 3/2023"), kept as the month's first day and flagged.
const (
	Day Precision = iota
	Month
)

var (
	wordDayRe   = regexp.MustCompile(`^(?:ngay )?([0-9]{1,2}) thang ([0-9]{1,2}) nam ([0-9]{4})$`)
	prefDayRe   = regexp.MustCompile(`^(?:ngay )([0-9]{1,2}) ([0-9]{1,2}) ([0-9]{2}|[0-9]{4})$`)
	monthOnlyRe = regexp.MustCompile(`^(?:thang |t)?([0-9]{1,2}) (?:nam )?([0-9]{4})$`)
)

// ParseDateTyped reads a date as people type it in reports: everything
// ParseDate reads, dates in words ("ngày 5 tháng 3 năm 2023", "05 tháng 3
// năm 2023", "ngày 05/3/2023") and months without a day ("3/2023", "tháng
// 3/2023", "T3-2023", "tháng 3 năm 2023"), which have Month precision and
// are the month's first day.
func ParseDateTyped(s string) (time.Time, Precision, error) {
	t, err := ParseDate(s)
	if err == nil {
		return t, Day, nil
	}
	f := placename.Fold(s)
	if m := wordDayRe.FindStringSubmatch(f); m != nil {
		t, derr := Date(Digits(m[3]), Digits(m[2]), Digits(m[1]), s)
		return t, Day, derr
	}
	if m := prefDayRe.FindStringSubmatch(f); m != nil {
		y := Digits(m[3])
		if len(m[3]) == 2 {
			y += 2000
		}
		t, derr := Date(y, Digits(m[2]), Digits(m[1]), s)
		return t, Day, derr
	}
	if m := monthOnlyRe.FindStringSubmatch(f); m != nil {
		mo := Digits(m[1])
		if mo < 1 || mo > 12 {
			return time.Time{}, Day, fmt.Errorf("not a month: %q (mm/yyyy)", s)
		}
		return time.Date(Digits(m[2]), time.Month(mo), 1, 0, 0, 0, 0, time.UTC), Month, nil
	}
	return time.Time{}, Day, err
}

// Date is the day d/m/y at midnight UTC, or an error quoting s, as it was
// written, when there is no such day ("31/02/2024").
func Date(y, m, d int, s string) (time.Time, error) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || d < 1 || t.Day() != d {
		return time.Time{}, fmt.Errorf("not a day: %q (dd/mm/yyyy)", s)
	}
	return t, nil
}

// parseClock reads hh:mm[:ss[.fff]] with an optional Z, SA/CH or AM/PM.
func parseClock(s string) (h, m, sec int, err error) {
	s = strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "Z")
	pm, am := false, false
	for _, suf := range []string{"SA", "AM", "CH", "PM"} {
		if strings.HasSuffix(s, suf) {
			pm = suf == "CH" || suf == "PM"
			am = !pm
			s = strings.TrimSpace(strings.TrimSuffix(s, suf))
			break
		}
	}
	if i := strings.IndexAny(s, ".+"); i > 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, errors.New("bad time")
	}
	var v [3]int
	for i, p := range parts {
		if v[i], err = strconv.Atoi(p); err != nil {
			return 0, 0, 0, err
		}
	}
	h, m, sec = v[0], v[1], v[2]
	if pm && h < 12 {
		h += 12
	}
	if am && h == 12 { // 12:30 AM is half past midnight
		h = 0
	}
	if h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59 {
		return 0, 0, 0, errors.New("bad time")
	}
	return h, m, sec, nil
}

func isNumber(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '.' && !dot {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != "" && s != "."
}

// ParseCount reads a whole number as written in Vietnamese ("2.025",
// "1.250", "12") or English ("2,025"); a dot or comma followed by three
// digits separates thousands. "12,0" and "12.0" are 12. Empty is 0.
func ParseCount(s string) (uint32, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	digits := make([]byte, 0, len(s))
	group := -1 // digits since the last separator; -1 before any
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
			if group >= 0 {
				group++
			}
		case c == '.' || c == ',':
			rest := s[i+1:]
			if strings.Trim(rest, "0") == "" && len(rest) > 0 && len(rest) != 3 {
				i = len(s) // "12.0", "12,00": a whole number written as a decimal
				continue
			}
			if group >= 0 && group != 3 || len(digits) == 0 {
				return 0, fmt.Errorf("not a whole number: %q", s)
			}
			group = 0
		case c == ' ' || c == '\u00a0':
		default:
			return 0, fmt.Errorf("not a whole number: %q", s)
		}
	}
	if group >= 0 && group != 3 {
		return 0, fmt.Errorf("not a whole number: %q", s)
	}
	v, err := strconv.ParseUint(string(digits), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("not a whole number: %q", s)
	}
	return uint32(v), nil
}

// ParseDecimal reads a decimal number with a comma or a dot for the decimal
// mark ("105,2134", "105.2134", "1.234,5"), as coordinates are written. A
// trailing degree sign is ignored.
func ParseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "°"))
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case commas == 1 && dots == 0:
		s = strings.Replace(s, ",", ".", 1)
	case commas == 1 && dots > 0 && strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.'):
		s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1)
	case commas > 0 && dots <= 1:
		s = strings.ReplaceAll(s, ",", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return f, nil
}

// ParseYear reads a police year: "2024", "Năm 2024", "2.024".
func ParseYear(s string) (uint16, error) {
	f := placename.Fold(s)
	f = strings.TrimPrefix(f, "nam ")
	f = strings.ReplaceAll(f, " ", "")
	if len(f) == 4 {
		if y, err := strconv.Atoi(f); err == nil && y >= 1900 && y <= 2100 {
			return uint16(y), nil
		}
	}
	if y, err := ParseCount(s); err == nil && y >= 1900 && y <= 2100 {
		return uint16(y), nil
	}
	return 0, fmt.Errorf("not a year: %q", s)
}

// enum maps folded spellings to a canonical value.
type enum map[string]string

func newEnum(canon map[string][]string) enum {
	e := make(enum)
	for c, spellings := range canon {
		for _, s := range append([]string{c}, spellings...) {
			if prev, ok := e[placename.Fold(s)]; ok && prev != c {
				panic(fmt.Sprintf("ingest: %q means both %q and %q", s, prev, c))
			}
			e[placename.Fold(s)] = c
		}
	}
	return e
}

var (
	boolWords = newEnum(map[string][]string{
		"true":  {"có", "x", "yes", "y", "1", "đúng", "v", "đạt", "là", "+", "đã", "true"},
		"false": {"không", "no", "n", "0", "sai", "chưa"},
	})
	gradeWords = newEnum(map[string][]string{
		analytics.GradeGood:    {"tốt", "loại tốt", "xếp loại tốt", "good", "t"},
		analytics.GradeFair:    {"khá", "loại khá", "xếp loại khá", "fair", "k"},
		analytics.GradeAverage: {"trung bình", "TB", "loại trung bình", "xếp loại trung bình", "average", "medium"},
		analytics.GradeWeak:    {"yếu", "kém", "yếu kém", "loại yếu", "xếp loại yếu", "weak", "poor", "y"},
	})
	outcomeWords = newEnum(map[string][]string{
		analytics.OutcomeMediated:      {"hòa giải thành", "hoà giải thành", "hòa giải thành công", "HGT", "thành", "đã hòa giải thành", "hòa giải xong", "mediated", "mediation succeeded", "reconciled"},
		analytics.OutcomeNotMediated:   {"hòa giải không thành", "hoà giải không thành", "hòa giải không thành công", "HGKT", "không thành", "hòa giải chưa thành", "not mediated", "mediation failed"},
		analytics.OutcomeResolvedLocal: {"giải quyết tại cơ sở", "đã giải quyết", "giải quyết xong", "đã giải quyết xong", "giải quyết", "đã xử lý", "xử lý xong", "đã xử lý xong", "xử lý tại cơ sở", "giải quyết tại chỗ", "resolved", "resolved locally", "settled"},
		analytics.OutcomeTransferred:   {"chuyển cơ quan chức năng", "chuyển cơ quan có thẩm quyền", "chuyển công an", "chuyển", "đã chuyển", "chuyển CQCN", "đã chuyển cơ quan chức năng", "chuyển cơ quan công an", "chuyển công an huyện", "chuyển công an tỉnh", "chuyển tòa án", "transferred", "referred"},
		analytics.OutcomePending:       {"đang giải quyết", "chưa giải quyết", "đang xử lý", "đang xác minh", "chưa xong", "đang hòa giải", "đang thụ lý", "chưa giải quyết xong", "pending", "open", "in progress"},
	})
	sectorWords = newEnum(map[string][]string{
		analytics.SectorResidential: {"khu dân cư", "KDC", "thôn, tổ dân phố", "thôn/tổ dân phố", "địa bàn dân cư", "residential", "residential area"},
		analytics.SectorCommune:     {"xã/phường", "xã, phường", "xã phường", "cấp xã", "xã", "phường", "commune", "ward"},
		analytics.SectorAgency:      {"cơ quan/doanh nghiệp", "cơ quan, doanh nghiệp", "cơ quan", "doanh nghiệp", "cơ quan, doanh nghiệp, nhà trường", "agency", "enterprise", "agency/enterprise", "agencies and enterprises"},
		analytics.SectorEducation:   {"cơ sở giáo dục", "nhà trường", "trường học", "giáo dục", "education", "school"},
		analytics.SectorReligion:    {"tôn giáo/dân tộc", "tôn giáo, dân tộc", "tôn giáo", "dân tộc", "vùng đồng bào dân tộc", "religion", "ethnic", "religious/ethnic"},
	})
	// categoryWords canonicalises the common incident categories; others are
	// kept as written, as the list is open.
	categoryWords = newEnum(map[string][]string{
		"mâu thuẫn/tranh chấp": {"mâu thuẫn", "tranh chấp", "mâu thuẫn, tranh chấp", "mâu thuẫn tranh chấp", "tranh chấp dân sự", "dispute", "conflict"},
		"tội phạm tố giác":     {"tố giác tội phạm", "tội phạm", "tin tố giác tội phạm", "crime", "crime report"},
		"tệ nạn xã hội":        {"tệ nạn", "TNXH", "social evils", "vice"},
		"trật tự công cộng":    {"trật tự", "TTCC", "gây rối trật tự công cộng", "public order"},
		"giao thông":           {"trật tự an toàn giao thông", "an toàn giao thông", "TTATGT", "tai nạn giao thông", "traffic"},
		"cháy nổ":              {"cháy", "PCCC", "phòng cháy chữa cháy", "fire"},
	})
)

func lookup(e enum, s string) (string, bool) {
	v, ok := e[placename.Fold(s)]
	return v, ok
}

// ParseBool reads yes/no as written in the sheets: có/không, x, yes/no,
// 1/0, true/false. Empty is false.
func ParseBool(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "", "-", "–":
		return false, nil
	case "✓", "✔", "☑":
		return true, nil
	}
	v, ok := lookup(boolWords, s)
	if !ok {
		return false, fmt.Errorf("not yes or no: %q (có/không, x, 1/0)", s)
	}
	return v == "true", nil
}

// ParseGrade reads a grade: Tốt, Khá, Trung bình (TB), Yếu, with or without
// diacritics, in any case, or in English.
func ParseGrade(s string) (string, error) {
	if v, ok := lookup(gradeWords, s); ok {
		return v, nil
	}
	if f := placename.Fold(s); strings.HasPrefix(f, "chua") {
		return "", fmt.Errorf("site not graded: %q", s)
	}
	return "", fmt.Errorf("unknown grade %q (Tốt, Khá, Trung bình, Yếu)", s)
}

// ParseOutcome reads an incident outcome into one of analytics.Outcomes.
func ParseOutcome(s string) (string, error) {
	if v, ok := lookup(outcomeWords, s); ok {
		return v, nil
	}
	return "", fmt.Errorf("unknown outcome %q (%s)", s, strings.Join(analytics.Outcomes, ", "))
}

// ParseSector reads a sector into one of analytics.Sectors.
func ParseSector(s string) (string, error) {
	if v, ok := lookup(sectorWords, s); ok {
		return v, nil
	}
	return "", fmt.Errorf("unknown sector %q (%s)", s, strings.Join(analytics.Sectors, ", "))
}

// ParseCategory returns the canonical name of a common incident category,
// or the category cleaned but as written.
func ParseCategory(s string) string {
	if v, ok := lookup(categoryWords, s); ok {
		return v
	}
	return Clean(s)
}

// Digits reads a number from the ASCII digits a pattern matched (s holds
// nothing else).
func Digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
