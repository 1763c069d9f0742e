package finding

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// viFormat writes numbers as the product does ("2.025", "75,6") for these
// tests; the dashboard passes chart.FormatNumber.
func viFormat(v float64, d int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', d, 64)
	in, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range in {
		if i > 0 && (len(in)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if d > 0 {
		b.WriteString("," + frac)
	}
	return b.String()
}

func testContext(compare bool) Context {
	w, _ := analytics.ParsePeriod("2025", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fc := Context{Province: "08", ProvinceName: "Tuyên Quang", Window: w, Format: viFormat}
	if compare {
		c, _ := analytics.ParsePeriod("2024", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
		fc.Compare = &c
	}
	return fc
}

func place(code, name string) Place {
	return Place{Code: analytics.CommuneCode(code), Name: name}
}

func rate(num, den float64) Ratio { return Ratio{Num: num, Den: den, Known: true} }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

func TestEstimateShrinkage(t *testing.T) {
	tests := []struct {
		name   string
		xs, ns []float64
		p, m   float64 // m < 0: +Inf
		shrunk float64 // Shrink(xs[0], ns[0])
	}{
		// P = 0.5; S = 10·0.3² + 10·0.3² = 1.8; S/(P(1−P)) = 7.2;
		// ρ = (7.2 − 1)/(20 − 2) = 0.34444; M = 1/ρ − 1 = 1.903226;
		// (8 + 0.951613)/(10 + 1.903226) = 0.752033.
		{"spread", []float64{8, 2}, []float64{10, 10}, 0.5, 1.903226, 0.752033},
		// No spread beyond chance: every rate shrinks to P.
		{"homogeneous", []float64{5, 5}, []float64{10, 10}, 0.5, -1, 0.5},
		// Communes without cases are left out: same as "spread".
		{"no cases ignored", []float64{8, 2, 0}, []float64{10, 10, 0}, 0.5, 1.903226, 0.752033},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := EstimateShrinkage(tc.xs, tc.ns)
			if !ok {
				t.Fatal("not ok")
			}
			if !near(s.P, tc.p) {
				t.Errorf("P = %v, want %v", s.P, tc.p)
			}
			if tc.m < 0 && !math.IsInf(s.M, 1) || tc.m >= 0 && !near(s.M, tc.m) {
				t.Errorf("M = %v, want %v", s.M, tc.m)
			}
			if got := s.Shrink(tc.xs[0], tc.ns[0]); !near(got, tc.shrunk) {
				t.Errorf("Shrink = %v, want %v", got, tc.shrunk)
			}
		})
	}
	if _, ok := EstimateShrinkage([]float64{0}, []float64{0}); ok {
		t.Error("no cases: want not ok")
	}
}

func TestRobustZ(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want []float64
	}{
		// median 3, MAD 1: z = 0.6745·(x − 3).
		{"mad", []float64{1, 2, 3, 4, 100}, []float64{-1.349, -0.6745, 0, 0.6745, 65.4265}},
		// MAD 0: scale = 1.253314 × mean |x − 5| = 1.253314 × 0.8 = 1.002651.
		{"mad zero", []float64{5, 5, 5, 5, 9}, []float64{0, 0, 0, 0, 3.98942}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, ok := RobustZ(tc.xs)
			if !ok {
				t.Fatal("not ok")
			}
			for i := range z {
				if !near(z[i], tc.want[i]) {
					t.Errorf("z[%d] = %v, want %v", i, z[i], tc.want[i])
				}
			}
		})
	}
	if _, ok := RobustZ([]float64{2, 2, 2}); ok {
		t.Error("constant values: want not ok")
	}
}

