package analytics_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

var updateTexts = flag.Bool("update", false, "rewrite testdata/texts.golden.txt")

func ptr(v float64) *float64 { return &v }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// textSample renders the catalogue's sentences for every 2025 province (the
// six centrally-run cities among them) from the embedded reference data,
// a count, a rate and a composite, and three kinds of comparison periods.
func textSample(t *testing.T) map[analytics.Lang][]string {
	t.Helper()
	set, err := commune.Load(context.Background(), commune.Config{})
	if err != nil {
		t.Fatal(err)
	}
	year := analytics.Window{From: day(2024, 12, 15), To: day(2025, 12, 15), Spec: "2025"}
	sameYear := analytics.Window{From: day(2023, 12, 15), To: day(2024, 12, 15), Spec: "2024"}
	y2022 := analytics.Window{From: day(2021, 12, 15), To: day(2022, 12, 15), Spec: "2022"}
	partial := analytics.Window{From: day(2025, 12, 15), To: day(2026, 4, 5), Spec: "2026", Partial: true, PeriodTo: day(2026, 12, 15)}
	partialCmp := partial.SamePeriodLastYear()
	partialCmp.To, partialCmp.Cut = day(2025, 4, 5), true
	periods := []struct {
		name   string
		w, c   analytics.Window
		yearOf string
	}{
		{"năm", year, sameYear, ""},
		{"năm 2022", year, y2022, "2022"},
		{"kỳ dở dang", partial, partialCmp, ""},
	}
	changes := []struct {
		metric string
		c      analytics.Change
	}{
		{"sites +1/2025", analytics.Change{Delta: 1, Pct: ptr(100.0 / 2025)}},
		{"sites -145/1880", analytics.Change{Delta: -145, Pct: ptr(-145.0 * 100 / 1880)}},
		{"sites 0", analytics.Change{Delta: 0, Pct: ptr(0)}},
		{"sites +5 from 0", analytics.Change{Delta: 5}},
		{"incidents +1/1e6", analytics.Change{Delta: 1, Pct: ptr(1e-4)}},
		{"resolution_rate +2,14", analytics.Change{Delta: 2.14, Percent: true, Decimals: 1}},
		{"resolution_rate -1", analytics.Change{Delta: -1, Percent: true, Decimals: 1}},
		{"effectiveness +0,004", analytics.Change{Delta: 0.004, Pct: ptr(0.0061), Decimals: 2}},
	}
	out := map[analytics.Lang][]string{}
	for _, lang := range []analytics.Lang{analytics.LangVI, analytics.LangEN} {
		var lines []string
		add := func(k, v string) { lines = append(lines, k+"\t"+v) }
		add("source all", analytics.SourceLine(lang, analytics.Attribution(lang, "", ""))+" — "+analytics.PlaceName(lang, "", ""))
		for _, p := range set.Provinces {
			add("source "+string(p.Code), analytics.SourceLine(lang, analytics.Attribution(lang, p.Name, p.ShortName))+" — "+analytics.PlaceName(lang, p.Name, p.ShortName))
		}
		for _, pr := range periods {
			tail := analytics.CompareTail(lang, pr.w, pr.c, pr.yearOf)
			for _, c := range changes {
				full, short := analytics.ChangeTexts(lang, c.c, tail)
				add("change "+pr.name+" "+c.metric, full+" | "+short)
			}
		}
		for _, p := range set.Provinces {
			if p.Code == "08" || analytics.ProvinceKindOf(p.Name) == analytics.KindCity {
				src := analytics.Attribution(lang, p.Name, p.ShortName)
				add("footnote "+string(p.Code), analytics.Footnote(lang, src, year, lang.Pick("điểm", "sites")))
				add("footnote partial "+string(p.Code), analytics.Footnote(lang, src, partial, ""))
				add("no data "+string(p.Code), analytics.ProvinceNoData(lang, p.Name)+" · "+analytics.Capitalize(analytics.ProvinceWide(lang, p.Name)))
			}
		}
		add("no data all", analytics.ProvinceNoData(lang, ""))
		for _, c := range []string{"Xã Hùng Lợi", "Phường Minh Xuân", "Đặc khu Cô Tô"} {
			add("commune", analytics.CommuneName(lang, c))
		}
		for _, v := range append(append(append([]string{}, analytics.Grades...), analytics.Outcomes...), analytics.Sectors...) {
			add("value", analytics.ValueLabel(lang, v))
		}
		for _, k := range analytics.Kinds {
			add("kind of record", analytics.KindLabel(lang, k))
		}
		add("rank column", analytics.RankColumn(lang, 124))
		add("rank text", analytics.RankText(lang, 12, 124))
		add("rank", analytics.RankHeader(lang)+" "+analytics.Rank(124, 124))
		for _, n := range []float64{0, 1, 2, 2025} {
			add("plural", analytics.Plural(lang, n, lang.Pick("điểm mô hình", "site"), lang.Pick("điểm mô hình", "sites")))
		}
		for _, k := range []string{"xã", "phường", "đặc khu"} {
			add("kind", analytics.Capitalize(k+" · 02455"))
		}
		out[lang] = lines
	}
	return out
}

