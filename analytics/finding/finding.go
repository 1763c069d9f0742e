// Package finding decides the findings, the sentences a provincial leader reads first: which
// communes need attention and why, each with the figures behind it. The
// functions here take plain per-commune inputs (no storage, no HTTP) and
// return findings ranked by severity, then by strength. Every threshold
// and method lives in the constants below; the README's "Findings"
// section repeats them.
//
// A value with no data is never read as zero: every input carries its
// presence (Ratio.Known), and a commune without data is left out of a
// finding rather than counted as 0.
package finding

import (
	"fmt"
	"math"
	"net/url"
	"sort"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// Thresholds and methods of the findings.
const (
	// MinCases is the fewest cases (the denominator of a rate: incidents,
	// concluded mediations, graded sites, tips; or the count itself) a commune
	// needs in a period before its figure may become a change or an outlier
	// finding. Below it a rate moves by chance: 3 of 4 is 75%, 2 of 4 is 50%.
	MinCases = 10

	// ChangeMinPoints is the smallest change of a rate, in percentage
	// points, reported as a fall or a rise.
	ChangeMinPoints = 10.0
	// ChangeMinRelative is the smallest relative change of a count
	// (0.5 = ±50%) reported as a fall or a rise.
	ChangeMinRelative = 0.5
	// ChangeMinZ is the smallest test statistic of a change: the
	// two-proportion z-test (pooled) for rates, (a − b) / √(a + b) for counts
	// (Poisson). 1.96 is the two-sided 5% level.
	ChangeMinZ = 1.96
	// ChangeTop is how many falls and how many rises of one metric are
	// kept, largest test statistic first.
	ChangeTop = 3
	// ChangeSevereFall is the fall (percentage points of a rate, or
	// percent of a count) from which a worsening is of high severity.
	ChangeSevereFall = 20.0

	// OutlierZ is the robust z-score from which a commune is an
	// outlier: the modified z-score of Iglewicz and Hoaglin,
	// 0.6745 × (x − median) / MAD, over the communes' shrunk rates; 3.5 is
	// their recommended cut-off.
	OutlierZ = 3.5
	// OutlierSevereZ is the robust z-score from which an outlier on
	// the worse side is of high severity.
	OutlierSevereZ = 5.0
	// OutlierTop is how many outliers of one metric are kept.
	OutlierTop = 5

	// CoverageFarBelow is the share of the province's site density
	// (sites per 10,000 residents) under which a commune's coverage is "far
	// below the province" (0.25 = less than a quarter of it).
	CoverageFarBelow = 0.25
	// NoSiteSevereShare is the share of a province's communes without
	// any active site from which that finding is of high severity.
	NoSiteSevereShare = 0.10

	// GapMinPeriods is how many earlier periods (of the same length,
	// a year apart) a commune must have reported incidents in, every one of
	// them, before nothing in the current period is a reporting gap.
	GapMinPeriods = 3

	// SplitShareNotable is the share of rows restated through split
	// former communes from which the data-quality finding is of medium
	// severity (their commune comes from coordinates or a documented share).
	SplitShareNotable = 0.10
	// RejectShareNotable is the share of rejected rows in the last
	// loads from which that finding is of medium severity.
	RejectShareNotable = 0.01

	// OutlierMethodVI and OutlierMethodEN name the outlier
	// method in the findings.
	OutlierMethodVI = "z-score bền vững (trung vị, MAD) trên tỷ lệ đã co về mức của tỉnh theo Bayes thực nghiệm (beta-nhị thức, phương pháp mô-men)"
	OutlierMethodEN = "robust z-score (median, MAD) on rates shrunk toward the province rate by empirical Bayes (beta-binomial, method of moments)"
)

// Kind names a kind of finding.
type Kind string

// The kinds of findings.
const (
	KindCoverage    Kind = "coverage"      // communes without an active site, or far below the province
	KindChange      Kind = "change"        // a large, significant fall or rise against the compared period
	KindOutlier     Kind = "outlier"       // a commune far from the others after shrinkage
	KindGap         Kind = "reporting_gap" // reported every earlier period, nothing in this one
	KindModels      Kind = "models"        // exemplary or advanced models retired, their sites retired or graded Yếu
	KindDataQuality Kind = "data_quality"  // rows restated through split communes, rows rejected
)

// Kinds lists the kinds, for the API docs.
var Kinds = []Kind{KindCoverage, KindChange, KindOutlier, KindGap, KindModels, KindDataQuality}

// Severity of a finding.
type Severity string

// Severities, most urgent first.
const (
	SeverityHigh   Severity = "high"
	SeverityMedium Severity = "medium"
	SeverityLow    Severity = "low"
)

var severityRank = map[Severity]int{SeverityHigh: 0, SeverityMedium: 1, SeverityLow: 2}

// Ratio is one commune's figure in one period as numerator and
// denominator (a count has Den = 1); Known false means no data, never 0.
type Ratio struct {
	Num, Den float64
	Known    bool
}

// has reports whether r holds a value.
func (r Ratio) has() bool { return r.Known && r.Den > 0 }

// Place names a 2025 commune.
type Place struct {
	Code analytics.CommuneCode
	Name string // "Xã Hùng Lợi"
}

// CommuneRatio is a commune's figure of one metric in the current period,
// and in the compared one when there is one.
type CommuneRatio struct {
	Place
	Now, Before Ratio
}

// CommuneSites is a commune's active sites at the end of the window and
// its site density (sites per 10,000 residents: Num = sites, Den =
// population; Known false when its population is flagged).
type CommuneSites struct {
	Place
	Sites   Ratio // Den = 1
	Density Ratio
}

// CommuneHistory is a commune's incidents in the current period (Now)
// and in earlier periods of the same length (Earlier, most recent first).
type CommuneHistory struct {
	Place
	Now     Ratio
	Earlier []Ratio
}

// ModelStatus is what happened to a model within the window.
type ModelStatus struct {
	Key, Name           string
	Commune             Place
	Advanced, Exemplary bool
	Retired             bool // the model itself was retired within the window
	RetiredSites        int  // its sites retired within the window
	WeakSites           int  // its sites graded Yếu in the window's police year
	WeakKnown           bool // WeakSites is known (grades per model were available)
}

// LoadCount is one recent load of a file.
type LoadCount struct {
	File               string
	Read, Rejected     int
	Loaded, Duplicates int
}

// DataQuality holds the inputs of the data-quality findings. Known false
// means the figure is not available (not zero).
type DataQuality struct {
	Rows, SplitRows int  // rows (sites active at the window's end) and those restated through split former communes
	RowsKnown       bool // Rows and SplitRows are known
	RowsWhatVI      string
	RowsWhatEN      string
	Loads           []LoadCount // the last loads; nil = unknown
}

// Figures are the figures behind a finding, for the reader to check.
type Figures struct {
	Value    *float64 // the commune's value in the window (a count, a rate in %, a z-score's base)
	Compare  *float64 // its value in the compared period
	Province *float64 // the province's value
	// ProvinceCompare is the province's value in the compared period.
	ProvinceCompare *float64
	Change          *float64 // Value − Compare (points for rates)
	Num             *float64 // numerator and denominator behind Value
	Den             *float64
	CmpNum          *float64 // numerator and denominator behind Compare
	CmpDen          *float64
	Shrunk          *float64 // the shrunk rate (outliers)
	Z               *float64 // the robust z-score (outliers) or the test statistic (changes)
	Count           *float64 // how many communes, models, rows
	Of              *float64 // out of how many
}

// Finding is one sentence for the leader with the evidence behind it.
type Finding struct {
	Kind     Kind
	Severity Severity
	Score    float64 // strength within the severity: larger first
	Metric   analytics.MetricID
	TextVI   string
	TextEN   string
	Communes []Place
	Models   []ModelStatus
	Figures  Figures
	Window   analytics.Window
	Compare  *analytics.Window
	// MethodVI and MethodEN say how it was found (outliers, changes,
	// thresholds).
	MethodVI string
	MethodEN string
	Link     string // query string of the view that shows it
}

// Context is what every finding needs to say: where, when, and how
// to write numbers.
type Context struct {
	Province     analytics.ProvinceCode
	ProvinceName string
	Window       analytics.Window
	Compare      *analytics.Window
	// Format writes a number the Vietnamese way ("2.025", "75,6"); English
	// sentences swap the separators.
	Format func(v float64, decimals int) string
}

func (fc Context) vi(v float64, d int) string { return fc.Format(v, d) }

// unitVI and unitEN name the province-level unit by its kind (ProvinceName
// is its full name): "tỉnh" or "thành phố", "province" or "city".
func (fc Context) unitVI() string {
	if analytics.ProvinceKindOf(fc.ProvinceName) == analytics.KindCity {
		return "thành phố"
	}
	return "tỉnh"
}

func (fc Context) unitEN() string {
	if analytics.ProvinceKindOf(fc.ProvinceName) == analytics.KindCity {
		return "city"
	}
	return "province"
}

// plural writes an English count with its noun: "1 commune", "5 communes".
func (fc Context) plural(n float64, one, many string) string {
	if n == 1 {
		return fc.en(n, 0) + " " + one
	}
	return fc.en(n, 0) + " " + many
}

// verb picks an English verb by number: "has" or "have".
func verb(n float64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// en writes v with English separators: the Vietnamese form with '.' and
// ',' swapped, so both languages round alike.
func (fc Context) en(v float64, d int) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.':
			return ','
		case ',':
			return '.'
		}
		return r
	}, fc.Format(v, d))
}

