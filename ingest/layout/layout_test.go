package layout

import (
	"fmt"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/schema"
)

func TestClassify(t *testing.T) {
	header := []string{"STT", "Tên điểm", "Loại mô hình", "Xã", "Huyện", "Ngày thành lập", "Số thành viên", "Ghi chú"}
	m, err := schema.NewMapping(analytics.KindSites, header)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		row     []string
		skip    string
		section string
	}{
		{"record", []string{"1", "Tổ tự quản thôn A", "Camera an ninh", "Xã Hùng Lợi", "", "5/3/2023", "12", ""}, "", ""},
		{"record with a name only", []string{"2", "Tổ tự quản thôn B", "", "", "", "", "", ""}, "", ""},
		{"record named upper case", []string{"3", "TỔ TỰ QUẢN THÔN C", "", "", "", "", "", ""}, "", ""},
		{"record with only its commune", []string{"4", "", "", "Xã Hùng Lợi", "", "5/3/2023", "", ""}, "", ""},
		{"record named Cộng đồng", []string{"5", "Cộng đồng dân cư an toàn", "", "", "", "", "30", ""}, "", ""},
		{"column numbers", []string{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"}, SkipColumnNumbers, ""},
		{"column numbers as digits", []string{"1", "2", "3", "4", "5", "6", "7", "8"}, SkipColumnNumbers, ""},
		{"column letters", []string{"A", "B", "C", "D", "E", "F", "G", "H"}, SkipColumnNumbers, ""},
		{"header again", header, SkipHeaderAgain, ""},
		{"roman section merged", []string{"I. HUYỆN YÊN SƠN", "I. HUYỆN YÊN SƠN", "I. HUYỆN YÊN SƠN", "I. HUYỆN YÊN SƠN", "", "", "", ""}, SkipSection, "HUYỆN YÊN SƠN"},
		{"letter in STT", []string{"C", "Huyện Na Hang", "", "", "", "", "", ""}, SkipSection, "Huyện Na Hang"},
		{"numbered commune in STT", []string{"1. Xã Hợp Thành", "", "", "", "", "", "", ""}, SkipSection, "Xã Hợp Thành"},
		{"group section", []string{"II", "Khối cơ quan, doanh nghiệp", "", "", "", "", "", ""}, SkipSection, "Khối cơ quan, doanh nghiệp"},
		{"section with subtotals", []string{"I", "HUYỆN HÀM YÊN", "", "", "", "", "120", ""}, SkipSection, "HUYỆN HÀM YÊN"},
		{"subtotal", []string{"Cộng", "Cộng", "", "", "", "", "1.250", ""}, SkipTotal, ""},
		{"district subtotal", []string{"Cộng huyện Yên Sơn", "", "", "", "", "", "45", ""}, SkipTotal, ""},
		{"grand total", []string{"TỔNG CỘNG", "", "", "", "", "", "12.345", ""}, SkipTotal, ""},
		{"total with count", []string{"Tổng số: 30 vụ việc", "", "", "", "", "", "", ""}, SkipTotal, ""},
		{"note", []string{"Ghi chú: số liệu do các xã báo cáo", "", "", "", "", "", "", ""}, SkipNote, ""},
		{"date line", []string{"", "", "", "", "Phú Thọ, ngày 20 tháng 12 năm 2024", "", "", ""}, SkipFooter, ""},
		{"signature titles", []string{"", "NGƯỜI LẬP BIỂU", "", "", "THỦ TRƯỞNG ĐƠN VỊ", "", "", ""}, SkipFooter, ""},
		{"rank and name", []string{"", "Đại úy Phạm Văn Hùng", "", "", "", "", "", ""}, SkipFooter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Classifier{m: m, lay: &Layout{Index: 0}}
			got := c.classify(tt.row)
			if got.Skip != tt.skip || got.Section != tt.section {
				t.Errorf("classify %q = %q %q, want %q %q", tt.row, got.Skip, got.Section, tt.skip, tt.section)
			}
		})
	}
	// In the signature block, names alone are part of it; a row with a
	// record's values is still a record.
	c := &Classifier{m: m, lay: &Layout{Index: 0}, footer: true}
	if got := c.classify([]string{"", "Nguyễn Văn An", "", "", "Trần Văn Bình", "", "", ""}); got.Skip != SkipFooter {
		t.Errorf("names under the signatures: %q", got.Skip)
	}
	if got := c.classify([]string{"7", "Tổ tự quản thôn D", "Camera an ninh", "Xã Hùng Lợi", "", "5/3/2023", "12", ""}); got.Skip != "" {
		t.Errorf("record after the signatures: %q", got.Skip)
	}
}