func TestChangeFindings(t *testing.T) {
	m, _ := analytics.MetricByID("mediation_rate")
	inc, _ := analytics.MetricByID("incidents")
	rows := []CommuneRatio{
		// 34/40 = 85% → 24/40 = 60%: −25 points; pooled p = 58/80 = 0.725,
		// se = √(0.725·0.275·(1/40 + 1/40)) = 0.099844, z = −2.5039: a fall,
		// high (≥ 20 points).
		{place("00001", "Xã Hùng Lợi"), rate(24, 40), rate(34, 40)},
		// 17/20 → 12/20: the same rates, z = −1.7705 < 1.96: not reported.
		{place("00002", "Xã Hai Mươi"), rate(12, 20), rate(17, 20)},
		// 3/4 → 1/4: too few cases.
		{place("00003", "Xã Ít Vụ"), rate(1, 4), rate(3, 4)},
		// 50% → 55%: a change of 5 points, below 10.
		{place("00004", "Xã Ổn Định"), rate(55, 100), rate(50, 100)},
		// 10/40 = 25% → 30/40 = 75%: +50 points, z = 0.5/√(0.5·0.5·0.05) = 4.4721: a rise, low.
		{place("00005", "Xã Tiến Bộ"), rate(30, 40), rate(10, 40)},
		// No data before: left out, not read as 0.
		{place("00006", "Xã Mới"), rate(30, 40), Ratio{}},
	}
	got := Changes(testContext(true), m, rows)
	if len(got) != 2 {
		t.Fatalf("got %d findings, want 2: %+v", len(got), got)
	}
	fall, rise := got[0], got[1]
	if fall.Communes[0].Code != "00001" || fall.Severity != SeverityHigh || !near(*fall.Figures.Z, -2.503915) || !near(*fall.Figures.Change, -25) {
		t.Errorf("fall = %+v %+v", fall, fall.Figures)
	}
	if want := "Tỷ lệ hòa giải thành của Xã Hùng Lợi giảm từ 85,0% xuống 60,0% (2025 so với 2024; 40 và 40 trường hợp)"; fall.TextVI != want {
		t.Errorf("fall text\n got %s\nwant %s", fall.TextVI, want)
	}
	if want := "Mediation success rate of Hùng Lợi Commune fell from 85.0% to 60.0% (2025 against 2024; 40 and 40 cases)"; fall.TextEN != want {
		t.Errorf("fall text EN\n got %s\nwant %s", fall.TextEN, want)
	}
	if want := "commune=00001&compare=prev&metric=mediation_rate&period=2025&province=08"; fall.Link != want {
		t.Errorf("link = %s, want %s", fall.Link, want)
	}
	// Province: Σ over the communes with data in each period: now
	// (24+12+1+55+30+30)/(40+20+4+100+40+40) = 152/244, before (without
	// Xã Mới) (34+17+3+50+10)/(40+20+4+100+40) = 114/204.
	if !near(*fall.Figures.Province, 62.295082) || !near(*fall.Figures.ProvinceCompare, 55.882353) {
		t.Errorf("province %v → %v", *fall.Figures.ProvinceCompare, *fall.Figures.Province)
	}
	if rise.Communes[0].Code != "00005" || rise.Severity != SeverityLow || !near(*rise.Figures.Z, 4.472136) {
		t.Errorf("rise = %+v", rise)
	}
	if !strings.Contains(rise.TextVI, "tăng từ 25,0% lên 75,0%") {
		t.Errorf("rise text %s", rise.TextVI)
	}

	// Counts: 40 → 12 incidents, −70%, z = −28/√52 = −3.8829; a fall of
	// incidents (lower is better) is low severity; 8 → 30 has too few
	// before; 100 → 120 is +20% only.
	counts := []CommuneRatio{
		{place("00001", "Xã A"), rate(12, 1), rate(40, 1)},
		{place("00002", "Xã B"), rate(30, 1), rate(8, 1)},
		{place("00003", "Xã C"), rate(120, 1), rate(100, 1)},
	}
	got = Changes(testContext(true), inc, counts)
	if len(got) != 1 || got[0].Communes[0].Code != "00001" || got[0].Severity != SeverityLow || !near(*got[0].Figures.Z, -3.882901) {
		t.Fatalf("counts: %+v", got)
	}
	if Changes(testContext(false), m, rows) != nil {
		t.Error("no compared period: want no change findings")
	}
	// Another compared period keeps its spelling in the link.
	fc := testContext(true)
	c22, _ := analytics.ParsePeriod("2022", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	fc.Compare = &c22
	if got := Changes(fc, m, rows); len(got) == 0 || !strings.Contains(got[0].Link, "compare=2022&") {
		t.Errorf("link with compare=2022: %+v", got)
	}
}

// outlierRows: ten communes of 100 concluded mediations at 70–81%, one at
// 30/100 and one with 0/3.
func outlierRows() []CommuneRatio {
	var rows []CommuneRatio
	for i, x := range []float64{70, 72, 74, 75, 76, 77, 78, 79, 80, 81} {
		rows = append(rows, CommuneRatio{Place: place("1000"+strconv.Itoa(i), "Xã "+strconv.Itoa(i)), Now: rate(x, 100)})
	}
	rows = append(rows, CommuneRatio{Place: place("20000", "Xã Thấp"), Now: rate(30, 100)})
	rows = append(rows, CommuneRatio{Place: place("30000", "Xã Nhỏ"), Now: rate(0, 3)})
	rows = append(rows, CommuneRatio{Place: place("40000", "Xã Không Số Liệu")})
	return rows
}

func TestOutlierFindings(t *testing.T) {
	m, _ := analytics.MetricByID("mediation_rate")
	// By hand (see EstimateShrinkage): P = 792/1103 = 0.718042,
	// S = 22.070970, ρ = (S/(P(1−P)) − 11)/(1103 − 12) = 0.089840,
	// M = 10.130932. Xã Thấp shrinks to (30 + M·P)/(100 + M) = 33.8456%;
	// the median of the shrunk rates is 75.160%, MAD 0.908%, so
	// z = 0.6745·(33.8456 − 75.160)/0.908 = −8.7685: an outlier, high.
	// Xã Nhỏ shrinks to 55.40% (z = −4.19) but has 3 cases: not reported.
	got := Outliers(testContext(false), m, outlierRows())
	if len(got) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(got), got)
	}
	f := got[0]
	if f.Communes[0].Code != "20000" || f.Severity != SeverityHigh || !near(*f.Figures.Z, -8.7685) || !near(*f.Figures.Shrunk, 33.8456) || !near(*f.Figures.Province, 71.8042) {
		t.Errorf("outlier = %+v %+v %v %v", f, f.Figures, *f.Figures.Z, *f.Figures.Shrunk)
	}
	if want := "Tỷ lệ hòa giải thành của Xã Thấp thấp bất thường: 30,0% (30/100) so với 71,8% của tỉnh; z = -8,8"; f.TextVI != want {
		t.Errorf("text\n got %s\nwant %s", f.TextVI, want)
	}
	if !strings.Contains(f.MethodEN, "empirical Bayes") || !strings.Contains(f.MethodVI, "Bayes thực nghiệm") {
		t.Errorf("method does not say it: %s", f.MethodVI+" | "+f.MethodEN)
	}
	if inc, _ := analytics.MetricByID("incidents"); Outliers(testContext(false), inc, outlierRows()) != nil {
		t.Error("counts are not tested for outliers")
	}
}

