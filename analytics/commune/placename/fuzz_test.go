package placename

// Fuzz tests of the name normaliser: Fold, Normalize and Parse.

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nameSeeds are names as the provinces write them: 2025 and pre-2025
// units, abbreviated, without diacritics, decomposed, upper case, and a
// few that are not names at all.
var nameSeeds = []string{
	"Xã Hùng Lợi", "X. Trung Minh", "xa trung minh", "XÃ TRUNG MINH", "Phường Hà Giang 1", "P.01", "P1", "Phường 01", "Q10",
	"TP. Hà Giang", "TT Tân Yên", "Thị trấn Vĩnh Lộc", "Thị xã Kỳ Anh", "Huyện Yên Sơn", "H. Hàm Yên", "Tỉnh Tuyên Quang",
	"Đặc khu Phú Quốc", "đk Côn Đảo", "Hoà Bình", "Hòa Bình", "Thanh Thuỷ", "Thanh Thủy", "Ho\u0300a Bi\u0300nh", "Quý", "Gia Lâm",
	"Ia H'Drai", "Bà Rịa - Vũng Tàu", "Xà Phìn", "Xã Phìn", "Nga Thanh", "Nga Thành", "Khoẻ", "Thuở", "Tân Hòa", "Tân Hóa",
	"  Yên   Sơn ", "", " ", "xã", "Phường", "0", "000", "p0", "a\u0301\u0300", "\u0301a", "ß", "ẞ", "İstanbul", "K\u212a", "Ωmega",
	"\xff\xfe", "日本", "ꙮ", "Ǆ", "ǅ", "Ｘã", "x\u0323\u0301", "gịa", "quỷ", "quá", "giữ", "gì", "ngoằn", "khuya", "khuỷu", "oẳn",
}

// FuzzFold: Fold never panics, gives valid UTF-8 without leading, trailing
// or doubled spaces, is idempotent, and ignores case and NFC/NFD.
func FuzzFold(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Fold(%q) = %q, not UTF-8", s, got)
		}
		if strings.HasPrefix(got, " ") || strings.HasSuffix(got, " ") || strings.Contains(got, "  ") {
			t.Fatalf("Fold(%q) = %q: stray spaces", s, got)
		}
		if again := Fold(got); again != got {
			t.Fatalf("Fold not idempotent: Fold(%q) = %q, Fold(%q) = %q", s, got, got, again)
		}
		if !utf8.ValidString(s) || !asciiBased(s) {
			return
		}
		if d := Fold(norm.NFD.String(s)); d != got {
			t.Fatalf("Fold(%q) = %q but of its NFD %q", s, got, d)
		}
		if c := Fold(norm.NFC.String(s)); c != got {
			t.Fatalf("Fold(%q) = %q but of its NFC %q", s, got, c)
		}
	})
}

// asciiBased reports whether every letter of s decomposes to an ASCII
// letter and marks, or is đ: Vietnamese text. Fold drops the marks of
// decomposed letters but keeps precomposed letters it has no ASCII base
// for ("ǣ" vs "æ\u0304", "ύ" vs "υ\u0301"), so only there is it the same
// on NFC and NFD text.
func asciiBased(s string) bool {
	for _, r := range norm.NFD.String(s) {
		if unicode.IsLetter(r) && r >= utf8.RuneSelf && r != 'đ' && r != 'Đ' {
			return false
		}
	}
	return true
}

// FuzzNormalize: Normalize never panics, gives valid UTF-8 in NFC, is
// idempotent, ignores NFC/NFD, and folds to what Fold gives.
func FuzzNormalize(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Normalize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Normalize(%q) = %q, not UTF-8", s, got)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Fatalf("Normalize(%q) = %q, not NFC", s, got)
		}
		if again := Normalize(got); again != got {
			t.Fatalf("Normalize not idempotent: Normalize(%q) = %q, Normalize(%q) = %q", s, got, got, again)
		}
		if !utf8.ValidString(s) {
			return
		}
		if d := Normalize(norm.NFD.String(s)); d != got {
			t.Fatalf("Normalize(%q) = %q but of its NFD %q", s, got, d)
		}
	})
}

// FuzzParse: Parse never panics; its core is the folded accented
// core; a name that is only a kind word is not a kind; a kind found is
// found again after Normalize.
func FuzzParse(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Parse(s)
		if !utf8.ValidString(n.Core) || !utf8.ValidString(n.Accent) {
			t.Fatalf("Parse(%q) = %+v, not UTF-8", s, n)
		}
		if n.Plain != !NonASCII(s) {
			t.Fatalf("Parse(%q).Plain = %v", s, n.Plain)
		}
		if Fold(n.Accent) != n.Core {
			t.Fatalf("Parse(%q) = %+v: Fold(Accent) = %q, not the core", s, n, Fold(n.Accent))
		}
		if n.Kind != KindNone && n.Core == "" {
			t.Fatalf("Parse(%q) = %+v: a kind with nothing after it", s, n)
		}
		if n2 := Parse(Normalize(s)); n2.Kind != n.Kind || n2.Core != n.Core || n2.Accent != n.Accent {
			t.Fatalf("Parse(%q) = %+v but Parse(Normalize) = %+v", s, n, n2)
		}
	})
}
