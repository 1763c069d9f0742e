package ingesttest

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// bom is the UTF-8 byte order mark Excel's "CSV UTF-8" starts with.
const bom = "\xEF\xBB\xBF"

// IncidentRows is a real-shaped incidents sheet: good rows, one of each
// reject reason, an in-file duplicate and a conflicting key.
var IncidentRows = [][]string{
	{"Mã vụ việc", "Mã điểm", "Lĩnh vực vụ việc", "Ngày tiếp nhận", "Ngày kết thúc", "Kết quả", "Tin báo", "Tin có giá trị", "Xã/Phường", "Huyện", "Tỉnh", "Kinh độ", "Vĩ độ", "Ghi chú"},
	{"VV-001", "D-01", "Mâu thuẫn, tranh chấp", "03/02/2024", "10/02/2024", "Hòa giải thành", "", "", "Xã Trung Minh", "Huyện Yên Sơn", "Tuyên Quang", "", "", `Hai hộ tranh chấp ranh giới; đã "hòa giải"`},
	{"VV-002", "D-01", "mâu thuẫn", "5/3/24", "20/3/24", "hoà giải không thành", "", "", "Xã Hùng Lợi", "", "Tuyên Quang", "105,2134", "21,8237", ""},
	{"VV-003", "D-02", "Tệ nạn xã hội", "2024-04-01 08:30", "2024-04-02", "giai quyet tai co so", "", "", "Phường Hà Giang 1", "", "", "", "", ""},
	{"VV-004", "", "", "12/05/2024", "", "", "x", "x", "Xã Yên Phú", "", "", "", "", "Tin báo về\nđối tượng lạ"},
	{"VV-005", "D-03", "Trật tự công cộng", "15/08/2025", "", "", "", "", "Xã Hàm Yên", "", "", "", "", ""},
	{"VV-006", "", "Giao thông", "01/02/2024", "", "", "", "", "Xã Hưng Lộc", "", "", "", "", ""},
	{"VV-007", "", "Cháy nổ", "01/01/2014", "", "", "", "", "Xã Hùng Lợi", "", "", "", "", ""},
	{"VV-008", "", "Mâu thuẫn", "10/06/2024", "01/06/2024", "Hòa giải thành", "", "", "Xã Hùng Lợi", "", "", "", "", ""},
	{"VV-009", "", "Mâu thuẫn", "10/06/2024", "11/06/2024", "xong rồi", "", "", "Xã Hùng Lợi", "", "", "", "", ""},
	{"VV-010", "", "Mâu thuẫn", "10/06/2024", "", "", "", "", "Xã Hùng Lợi", "", "", "21,82", "105,21", ""},
	{"VV-011", "", "Mâu thuẫn", "10/06/2024", "", "", "", "", "Xã Hùng Lợi", "", "", "105,40", "20,50", ""},
	{"VV-012", "", "Mâu thuẫn", "10/06/2024", "", "", "", "", "", "", "", "", "", ""},
	{"VV-013", "", "Mâu thuẫn", "31/02/2024", "", "", "", "", "Xã Hùng Lợi", "", "", "", "", ""},
	{"vv-001", "D-01", "Mâu thuẫn/tranh chấp", "3/2/2024", "10/2/2024", "hoa giai thanh", "", "", "xã trung minh", "Yên Sơn", "Tuyên Quang", "", "", "bản ghi lặp lại"},
	{"VV-002", "D-01", "mâu thuẫn", "5/3/24", "20/3/24", "Hòa giải thành", "", "", "Xã Hùng Lợi", "", "Tuyên Quang", "105,2134", "21,8237", ""},
	{"VV-014", "D-01", "Mâu thuẫn"},
}

