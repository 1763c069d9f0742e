package value

// Fuzz tests of the value parsers. `go test` runs them over their seeds;
// `go test -run '^$' -fuzz '^FuzzParseDate$' -fuzztime 10m ./ingest/value`
// (make fuzz) explores further. A crasher is written under
// testdata/fuzz/FuzzX/ and then runs with every `go test`.

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/placename"
)

// FuzzParseDate: no panic; a date is in UTC; a date with a time falls on
// the day its date part names; the date part alone parses to midnight.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"15/03/2024", "5/3/24", "2024-04-01 08:30", "01/04/2024 08:30:15", "03.02.2024", "3-2-2024",
		"45366", "45366.5", "20250815", "2025-08-15T10:20:30Z", "01/02/2024 8:30 CH", "01/02/2024 8:30 SA", "31/02/2024",
		"", "  ", "1", "2958466", "0.5", "01/01/2024 -1:00", "01/01/2024 12:00 AM", "1/1/1", "9999/12/31", "00/00/00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.Location() != time.UTC {
			t.Fatalf("ParseDate(%q) = %v, not UTC", s, d)
		}
		if strings.TrimSpace(s) == "" {
			if !d.IsZero() {
				t.Fatalf("ParseDate(%q) = %v, want zero", s, d)
			}
			return
		}
		t0 := strings.TrimSpace(s)
		i := strings.IndexAny(t0, " T")
		if i <= 0 || isNumber(t0) {
			return
		}
		day, err := ParseDate(t0[:i])
		if err != nil {
			t.Fatalf("ParseDate(%q) = %v, but its date part %q: %v", s, d, t0[:i], err)
		}
		if got := d.Truncate(24 * time.Hour); !got.Equal(day) {
			t.Fatalf("ParseDate(%q) = %v: not on the day %v its date part names", s, d, day)
		}
	})
}

// TestParseDateTwelveAM is a bug seen while reading parseClock for
// FuzzParseDate: 12 AM (12 SA) is read as noon, not midnight; 12 PM is
// rightly noon.
func TestParseDateTwelveAM(t *testing.T) {
	for in, want := range map[string]time.Time{
		"01/08/2025 12:30 AM": time.Date(2025, 8, 1, 0, 30, 0, 0, time.UTC),
		"01/08/2025 12:30 SA": time.Date(2025, 8, 1, 0, 30, 0, 0, time.UTC),
		"01/08/2025 12:30 PM": time.Date(2025, 8, 1, 12, 30, 0, 0, time.UTC),
		"01/08/2025 1:30 CH":  time.Date(2025, 8, 1, 13, 30, 0, 0, time.UTC),
	} {
		if got, err := ParseDate(in); err != nil || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

// FuzzParseCount: no panic, and every whole number written plain, with dot
// or comma thousands separators or as "n,0" reads back.
func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"2.025", "1.250", "12", "2,025", "12,0", "12.0", "1 250", "1\u00a0250", "1.2.3", ",", ".000", "4294967296", "-1", ""} {
		f.Add(s, uint32(0))
	}
	f.Add("", uint32(1250))
	f.Add("", uint32(4294967295))
	f.Fuzz(func(t *testing.T, s string, n uint32) {
		ParseCount(s) // must not panic
		plain := strconv.FormatUint(uint64(n), 10)
		forms := []string{plain, thousands(plain, '.'), thousands(plain, ','), plain + ",0", plain + ".00", " " + thousands(plain, ' ') + " "}
		for _, w := range forms {
			got, err := ParseCount(w)
			if err != nil || got != n {
				t.Fatalf("ParseCount(%q) = %d, %v; want %d", w, got, err, n)
			}
		}
	})
}

// thousands writes digits with sep between groups of three.
func thousands(digits string, sep byte) string {
	var b []byte
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, sep)
		}
		b = append(b, digits[i])
	}
	return string(b)
}