// value writes a metric's value with its unit: "75,6%", "12 điểm".
func (fc Context) value(m analytics.Metric, v float64, en bool) string {
	f := fc.vi
	if en {
		f = fc.en
	}
	if m.Percent {
		return f(v, max(m.Decimals, 1)) + "%"
	}
	return f(v, m.Decimals)
}

// link is the query string of the view that shows a finding.
func (fc Context) link(m analytics.MetricID, compare bool, communes ...analytics.CommuneCode) string {
	q := url.Values{}
	if fc.Province != "" {
		q.Set("province", string(fc.Province))
	}
	if m != "" {
		q.Set("metric", string(m))
	}
	setPeriod := func(key string, w analytics.Window) {
		if strings.Contains(w.Spec, "..") || w.Spec == "" {
			if key == "period" {
				q.Set("from", w.From.Format("2006-01-02"))
				q.Set("to", w.Last().Format("2006-01-02"))
			}
			return
		}
		q.Set(key, w.Spec)
	}
	setPeriod("period", fc.Window)
	if compare && fc.Compare != nil {
		if prev := fc.Window.SamePeriodLastYear(); fc.Compare.From.Equal(prev.From) && fc.Compare.To.Equal(prev.To) {
			q.Set("compare", "prev") // the same period a year earlier, whatever its spelling
		} else {
			setPeriod("compare", *fc.Compare)
		}
	}
	if len(communes) > 0 {
		cs := make([]string, len(communes))
		for i, c := range communes {
			cs[i] = string(c)
		}
		q.Set("commune", strings.Join(cs, ","))
	}
	return q.Encode()
}