// IncidentRowsEnglish are the first three records again, as an English
// export in Windows-1252 would have them.
var IncidentRowsEnglish = [][]string{
	{"Province", "id", "Site ID", "category", "received", "closed", "OUTCOME", "commune", "district", "longitude", "latitude", "note"},
	{"Tuyen Quang", "VV-001", "D-01", "dispute", "03/02/2024", "10/02/2024", "mediated", "Xa Trung Minh", "Huyen Yen Son", "", "", "café n°5"},
	{"Tuyen Quang", "VV-002", "D-01", "conflict", "5/3/24", "20/3/24", "mediation failed", "xa hung loi", "", "105.2134", "21.8237", ""},
	{"", "VV-003", "D-02", "social evils", "01/04/2024 08:30", "02/04/2024", "resolved locally", "Phuong Ha Giang 1", "", "", "", "Æ"},
}

// SitesRowsPlain is a sites export without diacritics, semicolon-separated.
var SitesRowsPlain = [][]string{
	{"Ma diem", "Ten diem", "Ma mo hinh", "Loai mo hinh", "Linh vuc", "Xa/Phuong", "Ngay thanh lap", "So to", "So thanh vien"},
	{"D-01", "Tổ tự quản thôn Làng Chẵng", "MH-001", "Hai quản, Hai tích cực", "KDC", "Xã Trung Minh", "01/06/2023", "3", "1.250"},
	{"D-02", "Điểm trường THCS Hà Giang", "MH-002", "Phòng chống tệ nạn xã hội và bạo lực học đường", "nha truong", "Phường Hà Giang 1", "02/09/2023", "1", "42"},
	{"D-03", "Tổ liên gia số 5", "", "Tổ liên gia tự quản", "khu dân cư", "Xã Hàm Yên", "15/07/2025", "2,5", "30"},
}

// SitesRowsEnglish are sites with English headers in another order,
// tab-separated.
var SitesRowsEnglish = [][]string{
	{"members", "site name", "commune code", "site id", "opened", "teams", "model id", "sector"},
	{"1,250", "Tổ tự quản thôn Làng Chẵng", "09238", "D-01", "2023-06-01", "3", "MH-001", "residential"},
	{"42", "Điểm trường THCS Hà Giang", "8003", "D-02", "2023-09-02", "1", "MH-002", "school"},
}

// ModelLines are models as JSON Lines: numbers and booleans as JSON
// values, an extra key, a blank line, a cut line and an unknown sector.
var ModelLines = `{"Mã": "MH-001", "Tên mô hình": "Hai quản, Hai tích cực xã Hùng Lợi", "Loại mô hình": "Hai quản, Hai tích cực", "Lĩnh vực": "KDC", "Cấp": "xã", "Xã/Phường": "Xã Trung Minh", "Huyện": "Huyện Yên Sơn", "Ngày thành lập": "15/03/2023", "Điển hình tiên tiến": true, "Tiêu biểu toàn quốc": 1, "Số QĐ": 12}
{"Mã": "MH-002", "Tên mô hình": "Phòng chống tệ nạn xã hội và bạo lực học đường", "Loại mô hình": "Phòng chống tệ nạn xã hội và bạo lực học đường", "Lĩnh vực": "cơ sở giáo dục", "Xã/Phường": "Phường Hà Giang 1", "Ngày công nhận": 45000, "Điển hình tiên tiến": "không", "Tiêu biểu toàn quốc": false}

{"Mã": 3, "Tên mô hình": "An toàn về ANTT và PCCC", "Loại mô hình": "An toàn về ANTT và PCCC", "Lĩnh vực": "tôn giáo", "Xã/Phường": "Xã Hàm Yên", "Ngày thành lập": "2024-01-05", "Ngày thanh loại": "2023-01-05"}
{"Mã": "MH-004", "Tên mô hình": "Thiếu loại"
{"Mã": "MH-005", "Tên mô hình": "Camera an ninh", "Loại mô hình": "Camera an ninh", "Lĩnh vực": "ngân hàng", "Xã/Phường": "Xã Yên Lâm", "Ngày thành lập": "01/02/2022"}
`