// FuzzParseDecimal: no panic, finite results, and coordinates written with
// a dot or a decimal comma read back.
func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"105,2134", "105.2134", "1.234,5", "1,234.5", "21,8237°", " -0,5 ", "1e308", "1e309", "NaN", "Inf", "0x1p-2", "", ",", "1,2,3"} {
		f.Add(s, 105.2134)
	}
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if v, err := ParseDecimal(s); err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("ParseDecimal(%q) = %v", s, v)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		w := strconv.FormatFloat(x, 'f', -1, 64)
		for _, form := range []string{w, strings.Replace(w, ".", ",", 1), w + "°"} {
			got, err := ParseDecimal(form)
			if err != nil || got != x {
				t.Fatalf("ParseDecimal(%q) = %v, %v; want %v", form, got, err, x)
			}
		}
	})
}

// FuzzParseYear: a year read is within 1900–2100, and every such year
// written plain, as "Năm yyyy" or "y.yyy" reads back.
func FuzzParseYear(f *testing.F) {
	for _, s := range []string{"2024", "Năm 2024", "năm 2.025", "2,024", "NAM 2025", "1899", "2101", "20 24", "", "năm"} {
		f.Add(s, uint16(2025))
	}
	f.Fuzz(func(t *testing.T, s string, y uint16) {
		if v, err := ParseYear(s); err == nil && (v < 1900 || v > 2100) {
			t.Fatalf("ParseYear(%q) = %d", s, v)
		}
		y = 1900 + y%201
		p := strconv.Itoa(int(y))
		for _, form := range []string{p, "Năm " + p, "năm " + thousands(p, '.')} {
			got, err := ParseYear(form)
			if err != nil || got != y {
				t.Fatalf("ParseYear(%q) = %d, %v; want %d", form, got, err, y)
			}
		}
	})
}

// FuzzParseEnums runs the enumerated-value parsers: booleans, grades,
// outcomes, sectors and categories. No panic; a value read is canonical;
// reading depends only on the folded text (case, diacritics, punctuation).
func FuzzParseEnums(f *testing.F) {
	for _, s := range []string{"có", "không", "x", "X", "1", "0", "✓", "-", "Đúng", "chưa", "Tốt", "kha", "TB", "Trung bình", "yếu kém",
		"chưa xếp loại", "Xuất sắc", "Hòa giải thành", "hoà giải thành", "HGKT", "giai quyet tai co so", "Chuyển CQCN", "đang xác minh",
		"xong rồi", "KDC", "cơ quan, doanh nghiệp", "nhà trường", "tôn giáo", "ngân hàng", "Mâu thuẫn, tranh chấp", "TNXH", "PCCC",
		"  gây rối   trật tự công cộng ", "Đánh bạc", "", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := ParseBool(s); err == nil {
			// ParseBool's few symbols aside, any yes/no is a folded word.
			if strings.TrimSpace(s) != "" && !strings.ContainsAny(s, "-–✓✔☑") {
				if _, ok := lookup(boolWords, s); !ok {
					t.Fatalf("ParseBool(%q) accepted an unknown word", s)
				}
			}
		}
		fs := placename.Fold(s)
		if placename.Fold(fs) != fs {
			t.Fatalf("fold is not idempotent: placename.Fold(%q) = %q, placename.Fold(%q) = %q", s, fs, fs, placename.Fold(fs))
		}
		for _, p := range []struct {
			name  string
			parse func(string) (string, error)
			canon []string
		}{
			{"ParseGrade", ParseGrade, analytics.Grades},
			{"ParseOutcome", ParseOutcome, analytics.Outcomes},
			{"ParseSector", ParseSector, analytics.Sectors},
		} {
			v, err := p.parse(s)
			if err == nil && !slices.Contains(p.canon, v) {
				t.Fatalf("%s(%q) = %q, not one of %q", p.name, s, v, p.canon)
			}
			v2, err2 := p.parse(fs)
			if v != v2 || (err == nil) != (err2 == nil) {
				t.Fatalf("%s(%q) = %q, %v but of its folded form %q = %q, %v", p.name, s, v, err, fs, v2, err2)
			}
		}
		c := ParseCategory(s)
		if utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Fatalf("ParseCategory(%q) = %q, not UTF-8", s, c)
		}
		if Clean(c) != c {
			t.Fatalf("ParseCategory(%q) = %q, not clean (%q)", s, c, Clean(c))
		}
	})
}