// TestOutlierTinyCountsProperty: adding or removing a few cases in a
// commune with tiny counts never makes it the top outlier (nor any
// outlier), whatever the other communes look like.
func TestOutlierTinyCountsProperty(t *testing.T) {
	m, _ := analytics.MetricByID("mediation_rate")
	rng := rand.New(rand.NewPCG(18, 2025))
	for trial := range 500 {
		k := 5 + rng.IntN(40)
		base := 0.3 + 0.6*rng.Float64()
		spread := 0.2 * rng.Float64()
		var rows []CommuneRatio
		for i := range k {
			n := float64(MinCases + rng.IntN(200))
			p := min(1, max(0, base+spread*(rng.Float64()-0.5)))
			if rng.IntN(10) == 0 { // a real outlier now and then
				p = rng.Float64()
			}
			rows = append(rows, CommuneRatio{Place: place(strconv.Itoa(10000+i), "Xã "+strconv.Itoa(i)), Now: rate(math.Round(p*n), n)})
		}
		n0 := float64(1 + rng.IntN(5))
		x0 := float64(rng.IntN(int(n0) + 1))
		for _, d := range []struct{ dx, dn float64 }{{0, 0}, {0, 3}, {3, 3}, {0, -1}, {-1, -1}, {1, 2}, {2, 4}} {
			x, n := x0+d.dx, n0+d.dn
			if x < 0 || n <= 0 || x > n {
				continue
			}
			tiny := CommuneRatio{Place: place("99999", "Xã Rất Nhỏ"), Now: rate(x, n)}
			all := append(append([]CommuneRatio(nil), rows...), tiny)
			for _, f := range Outliers(testContext(false), m, all) {
				if f.Communes[0].Code == "99999" {
					t.Fatalf("trial %d: tiny commune %v/%v is an outlier (z = %v)", trial, x, n, *f.Figures.Z)
				}
			}
		}
	}
}

