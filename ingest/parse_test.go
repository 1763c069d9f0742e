package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
)

func TestParseDate(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, in string
		want     time.Time
		err      string
	}{
		{"dd/mm/yyyy", "15/03/2024", day(2024, 3, 15), ""},
		{"d/m/yy", "5/3/24", day(2024, 3, 5), ""},
		{"iso", "2024-03-15", day(2024, 3, 15), ""},
		{"dashes", "15-03-2024", day(2024, 3, 15), ""},
		{"dots", "15.03.2024", day(2024, 3, 15), ""},
		{"with time", "15/03/2024 08:30", day(2024, 3, 15).Add(8*time.Hour + 30*time.Minute), ""},
		{"iso time", "2024-03-15T08:30:05Z", day(2024, 3, 15).Add(8*time.Hour + 30*time.Minute + 5*time.Second), ""},
		{"afternoon", "15/03/2024 2:00 CH", day(2024, 3, 15).Add(14 * time.Hour), ""},
		{"excel serial", "45366", day(2024, 3, 15), ""},
		{"excel serial with time", "45366.5", day(2024, 3, 15).Add(12 * time.Hour), ""},
		{"compact", "20240315", day(2024, 3, 15), ""},
		{"empty", " ", time.Time{}, ""},
		{"month 13", "01/13/2024", time.Time{}, "not a day"},
		{"29 feb 2023", "29/02/2023", time.Time{}, "not a day"},
		{"words", "tháng 3", time.Time{}, "not a date"},
		{"two parts", "03/2024", time.Time{}, "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseDate(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseNumbers(t *testing.T) {
	counts := []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"2.025", 2025, true}, {"1.250.000", 1250000, true}, {"2,025", 2025, true}, {"12", 12, true},
		{"12.0", 12, true}, {"12,00", 12, true}, {"", 0, true}, {"1 250", 1250, true},
		{"2,5", 0, false}, {"75,6", 0, false}, {"-3", 0, false}, {"1.25", 0, false}, {"abc", 0, false},
	}
	for _, tt := range counts {
		got, err := ParseCount(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	decimals := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"75,6", 75.6, true}, {"105.2134", 105.2134, true}, {"105,2134", 105.2134, true},
		{"1.234,5", 1234.5, true}, {"1,234.5", 1234.5, true}, {"21.8237°", 21.8237, true}, {"x", 0, false},
	}
	for _, tt := range decimals {
		got, err := ParseDecimal(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDecimal(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]uint16{"2024": 2024, "Năm 2024": 2024, "2.024": 2024, "nam 2023": 2023} {
		if got, err := ParseYear(in); err != nil || got != want {
			t.Errorf("ParseYear(%q) = %d, %v", in, got, err)
		}
	}
}

func TestParseEnums(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (string, error)
		in    []string
		want  string
	}{
		{"grade good", ParseGrade, []string{"Tốt", "tot", "TỐT", " Loại tốt ", "good"}, analytics.GradeGood},
		{"grade fair", ParseGrade, []string{"Khá", "kha", "KHA"}, analytics.GradeFair},
		{"grade average", ParseGrade, []string{"Trung bình", "trung binh", "TB", "tb"}, analytics.GradeAverage},
		{"grade weak", ParseGrade, []string{"Yếu", "yeu", "Kém"}, analytics.GradeWeak},
		{"mediated", ParseOutcome, []string{"Hòa giải thành", "Hoà giải thành", "hoa giai thanh", "HGT", "mediated"}, analytics.OutcomeMediated},
		{"not mediated", ParseOutcome, []string{"Hòa giải không thành", "hoa giai khong thanh", "HGKT"}, analytics.OutcomeNotMediated},
		{"resolved locally", ParseOutcome, []string{"Giải quyết tại cơ sở", "đã giải quyết", "resolved locally"}, analytics.OutcomeResolvedLocal},
		{"transferred", ParseOutcome, []string{"Chuyển cơ quan chức năng", "chuyển công an", "chuyen CQCN", "referred"}, analytics.OutcomeTransferred},
		{"pending", ParseOutcome, []string{"Đang giải quyết", "chưa giải quyết", "pending"}, analytics.OutcomePending},
		{"residential", ParseSector, []string{"Khu dân cư", "KDC", "khu dan cu", "residential"}, analytics.SectorResidential},
		{"agency", ParseSector, []string{"Cơ quan, doanh nghiệp", "doanh nghiệp", "agency"}, analytics.SectorAgency},
		{"education", ParseSector, []string{"Nhà trường", "co so giao duc", "school"}, analytics.SectorEducation},
		{"religion", ParseSector, []string{"Tôn giáo, dân tộc", "ton giao"}, analytics.SectorReligion},
		{"yes", func(s string) (string, error) {
			b, err := ParseBool(s)
			return map[bool]string{true: "y", false: "n"}[b], err
		}, []string{"có", "Co", "x", "X", "yes", "1", "true", "✓"}, "y"},
		{"no", func(s string) (string, error) {
			b, err := ParseBool(s)
			return map[bool]string{true: "y", false: "n"}[b], err
		}, []string{"không", "khong", "no", "0", "", "-"}, "n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range tt.in {
				if got, err := tt.parse(in); err != nil || got != tt.want {
					t.Errorf("%q -> %q, %v; want %q", in, got, err, tt.want)
				}
			}
		})
	}
	for _, bad := range []string{"Xuất sắc", "A"} {
		if _, err := ParseGrade(bad); err == nil || !strings.Contains(err.Error(), "unknown grade") {
			t.Errorf("ParseGrade(%q): %v", bad, err)
		}
	}
	if _, err := ParseBool("có lẽ"); err == nil {
		t.Error("ParseBool accepted \"có lẽ\"")
	}
	if got := ParseCategory("Tố giác tội phạm"); got != "tội phạm tố giác" {
		t.Errorf("category %q", got)
	}
	if got := ParseCategory("  Bạo lực   gia đình "); got != "Bạo lực gia đình" {
		t.Errorf("unknown category kept as %q", got)
	}
}

