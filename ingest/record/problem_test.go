package record

import (
	"testing"

	"github.com/antq-atlas/antq/analytics"
)

func TestReasonIn(t *testing.T) {
	tests := []struct{ en, vi string }{
		{`missing model name (Tên mô hình)`, `thiếu "Tên mô hình"`},
		{`missing commune (Xã/Phường or Mã xã)`, `thiếu "Xã/Phường" hoặc "Mã xã"`},
		{`missing outcome (Kết quả) of a closed incident`, `thiếu "Kết quả" của vụ việc đã kết thúc`},
		{`date 01/01/2014 outside 01/01/2015–today`, `ngày 01/01/2014 nằm ngoài khoảng 01/01/2015 – hôm nay`},
		{`not a date: "đầu năm" (dd/mm/yyyy)`, `không đọc được ngày "đầu năm" (cần ngày/tháng/năm, ví dụ 05/03/2023)`},
		{`not a day: "31/02/2024" (dd/mm/yyyy)`, `ngày không có thật "31/02/2024" (cần ngày/tháng/năm)`},
		{`not a month: "13/2023" (mm/yyyy)`, `tháng không có thật "13/2023" (cần tháng/năm, ví dụ 3/2023)`},
		{`not yes or no: "có lẽ" (có/không, x, 1/0)`, `không đọc được có/không "có lẽ" (cần có/không, x, 1/0)`},
		{`not a whole number: "2,5"`, `không phải số nguyên "2,5" (cần số nguyên, ví dụ 1.250)`},
		{`unknown grade "Xuất sắc" (Tốt, Khá, Trung bình, Yếu)`, `xếp loại không rõ "Xuất sắc" (cần một trong: Tốt, Khá, Trung bình, Yếu)`},
		{`unknown outcome "xong rồi" (hòa giải thành, đang giải quyết)`, `kết quả không rõ "xong rồi" (cần một trong: hòa giải thành, đang giải quyết)`},
		{`closed 01/06/2024 before received 10/06/2024`, `ngày kết thúc 01/06/2024 trước ngày tiếp nhận 10/06/2024`},
		{`year 2027 outside 2015–today`, `năm 2027 nằm ngoài khoảng 2015 – nay`},
		{`longitude 21,82 and latitude 105,21 look swapped`, `kinh độ 21,82 và vĩ độ 105,21 có vẻ bị đảo chỗ`},
		{`point (105,40; 20,50) outside province 08 of Xã Hùng Lợi`, `điểm (105,40; 20,50) nằm ngoài tỉnh 08 của Xã Hùng Lợi`},
		{`point (105,40; 20,50) outside city 01 of Phường Ba Đình`, `điểm (105,40; 20,50) nằm ngoài thành phố 01 của Phường Ba Đình`},
		{`duplicate key incidents:08:VV-002 with different content (first at row 3)`, `trùng mã incidents:08:VV-002 nhưng khác nội dung (lần đầu ở dòng 3)`},
		{`row has 3 fields, the header 14`, `dòng có 3 ô, dòng tiêu đề có 14`},
		{`unknown commune "Xã Hưng Lộc"; nearest: Xã Hùng Lợi (08001)`, `không tìm thấy xã "Xã Hưng Lộc"; gần nhất: Xã Hùng Lợi (08001)`},
		{`ambiguous commune "Xã Tân Lập"; nearest: Xã Tân Lập (1), Xã Tân Lập (2)`, `tên xã trùng nhau, không xác định được "Xã Tân Lập"; gần nhất: Xã Tân Lập (1), Xã Tân Lập (2)`},
		{`sites file has no column "Tên điểm"`, `bảng điểm mô hình không có cột "Tên điểm"`},
	}
	for _, tt := range tests {
		if got := ReasonIn(tt.en, analytics.LangVI); got != tt.vi {
			t.Errorf("vi %q\n got %q\nwant %q", tt.en, got, tt.vi)
		}
		if got := ReasonIn(tt.en, analytics.LangEN); got != tt.en {
			t.Errorf("en %q -> %q", tt.en, got)
		}
	}
	fields := []struct {
		field string
		kind  analytics.Kind
		lang  analytics.Lang
		want  string
	}{
		{"received", analytics.KindIncidents, analytics.LangVI, "Ngày tiếp nhận"},
		{"received", analytics.KindIncidents, analytics.LangEN, "received"},
		{"received", analytics.KindSites, analytics.LangVI, "Ngày tiếp nhận"}, // no such column in a sites file: the first kind's that has one
		{"name", analytics.KindSites, analytics.LangVI, "Tên điểm"},
		{"name", analytics.KindModels, analytics.LangVI, "Tên mô hình"},
		{"id", analytics.KindIncidents, analytics.LangVI, "Mã vụ việc"},
		{"id", analytics.KindSites, analytics.LangVI, "Mã điểm"},
		{"key", analytics.KindSites, analytics.LangVI, keyLabel},
		{"no_such_field", analytics.KindSites, analytics.LangVI, "no_such_field"},
	}
	for _, tt := range fields {
		for range 20 { // the same answer every time (the labels are looked up in maps)
			if got := FieldIn(tt.field, tt.kind, tt.lang); got != tt.want {
				t.Fatalf("FieldIn(%q, %s, %s) = %q, want %q", tt.field, tt.kind, tt.lang, got, tt.want)
			}
		}
	}
}