func TestCoverageFindings(t *testing.T) {
	cs := []CommuneSites{
		{place("00001", "Xã Trống"), rate(0, 1), rate(0, 5000)},
		{place("00002", "Xã Đủ"), rate(10, 1), rate(10, 10000)},
		{place("00003", "Xã Thưa"), rate(1, 1), rate(1, 20000)},
		{place("00004", "Xã Chưa Rõ"), Ratio{}, Ratio{}}, // no data: neither without sites nor far below
	}
	// Province density = 11 sites / 35,000 residents × 10,000 = 3,14; Xã
	// Thưa has 0,50 < 3,14/4 = 0,79. 1 of 3 known communes has no site
	// (≥ 10%): high.
	got := Coverage(testContext(false), cs)
	if len(got) != 2 {
		t.Fatalf("got %d findings: %+v", len(got), got)
	}
	if got[0].Severity != SeverityHigh || len(got[0].Communes) != 1 || got[0].Communes[0].Code != "00001" ||
		got[0].TextVI != "1/3 xã chưa có điểm mô hình nào đang hoạt động: Xã Trống" {
		t.Errorf("no site: %+v", got[0])
	}
	if len(got[1].Communes) != 1 || got[1].Communes[0].Code != "00003" || !near(*got[1].Figures.Province, 3.142857) ||
		got[1].TextVI != "1 xã có mật độ điểm mô hình dưới 1/4 mức của tỉnh (3,14 điểm/10.000 dân): Xã Thưa" {
		t.Errorf("far below: %+v", got[1])
	}
}

func TestGapFindings(t *testing.T) {
	hs := []CommuneHistory{
		{place("00001", "Xã Im Lặng"), rate(0, 1), []Ratio{rate(3, 1), rate(5, 1), rate(2, 1)}},
		{place("00002", "Xã Có Năm Trống"), rate(0, 1), []Ratio{rate(3, 1), rate(0, 1), rate(2, 1)}},
		{place("00003", "Xã Chưa Rõ"), Ratio{}, []Ratio{rate(3, 1), rate(5, 1), rate(2, 1)}},
		{place("00004", "Xã Đều"), rate(4, 1), []Ratio{rate(3, 1), rate(5, 1), rate(2, 1)}},
		{place("00005", "Xã Thiếu Kỳ"), rate(0, 1), []Ratio{rate(3, 1), Ratio{}, rate(2, 1)}},
	}
	got := Gaps(testContext(false), hs)
	if len(got) != 1 || len(got[0].Communes) != 1 || got[0].Communes[0].Code != "00001" || got[0].Severity != SeverityHigh {
		t.Fatalf("got %+v", got)
	}
	if want := "1 xã có vụ việc trong cả 3 cùng kỳ các năm trước nhưng không báo cáo vụ việc nào trong kỳ này (có thể thiếu báo cáo): Xã Im Lặng"; got[0].TextVI != want {
		t.Errorf("text\n got %s\nwant %s", got[0].TextVI, want)
	}
	short := []CommuneHistory{{place("00001", "Xã Im Lặng"), rate(0, 1), []Ratio{rate(3, 1), rate(5, 1)}}}
	if Gaps(testContext(false), short) != nil {
		t.Errorf("two earlier periods are fewer than %d", GapMinPeriods)
	}
}

func TestModelFindings(t *testing.T) {
	hl := place("00001", "Xã Hùng Lợi")
	ms := []ModelStatus{
		{Key: "a", Name: "Tổ tự quản", Commune: hl, Exemplary: true, Retired: true},
		{Key: "b", Name: "Camera ANTT", Commune: hl, Advanced: true, RetiredSites: 2, WeakSites: 1, WeakKnown: true},
		{Key: "c", Name: "Thường", Commune: hl, RetiredSites: 5},               // neither advanced nor exemplary
		{Key: "d", Name: "Tốt", Commune: hl, Advanced: true},                   // nothing happened
		{Key: "e", Name: "Chưa rõ", Commune: hl, Advanced: true, WeakSites: 3}, // grades unknown: no finding
	}
	got := Models(testContext(false), ms)
	if len(got) != 2 {
		t.Fatalf("got %d: %+v", len(got), got)
	}
	if got[0].Severity != SeverityHigh || got[0].TextVI != "Mô hình tiêu biểu toàn quốc “Tổ tự quản” (Xã Hùng Lợi) đã thanh loại trong kỳ" {
		t.Errorf("exemplary: %+v", got[0])
	}
	if got[1].Severity != SeverityMedium || len(got[1].Models) != 1 ||
		got[1].TextVI != "1 mô hình điển hình tiên tiến bị thanh loại, có điểm mô hình thanh loại hoặc xếp loại Yếu trong kỳ: “Camera ANTT” (Xã Hùng Lợi) có 2 điểm mô hình thanh loại, có 1 điểm mô hình xếp loại Yếu" {
		t.Errorf("advanced: %+v", got[1])
	}
}