// GradeRows are the gradings of sites: every grade spelled another way,
// an unknown grade, a site not graded, a correction and a future year.
var GradeRows = [][]string{
	{"Mã điểm", "Tên điểm", "Xã", "Năm", "Xếp loại", "ĐHTT"},
	{"D-01", "Tổ tự quản thôn Làng Chẵng", "Xã Hùng Lợi", "2024", "Tốt", "x"},
	{"D-02", "Điểm trường THCS Hà Giang", "Phường Hà Giang 1", "2024", "kha", ""},
	{"D-03", "Tổ liên gia số 5", "Xã Hàm Yên", "Năm 2025", "TB", ""},
	{"", "Tổ tự quản thôn Nà Héc", "Xã Yên Phú", "2023", "Yeu", ""},
	{"D-04", "Tổ tự quản thôn Bản Khà", "Xã Yên Phú", "2024", "Xuất sắc", ""},
	{"D-05", "Tổ tự quản thôn Khuôn Phục", "Xã Yên Phú", "2024", "chưa xếp loại", ""},
	{"D-01", "Tổ tự quản thôn Làng Chẵng", "Xã Hùng Lợi", "2024", "Khá", ""},
	{"D-06", "Tổ tự quản thôn Nà Mô", "Xã Yên Phú", "2027", "Tốt", ""},
}

// CSVBytes writes rows as CSV with the separator comma, CRLF line ends
// when asked.
func CSVBytes(rows [][]string, comma rune, crlf bool) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = comma, crlf
	w.WriteAll(rows)
	return b.Bytes()
}

// Enc1258 encodes s as Windows-1258 does: letters it lacks precomposed are
// written as a base letter and a combining tone mark.
func Enc1258(s string) []byte {
	enc := charmap.Windows1258.NewEncoder()
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if b, err := enc.Bytes([]byte(string(r))); err == nil {
			out = append(out, b...)
			continue
		}
		// Compose the base with its vowel marks (ê, ơ, ư, â, ă), then write
		// the tone mark as a combining character.
		var base, tones []rune
		for _, x := range norm.NFD.String(string(r)) {
			switch x {
			case 0x300, 0x301, 0x303, 0x309, 0x323:
				tones = append(tones, x)
			default:
				base = append(base, x)
			}
		}
		for _, part := range []string{norm.NFC.String(string(base)), string(tones)} {
			b, err := enc.Bytes([]byte(part))
			if err != nil {
				panic("cannot encode " + string(r))
			}
			out = append(out, b...)
		}
	}
	return out
}