func TestTitleContext(t *testing.T) {
	got := TitleContext([]string{"CÔNG AN TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CÔNG AN HUYỆN ĐOAN HÙNG",
		"BÁO CÁO KẾT QUẢ NĂM 2024", "Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024"})
	if got.Province != "TỈNH PHÚ THỌ" || got.District != "HUYỆN ĐOAN HÙNG" || got.Issuer != "CÔNG AN HUYỆN ĐOAN HÙNG" ||
		got.From.Format("02/01/2006") != "15/12/2023" || got.To.Format("02/01/2006") != "14/12/2024" || got.Title != "BÁO CÁO KẾT QUẢ NĂM 2024" {
		t.Errorf("%+v", got)
	}
	got = TitleContext([]string{"UBND XÃ HÙNG LỢI", "Tính đến ngày 30 tháng 6 năm 2025"})
	if got.Commune != "XÃ HÙNG LỢI" || got.AsOf.Format("02/01/2006") != "30/06/2025" {
		t.Errorf("%+v", got)
	}
	got = TitleContext([]string{"CÔNG AN THÀNH PHỐ HÀ NỘI"})
	if got.Province != "THÀNH PHỐ HÀ NỘI" {
		t.Errorf("%+v", got)
	}
}

func TestFindLayout(t *testing.T) {
	tests := []struct {
		name   string
		head   [][]string
		header []string
		rows   []int
		title  []string
	}{
		{"title pair right above the header",
			[][]string{{"CÔNG AN TỈNH PHÚ THỌ", "CÔNG AN TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"},
				{"STT", "Tên điểm", "Xã", "Ngày thành lập"}, {"1", "Tổ tự quản", "Xã Hùng Lợi", "5/3/2023"}},
			[]string{"STT", "Tên điểm", "Xã", "Ngày thành lập"}, []int{2}, []string{"CÔNG AN TỈNH PHÚ THỌ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}},
		{"group written once over its sub-columns (CSV)",
			[][]string{{"BÁO CÁO", "", "", "", ""}, {"STT", "Tên điểm", "Địa bàn", "", "Ngày thành lập"}, {"", "", "Xã", "Huyện", ""},
				{"(1)", "(2)", "(3)", "(4)", "(5)"}},
			[]string{"STT", "Tên điểm", "Địa bàn - Xã", "Địa bàn - Huyện", "Ngày thành lập"}, []int{2, 3}, []string{"BÁO CÁO"}},
		{"section row under the header is not part of it",
			[][]string{{"STT", "Tên điểm", "Xã", "Huyện"}, {"I. HUYỆN YÊN SƠN", "", "", ""}, {"1", "Tổ tự quản", "Xã Trung Môn", ""}},
			[]string{"STT", "Tên điểm", "Xã", "Huyện"}, []int{1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nums := make([]int, len(tt.head))
			for i := range nums {
				nums[i] = i + 1
			}
			h, _, lay := Find(tt.head, nums, "")
			if fmt.Sprint(h) != fmt.Sprint(tt.header) || fmt.Sprint(lay.HeaderRows) != fmt.Sprint(tt.rows) || fmt.Sprint(lay.Title) != fmt.Sprint(tt.title) {
				t.Errorf("header %q rows %v title %q; want %q %v %q", h, lay.HeaderRows, lay.Title, tt.header, tt.rows, tt.title)
			}
		})
	}
}