func fp(v float64) *float64 { v = math.Round(v*1e6) / 1e6; return &v }

// Input gathers everything the findings read; a nil or empty part
// gives no findings of its kind.
type Input struct {
	Context Context
	Sites   []CommuneSites
	// Rates are metrics compared and tested for outliers, by metric.
	Rates map[analytics.MetricID][]CommuneRatio
	// Counts are count metrics compared (changes only), by metric.
	Counts    map[analytics.MetricID][]CommuneRatio
	Incidents []CommuneHistory
	Models    []ModelStatus
	Quality   DataQuality
}

// Findings computes every kind of finding and ranks them (Rank).
func All(in Input) []Finding {
	fc := in.Context
	var out []Finding
	out = append(out, Coverage(fc, in.Sites)...)
	for _, id := range sortedIDs(in.Rates) {
		m, ok := analytics.MetricByID(id)
		if !ok {
			continue
		}
		out = append(out, Changes(fc, m, in.Rates[id])...)
		out = append(out, Outliers(fc, m, in.Rates[id])...)
	}
	for _, id := range sortedIDs(in.Counts) {
		if m, ok := analytics.MetricByID(id); ok {
			out = append(out, Changes(fc, m, in.Counts[id])...)
		}
	}
	out = append(out, Gaps(fc, in.Incidents)...)
	out = append(out, Models(fc, in.Models)...)
	out = append(out, Quality(fc, in.Quality)...)
	Rank(out)
	return out
}

