package record

import (
	"regexp"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/schema"
)

// Reasons are made in English (the words of the code and the tests) and
// shown in Vietnamese unless English is asked for: each reason is one of a
// closed set of forms, so a table of patterns words them all. A reason of
// no known form is shown as it is. Every rejected row is carried as
// Problems, whoever found what is wrong with it (a reader, the header
// mapping, the builder, the resolver, the ingest's dedupe), so the forms of
// all of them are here.

type reasonForm struct {
	re *regexp.Regexp
	vi string // replacement template ($1, $2 …)
}

func form(re, vi string) reasonForm { return reasonForm{regexp.MustCompile("^" + re + "$"), vi} }

// Problem is one reason a row is rejected: the field (empty for the row as
// a whole) and what is wrong with it.
type Problem struct {
	Field  string
	Reason string
}

// reasonForms, most specific first.
var reasonForms = []reasonForm{
	form(`missing outcome \(Kết quả\) of a closed incident`, `thiếu "Kết quả" của vụ việc đã kết thúc`),
	form(`missing [^(]*\((.+) or (.+)\)`, `thiếu "$1" hoặc "$2"`),
	form(`missing [^(]*\((.+)\)`, `thiếu "$1"`),
	form(`date (\S+) outside (\S+)–today`, `ngày $1 nằm ngoài khoảng $2 – hôm nay`),
	form(`not a date: (".*") \(dd/mm/yyyy\)`, `không đọc được ngày $1 (cần ngày/tháng/năm, ví dụ 05/03/2023)`),
	form(`not a date: (".*")`, `không đọc được ngày $1 (cần ngày/tháng/năm, ví dụ 05/03/2023)`),
	form(`not a day: (".*") \(dd/mm/yyyy\)`, `ngày không có thật $1 (cần ngày/tháng/năm)`),
	form(`not a month: (".*") \(mm/yyyy\)`, `tháng không có thật $1 (cần tháng/năm, ví dụ 3/2023)`),
	form(`not a date and time: (".*")`, `không đọc được ngày giờ $1`),
	form(`not yes or no: (".*") \(có/không, x, 1/0\)`, `không đọc được có/không $1 (cần có/không, x, 1/0)`),
	form(`not a whole number: (".*")`, `không phải số nguyên $1 (cần số nguyên, ví dụ 1.250)`),
	form(`not a number: (".*")`, `không phải số $1 (cần số thập phân, ví dụ 105,2134)`),
	form(`not a year: (".*")`, `không phải năm $1 (cần năm, ví dụ 2024)`),
	form(`unknown grade (".*") \((.*)\)`, `xếp loại không rõ $1 (cần một trong: $2)`),
	form(`site not graded: (".*")`, `điểm chưa được xếp loại: $1`),
	form(`unknown outcome (".*") \((.*)\)`, `kết quả không rõ $1 (cần một trong: $2)`),
	form(`unknown sector (".*") \((.*)\)`, `lĩnh vực không rõ $1 (cần một trong: $2)`),
	form(`two outcomes marked: (.+) and (.+)`, `đánh dấu hai kết quả: $1 và $2 (chỉ được một)`),
	form(`year (\d+) outside (\d+)–today`, `năm $1 nằm ngoài khoảng $2 – nay`),
	form(`(closed|retired) (\S+) before (received|founded|opened) (\S+)`, `ngày $1 $2 trước ngày $3 $4`),
	form(`latitude without longitude`, `có vĩ độ nhưng thiếu kinh độ`),
	form(`longitude without latitude`, `có kinh độ nhưng thiếu vĩ độ`),
	form(`longitude (.+) and latitude (.+) look swapped`, `kinh độ $1 và vĩ độ $2 có vẻ bị đảo chỗ`),
	form(`point \((.+)\) outside Vietnam`, `điểm ($1) nằm ngoài Việt Nam`),
	form(`point \((.+)\) outside province (\S+) of (.+)`, `điểm ($1) nằm ngoài tỉnh $2 của $3`),
	form(`point \((.+)\) outside city (\S+) of (.+)`, `điểm ($1) nằm ngoài thành phố $2 của $3`),
	form(`duplicate key (\S+) with different content \(first at row (\d+)\)`, `trùng mã $1 nhưng khác nội dung (lần đầu ở dòng $2)`),
	form(`row has (\d+) fields, the header (\d+)`, `dòng có $1 ô, dòng tiêu đề có $2`),
	form(`value (".*") in column (\S+), which has no header`, `giá trị $1 ở cột $2, cột không có tiêu đề`),
	form(`(\w+) file has no column (.+)`, `bảng $1 không có cột $2`),
	form(`province (\S+) not granted to this account \(granted: (.*)\)`, `bản ghi thuộc tỉnh $1, tài khoản không được cấp quyền nhập liệu tỉnh này (được cấp: $2)`),
}

// phrases of resolver reasons and other free text, worded in place.
var reasonPhrases = strings.NewReplacer(
	"unknown commune code", "không có mã xã",
	"unknown commune", "không tìm thấy xã",
	"ambiguous commune", "tên xã trùng nhau, không xác định được",
	"commune not in district", "xã không thuộc huyện",
	"unknown province", "không rõ tỉnh",
	"unknown code", "không có mã",
	"no commune given", "thiếu xã",
	"ambiguous code (a 2025 code and a pre-2025 code)", "mã vừa là mã 2025 vừa là mã cũ",
	"; nearest: ", "; gần nhất: ",
	"; closest: ", "; gần nhất: ",
	" unknown too)", " cũng không có)",
	"(code ", "(mã ",
	" or ", " hoặc ",
	"closed", "kết thúc", "received", "tiếp nhận", "retired", "thanh loại", "founded", "thành lập", "opened", "thành lập",
	"models", "mô hình", "sites", "điểm mô hình", "grades", "xếp loại", "incidents", "vụ việc",
)

// ReasonIn words a problem's reason in lang: as it is in English, in
// Vietnamese otherwise.
func ReasonIn(reason string, lang analytics.Lang) string {
	if lang == analytics.LangEN {
		return reason
	}
	for _, f := range reasonForms {
		if f.re.MatchString(reason) {
			out := f.re.ReplaceAllString(reason, f.vi)
			if strings.HasPrefix(f.vi, "ngày $1") || strings.HasPrefix(f.vi, "bảng $1") {
				// The words the template took from the reason.
				out = reasonPhrases.Replace(out)
			}
			return out
		}
	}
	return reasonPhrases.Replace(reason)
}

// keyLabel names the field of a duplicate key's problem, which is no
// column's.
const keyLabel = "Mã bản ghi"

// FieldIn names a problem's field in a file of kind in lang: as it is in
// English ("received"), by its Vietnamese label otherwise ("Ngày tiếp
// nhận"; schema.FieldLabel).
func FieldIn(f string, kind analytics.Kind, lang analytics.Lang) string {
	if lang == analytics.LangEN || f == "" {
		return f
	}
	if f == "key" {
		return keyLabel
	}
	if l, ok := schema.FieldLabel(kind, f); ok {
		return l
	}
	return f
}