func TestDetectKind(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   analytics.Kind
		err    string
	}{
		{"models vietnamese", []string{"Mã", "Tên mô hình", "Loại mô hình", "Lĩnh vực", "Xã/Phường", "Ngày thành lập"}, analytics.KindModels, ""},
		{"models no diacritics upper", []string{"MA", "TEN MO HINH", "LOAI MO HINH", "XA/PHUONG"}, analytics.KindModels, ""},
		{"sites", []string{"Mã điểm", "Tên điểm", "Mã mô hình", "Tên mô hình", "Loại mô hình", "Xã", "Ngày thành lập", "Số tổ"}, analytics.KindSites, ""},
		{"sites english shuffled", []string{"members", "site name", "commune", "site id", "teams"}, analytics.KindSites, ""},
		{"grades", []string{"Mã điểm", "Tên điểm", "Xã", "Năm", "Xếp loại"}, analytics.KindGrades, ""},
		{"incidents", []string{"Mã vụ việc", "Mã điểm", "Loại vụ việc", "Ngày tiếp nhận", "Ngày giải quyết", "Kết quả", "Xã/Phường"}, analytics.KindIncidents, ""},
		{"incidents english", []string{"received", "closed", "outcome", "commune", "lat", "lon"}, analytics.KindIncidents, ""},
		{"ambiguous", []string{"Tên", "Loại", "Xã"}, "", "fits models and sites equally"},
		{"nothing known", []string{"STT", "Ghi chú"}, "", "no known column"},
		{"missing commune", []string{"Tên điểm", "Số tổ", "Số thành viên"}, "", `looks most like sites but sites file has no column "Xã/Phường" or "Mã xã"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectKind(tt.header)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %q, %v; want error %q", got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "num:value|value" per row, "num:ERR" for a ragged one
	}{
		{"comma", "a,b\n1,2\n", []string{"2:1|2"}},
		{"semicolon", "a;b\r\n1;2,5\r\n", []string{"2:1|2,5"}},
		{"tab", "a\tb\n1\t2\n", []string{"2:1|2"}},
		{"quoted delimiter and quote", "a,b\n\"x, \"\"y\"\"\",2\n", []string{`2:x, "y"|2`}},
		{"quoted line break", "a,b\n\"line 1\nline 2\",2\n3,4\n", []string{"2:line 1\nline 2|2", "3:3|4"}},
		{"blank rows skipped", "a,b\n\n,\n1,2\n", []string{"4:1|2"}},
		{"ragged row is an error for the row", "a,b\n1,2,3\n4,5\n6\n", []string{"2:ERR", "3:4|5", "4:ERR"}},
		{"trailing empty fields", "a,b\n1,2,,\n", []string{"2:1|2"}},
		{"no final newline", "a,b\n1,2", []string{"2:1|2"}},
		{"bom", bom + "a,b\n1,2\n", []string{"2:1|2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ReadCSV(context.Background(), strings.NewReader(tt.in), "t.csv", EncodingAuto, func(r *Row) error {
				if r.Header[0] != "a" {
					t.Errorf("header %q", r.Header)
				}
				if r.Err != nil {
					got = append(got, itoa(r.Num)+":ERR")
				} else {
					got = append(got, itoa(r.Num)+":"+strings.Join(r.Values, "|"))
				}
				return nil
			})
			if err != nil || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDetectEncoding(t *testing.T) {
	if e := DetectEncoding([]byte("Xã Hùng Lợi")); e != EncodingUTF8 {
		t.Errorf("utf-8: %s", e)
	}
	if e := DetectEncoding(enc1258("Xã Hùng Lợi")); e != EncodingWindows1258 {
		t.Errorf("1258: %s", e)
	}
	// A sample cut inside a character is still UTF-8.
	if e := DetectEncoding([]byte("Xã Hùng L\xe1\xbb")); e != EncodingUTF8 {
		t.Errorf("cut: %s", e)
	}
}

func TestXLSXMergedHeader(t *testing.T) {
	var rows []Row
	err := ReadXLSX(context.Background(), fixture(t, "sites_merged.xlsx"), ReadOptions{}, func(r *Row) error {
		c := *r
		c.Values = append([]string(nil), r.Values...)
		rows = append(rows, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Mã điểm|Tên điểm|Mã mô hình|Loại mô hình|Xã/Phường|Ngày thành lập|Số tổ|Số thành viên|Tọa độ - Kinh độ|Tọa độ - Vĩ độ|Ghi chú"
	if got := strings.Join(rows[0].Header, "|"); got != want {
		t.Errorf("header %s\nwant   %s", got, want)
	}
	if len(rows) != 4 || rows[0].Num != 5 || rows[3].Num != 8 || rows[0].Sheet != "Danh sách" {
		t.Fatalf("rows %d, first %d", len(rows), rows[0].Num)
	}
	if rows[1].Values[4] != "Xã Trung Minh" {
		t.Errorf("merged commune not lent to row 6: %q", rows[1].Values[4])
	}
	if rows[0].Values[5] != "45078" || rows[1].Values[5] != "02/09/2023" {
		t.Errorf("dates read as %q and %q, want the raw serial and the text", rows[0].Values[5], rows[1].Values[5])
	}
	// One named sheet; a sheet without a header is an error.
	err = ReadXLSX(context.Background(), fixture(t, "sites_merged.xlsx"), ReadOptions{Sheet: "tổng hợp"}, func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "no header row") {
		t.Errorf("summary sheet: %v", err)
	}
	err = ReadXLSX(context.Background(), fixture(t, "sites_merged.xlsx"), ReadOptions{Sheet: "Nope"}, func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "sheets: Danh sách, Tổng hợp") {
		t.Errorf("unknown sheet: %v", err)
	}
}

// A newcomer fills the template: the example row loads as it is.
func TestTemplates(t *testing.T) {
	for _, name := range []string{"models.xlsx", "sites.xlsx", "diem-mo-hinh.csv", "grades.xlsx", "xep_loai.csv", "incidents.xlsx", "vu viec 2025.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := WriteTemplate(path); err != nil {
				t.Fatal(err)
			}
			kind, _ := KindOfName(name)
			got := parseFile(t, path, "")
			if got.Err != "" || got.Counts.Read != 1 || got.Counts.Rejected != 0 || got.Batch.Len() != 1 {
				t.Fatalf("template of %s: %+v %s %s", kind, got.Counts, got.Err, got.Rejects)
			}
			if strings.HasSuffix(name, ".xlsx") {
				x, err := excelize.OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				guide, err := x.GetRows(GuideSheet)
				if err != nil {
					t.Fatal(err)
				}
				if len(guide) < len(columns[kind])+1 || guide[0][0] != "Cột" {
					t.Errorf("guide has %d rows for %d columns", len(guide), len(columns[kind]))
				}
			}
		})
	}
	if err := WriteTemplate(filepath.Join(t.TempDir(), "data.xlsx")); err == nil {
		t.Error("a template name without a kind was accepted")
	}
}

func TestRejectsRemovedOnCleanRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.csv")
	os.WriteFile(path, csvBytes(sitesRowsPlain[:3], ',', false), 0o644)
	os.WriteFile(RejectsPath(path), []byte("old"), 0o644)
	got := parseFile(t, path, "")
	if got.Counts.Rejected != 0 || got.Rejects != "" {
		t.Fatalf("%+v", got)
	}
	if _, err := os.Stat(RejectsPath(path)); !os.IsNotExist(err) {
		t.Errorf("old rejects file left: %v", err)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		s    Summary
		err  error
		want int
	}{
		{"all loaded", Summary{Counts: Counts{Read: 3, Loaded: 2, Duplicates: 1}}, nil, ExitOK},
		{"some rejected", Summary{Counts: Counts{Read: 3, Loaded: 2, Rejected: 1}}, nil, ExitRejected},
		{"failure", Summary{}, context.Canceled, ExitFailure},
		{"unreadable file", Summary{Files: []FileSummary{{Err: analytics.Errorf(analytics.CodeInvalid, "bad")}}}, nil, ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.s, tt.err); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Xã/Phường": "xa phuong", "Tọa độ": "toa do", "Toạ độ": "toa do", "ĐIỂN HÌNH TIÊN TIẾN": "dien hinh tien tien",
		"Ngày\nthành lập": "ngay thanh lap", "To\u0323a \u0111o\u0323": "toa do", // combining marks
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clean("  Xã   Hùng\u00a0Lợi "); got != "Xã Hùng Lợi" {
		t.Errorf("clean: %q", got)
	}
	if got := clean("Lơ\u0323i"); got != "Lợi" {
		t.Errorf("clean NFC: %q", got)
	}
}

func TestParseDateTyped(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name, in string
		want     time.Time
		prec     Precision
		err      string
	}{
		{"slashes", "5/3/2023", day(2023, 3, 5), Day, ""},
		{"dashes", "05-03-2023", day(2023, 3, 5), Day, ""},
		{"dots", "05.03.2023", day(2023, 3, 5), Day, ""},
		{"serial", "44990", day(2023, 3, 5), Day, ""},
		{"words", "ngày 5 tháng 3 năm 2023", day(2023, 3, 5), Day, ""},
		{"words without ngày", "05 tháng 03 năm 2023", day(2023, 3, 5), Day, ""},
		{"words without diacritics", "ngay 5 thang 3 nam 2023", day(2023, 3, 5), Day, ""},
		{"ngày and slashes", "ngày 05/3/2023", day(2023, 3, 5), Day, ""},
		{"month only", "3/2023", day(2023, 3, 1), Month, ""},
		{"tháng month", "tháng 3/2023", day(2023, 3, 1), Month, ""},
		{"T month", "T3-2023", day(2023, 3, 1), Month, ""},
		{"month in words", "tháng 12 năm 2022", day(2022, 12, 1), Month, ""},
		{"month 13", "13/2023", time.Time{}, Day, "not a month"},
		{"no day 30 feb", "ngày 30 tháng 2 năm 2023", time.Time{}, Day, "not a day"},
		{"nonsense", "đầu năm", time.Time{}, Day, "not a date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, prec, err := ParseDateTyped(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseDateTyped(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) || prec != tt.prec {
				t.Fatalf("ParseDateTyped(%q) = %v %v, %v; want %v %v", tt.in, got, prec, err, tt.want, tt.prec)
			}
		})
	}
}

func TestParseReportWords(t *testing.T) {
	for in, want := range map[string]string{
		"Đã giải quyết xong": analytics.OutcomeResolvedLocal, "Hòa giải thành": analytics.OutcomeMediated,
		"Chuyển cơ quan chức năng": analytics.OutcomeTransferred, "Đang xác minh": analytics.OutcomePending,
		"ĐÃ HÒA GIẢI THÀNH": analytics.OutcomeMediated, "đang thụ lý": analytics.OutcomePending,
	} {
		if got, err := ParseOutcome(in); err != nil || got != want {
			t.Errorf("ParseOutcome(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]string{"Khá": analytics.GradeFair, "Trung bình": analytics.GradeAverage, "Yếu": analytics.GradeWeak, "TỐT": analytics.GradeGood} {
		if got, err := ParseGrade(in); err != nil || got != want {
			t.Errorf("ParseGrade(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"x", "X", "có", "✓", "1", "+"} {
		if v, err := ParseBool(in); err != nil || !v {
			t.Errorf("ParseBool(%q) = %v, %v", in, v, err)
		}
	}
}