func TestTextsGolden(t *testing.T) {
	got := textSample(t)
	var b strings.Builder
	for _, lang := range []analytics.Lang{analytics.LangVI, analytics.LangEN} {
		b.WriteString("# " + string(lang) + "\n")
		for _, l := range got[lang] {
			b.WriteString(l + "\n")
		}
	}
	path := filepath.Join("testdata", "texts.golden.txt")
	if *updateTexts {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./analytics -run TestTextsGolden -update writes it)", err)
	}
	if string(want) != b.String() {
		t.Errorf("texts differ from %s (rerun with -update and review the diff):\n%s", path, b.String())
	}
}

// TestTextRules checks the rules themselves, independent of the golden file.
func TestTextRules(t *testing.T) {
	// The six centrally-run cities of 1 July 2025, and Đồng Nai, which the
	// reference data (the portal) also names "Thành phố".
	cities := map[string]bool{"Hà Nội": true, "Hải Phòng": true, "Huế": true, "Đà Nẵng": true, "Hồ Chí Minh": true, "Cần Thơ": true, "Đồng Nai": true}
	set, err := commune.Load(context.Background(), commune.Config{})
	if err != nil {
		t.Fatal(err)
	}
	nCity := 0
	for _, p := range set.Provinces {
		got := analytics.Attribution(analytics.LangVI, p.Name, p.ShortName)
		want := "Công an tỉnh " + p.ShortName
		short := strings.TrimPrefix(p.ShortName, "Thành phố ")
		want = "Công an tỉnh " + short
		if cities[short] {
			want = "Công an thành phố " + short
			nCity++
		}
		if got != want {
			t.Errorf("Attribution(%q) = %q, want %q", p.Name, got, want)
		}
	}
	if nCity != len(cities) || len(set.Provinces) != 34 {
		t.Errorf("%d provinces, %d cities; want 34 and 7", len(set.Provinces), nCity)
	}
	// A non-zero change never prints as 0 %; "không đổi" only when equal.
	for _, p := range []float64{1e-5, 0.0004, 0.049, 0.05, 0.5, -0.0001} {
		full, short := analytics.ChangeTexts(analytics.LangVI, analytics.Change{Delta: 1, Pct: ptr(p)}, "")
		for _, s := range []string{full, short} {
			if strings.Contains(s, "+0,0%") || strings.Contains(s, " 0,0%") || strings.Contains(s, "không đổi") {
				t.Errorf("pct %v: %q", p, s)
			}
		}
	}
	if full, _ := analytics.ChangeTexts(analytics.LangVI, analytics.Change{Delta: 1e-9, Percent: true, Decimals: 1}, ""); strings.Contains(full, "không đổi") {
		t.Errorf("tiny change in points: %q", full)
	}
	if got := analytics.Rank(3, 124); got != "3/124" {
		t.Errorf("Rank = %q", got)
	}
	if got := analytics.Capitalize("đặc khu · 26000"); got != "Đặc khu · 26000" {
		t.Errorf("Capitalize = %q", got)
	}
	for v, want := range map[float64]string{1: "1 site", 0: "0 sites", 2025: "2,025 sites"} {
		if got := analytics.Plural(analytics.LangEN, v, "site", "sites"); got != want {
			t.Errorf("Plural(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestTextsOneLanguage: no English word in a Vietnamese text, no Vietnamese
// word in an English one. Names (provinces) and codes are allowed.
func TestTextsOneLanguage(t *testing.T) {
	got := textSample(t)
	set, err := commune.Load(context.Background(), commune.Config{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, p := range set.Provinces {
		for _, w := range words(p.ShortName) {
			names[w] = true
		}
	}
	// The commune kinds are capitalised in both languages' sample as
	// written; the sample's communes are names.
	for _, w := range []string{"xã", "phường", "đặc", "khu", "hùng", "lợi", "minh", "xuân", "cô", "tô"} {
		names[w] = true
	}
	vocab := func(lines []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range lines {
			_, text, _ := strings.Cut(l, "\t")
			for _, w := range words(text) {
				if !names[w] {
					m[w] = true
				}
			}
		}
		return m
	}
	vi, en := vocab(got[analytics.LangVI]), vocab(got[analytics.LangEN])
	for w := range en {
		if vi[w] {
			t.Errorf("word %q is in both the Vietnamese and the English texts", w)
		}
		if !isASCII(w) {
			t.Errorf("English texts hold the Vietnamese word %q", w)
		}
	}
}

// words are the lower-case letter runs of s (digits and signs dropped).
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

func TestLowerFirst(t *testing.T) {
	tests := []struct {
		in   string
		en   bool
		want string
	}{
		{"", false, ""},
		{"Số điểm mô hình", false, "số điểm mô hình"},
		{"Tỷ lệ vụ việc được giải quyết", false, "tỷ lệ vụ việc được giải quyết"},
		{"Sites", true, "sites"},
		{"ANTT models", true, "ANTT models"}, // an acronym keeps its capitals
		{"A", true, "a"},
		{"Ánh", false, "ánh"},
	}
	for _, tt := range tests {
		if got := analytics.LowerFirst(tt.in, tt.en); got != tt.want {
			t.Errorf("LowerFirst(%q, %v) = %q, want %q", tt.in, tt.en, got, tt.want)
		}
	}
}
