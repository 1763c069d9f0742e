package value

import (
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
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

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Xã/Phường": "xa phuong", "Tọa độ": "toa do", "Toạ độ": "toa do", "ĐIỂN HÌNH TIÊN TIẾN": "dien hinh tien tien",
		"Ngày\nthành lập": "ngay thanh lap", "To\u0323a \u0111o\u0323": "toa do", // combining marks
	} {
		if got := placename.Fold(in); got != want {
			t.Errorf("placename.Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Clean("  Xã   Hùng\u00a0Lợi "); got != "Xã Hùng Lợi" {
		t.Errorf("clean: %q", got)
	}
	if got := Clean("Lơ\u0323i"); got != "Lợi" {
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