// Enc1252 encodes s in Windows-1252 (English exports).
func Enc1252(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// Fixtures are the writers of the files under ingest/testdata, by name
// (Fixture runs them).
var Fixtures = map[string]func(path string) error{
	"incidents_utf8.csv": func(p string) error { return os.WriteFile(p, CSVBytes(IncidentRows, ',', false), 0o644) },
	"incidents_bom_crlf.csv": func(p string) error {
		return os.WriteFile(p, append([]byte(bom), CSVBytes(IncidentRows, ',', true)...), 0o644)
	},
	"incidents_cp1258.csv": func(p string) error {
		return os.WriteFile(p, Enc1258(string(CSVBytes(IncidentRows, ';', true))), 0o644)
	},
	"incidents_cp1252_en.csv": func(p string) error {
		return os.WriteFile(p, Enc1252(string(CSVBytes(IncidentRowsEnglish, ',', true))), 0o644)
	},
	"sites_plain.csv": func(p string) error { return os.WriteFile(p, CSVBytes(SitesRowsPlain, ';', false), 0o644) },
	"sites_english.tsv": func(p string) error {
		return os.WriteFile(p, CSVBytes(SitesRowsEnglish, '\t', false), 0o644)
	},
	"models.jsonl":       func(p string) error { return os.WriteFile(p, []byte(ModelLines), 0o644) },
	"sites_merged.xlsx":  WriteSitesXLSX,
	"grades_titles.xlsx": WriteGradesXLSX,
}

// WriteSitesXLSX writes a sites workbook as the provinces make them: title
// rows, a header over two rows with a merged "Tọa độ" group, cells merged
// down, dates as date cells and as text, and a summary sheet.
func WriteSitesXLSX(path string) error {
	x := excelize.NewFile()
	defer x.Close()
	s := "Danh sách"
	x.SetSheetName("Sheet1", s)
	set := func(cell string, v any) { x.SetCellValue(s, cell, v) }
	set("A1", "DANH SÁCH ĐIỂM MÔ HÌNH ANTQ NĂM 2024")
	x.MergeCell(s, "A1", "K1")
	set("A2", "(Kèm theo Báo cáo số 15/BC-CAT ngày 20/11/2024)")
	x.MergeCell(s, "A2", "K2")
	heads := []string{"Mã điểm", "Tên điểm", "Mã mô hình", "Loại mô hình", "Xã/Phường", "Ngày\nthành lập", "Số tổ", "Số thành viên"}
	for i, h := range heads {
		c, _ := excelize.ColumnNumberToName(i + 1)
		set(c+"3", h)
		x.MergeCell(s, c+"3", c+"4")
	}
	set("I3", "Tọa độ")
	x.MergeCell(s, "I3", "J3")
	set("I4", "Kinh độ")
	set("J4", "Vĩ độ")
	set("K3", "Ghi chú")
	x.MergeCell(s, "K3", "K4")
	dateStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	rows := [][]any{
		{"D-01", "Tổ tự quản thôn Làng Chẵng", "MH-001", "Hai quản, Hai tích cực", "Xã Trung Minh", time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), 3, 1250, 105.2134, 21.8237, "Điển hình"},
		{"D-04", "Tổ tự quản thôn Nà Héc", "MH-001", "Hai quản, Hai tích cực", nil, "02/09/2023", 2, 40, nil, nil, nil},
		{"D-02", "Điểm trường THCS Hà Giang", "MH-002", "Phòng chống tệ nạn xã hội và bạo lực học đường", "Phường Hà Giang 1", 45171, 1, 42, nil, nil, nil},
		{"D-05", "Tổ tự quản xóm Mới", "MH-003", "Tự phòng, tự quản, tự bảo vệ", "Phường Việt Trì", "01/13/2024", 1, 12, nil, nil, nil},
	}
	for i, r := range rows {
		n := i + 5
		x.SetSheetRow(s, "A"+strconv.Itoa(n), &r)
		x.SetCellStyle(s, "F"+strconv.Itoa(n), "F"+strconv.Itoa(n), dateStyle)
	}
	x.MergeCell(s, "E5", "E6") // one commune for two sites
	x.NewSheet("Tổng hợp")
	x.SetCellValue("Tổng hợp", "A1", "Tổng số điểm: 4")
	return x.SaveAs(path)
}

// WriteGradesXLSX writes GradeRows as a workbook under a title row.
func WriteGradesXLSX(path string) error {
	x := excelize.NewFile()
	defer x.Close()
	s := "Xếp loại 2024"
	x.SetSheetName("Sheet1", s)
	x.SetCellValue(s, "A1", "KẾT QUẢ XẾP LOẠI ĐIỂM MÔ HÌNH")
	for i, r := range GradeRows {
		row := make([]any, len(r))
		for j, v := range r {
			row[j] = v
		}
		x.SetSheetRow(s, "A"+strconv.Itoa(i+3), &row)
	}
	return x.SaveAs(path)
}

// Fixture returns the path of the fixture name under dir (ingest/testdata
// as the test sees it), writing it first when write is set (-update).
func Fixture(tb testing.TB, dir, name string, write bool) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if write {
		if err := Fixtures[name](p); err != nil {
			tb.Fatalf("write fixture %s: %v", name, err)
		}
	}
	return p
}