func sortedIDs(m map[analytics.MetricID][]CommuneRatio) []analytics.MetricID {
	ids := make([]analytics.MetricID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// Rank orders findings by severity (high first), then score
// (larger first), then kind and first commune, so the order is stable.
func Rank(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if severityRank[a.Severity] != severityRank[b.Severity] {
			return severityRank[a.Severity] < severityRank[b.Severity]
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return firstCode(a) < firstCode(b)
	})
}

func firstCode(f Finding) string {
	if len(f.Communes) > 0 {
		return string(f.Communes[0].Code)
	}
	if len(f.Models) > 0 {
		return f.Models[0].Key
	}
	return ""
}

// names lists up to n names, then "và N xã khác" / "and N more".
func names(ps []Place, n int, en bool) string {
	var parts []string
	for i, p := range ps {
		if i == n {
			if en {
				parts = append(parts, fmt.Sprintf("and %d more", len(ps)-n))
			} else {
				parts = append(parts, fmt.Sprintf("và %d xã khác", len(ps)-n))
			}
			break
		}
		if en {
			parts = append(parts, analytics.CommuneName(analytics.LangEN, p.Name))
		} else {
			parts = append(parts, p.Name)
		}
	}
	return strings.Join(parts, ", ")
}

func codes(ps []Place) []analytics.CommuneCode {
	out := make([]analytics.CommuneCode, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}

// Coverage finds communes without any active site, and communes
// whose site density is below CoverageFarBelow of the province's
// (Σ sites ÷ Σ population over the communes whose population is known).
// Communes whose sites are not known are left out.
func Coverage(fc Context, cs []CommuneSites) []Finding {
	var none, far []Place
	known := 0
	var sumN, sumD float64
	for _, c := range cs {
		if c.Density.has() {
			sumN += c.Density.Num
			sumD += c.Density.Den
		}
	}
	sites, _ := analytics.MetricByID("sites")
	dens, _ := analytics.MetricByID("sites_per_10k")
	var out []Finding
	for _, c := range cs {
		if !c.Sites.has() {
			continue
		}
		known++
		if c.Sites.Num == 0 {
			none = append(none, c.Place)
		}
	}
	if len(none) > 0 {
		sev := SeverityMedium
		if float64(len(none)) >= NoSiteSevereShare*float64(known) {
			sev = SeverityHigh
		}
		n, k := float64(len(none)), float64(known)
		out = append(out, Finding{Kind: KindCoverage, Severity: sev, Score: n / k * 100, Metric: sites.ID,
			TextVI:   fmt.Sprintf("%s/%s xã chưa có điểm mô hình nào đang hoạt động: %s", fc.vi(n, 0), fc.vi(k, 0), names(none, 5, false)),
			TextEN:   fmt.Sprintf("%s of %s %s no active site: %s", fc.en(n, 0), fc.plural(k, "commune", "communes"), verb(n, "has", "have"), names(none, 5, true)),
			Communes: none, Figures: Figures{Count: fp(n), Of: fp(k), Value: fp(0)}, Window: fc.Window,
			MethodVI: "số điểm mô hình đang hoạt động cuối kỳ = 0", MethodEN: "sites active at the end of the window = 0", Link: fc.link(sites.ID, false, codes(none)...)})
	}
	if sumD > 0 && sumN > 0 {
		prov := sumN / sumD * dens.Scale
		for _, c := range cs {
			if c.Density.has() && c.Sites.has() && c.Sites.Num > 0 && c.Density.Num/c.Density.Den*dens.Scale < CoverageFarBelow*prov {
				far = append(far, c.Place)
			}
		}
		if len(far) > 0 {
			n := float64(len(far))
			out = append(out, Finding{Kind: KindCoverage, Severity: SeverityMedium, Score: n, Metric: dens.ID,
				TextVI: fmt.Sprintf("%s xã có mật độ điểm mô hình dưới 1/4 mức của %s (%s điểm/10.000 dân): %s", fc.vi(n, 0), fc.unitVI(), fc.vi(prov, dens.Decimals), names(far, 5, false)),
				TextEN: fmt.Sprintf("%s %s less than a quarter of the %s's site density (%s sites per 10,000 residents): %s", fc.plural(n, "commune", "communes"), verb(n, "has", "have"),
					fc.unitEN(), fc.en(prov, dens.Decimals), names(far, 5, true)),
				Communes: far, Figures: Figures{Count: fp(n), Province: fp(prov)}, Window: fc.Window,
				MethodVI: fmt.Sprintf("điểm mô hình trên 10.000 dân < %s × mức của %s", fc.vi(CoverageFarBelow, 2), fc.unitVI()),
				MethodEN: fmt.Sprintf("sites per 10,000 residents < %g × the %s's", CoverageFarBelow, fc.unitEN()), Link: fc.link(dens.ID, false, codes(far)...)})
		}
	}
	return out
}

// Changes finds the largest falls and rises of a metric between
// the compared period and the current one, among communes with at least
// MinCases cases in both. A rate must move by at least
// ChangeMinPoints points with a pooled two-proportion |z| of at
// least ChangeMinZ; a count by at least ChangeMinRelative
// with a Poisson |z| = |a − b| / √(a + b) of at least ChangeMinZ.
// The ChangeTop strongest of each direction are kept.
func Changes(fc Context, m analytics.Metric, rows []CommuneRatio) []Finding {
	if fc.Compare == nil {
		return nil
	}
	count := m.SumTotal()
	provNow, provBefore := provinceValue(m, rows, false), provinceValue(m, rows, true)
	var falls, rises []Finding
	for _, r := range rows {
		if !r.Now.has() || !r.Before.has() {
			continue
		}
		var now, before, z float64
		if count {
			a, b := r.Now.Num, r.Before.Num
			if a < MinCases || b < MinCases {
				continue
			}
			now, before = a*m.Scale, b*m.Scale
			z = (a - b) / math.Sqrt(a+b)
			if math.Abs(a-b)/b < ChangeMinRelative {
				continue
			}
		} else {
			if r.Now.Den < MinCases || r.Before.Den < MinCases {
				continue
			}
			p1, p0 := r.Now.Num/r.Now.Den, r.Before.Num/r.Before.Den
			now, before = p1*m.Scale, p0*m.Scale
			if math.Abs(now-before) < ChangeMinPoints {
				continue
			}
			pool := (r.Now.Num + r.Before.Num) / (r.Now.Den + r.Before.Den)
			se := math.Sqrt(pool * (1 - pool) * (1/r.Now.Den + 1/r.Before.Den))
			if se == 0 {
				continue
			}
			z = (p1 - p0) / se
		}
		if math.Abs(z) < ChangeMinZ {
			continue
		}
		f := changeFinding(fc, m, r, now, before, z)
		f.Figures.Province, f.Figures.ProvinceCompare = provNow, provBefore
		if now < before {
			falls = append(falls, f)
		} else {
			rises = append(rises, f)
		}
	}
	keep := func(fs []Finding) []Finding {
		sort.SliceStable(fs, func(i, j int) bool {
			if fs[i].Score != fs[j].Score {
				return fs[i].Score > fs[j].Score
			}
			return fs[i].Communes[0].Code < fs[j].Communes[0].Code
		})
		return fs[:min(len(fs), ChangeTop)]
	}
	return append(keep(falls), keep(rises)...)
}

// provinceValue is the province's figure over the communes with data:
// Σnum/Σden×Scale, or Σnum×Scale for counts; nil without data.
func provinceValue(m analytics.Metric, rows []CommuneRatio, before bool) *float64 {
	var num, den float64
	for _, r := range rows {
		x := r.Now
		if before {
			x = r.Before
		}
		if x.has() {
			num += x.Num
			den += x.Den
		}
	}
	switch {
	case den == 0:
		return nil
	case m.SumTotal():
		return fp(num * m.Scale)
	}
	return fp(num / den * m.Scale)
}

func changeFinding(fc Context, m analytics.Metric, r CommuneRatio, now, before, z float64) Finding {
	fall := now < before
	worse := fall == m.HigherIsBetter
	sev := SeverityLow
	if worse {
		sev = SeverityMedium
		drop := math.Abs(now - before)
		if m.SumTotal() {
			drop = drop / before * 100
		}
		if drop >= ChangeSevereFall {
			sev = SeverityHigh
		}
	}
	verbVI, verbEN, toVI := "tăng", "rose", "lên"
	if fall {
		verbVI, verbEN, toVI = "giảm", "fell", "xuống"
	}
	casesVI, casesEN := fc.vi(r.Now.Den, 0)+" và "+fc.vi(r.Before.Den, 0)+" trường hợp", fc.en(r.Now.Den, 0)+" and "+fc.en(r.Before.Den, 0)+" cases"
	method := fmt.Sprintf("two-proportion z-test, |z| ≥ %g, change ≥ %g percentage points, ≥ %d cases in both periods", ChangeMinZ, ChangeMinPoints, MinCases)
	methodVI := fmt.Sprintf("kiểm định z hai tỷ lệ, |z| ≥ %s, thay đổi từ %s điểm phần trăm, từ %d trường hợp ở cả hai kỳ", fc.vi(ChangeMinZ, 2), fc.vi(ChangeMinPoints, 0), MinCases)
	if m.SumTotal() {
		casesVI, casesEN = "", ""
		method = fmt.Sprintf("Poisson z = (a − b)/√(a + b), |z| ≥ %g, change ≥ %g%%, ≥ %d in both periods", ChangeMinZ, ChangeMinRelative*100, MinCases)
		methodVI = fmt.Sprintf("z Poisson = (a − b)/√(a + b), |z| ≥ %s, thay đổi từ %s%%, từ %d ở cả hai kỳ", fc.vi(ChangeMinZ, 2), fc.vi(ChangeMinRelative*100, 0), MinCases)
	}
	tail := func(s string) string {
		if s == "" {
			return ""
		}
		return "; " + s
	}
	f := Finding{Kind: KindChange, Severity: sev, Score: math.Abs(z), Metric: m.ID,
		TextVI: fmt.Sprintf("%s của %s %s từ %s %s %s (%s so với %s%s)", m.LabelVI, r.Name, verbVI, fc.value(m, before, false), toVI, fc.value(m, now, false),
			fc.Window.Spec, fc.Compare.Spec, tail(casesVI)),
		TextEN: fmt.Sprintf("%s of %s %s from %s to %s (%s against %s%s)", m.LabelEN, analytics.CommuneName(analytics.LangEN, r.Name), verbEN, fc.value(m, before, true), fc.value(m, now, true),
			fc.Window.Spec, fc.Compare.Spec, tail(casesEN)),
		Communes: []Place{r.Place}, Window: fc.Window, Compare: fc.Compare, MethodVI: methodVI, MethodEN: method,
		Figures: Figures{Value: fp(now), Compare: fp(before), Change: fp(now - before), Num: fp(r.Now.Num), Den: fp(r.Now.Den),
			CmpNum: fp(r.Before.Num), CmpDen: fp(r.Before.Den), Z: fp(z)},
		Link: fc.link(m.ID, true, r.Code)}
	return f
}

// Shrinkage is the empirical-Bayes prior of a rate over a province's
// communes: a beta distribution with mean P and strength M (α = M·P,
// β = M·(1 − P)). M = +Inf means the communes differ no more than chance
// allows, so every rate shrinks to P.
type Shrinkage struct {
	P, M float64
}

// Shrink returns (x + M·P) / (n + M), the posterior mean of a commune with
// x successes in n cases.
func (s Shrinkage) Shrink(x, n float64) float64 {
	if math.IsInf(s.M, 1) {
		return s.P
	}
	return (x + s.M*s.P) / (n + s.M)
}

// EstimateShrinkage fits the beta-binomial prior by the method of
// moments: P = Σx / Σn; with S = Σ nᵢ(xᵢ/nᵢ − P)², the intra-class
// correlation ρ = (S / (P(1 − P)) − (k − 1)) / (N − k) (k communes with
// cases, N = Σn), from E[S] = P(1 − P)·(k − 1 + ρ(N − k)); M = 1/ρ − 1.
// ρ ≤ 0 (no more spread than chance) gives M = +Inf; ρ ≥ 1 gives M = 0 (no
// shrinkage). ok is false when no commune has cases.
func EstimateShrinkage(xs, ns []float64) (Shrinkage, bool) {
	var sx, sn float64
	k := 0
	for i := range ns {
		if ns[i] > 0 {
			sx += xs[i]
			sn += ns[i]
			k++
		}
	}
	if k == 0 {
		return Shrinkage{}, false
	}
	p := sx / sn
	if p <= 0 || p >= 1 || k < 2 || sn <= float64(k) {
		return Shrinkage{P: p, M: math.Inf(1)}, true
	}
	var s float64
	for i := range ns {
		if ns[i] > 0 {
			d := xs[i]/ns[i] - p
			s += ns[i] * d * d
		}
	}
	rho := (s/(p*(1-p)) - float64(k-1)) / (sn - float64(k))
	switch {
	case rho <= 0:
		return Shrinkage{P: p, M: math.Inf(1)}, true
	case rho >= 1:
		return Shrinkage{P: p, M: 0}, true
	}
	return Shrinkage{P: p, M: 1/rho - 1}, true
}

// RobustZ returns the modified z-scores 0.6745·(xᵢ − median)/MAD of xs
// (Iglewicz and Hoaglin). When MAD is 0 the scale is 1.2533·mean absolute
// deviation instead (their fallback, so that the constant reads as a
// standard deviation again: 0.6745/MAD ≈ 1/σ and 1.2533·meanAD ≈ σ). ok is
// false when every value is the same.
func RobustZ(xs []float64) ([]float64, bool) {
	if len(xs) == 0 {
		return nil, false
	}
	med := median(xs)
	dev := make([]float64, len(xs))
	var sum float64
	for i, x := range xs {
		dev[i] = math.Abs(x - med)
		sum += dev[i]
	}
	mad := median(dev)
	var scale float64
	switch {
	case mad > 0:
		scale = mad / 0.6745
	case sum > 0:
		scale = 1.253314 * sum / float64(len(xs))
	default:
		return nil, false
	}
	z := make([]float64, len(xs))
	for i, x := range xs {
		z[i] = (x - med) / scale
	}
	return z, true
}

func median(xs []float64) float64 {
	v := append([]float64(nil), xs...)
	sort.Float64s(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// Outliers finds communes whose rate of metric m stands out from
// the province's communes. Every commune with cases has its rate shrunk
// toward the province rate (EstimateShrinkage, Shrink), so a commune with
// 3 cases sits near the province rate; the shrunk rates get robust
// z-scores (RobustZ); a commune with at least MinCases cases and
// |z| ≥ OutlierZ is an outlier. The OutlierTop largest |z|
// are kept. Only Now is read.
func Outliers(fc Context, m analytics.Metric, rows []CommuneRatio) []Finding {
	if m.SumTotal() || m.Composite() {
		return nil
	}
	var xs, ns []float64
	var idx []int
	for i, r := range rows {
		if r.Now.has() {
			xs = append(xs, r.Now.Num)
			ns = append(ns, r.Now.Den)
			idx = append(idx, i)
		}
	}
	prior, ok := EstimateShrinkage(xs, ns)
	if !ok {
		return nil
	}
	shrunk := make([]float64, len(xs))
	for i := range xs {
		shrunk[i] = prior.Shrink(xs[i], ns[i])
	}
	zs, ok := RobustZ(shrunk)
	if !ok {
		return nil
	}
	prov := prior.P * m.Scale
	var out []Finding
	for i, z := range zs {
		if ns[i] < MinCases || math.Abs(z) < OutlierZ {
			continue
		}
		r := rows[idx[i]]
		v := xs[i] / ns[i] * m.Scale
		low := z < 0
		worse := low == m.HigherIsBetter
		sev := SeverityLow
		if worse {
			sev = SeverityMedium
			if math.Abs(z) >= OutlierSevereZ {
				sev = SeverityHigh
			}
		}
		dirVI, dirEN := "cao", "high"
		if low {
			dirVI, dirEN = "thấp", "low"
		}
		out = append(out, Finding{Kind: KindOutlier, Severity: sev, Score: math.Abs(z), Metric: m.ID,
			TextVI: fmt.Sprintf("%s của %s %s bất thường: %s (%s/%s) so với %s của %s; z = %s",
				m.LabelVI, r.Name, dirVI, fc.value(m, v, false), fc.vi(xs[i], 0), fc.vi(ns[i], 0), fc.value(m, prov, false), fc.unitVI(), fc.vi(z, 1)),
			TextEN: fmt.Sprintf("%s of %s is unusually %s: %s (%s/%s) against the "+fc.unitEN()+"'s %s; z = %s",
				m.LabelEN, analytics.CommuneName(analytics.LangEN, r.Name), dirEN, fc.value(m, v, true), fc.en(xs[i], 0), fc.en(ns[i], 0), fc.value(m, prov, true), fc.en(z, 1)),
			Communes: []Place{r.Place}, Window: fc.Window,
			MethodVI: fmt.Sprintf("%s; |z| ≥ %s; từ %d trường hợp", OutlierMethodVI, fc.vi(OutlierZ, 1), MinCases),
			MethodEN: fmt.Sprintf("%s; |z| ≥ %g; ≥ %d cases", OutlierMethodEN, OutlierZ, MinCases),
			Figures:  Figures{Value: fp(v), Province: fp(prov), Num: fp(xs[i]), Den: fp(ns[i]), Shrunk: fp(shrunk[i] * m.Scale), Z: fp(z)},
			Link:     fc.link(m.ID, false, r.Code)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Communes[0].Code < out[j].Communes[0].Code
	})
	return out[:min(len(out), OutlierTop)]
}

// Gaps finds communes that reported incidents in each of at least
// GapMinPeriods earlier periods (all of those given) and none in
// the current one: likely a missing report, not a real zero. A commune
// with an unknown period is left out.
func Gaps(fc Context, hs []CommuneHistory) []Finding {
	var gaps []Place
	for _, h := range hs {
		if !h.Now.Known || h.Now.Num != 0 || len(h.Earlier) < GapMinPeriods {
			continue
		}
		every := true
		for _, e := range h.Earlier {
			if !e.has() || e.Num <= 0 {
				every = false
				break
			}
		}
		if every {
			gaps = append(gaps, h.Place)
		}
	}
	if len(gaps) == 0 {
		return nil
	}
	n := float64(len(gaps))
	periods := len(hs[0].Earlier)
	return []Finding{{Kind: KindGap, Severity: SeverityHigh, Score: n, Metric: "incidents",
		TextVI: fmt.Sprintf("%s xã có vụ việc trong cả %d cùng kỳ các năm trước nhưng không báo cáo vụ việc nào trong kỳ này (có thể thiếu báo cáo): %s",
			fc.vi(n, 0), periods, names(gaps, 5, false)),
		TextEN: fmt.Sprintf("%s reported incidents in each of the %d earlier periods but none in this one (likely a missing report): %s",
			fc.plural(n, "commune", "communes"), periods, names(gaps, 5, true)),
		Communes: gaps, Window: fc.Window, Figures: Figures{Count: fp(n), Value: fp(0)},
		MethodVI: fmt.Sprintf("vụ việc > 0 trong cả ≥ %d cùng kỳ các năm trước (cùng độ dài, cách nhau một năm), 0 trong kỳ này", GapMinPeriods),
		MethodEN: fmt.Sprintf("incidents > 0 in each of ≥ %d earlier periods of the same length a year apart, 0 in this one", GapMinPeriods),
		Link:     fc.link("incidents", false, codes(gaps)...)}}
}

// Models finds exemplary (tiêu biểu toàn quốc) and advanced (điển
// hình tiên tiến) models that were retired within the window, whose sites
// were retired, or whose sites were graded Yếu. Each exemplary model is a
// finding of high severity; the advanced ones make one finding of medium
// severity listing them (most sites lost first), so a province with many
// advanced models does not bury the other findings.
func Models(fc Context, ms []ModelStatus) []Finding {
	var out []Finding
	var adv []ModelStatus
	for _, m := range ms {
		if !m.Advanced && !m.Exemplary {
			continue
		}
		what, whatEN := modelEvents(fc, m)
		if len(what) == 0 {
			continue
		}
		if !m.Exemplary {
			adv = append(adv, m)
			continue
		}
		score := float64(m.RetiredSites + m.WeakSites)
		if m.Retired {
			score += 1000
		}
		out = append(out, Finding{Kind: KindModels, Severity: SeverityHigh, Score: score, Metric: "advanced",
			TextVI:   fmt.Sprintf("Mô hình tiêu biểu toàn quốc “%s” (%s) %s trong kỳ", m.Name, m.Commune.Name, strings.Join(what, ", ")),
			TextEN:   fmt.Sprintf("Nationally exemplary model “%s” (%s) %s within the window", m.Name, analytics.CommuneName(analytics.LangEN, m.Commune.Name), strings.Join(whatEN, ", ")),
			Communes: []Place{m.Commune}, Models: []ModelStatus{m}, Window: fc.Window,
			Figures: Figures{Count: fp(float64(m.RetiredSites))},
			Link:    fc.link("sites", false, m.Commune.Code)})
	}
	if len(adv) == 0 {
		return out
	}
	lost := func(m ModelStatus) int {
		n := m.RetiredSites + m.WeakSites
		if m.Retired {
			n += 1000
		}
		return n
	}
	sort.SliceStable(adv, func(i, j int) bool {
		if lost(adv[i]) != lost(adv[j]) {
			return lost(adv[i]) > lost(adv[j])
		}
		return adv[i].Key < adv[j].Key
	})
	var listVI, listEN []string
	var places []Place
	seen := map[analytics.CommuneCode]bool{}
	sites := 0
	for i, m := range adv {
		sites += m.RetiredSites
		if !seen[m.Commune.Code] {
			seen[m.Commune.Code] = true
			places = append(places, m.Commune)
		}
		if i < 5 {
			what, whatEN := modelEvents(fc, m)
			listVI = append(listVI, fmt.Sprintf("“%s” (%s) %s", m.Name, m.Commune.Name, strings.Join(what, ", ")))
			listEN = append(listEN, fmt.Sprintf("“%s” (%s) %s", m.Name, analytics.CommuneName(analytics.LangEN, m.Commune.Name), strings.Join(whatEN, ", ")))
		}
	}
	if len(adv) > 5 {
		listVI = append(listVI, fmt.Sprintf("và %d mô hình khác", len(adv)-5))
		listEN = append(listEN, fmt.Sprintf("and %d more", len(adv)-5))
	}
	n := float64(len(adv))
	out = append(out, Finding{Kind: KindModels, Severity: SeverityMedium, Score: n, Metric: "advanced",
		TextVI: fmt.Sprintf("%s mô hình điển hình tiên tiến bị thanh loại, có điểm mô hình thanh loại hoặc xếp loại Yếu trong kỳ: %s", fc.vi(n, 0), strings.Join(listVI, "; ")),
		TextEN: fmt.Sprintf("%s %s retired or had sites retired or graded Weak within the window: %s", fc.plural(n, "advanced model", "advanced models"),
			verb(n, "was", "were"), strings.Join(listEN, "; ")),
		Communes: places, Models: adv, Window: fc.Window,
		Figures: Figures{Count: fp(n), Value: fp(float64(sites))},
		Link:    fc.link("sites", false, codes(places)...)})
	return out
}

// modelEvents says what happened to a model, in both languages.
func modelEvents(fc Context, m ModelStatus) (vi, en []string) {
	if m.Retired {
		vi, en = append(vi, "đã thanh loại"), append(en, "was retired")
	}
	if m.RetiredSites > 0 {
		vi = append(vi, fmt.Sprintf("có %s điểm mô hình thanh loại", fc.vi(float64(m.RetiredSites), 0)))
		en = append(en, fmt.Sprintf("had %s retired", fc.plural(float64(m.RetiredSites), "site", "sites")))
	}
	if m.WeakKnown && m.WeakSites > 0 {
		vi = append(vi, fmt.Sprintf("có %s điểm mô hình xếp loại Yếu", fc.vi(float64(m.WeakSites), 0)))
		en = append(en, fmt.Sprintf("had %s graded Weak", fc.plural(float64(m.WeakSites), "site", "sites")))
	}
	return vi, en
}

// Quality reports the share of rows restated through split former
// communes (their 2025 commune comes from coordinates or a documented
// share) and the rows rejected in the last loads. Unknown inputs give no
// finding.
func Quality(fc Context, q DataQuality) []Finding {
	var out []Finding
	if q.RowsKnown && q.Rows > 0 && q.SplitRows > 0 {
		share := float64(q.SplitRows) / float64(q.Rows)
		sev := SeverityLow
		if share >= SplitShareNotable {
			sev = SeverityMedium
		}
		out = append(out, Finding{Kind: KindDataQuality, Severity: sev, Score: share * 100,
			TextVI: fmt.Sprintf("%s%% %s (%s/%s) được quy đổi qua xã cũ bị chia tách: xã 2025 của chúng xác định theo tọa độ hoặc theo tỷ lệ công bố",
				fc.vi(share*100, 1), q.RowsWhatVI, fc.vi(float64(q.SplitRows), 0), fc.vi(float64(q.Rows), 0)),
			TextEN: fmt.Sprintf("%s%% of %s (%s of %s) were restated through split former communes: their 2025 commune comes from coordinates or the documented share",
				fc.en(share*100, 1), q.RowsWhatEN, fc.en(float64(q.SplitRows), 0), fc.en(float64(q.Rows), 0)),
			Window: fc.Window, Figures: Figures{Count: fp(float64(q.SplitRows)), Of: fp(float64(q.Rows)), Value: fp(share * 100)},
			MethodVI: fmt.Sprintf("số dòng từ xã cũ bị chia tách ÷ số dòng; mức trung bình từ %s%%", fc.vi(SplitShareNotable*100, 0)),
			MethodEN: fmt.Sprintf("split rows ÷ rows; medium from %g%%", SplitShareNotable*100), Link: fc.link("sites", false)})
	}
	if q.Loads != nil {
		var read, rej int
		for _, l := range q.Loads {
			read += l.Read
			rej += l.Rejected
		}
		if read > 0 && rej > 0 {
			share := float64(rej) / float64(read)
			sev := SeverityLow
			if share >= RejectShareNotable {
				sev = SeverityMedium
			}
			out = append(out, Finding{Kind: KindDataQuality, Severity: sev, Score: share * 100,
				TextVI: fmt.Sprintf("Các lần nạp gần nhất loại %s/%s dòng (%s%%); xem tệp *.rejects.csv", fc.vi(float64(rej), 0), fc.vi(float64(read), 0), fc.vi(share*100, 1)),
				TextEN: fmt.Sprintf("The last loads rejected %s of %s (%s%%); see the *.rejects.csv files", fc.en(float64(rej), 0), fc.plural(float64(read), "row", "rows"), fc.en(share*100, 1)),
				Window: fc.Window, Figures: Figures{Count: fp(float64(rej)), Of: fp(float64(read)), Value: fp(share * 100)},
				MethodVI: fmt.Sprintf("số dòng bị loại ÷ số dòng đọc trong các lần nạp gần nhất; mức trung bình từ %s%%", fc.vi(RejectShareNotable*100, 0)),
				MethodEN: fmt.Sprintf("rejected ÷ read over the last loads; medium from %g%%", RejectShareNotable*100)})
		}
	}
	return out
}
