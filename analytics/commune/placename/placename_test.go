package placename

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lower case and diacritics", "Xã Hùng Lợi", "xa hung loi"},
		{"đ", "Đồng Văn", "dong van"},
		{"tone placement Hoà/Hòa", "Hoà Bình", "hoa binh"},
		{"tone placement Thuỷ/Thủy", "Thanh Thuỷ", "thanh thuy"},
		{"decomposed input (NFD)", "Ho\u0300a Bi\u0300nh", "hoa binh"},
		{"extra spaces", "  Yên   Sơn ", "yen son"},
		{"punctuation", "Bà Rịa - Vũng Tàu", "ba ria vung tau"},
		{"dots", "P.01", "p 01"},
		{"apostrophe", "Ia H'Drai", "ia h drai"},
		{"upper case", "TUYÊN QUANG", "tuyen quang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"Hoà = Hòa", "Hoà Bình", "Hòa Bình"},
		{"Thuỷ = Thủy", "Thanh Thuỷ", "Thanh Thủy"},
		{"Khoẻ = Khỏe", "Khoẻ", "Khỏe"},
		{"Quý stays", "Quý", "quý"},
		{"NFD = NFC", "Ho\u0300a", "Hòa"},
		{"case and spaces", " XÃ  HÙNG LỢI ", "xã hùng lợi"},
		{"a final consonant keeps the mark on the last vowel", "Hoàng", "hoàng"},
		{"quality mark takes the tone", "Thuở", "thuở"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, b := Normalize(tt.a), Normalize(tt.b); a != b {
				t.Errorf("Normalize(%q) = %q, Normalize(%q) = %q: want equal", tt.a, a, tt.b, b)
			}
		})
	}
	// Diacritics are kept: these must differ.
	for _, p := range [][2]string{{"Tân Hòa", "Tân Hóa"}, {"Nga Thanh", "Nga Thành"}} {
		if Normalize(p[0]) == Normalize(p[1]) {
			t.Errorf("Normalize(%q) == Normalize(%q)", p[0], p[1])
		}
	}
}

func TestParseName(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		core string
	}{
		{"Xã Trung Minh", KindCommune, "trung minh"},
		{"X. Trung Minh", KindCommune, "trung minh"},
		{"x trung minh", KindCommune, "trung minh"},
		{"Phường Hà Giang 1", KindWard, "ha giang 1"},
		{"P. Nguyễn Trãi", KindWard, "nguyen trai"},
		{"Thị trấn Tân Yên", KindTownlet, "tan yen"},
		{"TT Tân Yên", KindTownlet, "tan yen"},
		{"TT. Tân Yên", KindTownlet, "tan yen"},
		{"Huyện Yên Sơn", KindDistrict, "yen son"},
		{"H. Yen Son", KindDistrict, "yen son"},
		{"Thành phố Hà Giang", KindCity, "ha giang"},
		{"TP Hà Giang", KindCity, "ha giang"},
		{"TP. Hà Giang", KindCity, "ha giang"},
		{"Thị xã Phú Thọ", KindTown, "phu tho"},
		{"Tx. Phú Thọ", KindTown, "phu tho"},
		{"TX Phu Tho", KindTown, "phu tho"},
		{"Quận Ba Đình", KindUrbanDistrict, "ba dinh"},
		{"Q. Ba Đình", KindUrbanDistrict, "ba dinh"},
		{"Tỉnh Tuyên Quang", KindProvince, "tuyen quang"},
		{"T. Tuyên Quang", KindProvince, "tuyen quang"},
		{"Đặc khu Côn Đảo", KindSpecialZone, "con dao"},
		{"Phường 1", KindWard, "1"},
		{"P1", KindWard, "1"},
		{"P.01", KindWard, "1"},
		{"p 01", KindWard, "1"},
		{"Phường 01", KindWard, "1"},
		{"Q10", KindUrbanDistrict, "10"},
		{"Quận 1", KindUrbanDistrict, "1"},
		{"Xà Phìn", KindNone, "xa phin"},         // "Xà" is not "Xã"
		{"Xã", KindNone, "xa"},                   // a prefix must leave a name
		{"Tân Thành", KindNone, "tan thanh"},     // no prefix
		{"Thanh Hóa", KindNone, "thanh hoa"},     // "Thanh" is not "Thành"
		{"Quân Chu", KindNone, "quan chu"},       // "Quân" is not "Quận"
		{"xã Hoà Bình", KindCommune, "hoa binh"}, // lower-case prefix
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n := Parse(tt.in)
			if n.Kind != tt.kind || n.Core != tt.core {
				t.Errorf("Parse(%q) = (%q, %q), want (%q, %q)", tt.in, n.Kind, n.Core, tt.kind, tt.core)
			}
		})
	}
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Xã Hùng Lợi, Huyện Yên Sơn")
	}
}