func TestQualityFindings(t *testing.T) {
	q := DataQuality{Rows: 120, SplitRows: 18, RowsKnown: true, RowsWhatVI: "điểm mô hình", RowsWhatEN: "sites",
		Loads: []LoadCount{{File: "a.csv", Read: 600, Rejected: 2}, {File: "b.xlsx", Read: 400, Rejected: 1}}}
	got := Quality(testContext(false), q)
	if len(got) != 2 {
		t.Fatalf("got %+v", got)
	}
	if got[0].Severity != SeverityMedium || got[0].TextVI != "15,0% điểm mô hình (18/120) được quy đổi qua xã cũ bị chia tách: xã 2025 của chúng xác định theo tọa độ hoặc theo tỷ lệ công bố" {
		t.Errorf("split: %+v", got[0])
	}
	if got[1].Severity != SeverityLow || got[1].TextVI != "Các lần nạp gần nhất loại 3/1.000 dòng (0,3%); xem tệp *.rejects.csv" {
		t.Errorf("rejects: %+v", got[1])
	}
	if Quality(testContext(false), DataQuality{}) != nil {
		t.Error("unknown inputs: want no finding")
	}
}

func TestFindingsRanked(t *testing.T) {
	m := "mediation_rate"
	in := Input{Context: testContext(true),
		Rates:   map[analytics.MetricID][]CommuneRatio{analytics.MetricID(m): outlierRows()},
		Models:  []ModelStatus{{Key: "b", Name: "Camera", Commune: place("00001", "Xã A"), Advanced: true, RetiredSites: 1}},
		Quality: DataQuality{Rows: 100, SplitRows: 1, RowsKnown: true}}
	got := All(in)
	if len(got) != 3 {
		t.Fatalf("got %d: %+v", len(got), got)
	}
	want := []Severity{SeverityHigh, SeverityMedium, SeverityLow}
	for i, f := range got {
		if f.Severity != want[i] {
			t.Errorf("finding %d severity %s, want %s (%s)", i, f.Severity, want[i], f.TextVI)
		}
	}
}

func TestModelFindingsGroupsAdvanced(t *testing.T) {
	var ms []ModelStatus
	for i := range 7 {
		ms = append(ms, ModelStatus{Key: strconv.Itoa(i), Name: "M" + strconv.Itoa(i), Commune: place("0000"+strconv.Itoa(i%2), "Xã "+strconv.Itoa(i%2)),
			Advanced: true, RetiredSites: i + 1})
	}
	got := Models(testContext(false), ms)
	if len(got) != 1 || len(got[0].Models) != 7 || len(got[0].Communes) != 2 || *got[0].Figures.Value != 28 {
		t.Fatalf("got %+v", got)
	}
	// Most sites lost first; five named, then the rest counted.
	if !strings.HasPrefix(got[0].TextVI, "7 mô hình điển hình tiên tiến") || !strings.Contains(got[0].TextVI, ": “M6” (Xã 0) có 7 điểm mô hình thanh loại; “M5”") ||
		!strings.HasSuffix(got[0].TextVI, "; và 2 mô hình khác") {
		t.Errorf("text %s", got[0].TextVI)
	}
}

// BenchmarkFindings: every kind of finding over 3,321 communes (the
// country), four rates and a count, both periods.
func BenchmarkFindings(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	in := Input{Context: testContext(true), Rates: map[analytics.MetricID][]CommuneRatio{}, Counts: map[analytics.MetricID][]CommuneRatio{}}
	var rows []CommuneRatio
	for i := range 3321 {
		p := place(strconv.Itoa(10000+i), "Xã "+strconv.Itoa(i))
		n0, n1 := float64(rng.IntN(60)), float64(rng.IntN(60))
		rows = append(rows, CommuneRatio{Place: p, Now: rate(math.Round(n1*0.7), n1), Before: rate(math.Round(n0*0.75), n0)})
		in.Sites = append(in.Sites, CommuneSites{Place: p, Sites: rate(float64(rng.IntN(40)), 1), Density: rate(float64(rng.IntN(40)), float64(5000+rng.IntN(30000)))})
		in.Incidents = append(in.Incidents, CommuneHistory{Place: p, Now: rate(float64(rng.IntN(3)), 1), Earlier: []Ratio{rate(3, 1), rate(4, 1), rate(5, 1)}})
	}
	for _, id := range []analytics.MetricID{"resolution_rate", "mediation_rate", "share_good", "useful_tip_share"} {
		in.Rates[id] = rows
	}
	in.Counts["incidents"] = rows
	b.ReportAllocs()
	for b.Loop() {
		if len(All(in)) == 0 {
			b.Fatal("no findings")
		}
	}
}
